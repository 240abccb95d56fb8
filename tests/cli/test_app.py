"""The command line, run as a user would run it (in-process, through typer's runner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from journeykg.api.app import create_app
from journeykg.api.queries import query
from journeykg.cli.app import app
from journeykg.graph.embedded import EmbeddedStore
from journeykg.settings import Settings
from tests.conftest import BASE, FIXTURES

runner = CliRunner()


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    return tmp_path / "kg"


@pytest.mark.parametrize(
    "command", ["load", "export", "restore", "validate", "impact", "priorities", "serve", "demo"]
)
def test_every_command_has_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def _load_small(store_dir: Path) -> None:
    loaded = runner.invoke(
        app, ["load", str(FIXTURES / "impact_small.ttl"), "--store-dir", str(store_dir)]
    )
    assert loaded.exit_code == 0, loaded.output


def test_impact_json_is_exactly_the_graphql_answer(store_dir: Path) -> None:
    _load_small(store_dir)
    result = runner.invoke(app, ["impact", "process/x", "--json", "--store-dir", str(store_dir)])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    with EmbeddedStore(store_dir, BASE) as store:
        # Anonymous read, as `journeykg demo` serves: the CLI reads as any reader would.
        settings = Settings(state_dir=store_dir.parent / "state", anonymous_read=True)
        response = TestClient(create_app(store, settings=settings)).post(
            "/graphql", json={"query": query("impact"), "variables": {"of": "process/x"}}
        )
    assert answer == response.json()["data"]["impact"]
    assert answer["elements"]["totalCount"] == 15


def test_impact_upstream_and_tables(store_dir: Path) -> None:
    _load_small(store_dir)
    result = runner.invoke(
        app, ["impact", "journey/j", "--upstream", "--store-dir", str(store_dir)]
    )
    assert result.exit_code == 0, result.output
    assert "What Verhuizen (journey/j) needs" in result.output
    assert "system/crm" in result.output


def test_impact_of_unknown_id_fails_clearly(store_dir: Path) -> None:
    _load_small(store_dir)
    result = runner.invoke(app, ["impact", "process/nope", "--store-dir", str(store_dir)])
    assert result.exit_code == 2
    assert "unknown element 'process/nope'" in result.output


@pytest.mark.parametrize(
    "command", [["impact", "process/x"], ["audit"], ["coverage"], ["governance", "history", "x"]]
)
def test_a_read_where_no_store_is_says_so_and_creates_none(
    store_dir: Path, command: list[str]
) -> None:
    # A mistyped --store-dir once answered "0 of 0 entries" from a new empty
    # store, and left that store behind (even inside another store's files).
    _load_small(store_dir)
    typo = store_dir / "stroe"
    result = runner.invoke(app, [*command, "--store-dir", str(typo)])
    assert result.exit_code == 3, result.output
    assert f"no journeykg store at {typo}" in result.output
    assert not typo.exists()
    assert not typo.with_name("stroe-state").exists()


def test_load_of_a_bad_file_exits_non_zero_and_names_the_problem(store_dir: Path) -> None:
    result = runner.invoke(
        app, ["load", str(FIXTURES / "journey_without_owner.ttl"), "--store-dir", str(store_dir)]
    )
    assert result.exit_code == 1
    assert "journey/zonder-eigenaar" in result.output
    assert "jkg:ownedBy" in result.output
    assert "nothing was written" in result.output


def test_validate_reports_conformance(store_dir: Path) -> None:
    ok = runner.invoke(app, ["validate", str(FIXTURES / "impact_small.ttl")])
    assert ok.exit_code == 0, ok.output
    assert "conforms" in ok.output
    bad = runner.invoke(app, ["validate", str(FIXTURES / "journey_without_owner.ttl")])
    assert bad.exit_code == 1


def test_priorities_json(store_dir: Path) -> None:
    _load_small(store_dir)
    result = runner.invoke(app, ["priorities", "--json", "--store-dir", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["journey"]["id"] == "journey/j"


def test_demo_loads_and_answers_without_serving(store_dir: Path) -> None:
    result = runner.invoke(app, ["demo", "--no-serve", "--store-dir", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "loaded the demo organisation" in result.output
    assert "Journey (" in result.output
    assert "At stake:" in result.output


def test_an_export_loads_back_into_an_identical_store(store_dir: Path, tmp_path: Path) -> None:
    _load_small(store_dir)
    backup = tmp_path / "backup.nt"
    exported = runner.invoke(app, ["export", str(backup), "--store-dir", str(store_dir)])
    assert exported.exit_code == 0, exported.output
    restored_dir = tmp_path / "restored"
    restored = runner.invoke(app, ["restore", str(backup), "--store-dir", str(restored_dir)])
    assert restored.exit_code == 0, restored.output
    twice = runner.invoke(app, ["restore", str(backup), "--store-dir", str(restored_dir)])
    assert twice.exit_code == 2
    assert "not empty" in twice.output
    original, copy = EmbeddedStore(store_dir, BASE), EmbeddedStore(restored_dir, BASE)
    try:
        assert len(original.export()) > 0
        assert set(original.export()) == set(copy.export())
    finally:
        original.close()
        copy.close()
    again = runner.invoke(app, ["export", str(backup), "--store-dir", str(store_dir)])
    assert again.exit_code == 2
    assert "never overwrites" in again.output


def test_a_broken_export_is_refused_naming_its_line_and_nothing_is_restored(
    store_dir: Path, tmp_path: Path
) -> None:
    _load_small(store_dir)
    backup = tmp_path / "backup.nt"
    assert runner.invoke(app, ["export", str(backup), "--store-dir", str(store_dir)]).exit_code == 0
    lines = backup.read_text().splitlines()
    lines[2] = lines[2].removesuffix(" .")  # a line cut short, as a truncated copy ends
    broken = tmp_path / "broken.nt"
    broken.write_text("\n".join(lines) + "\n")
    restored_dir = tmp_path / "restored"
    result = runner.invoke(app, ["restore", str(broken), "--store-dir", str(restored_dir)])
    assert result.exit_code == 1, result.output
    # Oxigraph notices the missing dot where the next line starts.
    assert "broken.nt:4: Parser error at line 4 column 1" in result.output
    copy = EmbeddedStore(restored_dir, BASE)
    try:
        assert len(copy.export()) == 0
    finally:
        copy.close()
