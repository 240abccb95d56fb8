"""SubjectMemory answers every pattern as rdflib's SimpleMemory does; indexes built when asked."""

from __future__ import annotations

import itertools

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from bench.synthetic import generate
from journeykg.namespaces import RDF, SKOS
from journeykg.validation.graph_index import iri_objects_of, subject_index
from journeykg.validation.subject_memory import SubjectMemory

X = URIRef("https://id.example/x")
P = URIRef("https://id.example/p")


def _pair() -> tuple[Graph, Graph]:
    """The same organisation (the benchmarks' generator) in rdflib's store and in ours."""
    theirs, ours = Graph(store=SimpleMemory()), Graph(store=SubjectMemory())
    for triple in generate(60).graph:
        theirs.add(triple)
        ours.add(triple)
    return theirs, ours


def _patterns(graph: Graph) -> list[tuple[Node | None, Node | None, Node | None]]:
    """Every shape of pattern, with terms the graph holds and one it does not."""
    s, p, o = next(iter(sorted(graph.triples((None, RDF.type, None)))))
    return [
        (a, b, c)
        for a, b, c in itertools.product((None, s, X), (None, p, RDF.type, P), (None, o, X))
    ]


def _same(theirs: Graph, ours: Graph) -> None:
    for pattern in _patterns(theirs):
        assert set(ours.triples(pattern)) == set(theirs.triples(pattern)), pattern
    assert len(ours) == len(theirs)
    assert iri_objects_of(ours) == iri_objects_of(theirs)


def test_reading_by_subject_builds_no_other_index() -> None:
    _, ours = _pair()
    store = ours.store
    assert isinstance(store, SubjectMemory)
    subject = next(iter(subject_index(ours) or {}))
    list(ours.triples((subject, None, None)))
    list(ours)  # every triple, read from the subject index
    iri_objects_of(ours)
    assert not store.indexed_predicates
    assert not store.object_index_built
    list(ours.subjects(RDF.type, SKOS.Concept))
    assert store.indexed_predicates == {RDF.type}  # that predicate's entries only
    list(ours.objects(None, SKOS.prefLabel))
    assert store.indexed_predicates == {RDF.type, SKOS.prefLabel}
    assert not store.object_index_built
    list(ours.subjects(None, X))
    assert store.object_index_built


def test_every_pattern_answers_as_rdflib_before_and_after_the_indexes_are_built() -> None:
    theirs, ours = _pair()
    _same(theirs, ours)  # the first pattern by predicate builds that index, then by object


@pytest.mark.parametrize("build", ["none", "predicate", "object", "both"])
def test_adds_and_removes_keep_every_built_index_true(build: str) -> None:
    theirs, ours = _pair()
    if build in ("predicate", "both"):
        list(ours.triples((None, RDF.type, None)))
    if build in ("object", "both"):
        list(ours.triples((None, None, SKOS.Concept)))
    iri_objects_of(ours)  # kept, then forgotten by the changes below
    subject = sorted(s for s in theirs.subjects(RDF.type, None) if isinstance(s, URIRef))[0]
    klass = theirs.value(subject, RDF.type)
    new = URIRef("https://id.example/new")
    for graph in (theirs, ours):
        graph.add((X, P, new))
        graph.add((X, RDF.type, SKOS.Concept))
        graph.add((subject, P, Literal("added")))
        graph.remove((subject, RDF.type, None))
        graph.remove((None, None, klass))
    _same(theirs, ours)
    assert new in iri_objects_of(ours)
    assert klass not in iri_objects_of(ours)
    for graph in (theirs, ours):
        graph.remove((X, P, new))
    _same(theirs, ours)
    assert new not in iri_objects_of(ours)
