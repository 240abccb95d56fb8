"""journeykg's state is private: directories it creates 0700, its state files 0600."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.bootstrap import open_store
from journeykg.graph.audit_context import audit_context
from journeykg.graph.state import TOKENS_FILE
from journeykg.private_files import private_directory, private_file
from journeykg.settings import Settings
from tests.conftest import read_fixture


def embedded(tmp_path: Path) -> Settings:
    """Settings of an embedded store and its state in ``tmp_path`` (whatever the environment)."""
    return Settings(
        backend="embedded",
        neo4j_uri=None,
        state_dir=tmp_path / "state",
        store_dir=tmp_path / "store",
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def open_umask() -> Iterator[None]:
    """The common umask 022, which makes new files 0644 and directories 0755."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_a_new_directory_is_0700_and_an_existing_one_is_left_alone(tmp_path: Path) -> None:
    assert mode(private_directory(tmp_path / "a" / "state")) == 0o700
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o750)
    assert mode(private_directory(shared)) == 0o750


def test_a_new_file_is_0600_and_a_wider_one_is_narrowed(tmp_path: Path) -> None:
    assert mode(private_file(tmp_path / "state" / "new.sqlite")) == 0o600
    assert mode(tmp_path / "state") == 0o700
    old = tmp_path / "old.sqlite"
    old.write_text("kept")
    old.chmod(0o644)
    assert mode(private_file(old)) == 0o600
    assert old.read_text() == "kept"


def test_the_served_state_is_private(tmp_path: Path) -> None:
    # What `journeykg serve` creates: the state directory, the token database, the
    # audit journal (and SQLite's -wal and -shm beside it), the embedded store.
    settings = embedded(tmp_path)
    state_dir = tmp_path / "state"
    TokenStore(state_dir / TOKENS_FILE).create("someone", Role.READER, timedelta(days=1))
    store = open_store(settings)
    try:
        with audit_context(actor="test", role=None, action="test"):
            store.upsert(read_fixture("impact_small.ttl"))
        state = sorted(state_dir.iterdir())
        assert {p.name for p in state} >= {"tokens.sqlite3", "audit.sqlite", "store.json"}
        assert mode(state_dir) == 0o700
        assert {p.name: mode(p) for p in state} == {p.name: 0o600 for p in state}
        assert mode(settings.store_dir) == 0o700
    finally:
        store.close()


def test_an_audit_journal_left_readable_by_an_older_version_is_narrowed(tmp_path: Path) -> None:
    settings = embedded(tmp_path)
    open_store(settings).close()
    journal = next((tmp_path / "state").glob("audit*"))
    journal.chmod(0o644)
    open_store(settings).close()
    assert mode(journal) == 0o600
