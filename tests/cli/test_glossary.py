"""``journeykg glossary import`` and ``journeykg coverage``, run as a user would run them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeykg.cli.app import app
from journeykg.graph.embedded import EmbeddedStore
from tests.conftest import BASE

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
    assert "governance" in result.stderr


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
