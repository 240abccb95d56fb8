"""Tokens as the CLI and ``/tokens`` serve them: one expiry rule, one status clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.services import tokens
from journeykg.services.tokens import TokenError
from tests.hand_clock import HandClock

START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> HandClock:
    return HandClock(START)


@pytest.fixture
def store(tmp_path: Path, clock: HandClock) -> TokenStore:
    return TokenStore(tmp_path / "tokens.sqlite3", clock=clock)


def test_create_list_and_revoke_with_statuses_at_the_databases_clock(
    store: TokenStore, clock: HandClock
) -> None:
    short = tokens.create(store, name="short", role="reader", expires_in="12h", default_days=90)
    clock.now = START + timedelta(minutes=1)
    usual = tokens.create(store, name="usual", role="steward", expires_in=None, default_days=7)
    assert short.info.expires_at - START == timedelta(hours=12)
    assert (usual.info.role, usual.info.expires_at - clock.now) == (Role.STEWARD, timedelta(days=7))
    assert short.token.startswith(f"jkg_{short.info.id}_")

    clock.now = START + timedelta(days=1)
    revoked = tokens.revoke(store, usual.info.id)
    assert (revoked.name, revoked.status, revoked.revoked_at) == ("usual", "revoked", clock.now)
    assert [(t.name, t.status) for t in tokens.listed(store)] == [
        ("short", "expired"),
        ("usual", "revoked"),
    ]


def test_refusals_say_which_rule(store: TokenStore) -> None:
    with pytest.raises(TokenError, match="expiry '0d'"):
        tokens.create(store, name="never", role="reader", expires_in="0d", default_days=90)
    with pytest.raises(TokenError, match="unknown role 'boss'"):
        tokens.create(store, name="x", role="boss", expires_in=None, default_days=90)
    with pytest.raises(TokenError, match="no token has the id 'nope'"):
        tokens.revoke(store, "nope")
