"""rdflib's own indexes, read by validation/graph_index.py, answer as rdflib's API does."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.stores.memory import Memory, SimpleMemory
from rdflib.store import Store

from bench.synthetic import generate
from journeykg.validation.graph_index import iri_objects_of, subject_index, subjects_of
from journeykg.validation.subject_memory import SubjectMemory

A, B, C = (URIRef(f"https://id.example/{x}") for x in "abc")
P = URIRef("https://id.example/p")


def _graph(store: Store) -> Graph:
    graph = Graph(store=store)
    for triple in generate(100).graph:
        graph.add(triple)
    graph.add((A, P, B))
    graph.add((A, P, BNode("x")))
    graph.add((BNode("y"), P, C))
    graph.add((C, P, Literal("c")))
    return graph


@pytest.mark.parametrize(
    "make", [SimpleMemory, SubjectMemory, Memory], ids=["context-free", "lazy", "contexts"]
)
def test_subjects_and_objects_are_those_the_api_gives(make: type[Store]) -> None:
    graph = _graph(make())
    for triple in list(graph.triples((C, None, None))):
        graph.remove(triple)  # C no longer a subject: rdflib keeps its emptied entry
    graph.remove((A, P, B))
    graph.remove((None, None, B))  # nothing points at B any more
    assert subjects_of(graph) == {s for s in graph.subjects() if isinstance(s, URIRef)}
    assert iri_objects_of(graph) == {o for o in graph.objects() if isinstance(o, URIRef)}
    assert C not in subjects_of(graph)
    assert B not in iri_objects_of(graph)


def test_the_index_is_read_only_where_rdflib_keeps_it() -> None:
    assert subject_index(Graph(store=Memory())) is None
    graph = _graph(SimpleMemory())
    index = subject_index(graph)
    assert index is not None
    assert {p: set(os) for p, os in index[A].items()} == {
        p: set(graph.objects(A, p)) for p in graph.predicates(A)
    }
