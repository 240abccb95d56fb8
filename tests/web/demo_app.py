"""The app over the demo organisation, in-process, for tests of what a page answers."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.store import Store
from journeykg.services.demo import prepare
from journeykg.settings import Settings
from tests.conftest import BASE


def demo_store() -> Store:
    """The demo organisation in an in-memory embedded store."""
    store = EmbeddedStore(None, BASE)
    prepare(store, None)
    return store


def client(
    store: Store, state: Path, *, anonymous_read: bool = True, base_url: str = "http://testserver"
) -> tuple[TestClient, TokenStore]:
    """A client of the app over ``store`` and its token database in ``state``."""
    tokens = TokenStore(state / "tokens.db")
    settings = Settings(base_iri=BASE, anonymous_read=anonymous_read, state_dir=state)
    app = create_app(store, settings=settings, tokens=tokens)
    return TestClient(app, base_url=base_url, follow_redirects=False), tokens
