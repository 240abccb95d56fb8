"""API tokens: issued once, stored only as a hash, revocable, and expiring.

A token reads ``jkg_<id>_<secret>``: the id finds its row, the secret proves
possession. The database (SQLite, in the state directory) holds the id, name,
role, dates and the SHA-256 of the secret, never the secret itself, so a copy
of the file lets nobody in. SQLite is atomic and safe for several processes
(the API and the CLI) on one machine; each operation opens its own connection
because a request may run on any worker thread.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from journeykg.access.roles import ANONYMOUS, Principal, Role
from journeykg.file_faults import FileFault, file_fault
from journeykg.private_files import private_file

log = logging.getLogger("journeykg.access")

PREFIX = "jkg"
"""Every token starts ``jkg_``: secret scanners and humans can tell what leaked."""

LAST_USED_EVERY = timedelta(minutes=1)
"""``last_used`` is refreshed at most this often, so that reads do not all become writes."""

_NAME = re.compile(r"^[\w.@-]{1,64}$")
_DURATION = re.compile(r"^(\d+)([hdw])$")
_UNITS = {"h": "hours", "d": "days", "w": "weeks"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    last_used TEXT
);
-- A name stays taken until its token is revoked, so that the audit trail's actor is unambiguous.
CREATE UNIQUE INDEX IF NOT EXISTS tokens_live_name ON tokens(name) WHERE revoked_at IS NULL;
"""

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


class TokenError(ValueError):
    """A token request that cannot be carried out; the message says which rule it broke."""


class InvalidTokenError(Exception):
    """A presented token that lets nobody in: malformed, unknown, wrong, expired or revoked."""


class TokenStoreUnavailableError(Exception):
    """The token database cannot be read or written (a full disk, an unwritable state directory).

    Not the caller's fault: answered with 503, and gone once the fault is.
    """

    def __init__(self, fault: FileFault, *, writing: bool) -> None:
        self.fault = fault
        verb = "written" if writing else "read"
        super().__init__(
            f"the token database cannot be {verb}: {fault.reason}; retry once {fault.remedy}"
        )


@dataclass(frozen=True)
class TokenInfo:
    """One token as listed: everything but the secret."""

    id: str
    name: str
    role: Role
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used: datetime | None

    def status(self, now: datetime) -> str:
        """``active``, ``expired`` or ``revoked``."""
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if now >= self.expires_at else "active"


@dataclass(frozen=True)
class IssuedToken:
    """A token just created: the only moment its plain text exists."""

    info: TokenInfo
    token: str


def new_token_id() -> str:
    """A fresh token id: 48 random bits, enough to find a row, never a secret."""
    return secrets.token_hex(6)


def parse_duration(text: str) -> timedelta:
    """``12h``, ``30d`` or ``2w`` as a positive timedelta; a TokenError otherwise."""
    match = _DURATION.match(text.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise TokenError(
            f"expiry {text!r}: give a positive whole number of hours, days or weeks "
            "(e.g. 12h, 30d, 2w)"
        )
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def _digest(secret: str) -> str:
    # A fast hash is right here: the secret is 256 random bits, so nobody can
    # guess it however cheap one guess is; slow password hashes (bcrypt, argon2)
    # only help low-entropy secrets, and would cost every request milliseconds.
    return hashlib.sha256(secret.encode()).hexdigest()


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _info(row: sqlite3.Row) -> TokenInfo:
    return TokenInfo(
        id=row["id"],
        name=row["name"],
        role=Role(row["role"]),
        created_at=datetime.fromisoformat(row["created_at"]),
        expires_at=datetime.fromisoformat(row["expires_at"]),
        revoked_at=_moment(row["revoked_at"]),
        last_used=_moment(row["last_used"]),
    )


class TokenStore:
    """The API tokens in one SQLite file (created on the first token)."""

    def __init__(self, path: Path, clock: Clock = utc_now) -> None:
        self.path = path
        self.clock = clock
        self._schema_ready = False

    @contextmanager
    def _db(self, *, writing: bool = True) -> Iterator[sqlite3.Connection]:
        try:
            with self._connected() as db:
                yield db
        except (sqlite3.Error, OSError) as exc:
            fault = file_fault(exc)
            if fault is None:
                raise
            raise TokenStoreUnavailableError(fault, writing=writing) from exc

    @contextmanager
    def _connected(self) -> Iterator[sqlite3.Connection]:
        if not self.path.exists():
            # Hashes are not secrets, but names, roles and dates are nobody else's business.
            private_file(self.path)
        with closing(sqlite3.connect(self.path, timeout=10)) as db:
            db.row_factory = sqlite3.Row
            if not self._schema_ready:  # once per instance: it costs a write lock
                db.executescript(_SCHEMA)
                self._schema_ready = True
            with db:  # one transaction: committed on success, rolled back on error
                yield db

    def create(
        self, name: str, role: Role | str, expires_in: timedelta, *, token_id: str | None = None
    ) -> IssuedToken:
        """A new token for ``role`` named ``name``; its plain text is returned only here.

        ``token_id`` is the id to give it (from :func:`new_token_id`), for a
        caller that records the token before it exists; a fresh one otherwise.
        """
        if not _NAME.match(name) or name == ANONYMOUS.name:
            raise TokenError(
                f"token name {name!r}: use 1-64 letters, digits, '.', '_', '@' or '-' "
                f"but not {ANONYMOUS.name!r} (it is the actor the audit trail records)"
            )
        try:
            role = Role(role)
        except ValueError:
            known = ", ".join(r.value for r in Role)
            raise TokenError(f"token {name!r}: unknown role {role!r} (one of {known})") from None
        if expires_in <= timedelta(0):
            raise TokenError(f"token {name!r}: the expiry must lie in the future")
        now = self.clock()
        info = TokenInfo(
            id=token_id or new_token_id(),
            name=name,
            role=role,
            created_at=now,
            expires_at=now + expires_in,
            revoked_at=None,
            last_used=None,
        )
        secret = secrets.token_urlsafe(32)  # 256 bits
        try:
            with self._db() as db:
                db.execute(
                    "INSERT INTO tokens (id, name, role, secret_sha256, created_at, expires_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        info.id,
                        name,
                        role.value,
                        _digest(secret),
                        now.isoformat(),
                        info.expires_at.isoformat(),
                    ),
                )
        except sqlite3.IntegrityError as exc:
            raise TokenError(
                f"token name {name!r} is taken by a token that is not revoked; "
                "revoke that one first or choose another name"
            ) from exc
        return IssuedToken(info=info, token=f"{PREFIX}_{info.id}_{secret}")

    def tokens(self) -> list[TokenInfo]:
        """Every token, revoked and expired ones included, oldest first; never a secret."""
        with self._db(writing=False) as db:
            rows = db.execute("SELECT * FROM tokens ORDER BY created_at, id").fetchall()
        return [_info(row) for row in rows]

    def revoke(self, token_id: str) -> TokenInfo:
        """Revoke a token for good (revoking twice is harmless); TokenError if there is none."""
        with self._db() as db:
            db.execute(
                "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (self.clock().isoformat(), token_id),
            )
            row = db.execute("SELECT * FROM tokens WHERE id = ?", (token_id,)).fetchone()
        if row is None:
            raise TokenError(f"no token has the id {token_id!r} (see `journeykg token list`)")
        return _info(row)

    def authenticate(self, token: str) -> Principal:
        """The principal ``token`` acts for; InvalidTokenError saying why it lets nobody in."""
        parts = token.split("_", 2)
        if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
            raise InvalidTokenError("the token is malformed (expected jkg_<id>_<secret>)")
        token_id, secret = parts[1], parts[2]
        if not self.path.exists():
            raise InvalidTokenError("unknown token")
        with self._db(writing=False) as db:
            row = db.execute("SELECT * FROM tokens WHERE id = ?", (token_id,)).fetchone()
        # Compared in constant time, and a wrong secret reads like an unknown id.
        if row is None or not hmac.compare_digest(row["secret_sha256"], _digest(secret)):
            raise InvalidTokenError("unknown token")
        info = _info(row)
        now = self.clock()
        status = info.status(now)
        if status != "active":
            raise InvalidTokenError(f"the token {info.name!r} is {status}")
        if info.last_used is None or now - info.last_used >= LAST_USED_EVERY:
            self._touch(token_id, now)
        return Principal(name=info.name, role=info.role, token_id=info.id)

    def _touch(self, token_id: str, now: datetime) -> None:
        """Record that a token was used; a failure (a full disk, say) lets the request go on."""
        try:
            with self._db() as db:
                db.execute(
                    "UPDATE tokens SET last_used = ? WHERE id = ?", (now.isoformat(), token_id)
                )
        except (TokenStoreUnavailableError, sqlite3.Error) as exc:
            log.warning("could not record that token %s was used: %s", token_id, str(exc))
