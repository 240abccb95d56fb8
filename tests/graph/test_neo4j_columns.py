"""The plugin's bulk procedures (graph/neo4j_columns.py) on a real Neo4j: the graph Cypher writes.

Every case writes the same delta once through ``journeykg.writeNodes`` and
``journeykg.writeEdges`` and once with Cypher only (``write_in_server =
False``), into the emptied test server, and compares what is stored.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory

from journeykg.graph import neo4j_columns
from journeykg.graph.canonical import canonical
from journeykg.graph.errors import StoreError
from journeykg.graph.neo4j_bulk import Resume, write_in_batches
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDF, RDFS, XSD
from journeykg.resources import DEMO_DATASET
from tests.conftest import BASE

pytestmark = pytest.mark.neo4j


@pytest.fixture
def neo(neo4j_store: Store) -> Iterator[Neo4jStore]:
    """The emptied Neo4j store, with the plugin's bulk procedures (a failure where they must be)."""
    assert isinstance(neo4j_store, Neo4jStore)
    # Asked again, and the procedures listed again: the server may have changed.
    neo4j_store._server_columns = neo4j_columns.ServerColumns(neo4j_store._read)
    if not neo4j_store._writes_in_server():
        if os.environ.get("JOURNEYKG_REQUIRE_NEO4J_PLUGIN") or os.environ.get("CI"):
            pytest.fail("the test server has no journeykg.writeNodes/writeEdges (the plugin)")
        pytest.skip("this Neo4j has no journeykg plugin: tools/neo4j/neo4j-server plugin")
    yield neo4j_store
    neo4j_store.write_in_server = True


def iri(key: str) -> URIRef:
    return URIRef(BASE + key)


def mixed() -> Graph:
    """Labels, lists of each kind of value, edges into later batches and to IRIs never a subject."""
    graph = Graph(store=SimpleMemory())
    graph.parse(DEMO_DATASET, format="turtle")
    for n in range(6):
        s = iri(f"bulk/p{n}")
        graph.add((s, RDF.type, JKG.Process))
        graph.add((s, RDF.type, JKG.BackofficeProcess))
        graph.add((s, RDFS.label, Literal(f"Proces {n}", lang="nl")))
        graph.add((s, RDFS.label, Literal(f"Process {n}", lang="en")))
        graph.add((s, JKG.note, Literal(f"a {n}")))
        graph.add((s, JKG.note, Literal(f"b {n}")))
        for value in (n, n + 10):
            graph.add((s, JKG["count"], Literal(value, datatype=XSD.integer)))
        for share in (0.5 + n, 1.5 + n):
            graph.add((s, JKG.share, Literal(share, datatype=XSD.double)))
        graph.add((s, JKG.flag, Literal(True)))
        graph.add((s, JKG.flag, Literal(False)))
        # Forward (a later batch's subject, a placeholder first) and to an IRI never a subject.
        graph.add((s, JKG.dependsOn, iri(f"bulk/p{(n + 1) % 6}")))
        graph.add((s, JKG.dependsOn, iri(f"bulk/outside{n % 2}")))
    return graph


def _counts(store: Neo4jStore) -> tuple[int, int, list[str]]:
    records = store.driver.execute_query(
        "MATCH (n:Resource) OPTIONAL MATCH (n)-[r]->() "
        "RETURN count(DISTINCT n) AS nodes, count(r) AS edges, "
        "collect(DISTINCT n.iri + ' ' + n.key)[..0] AS none",
        database_=store.database,
    ).records
    keys = store.driver.execute_query(
        "MATCH (n:Resource) RETURN n.iri + ' ' + n.key AS k ORDER BY k", database_=store.database
    ).records
    return int(records[0]["nodes"]), int(records[0]["edges"]), [r["k"] for r in keys]


def _load(store: Neo4jStore, delta: Graph, size: int) -> tuple[Graph, tuple[int, int, list[str]]]:
    store.clear()
    write_in_batches(store, delta, journal=None, resume=Resume("test"), size=size)
    return store.export(), _counts(store)


@pytest.mark.parametrize("size", [5, 10_000])
def test_the_procedures_store_what_cypher_stores(neo: Neo4jStore, size: int) -> None:
    delta = mixed()
    in_server, counted = _load(neo, delta, size)
    neo.write_in_server = False
    with_cypher, counted_cypher = _load(neo, delta, size)
    assert canonical(in_server) == canonical(with_cypher) == canonical(delta)
    # Nodes, edges and every node's key the same too (placeholders included).
    assert counted == counted_cypher


def test_a_second_load_over_the_first_replaces_values_as_cypher_does(neo: Neo4jStore) -> None:
    delta = mixed()
    again = Graph(store=SimpleMemory())
    for triple in delta:
        again.add(triple)
    s = iri("bulk/p1")
    again.remove((s, RDFS.label, None))
    again.add((s, RDFS.label, Literal("Nieuw", lang="nl")))
    results = []
    for in_server in (True, False):
        neo.write_in_server = in_server
        neo.clear()
        write_in_batches(neo, delta, journal=None, resume=Resume("a"), size=4)
        write_in_batches(neo, again, journal=None, resume=Resume("b"), size=4)
        results.append((canonical(neo.export()), _counts(neo)))
    assert results[0] == results[1]
    assert results[0][0] == canonical(again)


def test_an_edge_whose_end_is_missing_is_counted_out_and_refused(neo: Neo4jStore) -> None:
    with neo.driver.session(database=neo.database) as session:
        made = session.execute_write(
            lambda tx: neo4j_columns.write_edges(
                tx, [], neo.ids.key, {"dependsOn": [[str(iri("nowhere")), [str(iri("x"))]]]}
            )
        )
    assert made == 0  # the Neo4jStore refuses the transaction on this count (_check_edges)
    assert _counts(neo)[:2] == (0, 0)


def test_a_node_that_breaks_a_constraint_is_named_and_nothing_of_its_batch_is_stored(
    neo: Neo4jStore,
) -> None:
    delta = Graph(store=SimpleMemory())
    for n in range(4):
        delta.add((iri(f"c/p{n}"), RDF.type, JKG.Process))
        delta.add((iri(f"c/p{n}"), RDFS.label, Literal("Dubbel" if n >= 2 else f"P{n}", lang="nl")))
    neo.driver.execute_query(
        "CREATE CONSTRAINT columns_test_label IF NOT EXISTS "
        "FOR (n:Process) REQUIRE n.`rdfs_label@nl` IS UNIQUE",
        database_=neo.database,
    )
    try:
        with pytest.raises(StoreError) as failed:
            neo.apply(delta)
    finally:
        neo.driver.execute_query(
            "DROP CONSTRAINT columns_test_label IF EXISTS", database_=neo.database
        )
    message = str(failed.value)
    # The record (the second node with the label) and the field the rule is on.
    assert str(iri("c/p3")) in message
    assert "`rdfs_label@nl` = Dubbel" in message
    assert "already exists" in message
    assert _counts(neo)[:2] == (0, 0)  # not p0 to p2 either: one transaction
