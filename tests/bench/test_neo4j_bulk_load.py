"""The bulk loader writes exactly what ``Neo4jStore.upsert`` writes, into an empty Neo4j."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from bench.neo4j_bulk_load import NotEmptyError, bulk_load
from bench.synthetic import generate
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDF, RDFS, SKOS, XSD
from tests.conftest import BASE, read_fixture

pytestmark = pytest.mark.neo4j


def _organisation() -> Graph:
    """A small synthetic organisation plus the shapes it lacks: lists, other vocabularies."""
    graph = generate(600).graph
    graph += read_fixture("impact_small.ttl")
    odd = URIRef(BASE + "process/odd")
    graph.add((odd, RDF.type, JKG.BackofficeProcess))
    graph.add((odd, RDF.type, SKOS.Concept))  # two labels on one node
    graph.add((odd, RDFS.label, Literal("Een", lang="nl")))
    graph.add((odd, RDFS.label, Literal("Twee", lang="nl")))  # list valued
    graph.add((odd, RDFS.label, Literal("One", lang="en")))
    graph.add((odd, JKG.sequence, Literal(3)))
    graph.add((odd, JKG.sequence, Literal(1)))
    graph.add((odd, JKG.amountEur, Literal("12.50", datatype=XSD.decimal)))
    graph.add((odd, URIRef("urn:x:note"), Literal("outside every vocabulary")))
    graph.add((odd, URIRef("urn:x:seeAlso"), URIRef("urn:x:nowhere")))  # object only
    return graph


def _oxigraph(graph: Graph) -> ox.Store:
    source = ox.Store()
    source.load(graph.serialize(format="nt").encode(), format=ox.RdfFormat.N_TRIPLES)
    return source


def _dump(store: Neo4jStore) -> tuple[list[Any], list[Any]]:
    """Every node (iri, labels, properties) and relationship, in a canonical order."""
    nodes, _, _ = store.driver.execute_query(
        "MATCH (n) WHERE NOT n:JourneykgGeneration AND NOT n:JourneykgChange "
        "RETURN labels(n) AS labels, properties(n) AS props"
    )
    rels, _, _ = store.driver.execute_query(
        "MATCH (s)-[r]->(o) RETURN s.iri AS s, type(r) AS type, properties(r) AS props, o.iri AS o"
    )
    return (
        sorted((r["props"]["iri"], sorted(r["labels"]), sorted(r["props"].items())) for r in nodes),
        sorted((r["s"], r["type"], sorted(r["props"].items()), r["o"]) for r in rels),
    )


def _schema(store: Neo4jStore) -> list[tuple[str, str]]:
    records, _, _ = store.driver.execute_query(
        "SHOW INDEXES YIELD name, type, state WHERE type <> 'LOOKUP' RETURN name, state"
    )
    return sorted((r["name"], r["state"]) for r in records)


def test_bulk_load_writes_what_upsert_writes(neo4j_store: Store) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    graph = _organisation()
    neo4j_store.upsert(graph)
    upserted, schema = _dump(neo4j_store), _schema(neo4j_store)
    neo4j_store.clear()

    result = bulk_load(neo4j_store, _oxigraph(graph), batch=97)

    assert _dump(neo4j_store) == upserted
    assert _schema(neo4j_store) == schema
    assert result["nodes"] + result["placeholders"] == len(upserted[0])
    assert result["relationships"] == len(upserted[1])


def test_bulk_load_refuses_a_database_that_holds_nodes(neo4j_store: Store) -> None:
    assert isinstance(neo4j_store, Neo4jStore)
    graph = read_fixture("impact_small.ttl")
    neo4j_store.upsert(graph)
    before = _dump(neo4j_store)
    with pytest.raises(NotEmptyError, match="empty database"):
        bulk_load(neo4j_store, _oxigraph(graph))
    assert _dump(neo4j_store) == before
