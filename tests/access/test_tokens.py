"""The token store on a real SQLite file: hashing, expiry, revocation, names and roles."""

from __future__ import annotations

import hashlib
import stat
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from journeykg.access.roles import Principal, Role
from journeykg.access.tokens import (
    LAST_USED_EVERY,
    InvalidTokenError,
    TokenError,
    TokenStore,
    parse_duration,
)
from tests.hand_clock import HandClock

START = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> HandClock:
    return HandClock(START)


@pytest.fixture
def store(tmp_path: Path, clock: HandClock) -> TokenStore:
    return TokenStore(tmp_path / "state" / "tokens.sqlite3", clock=clock)


def test_a_token_authenticates_as_its_name_and_role(store: TokenStore) -> None:
    issued = store.create("ci-sync", Role.INTEGRATOR, timedelta(days=30))
    assert issued.token.startswith(f"jkg_{issued.info.id}_")
    assert len(issued.token.split("_", 2)[2]) == 43  # 256 bits, base64url
    assert store.authenticate(issued.token) == Principal(
        name="ci-sync", role=Role.INTEGRATOR, token_id=issued.info.id
    )
    assert (issued.info.created_at, issued.info.expires_at) == (START, START + timedelta(days=30))


def test_the_secret_is_not_in_the_database_only_its_hash(store: TokenStore) -> None:
    issued = store.create("alice", "reader", timedelta(days=1))
    secret = issued.token.split("_", 2)[2]
    store.authenticate(issued.token)  # a use, so last_used is written too
    files = list(store.path.parent.iterdir())
    assert files == [store.path]  # no journal left behind holding anything
    data = store.path.read_bytes()
    assert secret.encode() not in data
    assert issued.token.encode() not in data
    assert hashlib.sha256(secret.encode()).hexdigest().encode() in data
    assert stat.S_IMODE(store.path.stat().st_mode) == 0o600


def test_a_listing_holds_no_secret(store: TokenStore) -> None:
    issued = store.create("alice", Role.READER, timedelta(days=1))
    [listed] = store.tokens()
    assert listed == issued.info
    assert issued.token.split("_", 2)[2] not in repr(store.tokens())


def test_a_token_expires_at_its_expiry(store: TokenStore, clock: HandClock) -> None:
    issued = store.create("alice", Role.READER, timedelta(hours=12))
    clock.now = START + timedelta(hours=12) - timedelta(seconds=1)
    assert store.authenticate(issued.token).name == "alice"
    clock.now = START + timedelta(hours=12)
    with pytest.raises(InvalidTokenError, match=r"^the token 'alice' is expired$"):
        store.authenticate(issued.token)
    assert store.tokens()[0].status(clock.now) == "expired"


def test_a_revoked_token_lets_nobody_in(store: TokenStore, clock: HandClock) -> None:
    issued = store.create("alice", Role.STEWARD, timedelta(days=1))
    clock.now = START + timedelta(hours=1)
    revoked = store.revoke(issued.info.id)
    assert revoked.revoked_at == clock.now
    with pytest.raises(InvalidTokenError, match=r"^the token 'alice' is revoked$"):
        store.authenticate(issued.token)
    clock.now = START + timedelta(hours=2)
    assert store.revoke(issued.info.id).revoked_at == START + timedelta(hours=1)  # harmless


def test_revoking_an_unknown_id_says_so(store: TokenStore) -> None:
    with pytest.raises(
        TokenError, match=r"^no token has the id 'abc' \(see `journeykg token list`\)$"
    ):
        store.revoke("abc")


def test_a_name_is_taken_until_its_token_is_revoked(store: TokenStore) -> None:
    first = store.create("alice", Role.READER, timedelta(days=1))
    with pytest.raises(TokenError, match=r"^token name 'alice' is taken by a token that is not"):
        store.create("alice", Role.ADMIN, timedelta(days=1))
    assert [t.role for t in store.tokens()] == [Role.READER]  # nothing half-written
    store.revoke(first.info.id)
    second = store.create("alice", Role.ADMIN, timedelta(days=1))
    assert store.authenticate(second.token).role == Role.ADMIN


@pytest.mark.parametrize(
    ("name", "role", "expires_in", "message"),
    [
        (
            "alice",
            "superuser",
            timedelta(days=1),
            "token 'alice': unknown role 'superuser' "
            "(one of reader, architect, steward, integrator, admin)",
        ),
        ("", "reader", timedelta(days=1), "token name '': use 1-64 letters"),
        ("two words", "reader", timedelta(days=1), "token name 'two words': use 1-64 letters"),
        ("anonymous", "reader", timedelta(days=1), "token name 'anonymous': use 1-64 letters"),
        ("x" * 65, "reader", timedelta(days=1), "token name 'xxxx"),
        ("alice", "reader", timedelta(0), "token 'alice': the expiry must lie in the future"),
    ],
)
def test_bad_requests_are_refused_clearly(
    store: TokenStore, name: str, role: str, expires_in: timedelta, message: str
) -> None:
    with pytest.raises(TokenError) as refused:
        store.create(name, role, expires_in)
    assert str(refused.value).startswith(message)
    assert not store.path.exists() or store.tokens() == []


@pytest.mark.parametrize(
    "presented",
    ["", "jkg", "jkg_", "jkg__secret", "jkg_id_", "abc_id_secret", "Bearer jkg_a_b"],
)
def test_a_malformed_token_is_refused(store: TokenStore, presented: str) -> None:
    store.create("alice", Role.READER, timedelta(days=1))
    with pytest.raises(InvalidTokenError, match=r"^the token is malformed"):
        store.authenticate(presented)


def test_a_wrong_secret_reads_like_an_unknown_token(store: TokenStore) -> None:
    issued = store.create("alice", Role.READER, timedelta(days=1))
    wrong = issued.token[:-1] + ("A" if issued.token[-1] != "A" else "B")
    for presented in (wrong, "jkg_000000000000_" + issued.token.split("_", 2)[2]):
        with pytest.raises(InvalidTokenError, match=r"^unknown token$"):
            store.authenticate(presented)


def test_authenticating_against_no_database_creates_none(store: TokenStore) -> None:
    with pytest.raises(InvalidTokenError, match=r"^unknown token$"):
        store.authenticate("jkg_abc_def")
    assert not store.path.exists()


def test_last_used_is_refreshed_at_most_once_a_minute(store: TokenStore, clock: HandClock) -> None:
    issued = store.create("alice", Role.READER, timedelta(days=1))
    assert store.tokens()[0].last_used is None
    store.authenticate(issued.token)
    clock.now = START + LAST_USED_EVERY - timedelta(seconds=1)
    store.authenticate(issued.token)
    assert store.tokens()[0].last_used == START
    clock.now = START + LAST_USED_EVERY
    store.authenticate(issued.token)
    assert store.tokens()[0].last_used == START + LAST_USED_EVERY


def test_two_stores_on_one_file_see_each_others_tokens(store: TokenStore) -> None:
    """The CLI creates and revokes; the running API sees it at the next request."""
    api = TokenStore(store.path, clock=store.clock)
    issued = store.create("alice", Role.READER, timedelta(days=1))
    assert api.authenticate(issued.token).name == "alice"
    store.revoke(issued.info.id)
    with pytest.raises(InvalidTokenError):
        api.authenticate(issued.token)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12h", timedelta(hours=12)), ("30d", timedelta(days=30)), ("2W", timedelta(weeks=2))],
)
def test_durations(text: str, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["0d", "30", "d", "-1d", "1.5d", "30m", "1y"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(TokenError, match=r"give a positive whole number of hours, days or weeks"):
        parse_duration(text)
