"""The CLI's writes are in the audit trail: the OS user, the command, old and new values."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeykg.cli.app import app
from journeykg.graph.audit_context import os_user
from journeykg.graph.audit_journal import FILE_NAME, AuditEntry, AuditJournal
from tests.cli.test_governance import APPROVE, PROPOSE
from tests.conftest import BASE, FIXTURES
from tests.services.governance.conftest import BOARD
from tests.sync_salesforce import FRAMEWORK, NAME, clean_recipe

runner = CliRunner()


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    return tmp_path / "kg"


def trail(state_dir: Path) -> list[AuditEntry]:
    journal = AuditJournal(state_dir / FILE_NAME)
    try:
        return journal.entries()[0]
    finally:
        journal.close()


def test_load_sync_and_governance_commands_are_attributed(
    store_dir: Path, tmp_path: Path, state_dir: Path
) -> None:
    for fixture in (FIXTURES / "impact_small.ttl", BOARD, FRAMEWORK):
        loaded = runner.invoke(app, ["load", str(fixture), "--store-dir", str(store_dir)])
        assert loaded.exit_code == 0, loaded.output
    recipe = clean_recipe(tmp_path / "recipes")
    synced = runner.invoke(app, ["sync", str(recipe), "--store-dir", str(store_dir)])
    assert synced.exit_code == 0, synced.output
    proposed = runner.invoke(app, ["governance", *PROPOSE, "--store-dir", str(store_dir)])
    assert proposed.exit_code == 0, proposed.output
    approved = runner.invoke(
        app, ["governance", *APPROVE, "--role", "steward", "--store-dir", str(store_dir)]
    )
    assert approved.exit_code == 0, approved.output

    entries = list(reversed(trail(state_dir)))
    actions = [e.action for e in entries]
    assert actions[:3] == ["cli:load"] * 3
    assert set(actions[3:-2]) == {f"cli:sync:{NAME}"}
    assert actions[-2:] == ["cli:governance propose", "cli:governance approve"]
    assert {e.actor for e in entries} == {os_user()}
    approval = entries[-1]
    assert "proposed" in approval.removed.lower()
    assert "approved" in approval.added.lower()


def test_a_refused_cli_step_leaves_no_entry(store_dir: Path, state_dir: Path) -> None:
    for fixture in (FIXTURES / "impact_small.ttl", BOARD):
        runner.invoke(app, ["load", str(fixture), "--store-dir", str(store_dir)])
    refused = runner.invoke(app, ["governance", *APPROVE, "--store-dir", str(store_dir)])
    assert refused.exit_code != 0
    assert [e.action for e in trail(state_dir)] == ["cli:load", "cli:load"]
