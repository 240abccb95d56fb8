"""``journeykg sync`` and ``journeykg validate --all``, run as a user runs them.

A real recipe and real Salesforce query pages (tests/sync_salesforce.py), read by the real
source, over a store holding the contact reasons and channels they are counted on.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from journeykg.cli.app import app
from tests.conftest import BASE
from tests.sync_salesforce import (
    CLEAN_IDS,
    FRAMEWORK,
    NAME,
    PAGES,
    REFUSED_ID,
    UNREADABLE_CASE,
    bad_recipe,
    clean_recipe,
    page,
)

runner = CliRunner()


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    directory = tmp_path / "kg"
    loaded = runner.invoke(app, ["load", str(FRAMEWORK), "--store-dir", str(directory)])
    assert loaded.exit_code == 0, loaded.output
    return directory


def test_sync_prints_a_summary_and_a_rerun_writes_nothing(store_dir: Path, tmp_path: Path) -> None:
    recipe = clean_recipe(tmp_path / "recipes")
    first = runner.invoke(app, ["sync", str(recipe), "--store-dir", str(store_dir)])
    assert first.exit_code == 0, first.output
    assert f"sync of {NAME} (full): ok" in first.output
    header, row = (
        line.split()
        for line in first.output.splitlines()
        if line.startswith("┃") or line.startswith("│")
    )
    assert [c for c in header if c != "┃"] == [
        "read",
        "records",
        "written",
        "unchanged",
        "rejected",
        "retired",
        "unmapped",
    ]
    assert [c for c in row if c != "│"] == ["14", "5", "5", "0", "0", "0", "4"]
    assert "unmapped: Reason='Installatie storing' (3x)" in first.output
    assert "unmapped: Origin='Social' (1x)" in first.output
    second = runner.invoke(app, ["sync", str(recipe), "--json", "--store-dir", str(store_dir)])
    assert second.exit_code == 0, second.output
    report = json.loads(second.stdout)
    assert (report["status"], report["written"], report["unchanged"]) == ("ok", 0, 5)
    assert report["bookmark_after"] == "2026-03-13T09:00:00.000Z"


def test_refused_records_give_exit_code_1_and_a_quarantine_file(
    store_dir: Path, tmp_path: Path
) -> None:
    recipe = bad_recipe(tmp_path / "recipes")
    quarantine = tmp_path / "q.jsonl"
    args = ["sync", str(recipe), "--quarantine", str(quarantine), "--store-dir", str(store_dir)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert f"sync of {NAME} (full): rejected" in result.output
    assert f"rejected {REFUSED_ID} from 1 case(s) in cases-page-1.json" in result.output
    assert "jkg:volumeOf" in result.output
    assert "ClassConstraintComponent" in result.output
    assert f"rejected (no key) from cases-page-1.json: {UNREADABLE_CASE} CreatedDate" in (
        result.output
    )
    lines = [json.loads(line) for line in quarantine.read_text().splitlines()]
    by_id = {line["external_id"]: line for line in lines}
    assert set(by_id) == {REFUSED_ID, None}
    assert "reason/storing-melden" in by_id[REFUSED_ID]["triples"]
    assert by_id[None]["triples"] == ""
    assert by_id[None]["problems"][0]["value"] == "gisteren"
    runs = {line["run"] for line in lines}
    assert len(runs) == 1
    assert runs.pop().startswith(f"run/sync-{NAME}-")


def test_dry_run_and_strict_write_nothing(store_dir: Path, tmp_path: Path) -> None:
    recipe = bad_recipe(tmp_path / "bad")
    for flag, status in (("--dry-run", "rejected"), ("--strict", "nothing written")):
        result = runner.invoke(
            app, ["sync", str(recipe), flag, "--json", "--store-dir", str(store_dir)]
        )
        assert result.exit_code == 1, result.output
        report = json.loads(result.stdout)
        assert (report["status"], report["run"], report["rejected"]) == (status, None, 2)
    clean = clean_recipe(tmp_path / "clean")
    dry = runner.invoke(
        app, ["sync", str(clean), "--dry-run", "--json", "--store-dir", str(store_dir)]
    )
    assert dry.exit_code == 0, dry.output
    assert json.loads(dry.stdout)["written"] == 5
    real = runner.invoke(app, ["sync", str(clean), "--json", "--store-dir", str(store_dir)])
    report = json.loads(real.stdout)
    # neither the dry runs nor the strict run wrote anything
    assert (report["written"], report["unchanged"], report["records"]) == (5, 0, len(CLEAN_IDS))


def test_a_dry_run_lists_what_it_would_retire_in_text_and_json(
    store_dir: Path, tmp_path: Path
) -> None:
    clean = clean_recipe(tmp_path / "clean")
    first = runner.invoke(app, ["sync", str(clean), "--store-dir", str(store_dir)])
    assert first.exit_code == 0, first.output
    # The next export holds only the number-porting cases: 3 of the 5 aggregates vanish.
    shrunk = clean_recipe(tmp_path / "shrunk")
    for old in (tmp_path / "shrunk").glob("cases-page-*.json"):
        old.unlink()
    cases = [c for p in PAGES for c in json.loads(p.read_text(encoding="utf-8"))["records"]]
    kept = [c for c in cases if c["Reason"] == "Nummerbehoud"]
    (tmp_path / "shrunk" / "cases-page-1.json").write_text(json.dumps(page(kept)))
    vanished = sorted(
        f"volume/{NAME}/" + quote(i, safe="") for i in CLEAN_IDS if "nummer-meenemen" not in i
    )
    for force in ([], ["--force"]):
        command = ["sync", str(shrunk), "--dry-run", *force, "--store-dir", str(store_dir)]
        text = runner.invoke(app, command)
        as_json = runner.invoke(app, [*command, "--json"])
        report = json.loads(as_json.stdout)
        assert report["retire_candidates"] == 3
        assert report["retire_candidate_ids"] == vanished
        if force:
            assert (text.exit_code, report["status"], report["retired_ids"]) == (0, "ok", vanished)
            assert f"would retire (3): {', '.join(vanished)}" in text.stdout
        else:
            assert (text.exit_code, report["status"], report["retired_ids"]) == (
                2,
                "retirement refused",
                [],
            )
            assert f"the candidates (3): {', '.join(vanished)}" in text.stdout


def test_validate_all_checks_the_whole_store(store_dir: Path, tmp_path: Path) -> None:
    synced = runner.invoke(
        app, ["sync", str(clean_recipe(tmp_path / "recipes")), "--store-dir", str(store_dir)]
    )
    assert synced.exit_code == 0, synced.output
    result = runner.invoke(app, ["validate", "--all", "--store-dir", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "conforms" in result.output
    neither = runner.invoke(app, ["validate", "--store-dir", str(store_dir)])
    assert neither.exit_code == 2


def test_a_recipe_that_cannot_be_used_is_a_clear_error(store_dir: Path, tmp_path: Path) -> None:
    recipe = clean_recipe(tmp_path / "recipes")
    text = recipe.read_text().replace("  channels:", "  chanels:")
    recipe.write_text(text)
    line = text.splitlines().index("  chanels:") + 1
    result = runner.invoke(app, ["sync", str(recipe), "--store-dir", str(store_dir)])
    assert result.exit_code == 3, result.output
    assert result.output.startswith(f"error: recipe {recipe} is not valid")  # no raw markup
    assert f"{recipe}:{line}, property crm.chanels: unknown key" in result.output
    missing = runner.invoke(
        app, ["sync", str(tmp_path / "nope.yaml"), "--store-dir", str(store_dir)]
    )
    assert missing.exit_code == 3
    assert "cannot read recipe" in missing.output


def test_a_broken_export_writes_nothing_and_exits_3(store_dir: Path, tmp_path: Path) -> None:
    recipe = clean_recipe(tmp_path / "recipes")
    (recipe.parent / "cases-page-2.json").unlink()  # a page of the chain is lost
    result = runner.invoke(app, ["sync", str(recipe), "--store-dir", str(store_dir)])
    assert result.exit_code == 3, result.output
    assert "not one complete answer" in result.output
    after = runner.invoke(
        app,
        ["sync", str(clean_recipe(tmp_path / "whole")), "--json", "--store-dir", str(store_dir)],
    )
    assert json.loads(after.stdout)["written"] == 5  # the broken run wrote nothing


def test_warnings_are_printed_beside_an_ok_sync(store_dir: Path, tmp_path: Path) -> None:
    from tests.loaders.bpmn_corpus import corpus

    (case,) = [c for c in corpus() if c.name == "C.2.0/camunda"]
    recipe = case.write(tmp_path / "bpmn")
    synced = runner.invoke(app, ["sync", str(recipe), "--store-dir", str(store_dir)])
    assert synced.exit_code == 0, synced.output
    assert "ok" in synced.stdout.splitlines()[0]
    assert "warning from C.2.0.bpmn: " in synced.stderr, synced.stderr
    assert (
        "calls credit:Process_Credit, which is neither in the recipe's models nor a "
        "process in the store (namespace http://example.com/models/credit, imported from "
        "credit.bpmn, is not among the recipe's models)" in synced.stderr
    ), synced.stderr
