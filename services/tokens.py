"""API tokens as ``journeykg token`` and ``/tokens`` serve them: create, list, revoke.

A token's plain text exists once, in what :func:`create` returns; a listed
token never carries it (none is kept). Every status is taken at the token
database's own clock, so both entry points call a token expired at the same
moment. A request that cannot be carried out raises
:class:`~journeykg.access.tokens.TokenError`, saying which rule it broke.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from journeykg.access.roles import Role
from journeykg.access.tokens import IssuedToken, TokenError, TokenInfo, TokenStore, parse_duration

__all__ = ["ListedToken", "TokenError", "create", "listed", "revoke"]


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
    tokens: TokenStore, *, name: str, role: str, expires_in: str | None, default_days: int
) -> IssuedToken:
    """A new token for ``role`` named ``name``, lasting ``expires_in`` (``12h``, ``30d``, ``2w``).

    Without ``expires_in`` it lasts ``default_days`` (the settings' token expiry).
    """
    return tokens.create(name, role, parse_duration(expires_in or f"{default_days}d"))


def listed(tokens: TokenStore) -> list[ListedToken]:
    """Every token, revoked and expired ones included, oldest first."""
    now = tokens.clock()
    return [ListedToken.of(info, now) for info in tokens.tokens()]


def revoke(tokens: TokenStore, token_id: str) -> ListedToken:
    """Revoke a token for good (revoking twice is harmless); TokenError if there is none."""
    info = tokens.revoke(token_id)
    return ListedToken.of(info, tokens.clock())
