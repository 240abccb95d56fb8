"""API fixtures: a token database in a temporary state directory, and a token per role."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.settings import Settings

Bearer = Callable[[Role], dict[str, str]]
"""Headers that authenticate as a token of the given role."""


@pytest.fixture
def api_settings(tmp_path: Path) -> Settings:
    """The environment's settings with the state (tokens) in a temporary directory."""
    return Settings(state_dir=tmp_path / "state")


@pytest.fixture
def tokens(api_settings: Settings) -> TokenStore:
    """The token database the app under test reads."""
    return TokenStore(api_settings.tokens_file)


@pytest.fixture
def bearer(tokens: TokenStore) -> Bearer:
    """``bearer(Role.STEWARD)``: the Authorization header of a real token of that role."""
    issued: dict[Role, dict[str, str]] = {}

    def headers(role: Role) -> dict[str, str]:
        if role not in issued:
            token = tokens.create(f"test-{role.value}", role, timedelta(days=1)).token
            issued[role] = {"Authorization": f"Bearer {token}"}
        return issued[role]

    return headers
