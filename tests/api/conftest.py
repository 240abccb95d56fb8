"""API fixtures: a token database in a temporary state directory, and a token per role."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.graph.state import TOKENS_FILE
from journeykg.graph.store import Store
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
    assert api_settings.state_dir is not None
    return TokenStore(api_settings.state_dir / TOKENS_FILE)


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


MakeClient = Callable[..., TestClient]
"""``make_client(store, Role.READER, max_body_bytes=1000)``: a client of an app over ``store``."""


@pytest.fixture
def make_client(api_settings: Settings, bearer: Bearer) -> MakeClient:
    """Clients of apps with the test's token database, authenticated as a role by default.

    A request may still send another role's header (``headers=bearer(Role.INTEGRATOR)``);
    ``role=None`` sends none. Keyword arguments override settings (limits, flags).
    """

    def make(store: Store, role: Role | None = Role.ARCHITECT, **overrides: Any) -> TestClient:
        settings = api_settings.model_copy(update=overrides)
        headers = bearer(role) if role is not None else {}
        return TestClient(create_app(store, settings=settings), headers=headers)

    return make
