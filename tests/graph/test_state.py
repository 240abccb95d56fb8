"""The audit trail and the tokens live with the store they describe, whatever the working directory.

Each test runs the real command line from different working directories and
reads the trail back, on the embedded store and on Neo4j.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeykg.cli.app import app
from journeykg.graph import state
from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.state import (
    LEGACY_DIR,
    OWNER_FILE,
    StateOwnerError,
    StoreIdentity,
    carry_neo4j_identity,
    claim,
    embedded_identity,
    locate,
    neo4j_identity,
)
from journeykg.settings import Settings
from tests.conftest import BASE, FIXTURES, state_beside

runner = CliRunner()
SMALL = str(FIXTURES / "impact_small.ttl")


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")


@pytest.fixture
def neo4j(neo4j_settings: Settings, neo4j_store: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI on the test Neo4j server (emptied first)."""
    assert neo4j_settings.neo4j_uri is not None
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "neo4j")
    monkeypatch.setenv("JOURNEYKG_NEO4J_URI", neo4j_settings.neo4j_uri)


def cli(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def actions(*args: str) -> list[str]:
    """The trail as ``journeykg audit --json`` reads it, oldest first."""
    answer = json.loads(cli("audit", "--json", *args))
    return [e["action"] for e in reversed(answer["entries"])]


def test_embedded_state_is_beside_the_store_whatever_the_working_directory(
    embedded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_dir = tmp_path / "data" / "kg"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    cli("load", SMALL, "--store-dir", str(store_dir))
    monkeypatch.chdir(tmp_path / "b")
    token = cli(
        "token",
        "create",
        "--role",
        "reader",
        "--name",
        "r",
        "--reason",
        "x",
        "--store-dir",
        str(store_dir),
    )
    monkeypatch.chdir(tmp_path / "data")  # a relative --store-dir names the same store
    assert actions("--store-dir", "kg") == ["cli:load", "cli:token create"]
    assert sorted(p.name for p in state_beside(store_dir).iterdir()) >= [
        "audit.sqlite",
        OWNER_FILE,
        "tokens.sqlite3",
    ]
    assert token.startswith("jkg_")
    # Nothing was left in the working directories.
    assert list((tmp_path / "a").iterdir()) == list((tmp_path / "b").iterdir()) == []


def test_the_default_store_keeps_its_state_where_it_always_was(
    embedded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JOURNEYKG_STORE_DIR", raising=False)
    cli("load", SMALL)
    assert (tmp_path / ".journeykg").is_dir()
    assert (tmp_path / LEGACY_DIR / "audit.sqlite").is_file()
    owner = json.loads((tmp_path / LEGACY_DIR / OWNER_FILE).read_text())
    assert owner["key"] == str((tmp_path / ".journeykg").resolve())


def test_two_stores_never_share_a_trail(
    embedded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("one", "two", "three"):
        cli("load", SMALL, "--store-dir", name)
    for name in ("one", "two", "three"):
        assert actions("--store-dir", name) == ["cli:load"]


def test_a_named_state_directory_belongs_to_the_first_store_that_uses_it(
    embedded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "shared-state"
    monkeypatch.setenv("JOURNEYKG_STATE_DIR", str(state))
    cli("load", SMALL, "--store-dir", str(tmp_path / "one"))
    trail_before = (state / "audit.sqlite").read_bytes()
    refused = runner.invoke(app, ["load", SMALL, "--store-dir", str(tmp_path / "two")])
    assert refused.exit_code == 3
    assert f"{state} (JOURNEYKG_STATE_DIR) holds the audit trail and tokens of" in refused.stderr
    assert str(tmp_path / "one") in refused.stderr
    assert "one directory never serves two stores" in refused.stderr
    # Refused before the store was written: the second store is empty, the trail unchanged.
    monkeypatch.delenv("JOURNEYKG_STATE_DIR")
    exported = tmp_path / "two.nt"
    cli("export", str(exported), "--store-dir", str(tmp_path / "two"))
    assert exported.read_text() == ""
    assert (state / "audit.sqlite").read_bytes() == trail_before
    assert not state_beside(tmp_path / "one").exists()


def test_a_state_directory_from_before_is_named_and_left_alone(
    embedded: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    legacy = tmp_path / LEGACY_DIR
    legacy.mkdir()
    AuditJournal(legacy / "audit.sqlite").close()
    loaded = runner.invoke(app, ["load", SMALL, "--store-dir", "elsewhere/kg"])
    assert loaded.exit_code == 0, loaded.output
    assert f"JOURNEYKG_STATE_DIR={legacy.resolve()}" in loaded.stderr
    assert "from before they moved to the store" in loaded.stderr
    assert sorted(p.name for p in legacy.iterdir()) == ["audit.sqlite"]  # not moved, not claimed
    # Taking the advice binds it to this store; the note goes.
    monkeypatch.setenv("JOURNEYKG_STATE_DIR", str(legacy.resolve()))
    again = runner.invoke(app, ["load", SMALL, "--store-dir", "elsewhere/kg"])
    assert again.exit_code == 0, again.output
    assert "from before" not in again.stderr
    assert (legacy / OWNER_FILE).exists()


def test_a_journal_written_before_the_reason_columns_is_brought_up_to_date(tmp_path: Path) -> None:
    path = tmp_path / "audit.sqlite"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE audit_entry (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,"
        " at TEXT NOT NULL, actor TEXT NOT NULL, role TEXT, action TEXT NOT NULL, request_id TEXT,"
        " backend TEXT NOT NULL, removed_count INTEGER NOT NULL, added_count INTEGER NOT NULL,"
        " removed TEXT NOT NULL, added TEXT NOT NULL);"
        "INSERT INTO audit_entry (id, at, actor, action, backend, removed_count, added_count,"
        " removed, added) VALUES ('e1', '2026-01-01T00:00:00.000000+00:00', 'old', 'cli:load',"
        " 'embedded', 0, 0, '', '');"
    )
    old.commit()
    old.close()
    journal = AuditJournal(path)
    try:
        [entry] = journal.entries()[0]
    finally:
        journal.close()
    assert (entry.actor, entry.by, entry.reason, entry.note) == ("old", None, None, None)


def test_the_owner_file_follows_a_store_found_from_its_place(tmp_path: Path) -> None:
    """A state directory found beside its store is that store's, even after both moved."""
    identity = embedded_identity(tmp_path / "kg")
    state = claim(locate(identity))
    assert state.path == (tmp_path / "kg-state").resolve()
    moved = tmp_path / "moved"
    moved.mkdir()
    os.rename(tmp_path / "kg-state", moved / "kg-state")
    again = claim(locate(embedded_identity(moved / "kg")))
    assert json.loads((again.path / OWNER_FILE).read_text())["key"] == str((moved / "kg").resolve())
    with pytest.raises(StateOwnerError, match="holds the audit trail and tokens of"):
        claim(locate(embedded_identity(tmp_path / "other"), explicit=again.path))


@pytest.mark.neo4j
def test_neo4j_state_is_keyed_by_the_database_whatever_the_working_directory(
    neo4j: None,
    neo4j_settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    state_home: Path,
) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.chdir(tmp_path / "a")
    cli("load", SMALL)
    monkeypatch.chdir(tmp_path / "b")
    cli("token", "create", "--role", "reader", "--name", "n", "--reason", "x")
    assert actions() == ["cli:load", "cli:token create"]
    [state] = (state_home / "journeykg" / "neo4j").iterdir()
    from neo4j import GraphDatabase

    with GraphDatabase.driver(neo4j_settings.neo4j_uri or "") as driver:
        [record] = driver.execute_query("CALL db.info() YIELD id, name RETURN id, name").records
    assert state.name == f"{record['name']}-{str(record['id']).lower()}"
    owner = json.loads((state / OWNER_FILE).read_text())
    assert owner["backend"] == "neo4j"
    assert owner["where"] == f"the {record['name']} database at {neo4j_settings.neo4j_uri}"
    assert list((tmp_path / "a").iterdir()) == list((tmp_path / "b").iterdir()) == []


@pytest.mark.neo4j
def test_asking_neo4j_which_database_it_is_warns_of_nothing(
    neo4j_store: Neo4jStore, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database no offline import wrote has no :JourneykgIdentity node: the question
    that looks for one is no reason for the driver to log a warning on every command."""
    # A label no server has seen (Neo4j keeps a label's name once any node had it).
    fresh = f"JourneykgIdentity{uuid.uuid4().hex}"
    with monkeypatch.context() as patched, caplog.at_level(logging.INFO):
        patched.setattr(state, "_IDENTITY_LABEL", fresh)
        first = neo4j_identity(neo4j_store)
    assert [r.getMessage() for r in caplog.records if r.name.startswith("neo4j")] == []
    # And what an offline import carries over is the identity from then on.
    carry_neo4j_identity(neo4j_store, StoreIdentity("neo4j", "neo4j-carried", first.where))
    try:
        assert neo4j_identity(neo4j_store).key == "neo4j-carried"
    finally:
        neo4j_store.driver.execute_query("MATCH (n:JourneykgIdentity) DELETE n")
    assert neo4j_identity(neo4j_store) == first
