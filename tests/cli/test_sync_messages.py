"""What ``journeykg sync`` says when the input or the recipe is wrong, and ``journeykg
sync-keys``: run as a user runs them, on exports of the CRM corpus (tests/loaders/crm_corpus.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeykg.cli.app import app
from tests.conftest import BASE
from tests.loaders import crm_corpus as corpus
from tests.loaders.test_crm_corpus import SALESFORCE, TICKETS, line_of
from tests.snapshot import Snapshot, snapshot
from tests.sync_salesforce import FRAMEWORK

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


def stored(store_dir: Path) -> Snapshot:
    """The store's graph and audit journal, as the CLI opens them."""
    from journeykg.cli.common import reading_store

    with reading_store(store_dir) as store:
        return snapshot(store)


def recipe_in(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "recipe.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_json_reports_a_refused_recipe_field_and_nothing_is_written(
    store_dir: Path, tmp_path: Path
) -> None:
    export = tmp_path / "export"
    export.mkdir()
    corpus.salesforce_rest(export, corpus.CASES)
    text = SALESFORCE.replace("field: IsEscalated", "field: IsEscalatd")
    recipe = recipe_in(export, text)
    before = stored(store_dir)
    result = runner.invoke(app, ["sync", str(recipe), "--json", "--store-dir", str(store_dir)])
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert (report["source"], report["status"]) == ("corpus-salesforce", "failed")
    assert report["error"].endswith("does not have; nothing was read or written")
    (problem,) = report["problems"]
    assert (problem["file"], problem["line"], problem["property"], problem["value"]) == (
        str(recipe),
        line_of(text, "IsEscalatd"),
        "crm.escalation.field",
        "IsEscalatd",
    )
    assert stored(store_dir) == before


def test_json_reports_a_recipe_that_cannot_be_read(store_dir: Path, tmp_path: Path) -> None:
    recipe = recipe_in(tmp_path, SALESFORCE.replace("  channel_field:", "  chanel_field:"))
    result = runner.invoke(app, ["sync", str(recipe), "--json", "--store-dir", str(store_dir)])
    assert result.exit_code == 3
    report = json.loads(result.stdout)
    assert (report["source"], report["status"]) == (None, "failed")
    assert [p["property"] for p in report["problems"]] == ["crm.chanel_field"]


def test_a_latin1_export_points_at_encoding_and_is_read_with_it(
    store_dir: Path, tmp_path: Path
) -> None:
    corpus.ticket_csv(tmp_path / "tickets.csv", corpus.CASES, encoding="latin-1")
    recipe = recipe_in(tmp_path, TICKETS)
    refused = runner.invoke(app, ["sync", str(recipe), "--store-dir", str(store_dir)])
    assert refused.exit_code == 3
    assert "tickets.csv:2: byte 0xd6 on line 2 is not utf-8-sig text" in refused.output
    assert "--encoding latin-1" in refused.output
    read = runner.invoke(
        app, ["sync", str(recipe), "--encoding", "latin-1", "--store-dir", str(store_dir)]
    )
    assert read.exit_code == 0, read.output
    assert "sync of corpus-tickets (full): ok" in read.output


def test_an_unknown_encoding_is_refused_by_name(store_dir: Path, tmp_path: Path) -> None:
    corpus.ticket_csv(tmp_path / "tickets.csv", corpus.CASES)
    recipe = recipe_in(tmp_path, TICKETS)
    result = runner.invoke(
        app, ["sync", str(recipe), "--encoding", "latin-9x", "--store-dir", str(store_dir)]
    )
    assert result.exit_code == 3
    assert "--encoding 'latin-9x' is not an encoding Python knows" in result.output


def test_a_repeated_record_is_noted_under_the_summary(store_dir: Path, tmp_path: Path) -> None:
    records = [corpus.salesforce_record(c) for c in corpus.CASES]
    corpus.salesforce_rest(tmp_path, corpus.CASES, records=[*records, records[0]], total=6)
    recipe = recipe_in(tmp_path, SALESFORCE)
    result = runner.invoke(app, ["sync", str(recipe), "--store-dir", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert (
        "note: cases-page-1.json: the pages hold 7 records for totalSize 6: 1 record(s) "
        "appear on more than one page; no record is missing, each counts once"
    ) in result.output
    assert f"version: {corpus.CASES[0].salesforce_id} (2x)" in result.output


def test_sync_keys_lists_the_reasons_and_channels(store_dir: Path) -> None:
    shown = runner.invoke(app, ["sync-keys", "--store-dir", str(store_dir)])
    assert shown.exit_code == 0, shown.output
    assert "crm.reasons: 2 key(s)" in shown.output
    assert "reason/rekening-begrijpen" in shown.output
    assert "Mijn Polder (website)" in shown.output
    as_json = runner.invoke(app, ["sync-keys", "--json", "--store-dir", str(store_dir)])
    assert json.loads(as_json.stdout)["channels"][0] == {"key": "channel/chat", "label": "Chat"}
