"""What only the Neo4j backend promises: schema, property-graph shape, atomic batches."""

from __future__ import annotations

from typing import Any

import neo4j
import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.canonical import canonical
from journeykg.graph.elements import resolve
from journeykg.graph.errors import StoreError
from journeykg.graph.neo4j_store import BATCH_SIZE, Neo4jStore
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDF, RDFS
from tests.conftest import BASE, read_fixture

pytestmark = pytest.mark.neo4j


def _neo4j(store: Store) -> Neo4jStore:
    assert isinstance(store, Neo4jStore)
    return store


def test_the_iri_is_unique_under_a_constraint(neo4j_store: Store) -> None:
    records, _, _ = _neo4j(neo4j_store).driver.execute_query(
        "SHOW CONSTRAINTS YIELD name, labelsOrTypes, properties"
    )
    assert any(r["labelsOrTypes"] == ["Resource"] and r["properties"] == ["iri"] for r in records)


def _schema(store: Neo4jStore) -> dict[str, str | None]:
    records, _, _ = store.driver.execute_query(
        "SHOW INDEXES YIELD name, owningConstraint WHERE name IN $names "
        "RETURN name, owningConstraint",
        names=["resource_iri", "resource_key", "sync_lease_source", "element_lease_iri",
               "generation_id"],
    )  # fmt: skip
    return {record["name"]: record["owningConstraint"] for record in records}


def test_opening_a_store_makes_only_the_schema_it_lacks(
    neo4j_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _neo4j(neo4j_store)
    whole = _schema(first)
    assert len(whole) == 5
    first.driver.execute_query("DROP INDEX resource_key")
    first.driver.execute_query("DROP CONSTRAINT generation_id")
    sent: list[str] = []
    execute_query = neo4j.Driver.execute_query

    def recorded(driver: neo4j.Driver, query: Any, *args: Any, **kwargs: Any) -> Any:
        sent.append(" ".join(str(query).split()[:2]))
        return execute_query(driver, query, *args, **kwargs)

    monkeypatch.setattr(neo4j.Driver, "execute_query", recorded)
    reopened = Neo4jStore(first.uri, BASE, first.mapping, database=first.database)
    try:
        assert _schema(reopened) == whole  # made again, the constraint owning its index
        assert sent.count("CREATE CONSTRAINT") == 4
        assert sent.count("CREATE INDEX") == 1
        sent.clear()
        Neo4jStore(first.uri, BASE, first.mapping, database=first.database).close()
        # All there: one listing and the generation's MERGE, no CREATE statement.
        assert sent == ["SHOW INDEXES", "MERGE (g:JourneykgGeneration"]
    finally:
        reopened.close()


def test_the_graph_reads_naturally_in_cypher(neo4j_store: Store) -> None:
    neo4j_store.upsert(read_fixture("impact_small.ttl"))
    records, _, _ = _neo4j(neo4j_store).driver.execute_query(
        "MATCH (a:BackofficeProcess)-[:dependsOn]->(x:BackofficeProcess {key: 'process/x'}) "
        "RETURN a.key AS key, a.`rdfs_label@nl` AS label ORDER BY key"
    )
    assert [(r["key"], r["label"]) for r in records] == [
        ("process/b", "Adresbeheer"),
        ("process/d", "Planning"),
    ]


def test_a_failing_batch_rolls_back_the_whole_delta(neo4j_store: Store) -> None:
    neo4j_store.upsert(read_fixture("impact_small.ttl"))
    before = canonical(neo4j_store.export())
    delta = Graph()
    # Enough subjects for several batches; the last one cannot be stored (Neo4j
    # refuses a relationship type with a NUL byte), so the earlier batches must
    # roll back. (Values of mixed types under one name no longer fail: they are
    # stored as their texts, see graph/property_graph.py.)
    for n in range(BATCH_SIZE + 10):
        delta.add((URIRef(f"{BASE}process/new-{n}"), RDF.type, JKG.BackofficeProcess))
    broken = URIRef(f"{BASE}process/zz-broken")
    delta.add((broken, URIRef("http://example.org/vocab#un\x00storable"), URIRef(f"{BASE}x")))
    with pytest.raises(StoreError):
        neo4j_store.upsert(delta)
    assert canonical(neo4j_store.export()) == before


def test_an_unreachable_server_is_a_clear_error() -> None:
    from journeykg.graph.property_graph import PropertyGraphMapping

    with pytest.raises(StoreError, match="unreachable"):
        Neo4jStore("bolt://127.0.0.1:9", BASE, PropertyGraphMapping())


def test_label_removal_when_types_are_replaced(neo4j_store: Store) -> None:
    subject = URIRef(BASE + "process/x")
    first = Graph()
    first.add((subject, RDF.type, JKG.BackofficeProcess))
    first.add((subject, RDFS.label, Literal("x", lang="nl")))
    neo4j_store.upsert(first)
    second = Graph()
    second.add((subject, RDF.type, JKG.ITSystem))
    neo4j_store.upsert(second)
    assert resolve(neo4j_store, "process/x").type == "ITSystem"


def test_clear_deletes_in_batches_until_nothing_is_left(
    neo4j_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import journeykg.graph.neo4j_store as backend

    neo4j_store.upsert(read_fixture("impact_small.ttl"))
    count = "MATCH (n:Resource) RETURN count(n) AS n"
    records, _, _ = _neo4j(neo4j_store).driver.execute_query(count)
    assert records[0]["n"] > 3
    # Batches far smaller than the graph: several transactions, and still all of it.
    monkeypatch.setattr(backend, "CLEAR_BATCH", 3)
    neo4j_store.clear()
    records, _, _ = _neo4j(neo4j_store).driver.execute_query(count)
    assert records[0]["n"] == 0
    assert len(neo4j_store.export()) == 0
