"""The token database when it cannot be written: reads go on, changes are a clear 503 error.

The fault is injected at SQLite itself: an authorizer that refuses every
change, as a read-only file or a full disk would (tests/api/test_storage_faults.py
has the real read-only state directory, for root).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore, TokenStoreUnavailableError
from journeykg.file_faults import FileFault

_CHANGES = frozenset({sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE})


def _no_changes(action: int, *args: Any) -> int:
    return sqlite3.SQLITE_DENY if action in _CHANGES else sqlite3.SQLITE_OK


class UnwritableTokens(TokenStore):
    """The token database with every change refused by SQLite (while ``refusing``)."""

    refusing = False

    @contextmanager
    def _connected(self) -> Iterator[sqlite3.Connection]:
        with super()._connected() as db:
            if self.refusing:
                db.set_authorizer(_no_changes)
            yield db


@pytest.fixture
def tokens(tmp_path: Path) -> UnwritableTokens:
    return UnwritableTokens(tmp_path / "state" / "tokens.sqlite3")


def test_a_token_still_lets_its_holder_in_when_last_used_cannot_be_recorded(
    tokens: UnwritableTokens,
) -> None:
    issued = tokens.create("reader", Role.READER, timedelta(days=1))
    tokens.refusing = True
    principal = tokens.authenticate(issued.token)  # its first use: last_used is due
    assert (principal.name, principal.role) == ("reader", Role.READER)
    tokens.refusing = False
    assert tokens.tokens()[0].last_used is None
    tokens.authenticate(issued.token)
    assert tokens.tokens()[0].last_used is not None


def test_changing_tokens_when_the_database_cannot_be_written_is_a_clear_error(
    tokens: UnwritableTokens,
) -> None:
    issued = tokens.create("reader", Role.READER, timedelta(days=1))
    tokens.refusing = True
    with pytest.raises(TokenStoreUnavailableError) as created:
        tokens.create("other", Role.READER, timedelta(days=1))
    with pytest.raises(TokenStoreUnavailableError) as revoked:
        tokens.revoke(issued.info.id)
    for failed in (created, revoked):
        assert failed.value.fault is FileFault.READ_ONLY
        assert str(failed.value).startswith("the token database cannot be written: ")
    tokens.refusing = False
    tokens.revoke(issued.info.id)


def test_the_command_line_says_so_and_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from journeykg.cli.app import app

    tokens = UnwritableTokens(tmp_path / "state" / "tokens.sqlite3")
    tokens.create("reader", Role.READER, timedelta(days=1))
    tokens.refusing = True
    monkeypatch.setattr("journeykg.bootstrap.token_store", lambda settings: tokens)
    result = CliRunner().invoke(
        app,
        ["token", "create", "--role", "reader", "--name", "x", "--reason", "r"],
        env={"COLUMNS": "300"},
    )
    assert result.exit_code == 3, result.output
    assert "the token database cannot be written" in result.output
