"""Tokens as the CLI and ``/tokens`` serve them: one expiry rule, one status clock, audited."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NoReturn

import pytest

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.graph.audit_context import audit_context
from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.errors import StorageFaultError
from journeykg.ids import Identifiers
from journeykg.services import tokens
from journeykg.services.tokens import TokenAdmin, TokenError
from tests.conftest import BASE
from tests.hand_clock import HandClock

START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> HandClock:
    return HandClock(START)


@pytest.fixture
def admin(tmp_path: Path, clock: HandClock) -> Iterator[TokenAdmin]:
    journal = AuditJournal(tmp_path / "audit.sqlite")
    yield TokenAdmin(
        TokenStore(tmp_path / "tokens.sqlite3", clock=clock), journal, Identifiers(BASE), "embedded"
    )
    journal.close()


def test_create_list_and_revoke_with_statuses_at_the_databases_clock(
    admin: TokenAdmin, clock: HandClock
) -> None:
    short = tokens.create(
        admin, name="short", role="reader", expires_in="12h", default_days=90, reason="a test"
    )
    clock.now = START + timedelta(minutes=1)
    usual = tokens.create(
        admin, name="usual", role="steward", expires_in=None, default_days=7, reason="a test"
    )
    assert short.info.expires_at - START == timedelta(hours=12)
    assert (usual.info.role, usual.info.expires_at - clock.now) == (Role.STEWARD, timedelta(days=7))
    assert short.token.startswith(f"jkg_{short.info.id}_")

    clock.now = START + timedelta(days=1)
    revoked = tokens.revoke(admin, usual.info.id, reason="a test")
    assert (revoked.name, revoked.status, revoked.revoked_at) == ("usual", "revoked", clock.now)
    assert [(t.name, t.status) for t in tokens.listed(admin.tokens)] == [
        ("short", "expired"),
        ("usual", "revoked"),
    ]


def test_creating_and_revoking_are_audited_with_who_and_why(admin: TokenAdmin) -> None:
    with audit_context(actor="root", role=None, action="cli:token create"):
        made = tokens.create(
            admin,
            name="crm-sync",
            role="integrator",
            expires_in="30d",
            default_days=90,
            reason="nightly CRM sync",
        )
    with audit_context(actor="ops", role="admin", action="rest:tokens:revoke", request_id="r1"):
        tokens.revoke(admin, made.info.id, reason="leaked in a log")
        tokens.revoke(admin, made.info.id, reason="again")  # already revoked: nothing to record
    assert admin.journal is not None
    revoked, created = admin.journal.entries()[0]
    element = f"{BASE}token/{made.info.id}"
    assert (created.actor, created.action, created.reason) == (
        "root",
        "cli:token create",
        "nightly CRM sync",
    )
    assert created.elements == (element,)
    assert created.note == (
        f"created token {made.info.id} 'crm-sync' (integrator), expires 2026-01-31 09:00 UTC"
    )
    assert (revoked.actor, revoked.role, revoked.action, revoked.request_id) == (
        "ops",
        "admin",
        "rest:tokens:revoke",
        "r1",
    )
    assert (revoked.reason, revoked.elements) == ("leaked in a log", (element,))
    assert revoked.note == f"revoked token {made.info.id} 'crm-sync' (integrator)"
    assert made.token not in created.note + revoked.note  # the secret is never recorded


def test_refusals_say_which_rule_and_change_nothing(admin: TokenAdmin) -> None:
    tokens.create(admin, name="taken", role="reader", expires_in=None, default_days=9, reason="x")
    assert admin.journal is not None
    before = (admin.journal.entries(), admin.tokens.tokens())
    with pytest.raises(TokenError, match="expiry '0d'"):
        tokens.create(
            admin, name="never", role="reader", expires_in="0d", default_days=90, reason="x"
        )
    with pytest.raises(TokenError, match="unknown role 'boss'"):
        tokens.create(admin, name="x", role="boss", expires_in=None, default_days=90, reason="x")
    with pytest.raises(TokenError, match="'taken' is taken"):
        tokens.create(
            admin, name="taken", role="admin", expires_in=None, default_days=9, reason="x"
        )
    with pytest.raises(TokenError, match="give a reason"):
        tokens.create(admin, name="y", role="reader", expires_in=None, default_days=90, reason=" ")
    with pytest.raises(TokenError, match="no token has the id 'nope'"):
        tokens.revoke(admin, "nope", reason="x")
    [taken] = admin.tokens.tokens()
    with pytest.raises(TokenError, match="give a reason"):
        tokens.revoke(admin, taken.id, reason="")
    assert (admin.journal.entries(), admin.tokens.tokens()) == before


def test_a_trail_that_cannot_be_written_stops_the_token(
    admin: TokenAdmin, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full() -> NoReturn:
        raise OSError(errno.ENOSPC, "No space left on device")

    assert admin.journal is not None
    monkeypatch.setattr(admin.journal, "_connect", full)  # every append now fails
    with pytest.raises(StorageFaultError, match="the audit trail cannot be written"):
        tokens.create(admin, name="z", role="reader", expires_in=None, default_days=9, reason="x")
    assert admin.tokens.tokens() == []
