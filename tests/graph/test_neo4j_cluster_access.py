"""Cluster-ready access on the single test server: routing URIs, read transactions, bookmarks.

Run on a routing URI (``neo4j://``) whatever the suite is pointed at, so a
cluster's or Aura's routing driver is what these hold to (docs/neo4j-cluster.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlparse

import pytest
from rdflib import Graph, Literal

from journeykg.graph.errors import StoreError
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.property_graph import PropertyGraphMapping
from journeykg.namespaces import JKG, RDF, RDFS
from journeykg.ontology_graph import load_ontology
from journeykg.settings import Settings
from tests.conftest import BASE, read_fixture
from tests.graph.test_neo4j_bulk import process


@pytest.fixture
def routed(neo4j_settings: Settings, neo4j_store: Neo4jStore) -> Iterator[Neo4jStore]:
    """The emptied test server through a routing URI."""
    uri = neo4j_settings.neo4j_uri
    assert uri is not None
    address = urlparse(uri)
    store = Neo4jStore(
        f"neo4j://{address.hostname}:{address.port}",
        BASE,
        PropertyGraphMapping.from_ontology(load_ontology()),
    )
    yield store
    store.close()


def test_a_routing_uri_writes_and_reads(routed: Neo4jStore) -> None:
    data = read_fixture("impact_small.ttl")
    routed.upsert(data)
    assert len(routed.export()) == len(data)


def test_reads_are_read_transactions(routed: Neo4jStore) -> None:
    # A read transaction is refused a write by the server: what a router relies on
    # to send it to a follower, which could not take one.
    count = "MATCH (n:JourneykgProbe) RETURN count(n) AS n"
    before = routed._read(count)[0]["n"]
    with pytest.raises(StoreError, match=r"read access mode|Writing in read"):
        routed._read("CREATE (n:JourneykgProbe) RETURN n")
    assert routed._read(count)[0]["n"] == before


def test_a_writes_bookmark_is_what_the_next_read_waits_for(routed: Neo4jStore) -> None:
    manager = routed.driver.execute_query_bookmark_manager
    before = set(manager.get_bookmarks())
    graph = Graph()
    graph.add((process(1), RDF.type, JKG.Process))
    graph.add((process(1), RDFS.label, Literal("Proces", lang="nl")))
    routed.upsert(graph)
    after = set(manager.get_bookmarks())
    # The write's bookmark replaced the ones before it: a read from here on,
    # on any member, waits until that member has the write.
    assert after
    assert after != before
    assert routed.describe([process(1)]).value(process(1), RDFS.label) == Literal(
        "Proces", lang="nl"
    )
    routed.upsert(graph)
    assert set(manager.get_bookmarks()) != after
