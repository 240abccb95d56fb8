"""API tokens as ``journeykg token`` and ``/tokens`` serve them: create, list, revoke.

A token's plain text exists once, in what :func:`create` returns; a listed
token never carries it (none is kept). Every status is taken at the token
database's own clock, so both entry points call a token expired at the same
moment. A request that cannot be carried out raises
:class:`~journeykg.access.tokens.TokenError`, saying which rule it broke.

Creating and revoking a token are recorded in the store's audit trail, with
who asked (the current audit context) and why: the entry names the token
as the element ``token/<id>`` and says what changed in its note. The entry
commits only when the change does; a refused request records nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from journeykg.access.roles import Role
from journeykg.access.tokens import (
    IssuedToken,
    TokenError,
    TokenInfo,
    TokenStore,
    new_token_id,
    parse_duration,
)
from journeykg.graph.audit_context import audit_reason, current_actor
from journeykg.graph.audit_journal import AuditJournal

if TYPE_CHECKING:
    # Only named here: the command line imports this module before it parses a
    # command, and identifiers and the store's state bring rdflib with them.
    from journeykg.graph.state import StateDir
    from journeykg.ids import Identifiers

__all__ = ["ListedToken", "TokenAdmin", "TokenError", "administering", "create", "listed", "revoke"]


@dataclass(frozen=True)
class TokenAdmin:
    """A store's API tokens and the audit trail their changes are recorded in.

    ``journal`` is None only for a store without an audit trail (tests that
    serve a bare backend): the changes are then recorded nowhere.
    """

    tokens: TokenStore
    journal: AuditJournal | None
    ids: Identifiers
    backend: str
    """The store's backend, as the trail records it with every entry."""

    @contextmanager
    def recorded(self, token_id: str, note: str, reason: str | None) -> Iterator[None]:
        """Record ``note`` about ``token/<token_id>`` if the block succeeds."""
        if self.journal is None:
            yield
            return
        element = str(self.ids.iri(f"token/{token_id}"))
        with audit_reason(by=None, reason=reason):
            actor = current_actor()
            with self.journal.recording_event(actor, self.backend, [element], note):
                yield


@contextmanager
def administering(tokens: TokenStore, state: StateDir, ids: Identifiers) -> Iterator[TokenAdmin]:
    """``tokens`` with the audit trail in the state directory ``state``, closed after the block."""
    journal = AuditJournal(state.journal_file)
    try:
        yield TokenAdmin(tokens, journal, ids, state.identity.backend)
    finally:
        journal.close()


@dataclass(frozen=True)
class ListedToken:
    """One token as an administrator sees it: everything but the secret, with its status."""

    id: str
    name: str
    role: Role
    status: str
    """``active``, ``expired`` or ``revoked``, at the moment it was listed."""
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used: datetime | None

    @classmethod
    def of(cls, info: TokenInfo, now: datetime) -> ListedToken:
        """``info`` as it stands at ``now``."""
        return cls(
            id=info.id,
            name=info.name,
            role=info.role,
            status=info.status(now),
            created_at=info.created_at,
            expires_at=info.expires_at,
            revoked_at=info.revoked_at,
            last_used=info.last_used,
        )


def create(
    admin: TokenAdmin,
    *,
    name: str,
    role: str,
    expires_in: str | None,
    default_days: int,
    reason: str,
) -> IssuedToken:
    """A new token for ``role`` named ``name``, lasting ``expires_in`` (``12h``, ``30d``, ``2w``).

    Without ``expires_in`` it lasts ``default_days`` (the settings' token
    expiry). Recorded in the audit trail with ``reason``.
    """
    lasting = parse_duration(expires_in or f"{default_days}d")
    _require_reason(reason, f"creating the token {name!r}")
    token_id = new_token_id()
    # Checked before the entry is written, so that the note never names a role that is refused.
    valid_role = _role(name, role)
    expires = admin.tokens.clock() + lasting
    note = (
        f"created token {token_id} {name!r} ({valid_role.value}), "
        f"expires {expires:%Y-%m-%d %H:%M} UTC"
    )
    with admin.recorded(token_id, note, reason):
        return admin.tokens.create(name, valid_role, lasting, token_id=token_id)


def listed(tokens: TokenStore) -> list[ListedToken]:
    """Every token, revoked and expired ones included, oldest first."""
    now = tokens.clock()
    return [ListedToken.of(info, now) for info in tokens.tokens()]


def revoke(admin: TokenAdmin, token_id: str, *, reason: str) -> ListedToken:
    """Revoke a token for good (revoking twice is harmless); TokenError if there is none.

    Recorded in the audit trail with ``reason``; revoking a revoked token
    changes nothing and records nothing.
    """
    _require_reason(reason, f"revoking the token {token_id!r}")
    found = {info.id: info for info in admin.tokens.tokens()}.get(token_id)
    if found is None:
        raise TokenError(f"no token has the id {token_id!r} (see `journeykg token list`)")
    if found.revoked_at is not None:
        return ListedToken.of(found, admin.tokens.clock())
    note = f"revoked token {found.id} {found.name!r} ({found.role.value})"
    with admin.recorded(found.id, note, reason):
        info = admin.tokens.revoke(token_id)
    return ListedToken.of(info, admin.tokens.clock())


def _role(name: str, role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        known = ", ".join(r.value for r in Role)
        raise TokenError(f"token {name!r}: unknown role {role!r} (one of {known})") from None


def _require_reason(reason: str, what: str) -> None:
    if not reason.strip():
        raise TokenError(f"{what}: give a reason (it is recorded in the audit trail)")
