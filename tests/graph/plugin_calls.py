"""A Neo4j store whose statements are recorded, for the tests that ask a question of
journeykg's plugin and of its Cypher fallback in turn (tests/graph/test_neo4j_reached.py,
tests/graph/test_neo4j_newest.py): what was sent shows which path answered, so that a
silent fallback cannot pass for the procedure."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.store import Store


def recorded_store_fixture(
    client: type[Any], attribute: str, procedure: str, switch: str
) -> Callable[..., Iterator[Neo4jStore]]:
    """A fixture ``neo``: the Neo4j test store, empty, with its statements recorded in
    ``neo.sent`` and its procedure client (``attribute``, of class ``client``) made afresh
    so that it reads through the recorder; ``switch`` (the store's flag choosing the
    procedure) is set back on after the test. Fails where the suite requires the plugin
    and the server lacks ``procedure``; skips elsewhere."""

    @pytest.fixture
    def neo(neo4j_store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[Neo4jStore]:
        assert isinstance(neo4j_store, Neo4jStore)
        sent: list[str] = []
        read = neo4j_store._read

        def recording(query: str, **params: Any) -> Any:
            sent.append(query)
            return read(query, **params)

        monkeypatch.setattr(neo4j_store, "_read", recording)
        monkeypatch.setattr(neo4j_store, attribute, client(recording, neo4j_store._procedures))
        monkeypatch.setattr(neo4j_store, "sent", sent, raising=False)
        if not client(read).installed():
            if os.environ.get("JOURNEYKG_REQUIRE_NEO4J_PLUGIN") or os.environ.get("CI"):
                pytest.fail(f"the test server was started without {procedure} (plugin)")
            pytest.skip("this Neo4j has no journeykg plugin: tools/neo4j/neo4j-server plugin")
        yield neo4j_store
        setattr(neo4j_store, switch, True)

    return neo
