"""The conformance suite: every case runs on both backends and must give the same answer.

Impact answers on ``impact_small.ttl`` were worked out by hand (see the
fixture's header); the demo organisation is compared across backends.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import to_isomorphic

from journeykg.graph import ImpactAnswer, Store, UnknownElementError, UnsupportedElementError
from journeykg.namespaces import JKG, RDF, RDFS, XSD
from journeykg.resources import DEMO_DATASET
from tests.conftest import BASE, read_fixture


def iri(key: str) -> URIRef:
    return URIRef(BASE + key)


def ids(items: object) -> list[tuple[str, int]]:
    return [(a.element.id, a.hops) for a in items]  # type: ignore[attr-defined]


@pytest.fixture
def small(store: Store) -> Store:
    store.upsert(read_fixture("impact_small.ttl"))
    return store


# --- writing and reading back ----------------------------------------------


def test_upsert_then_export_gives_back_the_same_triples(store: Store) -> None:
    data = read_fixture("impact_small.ttl")
    store.upsert(data)
    assert to_isomorphic(store.export()) == to_isomorphic(data)


def test_typed_literals_survive_the_round_trip(store: Store) -> None:
    cost = iri("cost/c1")
    data = Graph()
    data.add((cost, RDF.type, JKG.Cost))
    data.add((cost, JKG.amountEur, Literal(Decimal("1250.5"), datatype=XSD.decimal)))
    data.add((cost, JKG.period, Literal("2025", datatype=XSD.gYear)))
    data.add((cost, RDFS.label, Literal("Kosten facturatie", lang="nl")))
    data.add((cost, RDFS.label, Literal("Billing cost", lang="en")))
    data.add((cost, JKG.costOf, iri("process/x")))
    store.upsert(data)
    assert to_isomorphic(store.describe([cost])) == to_isomorphic(data)


def test_upsert_replaces_the_values_of_each_subject_and_predicate(store: Store) -> None:
    store.upsert(read_fixture("impact_small.ttl"))
    change = Graph()
    change.add((iri("process/b"), JKG.dependsOn, iri("process/z")))
    change.add((iri("process/b"), RDFS.label, Literal("Adressen", lang="nl")))
    store.upsert(change)
    described = store.describe([iri("process/b")])
    assert set(described.objects(iri("process/b"), JKG.dependsOn)) == {iri("process/z")}
    assert set(described.objects(iri("process/b"), RDFS.label)) == {Literal("Adressen", lang="nl")}
    assert (iri("process/b"), RDF.type, JKG.BackofficeProcess) in described


def test_writing_the_same_delta_twice_changes_nothing(store: Store) -> None:
    data = read_fixture("impact_small.ttl")
    store.upsert(data)
    first = to_isomorphic(store.export())
    store.upsert(data)
    assert to_isomorphic(store.export()) == first


def test_follow_forward_and_inverse(small: Store) -> None:
    forward = small.follow(JKG.dependsOn, [iri("process/b")])
    assert sorted(forward) == [
        (iri("process/b"), iri("process/a")),
        (iri("process/b"), iri("process/x")),
    ]
    inverse = small.follow(JKG.dependsOn, [iri("process/x")], inverse=True)
    assert sorted(inverse) == [
        (iri("process/x"), iri("process/b")),
        (iri("process/x"), iri("process/d")),
    ]


def test_resolve_by_key_and_by_iri(small: Store) -> None:
    by_key = small.resolve("process/x")
    assert by_key.iri == BASE + "process/x"
    assert by_key.type == "BackofficeProcess"
    assert by_key.label == "Klantdata"
    assert small.resolve(BASE + "process/x") == by_key


def test_unknown_id_is_an_error_not_an_empty_answer(small: Store) -> None:
    with pytest.raises(UnknownElementError, match="process/bestaat-niet"):
        small.impact("process/bestaat-niet")


def test_an_iri_that_is_only_an_object_does_not_exist(store: Store) -> None:
    data = Graph()
    data.add((iri("process/a"), JKG.dependsOn, iri("process/ghost")))
    store.upsert(data)
    with pytest.raises(UnknownElementError):
        store.resolve("process/ghost")


# --- impact, checked against answers worked out by hand -----------------------


def test_impact_follows_dependencies_transitively_through_a_cycle(small: Store) -> None:
    answer = small.impact("process/x")
    assert answer.is_complete
    assert ids(answer.processes) == [("process/b", 1), ("process/d", 1), ("process/a", 2)]
    assert ids(answer.touchpoints) == [("touchpoint/t2", 2), ("touchpoint/t1", 3)]
    assert ids(answer.steps) == [("step/j2", 3), ("step/j1", 4)]
    assert ids(answer.journeys) == [("journey/j", 4)]
    assert ids(answer.contact_reasons) == [("reason/r", 5)]
    assert ids(answer.phases) == [("phase/p", 6)]
    assert ids(answer.lifecycle_stages) == [("stage/s", 7)]
    assert ids(answer.owners) == [("owner/o", 5)]
    assert len(answer.paths) == 1
    assert answer.paths[0].journey.id == "journey/j"
    assert answer.paths[0].paths == (
        ("process/x", "process/d", "touchpoint/t2", "step/j2", "journey/j"),
        ("process/x", "process/b", "process/a", "touchpoint/t1", "step/j1", "journey/j"),
    )


def test_impact_cut_by_max_hops_says_it_is_incomplete(small: Store) -> None:
    answer = small.impact("process/x", max_hops=3)
    assert not answer.is_complete
    assert ids(answer.processes) == [("process/b", 1), ("process/d", 1), ("process/a", 2)]
    assert ids(answer.touchpoints) == [("touchpoint/t2", 2), ("touchpoint/t1", 3)]
    assert ids(answer.steps) == [("step/j2", 3)]
    assert answer.journeys == ()
    assert answer.paths == ()


def test_impact_within_the_limit_is_complete(small: Store) -> None:
    assert small.impact("process/x", max_hops=7).is_complete
    assert not small.impact("process/x", max_hops=6).is_complete


def test_impact_of_a_process_in_the_middle_of_a_cycle(small: Store) -> None:
    answer = small.impact("process/a")
    assert ids(answer.processes) == [("process/b", 1)]
    assert ids(answer.touchpoints) == [("touchpoint/t1", 1)]
    assert answer.paths[0].paths == (("process/a", "touchpoint/t1", "step/j1", "journey/j"),)


def test_impact_of_a_process_nothing_depends_on(small: Store) -> None:
    answer = small.impact("process/y")
    assert answer.is_complete
    assert answer.processes == ()
    assert answer.journeys == ()


def test_impact_of_something_that_is_not_a_process_is_refused(small: Store) -> None:
    with pytest.raises(UnsupportedElementError, match="Journey"):
        small.impact("journey/j")


def test_negative_max_hops_is_refused(small: Store) -> None:
    with pytest.raises(ValueError, match="maxHops"):
        small.impact("process/x", max_hops=-1)


# --- both backends, same answers on the demo organisation ----------------------


@pytest.fixture(scope="module")
def demo() -> Graph:
    return Graph().parse(DEMO_DATASET, format="turtle")


def _all_impacts(store: Store, demo: Graph) -> dict[str, ImpactAnswer]:
    processes = sorted(str(p) for p in demo.subjects(RDF.type, JKG.BackofficeProcess))
    return {p: store.impact(p) for p in processes}


def test_both_backends_give_identical_impact_on_the_demo(
    embedded_store: Store, neo4j_store: Store, demo: Graph
) -> None:
    embedded_store.upsert(demo)
    neo4j_store.upsert(demo)
    embedded = _all_impacts(embedded_store, demo)
    neo4j = _all_impacts(neo4j_store, demo)
    assert embedded == neo4j
    assert any(answer.journeys for answer in embedded.values())
