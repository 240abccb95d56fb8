"""The gate's view of a store, on both backends: what it answers from a read the caller made
already is what the store would have answered."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from journeykg.graph.gate_view import GateView
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDF, RDFS, XSD
from tests.conftest import BASE

A, B, C = (URIRef(f"{BASE}reason/{name}") for name in ("a", "b", "c"))


def _organisation(store: Store) -> None:
    graph = Graph()
    for reason, label in ((A, "Verhuizen"), (B, "Storing"), (C, "Factuur")):
        graph.add((reason, RDF.type, JKG.ContactReason))
        graph.add((reason, RDFS.label, Literal(label, lang="nl")))
    graph.add((A, JKG.inPhase, B))
    store.upsert(graph)


def _set(graph: Graph) -> set[tuple[object, object, object]]:
    return set(graph.triples((None, None, None)))


def test_a_view_with_a_read_answers_as_the_store(store: Store) -> None:
    _organisation(store)
    read = store.describe([A, B])
    view = GateView(store, read, frozenset({A, B}))
    # Known subjects from the read, the others from the store, and a subject nothing is
    # stored about: the store's own answer, triple for triple.
    for asked in ([A], [A, C], [B, C, URIRef(f"{BASE}reason/none")], [C]):
        assert _set(view.describe(asked)) == _set(store.describe(asked)), asked


def test_a_view_answers_the_known_subjects_from_the_read(store: Store) -> None:
    _organisation(store)
    read = store.describe([A])
    store.upsert(Graph().add((A, RDFS.comment, Literal("later"))))
    # What the caller read (before the write) stands for A: the view is of that moment.
    then = GateView(store, read, frozenset({A})).describe([A])
    assert list(then.objects(A, RDFS.comment)) == []
    assert [str(o) for o in GateView(store).describe([A]).objects(A, RDFS.comment)] == ["later"]


def test_describe_only_is_describe_cut_down(store: Store) -> None:
    """Every kind of stored value (a language, a range's datatype, another datatype, a
    list, a link, a type) comes back as describe gives it, and nothing else."""
    graph = Graph()
    graph.add((A, RDF.type, JKG.ContactVolume))
    graph.add((A, RDFS.label, Literal("Verhuizen", lang="nl")))
    graph.add((A, RDFS.label, Literal("Moving", lang="en")))
    graph.add((A, JKG.contacts, Literal(12)))
    graph.add((A, JKG.periodStart, Literal("2025-01-01", datatype=XSD.date)))
    graph.add((A, JKG.periodEnd, Literal("2025-01-31")))  # not the range's datatype
    graph.add((A, JKG.volumeOf, B))
    graph.add((A, JKG.viaChannel, C))
    graph.add((B, JKG.contacts, Literal(3)))
    store.upsert(graph)
    described = store.describe([A, B, C])
    for predicates in (
        [JKG.contacts, JKG.periodStart, JKG.periodEnd, JKG.volumeOf],
        [RDFS.label, RDF.type],
        [JKG.viaChannel],
        [],
    ):
        want = {t for t in described if t[1] in predicates}
        assert _set(store.describe_only([A, B, C], predicates)) == want, predicates
