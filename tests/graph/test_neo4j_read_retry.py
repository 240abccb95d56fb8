"""A read in one wait keeps what the managed transaction gave: a retry after a broken
connection, a bounded failure that names what failed, and a server-side timeout.

``Neo4jStore._read`` is an auto-commit query in a READ session (issue 20: one wait for
the server instead of three); the driver retries no auto-commit query, so the store does
(graph/neo4j_store.py, ``READ_ATTEMPTS``). The failures are real: the store talks to the
real test server through a TCP proxy (tests/tcp_proxy.py) that the test cuts, as the
outage tests do (tests/api/test_store_outage.py). Read access and bookmarks on a routing
URI are held in tests/graph/test_neo4j_cluster_access.py.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from journeykg.graph import neo4j_store
from journeykg.graph.errors import StoreError, StoreUnavailableError
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.property_graph import PropertyGraphMapping
from journeykg.graph.store import Store
from journeykg.namespaces import JKG
from journeykg.ontology_graph import load_ontology
from journeykg.settings import Settings
from tests.conftest import BASE, read_fixture
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.neo4j

#: How long a read may take to fail while the server is cut off (as the API's 503).
FAIL_FAST_SECONDS = 5.0
#: A statement the test server needs about half a second for (8e6 rows).
SOME = "UNWIND range(1, 8000000) AS x WITH x WHERE x < 0 RETURN count(x) AS n"
#: A statement the test server needs seconds for (1e8 rows, ~7 s here).
SLOW = "UNWIND range(1, 100000000) AS x WITH x WHERE x < 0 RETURN count(x) AS n"


@pytest.fixture
def proxy(neo4j_settings: Settings, neo4j_store: Store) -> Iterator[TcpProxy]:
    neo4j_store.upsert(read_fixture("impact_small.ttl"))
    port = urlparse(neo4j_settings.neo4j_uri).port
    assert port is not None
    with TcpProxy(port) as proxy:
        yield proxy


@pytest.fixture
def proxied(proxy: TcpProxy) -> Iterator[Neo4jStore]:
    """The test server's store, through the proxy."""
    store = Neo4jStore(
        f"bolt://127.0.0.1:{proxy.port}", BASE, PropertyGraphMapping.from_ontology(load_ontology())
    )
    yield store
    store.close()


def _cut_during(proxy: TcpProxy, seconds: float) -> threading.Timer:
    """Drop every connection through the proxy after ``seconds`` (a restart, a proxy's idle
    cut, a member leaving), then take connections again: a read then under way loses its
    connection mid-answer."""

    def cut() -> None:
        proxy.cut()
        proxy.restore()

    timer = threading.Timer(seconds, cut)
    timer.start()
    return timer


def test_a_read_whose_connection_is_closed_mid_answer_is_sent_again_and_answers(
    proxied: Neo4jStore, proxy: TcpProxy
) -> None:
    assert proxied.instances(JKG.ContactReason)
    timer = _cut_during(proxy, 0.15)
    # The first attempt fails at 0.15 s, within READ_RETRY_SECONDS: sent again on a new
    # connection, it answers.
    assert proxied._read(SOME)[0]["n"] == 0
    timer.join()


def test_one_attempt_is_not_enough_for_that_cut(
    proxied: Neo4jStore, proxy: TcpProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test above exercises the retry: without it, the same cut is the store's error."""
    assert proxied.instances(JKG.ContactReason)
    monkeypatch.setattr(neo4j_store, "READ_ATTEMPTS", 1)
    timer = _cut_during(proxy, 0.15)
    with pytest.raises(StoreUnavailableError, match=f"127.0.0.1:{proxy.port}"):
        proxied._read(SOME)
    timer.join()
    # The session with the broken connection was dropped: the next read answers.
    assert proxied.instances(JKG.ContactReason)


def test_a_read_that_fails_after_its_retry_is_the_stores_error_naming_the_server(
    proxied: Neo4jStore, proxy: TcpProxy
) -> None:
    assert proxied.instances(JKG.ContactReason)
    proxy.cut()
    started = time.monotonic()
    with pytest.raises(StoreUnavailableError) as failed:
        proxied.instances(JKG.ContactReason)
    assert time.monotonic() - started < FAIL_FAST_SECONDS
    message = str(failed.value)
    assert f"bolt://127.0.0.1:{proxy.port}" in message
    assert "the read was tried 2 times" in message
    proxy.restore()
    assert proxied.instances(JKG.ContactReason)


def test_a_read_past_its_timeout_is_ended_by_the_server_and_not_sent_again(
    neo4j_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    monkeypatch.setattr(neo4j_store, "read_timeout", 0.3)
    started = time.monotonic()
    with pytest.raises(StoreError, match="not completed within the timeout") as failed:
        neo4j_store._read(SLOW)
    # Ended by the server within about a second (it checks the timeout at intervals), not
    # after the statement's seconds; a timeout is the statement's, so it is not retried.
    assert time.monotonic() - started < 3.0
    assert "tried" not in str(failed.value)
    monkeypatch.setattr(neo4j_store, "read_timeout", None)
    assert neo4j_store._read("RETURN 1 AS one")[0]["one"] == 1


def test_a_statement_the_server_refuses_is_not_sent_again(neo4j_store: Store) -> None:
    """Only failures a retry can cure are retried: a refused statement fails the same way."""
    assert isinstance(neo4j_store, Neo4jStore)
    with pytest.raises(StoreError, match="Neo4j refused the request") as failed:
        neo4j_store._read("RETURN RETURN")
    assert "tried" not in str(failed.value)
