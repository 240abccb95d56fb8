"""``journeykg token ...`` as an administrator runs it, against a real token database."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeykg.access.roles import Role
from journeykg.access.tokens import InvalidTokenError, TokenStore
from journeykg.cli.app import app

runner = CliRunner()


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOURNEYKG_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("JOURNEYKG_STORE_DIR", str(tmp_path / "kg"))
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.delenv("JOURNEYKG_TOKEN_EXPIRY_DAYS", raising=False)
    return tmp_path / "state"


def tokens(state_dir: Path) -> TokenStore:
    return TokenStore(state_dir / "tokens.sqlite3")


def create(*args: str) -> str:
    result = runner.invoke(app, ["token", "create", *args, "--reason", "a test"])
    assert result.exit_code == 0, result.output
    assert "will not be shown again" in result.stderr
    return result.stdout.strip()


def test_create_prints_the_token_once_and_it_authenticates(state_dir: Path) -> None:
    token = create("--role", "steward", "--name", "board")
    principal = tokens(state_dir).authenticate(token)
    assert (principal.name, principal.role) == ("board", Role.STEWARD)
    [info] = tokens(state_dir).tokens()
    assert timedelta(days=90) - (info.expires_at - info.created_at) < timedelta(seconds=1)
    listed = runner.invoke(app, ["token", "list"])
    assert listed.exit_code == 0, listed.output
    assert token.split("_", 2)[2] not in listed.output
    assert "board" in listed.output
    assert "active" in listed.output


def test_expires_in_and_the_default_from_settings(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    create("--role", "reader", "--name", "short", "--expires-in", "12h")
    monkeypatch.setenv("JOURNEYKG_TOKEN_EXPIRY_DAYS", "7")
    create("--role", "reader", "--name", "week")
    lasting = {t.name: t.expires_at - t.created_at for t in tokens(state_dir).tokens()}
    assert lasting == {"short": timedelta(hours=12), "week": timedelta(days=7)}


def test_list_json_and_revoke(state_dir: Path) -> None:
    token = create("--role", "integrator", "--name", "crm-sync")
    [row] = json.loads(runner.invoke(app, ["token", "list", "--json"]).stdout)
    assert set(row) == {
        "id",
        "name",
        "role",
        "status",
        "createdAt",
        "expiresAt",
        "revokedAt",
        "lastUsed",
    }
    assert (row["name"], row["role"], row["status"], row["revokedAt"]) == (
        "crm-sync",
        "integrator",
        "active",
        None,
    )
    revoked = runner.invoke(app, ["token", "revoke", row["id"], "--reason", "done"])
    assert revoked.exit_code == 0, revoked.output
    assert f"revoked token {row['id']} 'crm-sync' (integrator)" in revoked.stdout
    [row] = json.loads(runner.invoke(app, ["token", "list", "--json"]).stdout)
    assert row["status"] == "revoked"
    assert datetime.fromisoformat(row["revokedAt"]) <= datetime.now(UTC)
    with pytest.raises(InvalidTokenError, match="revoked"):
        tokens(state_dir).authenticate(token)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["create", "--role", "root", "--name", "x", "--reason", "r"], "unknown role 'root'"),
        (
            ["create", "--role", "reader", "--name", "x", "--expires-in", "1y", "--reason", "r"],
            "expiry '1y'",
        ),
        (["revoke", "nope", "--reason", "r"], "no token has the id 'nope'"),
        (["create", "--role", "reader", "--name", "x", "--reason", ""], "give a reason"),
    ],
)
def test_mistakes_exit_2_with_a_clear_message(
    state_dir: Path, args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["token", *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_duplicate_name_is_refused(state_dir: Path) -> None:
    create("--role", "reader", "--name", "alice")
    result = runner.invoke(
        app, ["token", "create", "--role", "admin", "--name", "alice", "--reason", "r"]
    )
    assert result.exit_code == 2
    assert "token name 'alice' is taken" in result.stderr
    assert [t.role for t in tokens(state_dir).tokens()] == [Role.READER]
