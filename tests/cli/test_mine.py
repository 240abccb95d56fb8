"""``journeykg mine``: progress on standard error, results on standard output, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeykg.cli.app import app
from journeykg.resources import DEMO_DATASET
from tests.conftest import BASE

runner = CliRunner()
RECIPE = DEMO_DATASET.parent / "mining" / "storing-melden.yaml"


@pytest.fixture
def where(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_MINING_KEY", "cli-test")
    args = ["--store-dir", str(tmp_path / "store")]
    assert runner.invoke(app, ["load", str(DEMO_DATASET), *args]).exit_code == 0
    return args


def test_mine_reports_progress_on_stderr_and_results_on_stdout(where: list[str]) -> None:
    result = runner.invoke(app, ["mine", str(RECIPE), *where])
    assert result.exit_code == 0, result.output
    assert "read 1,766 events" in result.stderr
    assert "writing 11 measurements" in result.stderr
    assert "wrote 11 measurements" in result.stdout
    assert "Drop-off per step" in result.stdout
    assert "read " not in result.stdout


def test_mine_json_is_the_outcome_and_a_dry_run_writes_nothing(where: list[str]) -> None:
    result = runner.invoke(app, ["mine", str(RECIPE), "--dry-run", "--json", *where])
    assert result.exit_code == 0, result.output
    told = json.loads(result.stdout)
    assert (told["dryRun"], told["measurements"], told["events"]) == (True, 0, 1766)
    january = told["periods"][0]
    assert january["period"] == "2026-01"
    assert [d["step"] for d in january["dropOff"]] == [
        f"step/storing-melden-{i}" for i in range(1, 6)
    ]
    assert {d["kind"] for d in january["deviations"]} >= {"skipped", "loops", "channel_switch"}
    assert all(v["cases"] >= 1 for v in january["variants"])
    exported = Path(where[1]).parent / "graph.nt"
    assert runner.invoke(app, ["export", str(exported), *where]).exit_code == 0
    assert "MiningMeasurement" not in exported.read_text(encoding="utf-8")


def test_mine_without_a_key_exits_1_and_says_which_setting(
    where: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JOURNEYKG_MINING_KEY")
    result = runner.invoke(app, ["mine", str(RECIPE), *where])
    assert result.exit_code == 1
    assert "JOURNEYKG_MINING_KEY" in result.stderr
