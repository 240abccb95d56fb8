"""Conformance: every literal a store is given comes back as the same RDF term, on both backends.

Property-based over generated literals (tests/graph/literal_strategies.py):
what the embedded store and Neo4j give back must be what was written, up to
RDF 1.1 literal equality and the spellings Oxigraph itself normalises
(:func:`journeykg.graph.canonical.canonical_term`). Each example writes a new
subject into stores kept for the module, so the run takes seconds.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.store import Store
from journeykg.namespaces import XSD
from tests.conftest import BASE
from tests.graph.literal_strategies import RANGED, UNRANGED, comparable, values

_subjects = itertools.count()
NAN = float("nan")


@pytest.fixture(scope="module")
def both(
    tmp_path_factory: pytest.TempPathFactory, neo4j_session_store: Store
) -> Iterator[tuple[Store, Store]]:
    """The embedded store and Neo4j, each emptied once; examples write new subjects."""
    embedded = EmbeddedStore(Path(tmp_path_factory.mktemp("literals")) / "store", BASE)
    neo4j_session_store.clear()
    yield embedded, neo4j_session_store
    embedded.close()


def _given_back(store: Store, subject: URIRef) -> set[tuple[Node, Node]]:
    return {(p, comparable(o)) for _, p, o in store.describe([subject])}


@pytest.mark.neo4j
@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(pairs=values)
# Found before the fix (see the CHANGELOG): each failed on Neo4j, or could not be written.
@example(pairs=[(DCTERMS.issued, Literal("2024-05-01", datatype=XSD.date))])
@example(pairs=[(UNRANGED[1], Literal("1.5", datatype=XSD.decimal))])
@example(pairs=[(RANGED[0], Literal(str(2**63), datatype=XSD.integer))])
@example(pairs=[(UNRANGED[1], Literal(1)), (UNRANGED[1], Literal("een"))])
@example(
    pairs=[(RANGED[2], Literal("0.1", datatype=XSD.decimal)), (RANGED[2], Literal(float("nan")))]
)
def test_both_stores_give_back_every_literal(
    both: tuple[Store, Store], pairs: list[tuple[URIRef, Literal]]
) -> None:
    subject = URIRef(f"{BASE}literal/{next(_subjects)}")
    delta = Graph()
    for predicate, literal in pairs:
        delta.add((subject, predicate, literal))
    written = {(p, comparable(o)) for _, p, o in delta}
    embedded, neo4j = both
    embedded.upsert(delta)
    neo4j.upsert(delta)
    assert _given_back(embedded, subject) == written
    assert _given_back(neo4j, subject) == written
