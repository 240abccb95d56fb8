"""``journeykg insights``: the services on the command line, refusals with record, field,
rule and exit code, every write in the audit trail as the command's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeykg.cli.app import app
from journeykg.graph.audit_journal import FILE_NAME, AuditJournal
from tests.conftest import BASE, state_beside
from tests.services.insights.exports import write_tickets
from tests.services.insights.organisation import CONTEXT

runner = CliRunner()
INSIGHT = "insight/complaint-spike-test-context-reason-test-context-channel-phone"


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    store = tmp_path / "kg"
    monkeypatch.setenv("JOURNEYKG_STORE_DIR", str(store))
    loaded = runner.invoke(app, ["load", str(CONTEXT)])
    assert loaded.exit_code == 0, loaded.output
    return store


def test_add_list_and_move_an_insight(store_dir: Path) -> None:
    added = runner.invoke(
        app,
        [
            "insights",
            "add",
            "Storingen duren te lang",
            "--owner",
            "test/context/owner",
            "--concerns",
            "test/context/journey",
            "--lang",
            "nl",
            "--json",
        ],
    )
    assert added.exit_code == 0, added.output
    ident = json.loads(added.output)["id"]
    assert ident == "insight/storingen-duren-te-lang"
    listed = runner.invoke(app, ["insights", "list", "--concerning", "test/context/journey"])
    assert "insight/storingen-duren-te-lang  [new]  test/context/owner" in listed.output
    wrong = runner.invoke(app, ["insights", "status", ident, "closed"])
    assert wrong.exit_code == 1
    assert "refused (TRANSITION): insight/storingen-duren-te-lang: jkg:insightStatus:" in (
        wrong.output
    )
    moved = runner.invoke(app, ["insights", "status", ident, "validated", "--reason", "gezien"])
    assert moved.exit_code == 0, moved.output
    journal = AuditJournal(state_beside(store_dir) / FILE_NAME)
    try:
        entries, _ = journal.entries(limit=10)
    finally:
        journal.close()
    assert ("cli:insights status", "gezien") in {(e.action, e.reason) for e in entries}


def test_refusals_name_record_field_and_rule(store_dir: Path) -> None:
    unknown = runner.invoke(
        app,
        ["insights", "add", "x", "--owner", "test/context/owner", "--concerns", "journey/nergens"],
    )
    assert unknown.exit_code == 1
    assert "refused (UNKNOWN_ELEMENT): insight/x: jkg:concerns:" in unknown.output
    assert "[rule: jkgsh:Insight-concerns]" in unknown.output
    missing = runner.invoke(app, ["insights", "measure", "initiative/nergens"])
    assert missing.exit_code == 2
    assert "refused (NOT_FOUND)" in missing.output


def test_signals_after_a_sync_and_on_demand(store_dir: Path, tmp_path: Path) -> None:
    recipe = write_tickets(tmp_path / "tickets")
    text = recipe.read_text().replace("reason/nummer-meenemen", "test/context/reason")
    recipe.write_text(text.replace("channel/telefoon", "test/context/channel-phone"))
    synced = runner.invoke(app, ["sync", str(recipe)])
    assert synced.exit_code == 0, synced.output
    assert f"signal: drafted {INSIGHT}" in synced.output
    again = runner.invoke(app, ["insights", "signals", "--json"])
    assert again.exit_code == 0, again.output
    report = json.loads(again.output)
    assert report["drafted"] == []
    assert report["unchanged"] == ["complaint-spike|test/context/reason|test/context/channel-phone"]
