"""``journeykg glossary import`` and ``journeykg coverage``, run as a user would run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from journeykg.cli.app import app
from journeykg.graph.embedded import EmbeddedStore
from tests.conftest import BASE
from tests.loaders import glossary_corpus as corpus

runner = CliRunner()
LOADER_FIXTURES = Path(__file__).parent.parent / "loaders" / "fixtures"


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    return tmp_path / "kg"


@pytest.mark.parametrize("command", [["glossary", "import"], ["coverage"]])
def test_commands_have_help(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_import_reports_warnings_and_lands_as_proposed(store_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "glossary",
            "import",
            str(LOADER_FIXTURES / "third-party-glossary.ttl"),
            "--store-dir",
            str(store_dir),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "imported 3 concept(s)" in result.stdout
    assert "as proposed; 10 warning(s)" in result.stdout
    assert "node agency/klantmoeite, property skos:scopeNote" in result.stderr


def test_refused_import_exits_1_names_the_problem_and_writes_nothing(store_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "glossary",
            "import",
            str(LOADER_FIXTURES / "glossary-without-definition.ttl"),
            "--store-dir",
            str(store_dir),
        ],
    )
    assert result.exit_code == 1
    assert "node agency/kaal, property skos:definition" in result.stderr
    assert "nothing was written" in result.stderr
    with EmbeddedStore(store_dir, BASE) as store:
        assert len(store.export()) == 0


def test_import_refuses_to_approve(store_dir: Path) -> None:
    result = runner.invoke(
        app,
        [
            "glossary",
            "import",
            str(LOADER_FIXTURES / "third-party-glossary.ttl"),
            "--status",
            "approved",
            "--store-dir",
            str(store_dir),
        ],
    )
    assert result.exit_code == 1
    # The step that approves exists: journeykg governance approve (not "glossary approve").
    assert "journeykg governance approve" in result.stderr
    assert "glossary approve" not in result.stderr


def _import(store_dir: Path, file: Path, *options: str) -> Result:
    return runner.invoke(
        app, ["glossary", "import", str(file), *options, "--store-dir", str(store_dir)]
    )


def test_skip_invalid_and_dry_run(store_dir: Path, tmp_path: Path) -> None:
    published = corpus.sector_begrippenkader(tmp_path, 12, missing=4)
    (bad,) = published.bad
    refused = _import(store_dir, published.path)
    assert refused.exit_code == 1
    assert f"node {bad}, property skos:definition" in refused.stderr
    assert "With --skip-invalid" in refused.stderr
    dry = _import(store_dir, published.path, "--skip-invalid", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "would import 11 concept(s)" in dry.stdout
    assert f"left out 1 concept(s) with problems: {bad}" in dry.stdout
    assert "dry run: nothing was written" in dry.stdout
    assert f"left out: {published.path}, node {bad}, property skos:definition" in dry.stderr
    with EmbeddedStore(store_dir, BASE) as store:
        assert len(store.export()) == 0
    done = _import(store_dir, published.path, "--skip-invalid")
    assert done.exit_code == 0, done.output
    assert "imported 11 concept(s)" in done.stdout


def test_by_a_post_not_in_the_graph_exits_1_and_says_how_to_add_one(
    store_dir: Path, tmp_path: Path
) -> None:
    published = corpus.nl_sbb_thesaurus(tmp_path)
    result = _import(store_dir, published.path, "--propose", "--by", "owner/nobody")
    assert result.exit_code == 1
    assert "--by owner/nobody is not in the graph" in result.stderr
    assert "journeykg load FILE" in result.stderr
    # The line it gives is one that makes the post: loaded, the same import goes through.
    line = result.stderr.rsplit("e.g. ", 1)[1].split(" [Violation", 1)[0]
    post = tmp_path / "post.ttl"
    post.write_text(line.replace('"..."', '"Begrippenbeheerder"'))
    loaded = runner.invoke(app, ["load", str(post), "--store-dir", str(store_dir)])
    assert loaded.exit_code == 0, loaded.output
    again = _import(store_dir, published.path, "--propose", "--by", "owner/nobody")
    assert again.exit_code == 0, again.output


def test_coverage_json_after_the_demo(store_dir: Path) -> None:
    demo = runner.invoke(app, ["demo", "--no-serve", "--store-dir", str(store_dir)])
    assert demo.exit_code == 0, demo.output
    assert "loaded the journeykg glossary" in demo.stdout
    result = runner.invoke(app, ["coverage", "--json", "--store-dir", str(store_dir)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["counts"]["Coverage-ContactReasonWithoutJourney"] == 12
    table = runner.invoke(app, ["coverage", "--store-dir", str(store_dir)])
    assert table.exit_code == 0
    assert "Coverage-ContactReasonWithoutJourney (12, Info)" in table.stdout


def test_show_prints_every_skos_property_and_history_the_first_version(
    store_dir: Path, tmp_path: Path
) -> None:
    published = corpus.nl_sbb_thesaurus(tmp_path)
    assert _import(store_dir, published.path).exit_code == 0
    begrip = "https://definities.geostandaarden.example/nl-sbb/id/begrip/"
    shown = runner.invoke(app, ["governance", "show", begrip + "b2", "--store-dir", str(store_dir)])
    assert shown.exit_code == 0, shown.output
    for line in (
        "status: proposed (voorgesteld); version 1",
        "scope note @nl: Toelichting bij begrip 2.",
        "alternative label @nl: Netbeheerder 2 (synoniem)",
        "hidden label @nl: netbeheerder2",
        "example @nl: Bijvoorbeeld geval 2.",
        "notation: B0002",
        "sources: https://wetten.example/bwb/2",
        f"broader: {begrip}b0",
        f"related: {begrip}b1",
        "exact match: https://begrippen.example/extern/2",
        "close match: https://begrippen.example/verwant/2",
    ):
        assert line in shown.stdout, line
    history = runner.invoke(
        app, ["governance", "history", begrip + "b2", "--store-dir", str(store_dir)]
    )
    assert f"{begrip}b2/version/1: proposed" in history.stdout


def test_the_post_in_docs_governance_is_one_that_can_propose(
    store_dir: Path, tmp_path: Path
) -> None:
    """docs/governance.md shows how a post is added; that very text makes one."""
    doc = (Path(__file__).parents[2] / "docs" / "governance.md").read_text(encoding="utf-8")
    turtle = doc.split("```turtle\n", 1)[1].split("```", 1)[0]
    post = tmp_path / "post.ttl"
    post.write_text(turtle, encoding="utf-8")
    loaded = runner.invoke(app, ["load", str(post), "--store-dir", str(store_dir)])
    assert loaded.exit_code == 0, loaded.output
    published = corpus.nl_sbb_thesaurus(tmp_path)
    done = _import(store_dir, published.path, "--propose", "--by", "owner/begrippenbeheer")
    assert done.exit_code == 0, done.output
