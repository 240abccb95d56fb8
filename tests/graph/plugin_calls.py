"""A Neo4j store whose statements are recorded, for the tests that ask a question of
journeykg's plugin and of its Cypher fallback in turn (tests/graph/test_neo4j_reached.py,
tests/graph/test_neo4j_newest.py): what was sent shows which path answered, so that a
silent fallback cannot pass for the procedure."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import pytest

from journeykg.graph.neo4j_procedures import Read
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.store import Store


def recorded(
    store: Store,
    monkeypatch: pytest.MonkeyPatch,
    client: str,
    installed: Callable[[Read], bool],
    procedure: str,
) -> Neo4jStore:
    """``store`` (the Neo4j test store) with its statements recorded in ``store.sent`` and
    its procedure client ``client`` (an attribute) made afresh, so that it reads through
    the recorder. Fails where the suite requires the plugin and ``installed`` says the
    server lacks it; skips elsewhere."""
    assert isinstance(store, Neo4jStore)
    sent: list[str] = []
    read = store._read

    def recording(query: str, **params: Any) -> Any:
        sent.append(query)
        return read(query, **params)

    monkeypatch.setattr(store, "_read", recording)
    monkeypatch.setattr(store, client, None)
    monkeypatch.setattr(store, "sent", sent, raising=False)
    if not installed(read):
        if os.environ.get("JOURNEYKG_REQUIRE_NEO4J_PLUGIN") or os.environ.get("CI"):
            pytest.fail(f"the test server was started without {procedure} (plugin)")
        pytest.skip("this Neo4j has no journeykg plugin: tools/neo4j/neo4j-server plugin")
    return store
