"""The edges followed by journeykg's plugin (journeykg.edges) equal the Cypher statement's,
which Neo4jStore.edges asks where the plugin is absent.

Every request is asked of the same Neo4j store twice, through the procedure and through
the statement, and the statements sent are recorded, so that a silent fallback cannot
pass for the procedure. The data: the demo organisation with its glossary (as the
product ships them), a generated organisation with hubs and cycles (bench/synthetic.py),
and the odd shapes a graph written by other tools holds (placeholders, nodes of several
types, self-loops, predicates outside the ontology).
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest
from rdflib import Graph, Literal, URIRef

from bench.synthetic import generate
from journeykg.graph.neo4j_edges import PROCEDURE, ServerEdges
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.store import EdgeRequest, Edges
from journeykg.namespaces import JKG, RDF, RDFS
from journeykg.resources import DEMO_DATASET, GLOSSARY_DATASET
from tests.conftest import BASE
from tests.graph.plugin_calls import recorded_store_fixture

pytestmark = pytest.mark.neo4j

#: A piece of the Cypher statement only the fallback sends.
STATEMENT = "UNWIND $n0 AS iri MATCH (a:Resource {iri: iri})"

#: The Neo4j store, empty, its statements recorded in ``neo.sent``.
neo = recorded_store_fixture(ServerEdges, "_server_edges", PROCEDURE, "edges_in_server")


def _both(neo: Neo4jStore, requests: Sequence[EdgeRequest]) -> tuple[Edges, Edges]:
    """The answer through the procedure, then through the statement; each path checked sent."""
    sent: list[str] = neo.sent  # type: ignore[attr-defined]
    sent.clear()
    neo.edges_in_server = True
    by_plugin = neo.edges(requests)
    assert [q for q in sent if PROCEDURE in q], "the procedure was not called"
    assert not [q for q in sent if STATEMENT in q], "the Cypher statement was asked as well"
    sent.clear()
    neo.edges_in_server = False
    by_cypher = neo.edges(requests)
    assert [q for q in sent if STATEMENT in q]
    assert not [q for q in sent if PROCEDURE in q]
    neo.edges_in_server = True
    return by_plugin, by_cypher


def _same(neo: Neo4jStore, requests: Sequence[EdgeRequest]) -> int:
    """Both answers equal (each request's edges in any order, as neither promises one);
    how many edges they hold."""
    by_plugin, by_cypher = _both(neo, requests)
    assert [sorted(f) for f in by_plugin.found] == [sorted(f) for f in by_cypher.found]
    assert by_plugin.types == by_cypher.types
    assert len(by_plugin.found) == len(requests)
    return sum(len(f) for f in by_plugin.found)


def _requests(graph: Graph, rng: random.Random) -> list[list[EdgeRequest]]:
    """Each predicate between two IRIs, forward and inverse, from every node that has it,
    shuffled into combinations of one to eight requests, as a walk's hop asks them; then
    some again from half their nodes, beside another request of the same predicate.

    (Each combination is a text the statement's server plans: a few dozen, not one per
    predicate, keep the fallback's side of the test to seconds.)"""
    requests: list[EdgeRequest] = []
    predicates = sorted({str(p) for _, p, o in graph if isinstance(o, URIRef) and p != RDF.type})
    for predicate in predicates:
        sources = sorted({str(s) for s in graph.subjects(URIRef(predicate), None)})
        targets = sorted({str(o) for o in graph.objects(None, URIRef(predicate))})
        requests.append(EdgeRequest(predicate, sources))
        requests.append(EdgeRequest(predicate, targets, True))
    rng.shuffle(requests)
    batches: list[list[EdgeRequest]] = []
    while requests:
        size = rng.randint(1, 8)
        batches.append(requests[:size])
        del requests[:size]
    for batch in batches[:3]:
        first = batch[0]
        half = rng.sample(list(first.nodes), (len(first.nodes) + 1) // 2)
        batch.append(EdgeRequest(first.predicate, half, first.inverse))
    return batches


@pytest.mark.parametrize("organisation", ["demo", "synthetic"])
def test_the_procedure_follows_what_the_statement_follows(
    neo: Neo4jStore, organisation: str
) -> None:
    if organisation == "demo":
        graph = Graph().parse(DEMO_DATASET, format="turtle")
        graph += Graph().parse(GLOSSARY_DATASET, format="turtle")
    else:
        graph = generate(1_500).graph
    neo.upsert(graph)
    followed = sum(_same(neo, batch) for batch in _requests(graph, random.Random(20)))
    # Every edge between two IRIs, once forward and once inverse (and some again).
    assert followed >= 2 * sum(1 for _, p, o in graph if isinstance(o, URIRef) and p != RDF.type)


def test_odd_nodes_duplicates_and_names_outside_the_ontology(neo: Neo4jStore) -> None:
    def iri(key: str) -> URIRef:
        return URIRef(BASE + key)

    graph = Graph()
    process, loop, twice = iri("process/a"), iri("process/loop"), iri("system/twice")
    graph.add((process, RDF.type, JKG.BackofficeProcess))
    graph.add((process, RDFS.label, Literal("A", lang="nl")))
    # A placeholder: only ever an object, a Resource node without another label.
    graph.add((process, JKG.dependsOn, iri("process/ghost")))
    graph.add((process, JKG.usesSystem, twice))
    # A node of two types: the labels come in the server's order either way.
    graph.add((twice, RDF.type, JKG.ITSystem))
    graph.add((twice, RDF.type, JKG.Aardvark))
    graph.add((loop, RDF.type, JKG.BackofficeProcess))
    graph.add((loop, JKG.dependsOn, loop))  # a self-loop, followed once each way
    # A predicate no ontology names: its relationship type is the whole IRI, quoted.
    other = URIRef("https://other.example/vocab#linked`to")
    graph.add((process, other, loop))
    neo.upsert(graph)
    nodes = [str(process), str(loop), str(process), str(iri("process/never-stored"))]
    requests = [
        EdgeRequest(str(JKG.dependsOn), nodes),
        EdgeRequest(str(JKG.dependsOn), nodes, True),
        EdgeRequest(str(JKG.usesSystem), nodes),
        EdgeRequest(str(other), nodes),
        EdgeRequest(str(other), [str(loop)], True),
        EdgeRequest(str(JKG.costOf), nodes),  # a type no relationship has
        EdgeRequest(str(JKG.dependsOn), []),
    ]
    _same(neo, requests)
    by_plugin = neo.edges(requests)
    a, ghost, looped = str(process), str(iri("process/ghost")), str(loop)
    # process/a asked twice: its edges twice, as the statement's grouping gives them.
    assert sorted(by_plugin.found[0]) == sorted([(a, ghost), (a, ghost), (looped, looped)])
    assert by_plugin.found[1] == [(looped, looped)]
    assert by_plugin.found[3] == [(a, looped), (a, looped)]
    assert by_plugin.found[4] == [(looped, a)]
    assert by_plugin.found[5] == []
    assert by_plugin.found[6] == []
    assert ghost not in by_plugin.types  # a bare placeholder has no type to learn
    assert set(by_plugin.types[str(twice)]) == {str(JKG.ITSystem), str(JKG.Aardvark)}


def test_no_requests_ask_nothing(neo: Neo4jStore) -> None:
    sent: list[str] = neo.sent  # type: ignore[attr-defined]
    sent.clear()
    assert neo.edges([]) == Edges([], {})
    assert sent == []
