"""The demo organisation served by a real ``journeykg serve`` process, for the browser tests."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from journeykg import bootstrap
from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.graph.state import TOKENS_FILE
from journeykg.services.demo import prepare
from journeykg.settings import Settings
from tests.conftest import state_beside
from tests.served import served


@dataclass
class Workspace:
    """A served demo: its URL and its token database."""

    url: str
    tokens: TokenStore
    store_dir: Path | None = None
    """The served embedded store, which the CLI may read beside the server."""

    def token(self, role: Role, expires_in: timedelta = timedelta(hours=1)) -> tuple[str, str]:
        """A new token of ``role``: (its id, its plain text)."""
        issued = self.tokens.create(f"web-{role.value}", role, expires_in)
        return issued.info.id, issued.token

    def graphql(self, query: str, variables: dict[str, Any] | None = None) -> Any:
        """The API's answer (read anonymously, as the demo allows) to ``query``."""
        answer = httpx.post(
            f"{self.url}/graphql", json={"query": query, "variables": variables or {}}, timeout=30
        ).json()
        assert "errors" not in answer, answer
        return answer["data"]


def prepare_demo(directory: Path) -> Path:
    """The demo organisation loaded into an embedded store in ``directory``/store, as
    `make demo` loads it; its state beside it. The store's directory."""
    store_dir = directory / "store"
    # The embedded store even when the suite runs with JOURNEYKG_NEO4J_URI set (make test):
    # a URI in the environment would otherwise pick Neo4j.
    settings = Settings(store_dir=store_dir, backend="embedded", neo4j_uri=None)
    with bootstrap.open_store(settings) as store:
        prepare(store, None)
    return store_dir


def copy_demo(prepared: Path, directory: Path) -> Path:
    """A copy of the store :func:`prepare_demo` made, with its state, in ``directory``/store,
    instead of loading the demo again for each module (~1 s each): the same files, written
    by the same load, and no module sees another's writes. The copy's directory."""
    store_dir = directory / "store"
    shutil.copytree(prepared, store_dir)
    shutil.copytree(state_beside(prepared), state_beside(store_dir))
    return store_dir


@contextmanager
def served_demo(directory: Path, prepared: Path) -> Iterator[Workspace]:
    """The demo in an embedded store in ``directory`` (a copy of ``prepared``, see
    :func:`copy_demo`), served as `make demo` does."""
    store_dir = copy_demo(prepared, directory)
    env = {
        "JOURNEYKG_STORE_DIR": str(store_dir),
        "JOURNEYKG_BACKEND": "embedded",
        "JOURNEYKG_NEO4J_URI": None,
        "JOURNEYKG_ANONYMOUS_READ": "true",
        "JOURNEYKG_GRAPHQL_IDE": "true",
        "JOURNEYKG_GRAPHQL_INTROSPECTION": "true",
    }
    tokens = TokenStore(state_beside(store_dir) / TOKENS_FILE)
    with served(env, directory / "server.log") as url:
        yield Workspace(url, tokens, store_dir)
