"""``journeykg sync`` and ``journeykg validate --all``, run as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeykg.cli import app
from tests.conftest import BASE, FIXTURES
from tests.sync_placeholders import install, write_recipe

runner = CliRunner()
ROWS = [{"id": "a", "contacts": 10}, {"id": "b", "contacts": 20}]


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    install(monkeypatch)
    directory = tmp_path / "kg"
    loaded = runner.invoke(
        app, ["load", str(FIXTURES / "impact_small.ttl"), "--store-dir", str(directory)]
    )
    assert loaded.exit_code == 0, loaded.output
    return directory


def test_sync_prints_a_summary_and_a_rerun_writes_nothing(store_dir: Path, tmp_path: Path) -> None:
    recipe = write_recipe(tmp_path / "recipes", "crm", ROWS)
    first = runner.invoke(app, ["sync", str(recipe), "--store-dir", str(store_dir)])
    assert first.exit_code == 0, first.output
    assert "sync of crm (full): ok" in first.output
    second = runner.invoke(app, ["sync", str(recipe), "--json", "--store-dir", str(store_dir)])
    assert second.exit_code == 0, second.output
    report = json.loads(second.stdout)
    assert (report["written"], report["unchanged"]) == (0, 2)


def test_refused_records_give_exit_code_1_and_a_quarantine_file(
    store_dir: Path, tmp_path: Path
) -> None:
    recipe = write_recipe(tmp_path / "recipes", "crm", [*ROWS, {"id": "bad", "contacts": -5}])
    quarantine = tmp_path / "q.jsonl"
    args = ["sync", str(recipe), "--quarantine", str(quarantine), "--store-dir", str(store_dir)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "rejected bad from crm.json#bad" in result.output
    assert "MinInclusiveConstraintComponent" in result.output
    (line,) = quarantine.read_text().splitlines()
    assert json.loads(line)["external_id"] == "bad"


def test_dry_run_and_strict_write_nothing(store_dir: Path, tmp_path: Path) -> None:
    recipe = write_recipe(tmp_path / "recipes", "crm", [*ROWS, {"id": "bad", "contacts": -5}])
    for flag in ("--dry-run", "--strict"):
        result = runner.invoke(
            app, ["sync", str(recipe), flag, "--json", "--store-dir", str(store_dir)]
        )
        assert result.exit_code == 1, result.output
        assert json.loads(result.stdout)["run"] is None
    clean = write_recipe(tmp_path / "clean", "crm", ROWS)
    dry = runner.invoke(
        app, ["sync", str(clean), "--dry-run", "--json", "--store-dir", str(store_dir)]
    )
    assert json.loads(dry.stdout)["written"] == 2
    real = runner.invoke(app, ["sync", str(clean), "--json", "--store-dir", str(store_dir)])
    assert json.loads(real.stdout)["written"] == 2  # the dry run wrote nothing


def test_validate_all_checks_the_whole_store(store_dir: Path) -> None:
    result = runner.invoke(app, ["validate", "--all", "--store-dir", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
    neither = runner.invoke(app, ["validate", "--store-dir", str(store_dir)])
    assert neither.exit_code == 2


def test_a_missing_recipe_module_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "journeykg.loaders.recipe", None)
    result = runner.invoke(app, ["sync", str(tmp_path / "x.yaml")])
    assert result.exit_code == 3
    assert "journeykg.loaders.recipe" in result.output
