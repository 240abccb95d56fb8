"""Impact walks taken in Neo4j (the journeykg.walk procedure) equal the hop-by-hop walk.

Every question here is asked twice of the same Neo4j store: through the
procedure (with the hop-by-hop primitive made to fail, so that a silent
fallback cannot pass for the procedure) and hop by hop, the walk every
other store takes and the conformance suite checks against hand-worked
answers. The answers must be equal in every field: elements, hops, parents,
relations, labels, edges and cut points, and the first pages with their
``more`` flags.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import pytest
from rdflib import Graph, Literal, URIRef

from bench.synthetic import generate
from journeykg.graph.elements import resolve
from journeykg.graph.impact import impact, start_impact
from journeykg.graph.model import ImpactAnswer
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.relations import IMPACT_ROOTS, Direction, Relation
from journeykg.graph.store import Capability, Store
from journeykg.namespaces import JKG, RDF, RDFS, SKOS
from journeykg.resources import DEMO_DATASET, GLOSSARY_DATASET
from tests.conftest import BASE, read_fixture

pytestmark = pytest.mark.neo4j

T = TypeVar("T")


@pytest.fixture
def neo(neo4j_store: Store, monkeypatch: pytest.MonkeyPatch) -> Iterator[Neo4jStore]:
    """The Neo4j store, empty, with the plugin installed (a failure where it must be)."""
    assert isinstance(neo4j_store, Neo4jStore)
    if Capability.SERVER_WALK not in neo4j_store.capabilities:
        # As tests/conftest.py does for the server: in CI the plugin must be there.
        if os.environ.get("JOURNEYKG_REQUIRE_NEO4J_PLUGIN") or os.environ.get("CI"):
            pytest.fail("the test server was started without journeykg's plugin (journeykg.walk)")
        pytest.skip("this Neo4j has no journeykg plugin: tools/neo4j/neo4j-server plugin")
    yield neo4j_store
    neo4j_store.walk_in_server = True


@contextmanager
def _hop_by_hop(store: Neo4jStore) -> Iterator[None]:
    store.walk_in_server = False
    try:
        yield
    finally:
        store.walk_in_server = True


def _in_server(store: Neo4jStore, monkeypatch: pytest.MonkeyPatch, ask: Callable[[], T]) -> T:
    def no_hops(*_: object) -> Any:
        raise AssertionError("the walk went hop by hop instead of through journeykg.walk")

    with monkeypatch.context() as patch:
        patch.setattr(store, "edges", no_hops)
        return ask()


def _same(store: Neo4jStore, monkeypatch: pytest.MonkeyPatch, ask: Callable[[], T]) -> T:
    """``ask()`` through the procedure and hop by hop: equal, or the test fails."""
    in_server = _in_server(store, monkeypatch, ask)
    with _hop_by_hop(store):
        hop_by_hop = ask()
    assert in_server == hop_by_hop
    return in_server


def _impacts(
    store: Neo4jStore,
    monkeypatch: pytest.MonkeyPatch,
    questions: list[str],
    **kwargs: Any,
) -> int:
    """Every question in both directions, compared; how many elements the answers hold."""
    total = 0
    for question in questions:
        for direction in Direction:

            def ask(question: str = question, direction: Direction = direction) -> ImpactAnswer:
                return impact(store, question, direction=direction, **kwargs)

            total += len(_same(store, monkeypatch, ask).affected)
    return total


def _pages(store: Neo4jStore, monkeypatch: pytest.MonkeyPatch, question: str) -> None:
    """First pages of several sizes, then the whole answer, from one walk each."""
    for size in (1, 2, 5, 50):

        def ask(size: int = size) -> Any:
            walk = start_impact(store, question)
            return walk.first(size), walk.answer()

        _same(store, monkeypatch, ask)


def _roots(graph: Graph, *kinds: URIRef) -> list[str]:
    return sorted(str(e) for kind in kinds for e in graph.subjects(RDF.type, kind))


def test_the_small_organisation_with_every_limit_and_filter(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = read_fixture("impact_small.ttl")
    # A placeholder: only ever an object; its edge counts as cut, as hop by hop.
    data.add((URIRef(BASE + "process/a"), JKG.dependsOn, URIRef(BASE + "process/ghost")))
    neo.upsert(data)
    questions = [*sorted({str(s) for s in data.subjects(RDF.type)}), "jkg:NPS", "jkg:CES"]
    roots = [q for q in questions if _is_root(neo, q)]
    assert _impacts(neo, monkeypatch, roots) > 50
    for max_hops in (0, 1, 3, 6):
        _impacts(neo, monkeypatch, roots, max_hops=max_hops)
    for via in ([Relation.DEPENDS_ON], [Relation.SUPPORTED_BY, Relation.AT_STEP]):
        _impacts(neo, monkeypatch, roots, via=via)
    cut = _same(neo, monkeypatch, lambda: impact(neo, "process/a", 0, direction=Direction.UPSTREAM))
    assert [(c.element.id, c.edges_beyond) for c in cut.cut] == [("process/a", 2)]
    _pages(neo, monkeypatch, "process/x")


def _is_root(store: Store, question: str) -> bool:
    return resolve(store, question).type in IMPACT_ROOTS


def test_the_demo_organisation_and_its_glossary(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    demo = Graph().parse(DEMO_DATASET, format="turtle")
    glossary = Graph().parse(GLOSSARY_DATASET, format="turtle")
    neo.upsert(demo + glossary)
    kinds = (JKG.BackofficeProcess, JKG.ITSystem, JKG.Channel, JKG.ContactReason, JKG.Journey)
    assert _impacts(neo, monkeypatch, _roots(demo, *kinds)) > 1_000
    assert _impacts(neo, monkeypatch, _roots(demo, JKG.LifecycleStage), max_hops=2) > 0
    # Entry chains: a concept reaches what its definition explains (jkg:FCR, a class
    # IRI only the ontology knows), and those go on as if they were the root.
    concepts = _roots(glossary, SKOS.Concept)
    assert concepts
    assert _impacts(neo, monkeypatch, concepts) > 0
    _pages(neo, monkeypatch, "process/kredietcheck")


def test_synthetic_organisations_with_hubs_and_cycles(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    org = generate(3_000)
    neo.upsert(org.graph)
    rng = random.Random(5)
    questions = rng.sample(org.processes, 12) + org.hubs[:2] + org.framework[:4]
    questions += org.systems[:2]
    assert _impacts(neo, monkeypatch, questions) > 2_000
    _impacts(neo, monkeypatch, org.hubs[:2] + questions[:4], max_hops=2)
    for hub in org.hubs[:2]:
        _pages(neo, monkeypatch, hub)


def test_a_first_page_stops_the_walk_early(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    neo.upsert(read_fixture("impact_small.ttl"))
    walk = start_impact(neo, "process/x")
    page, more = _in_server(neo, monkeypatch, lambda: walk.first(2))
    assert [a.element.id for a in page] == ["process/b", "process/d"]
    assert more
    assert not walk.done


def test_labels_added_after_the_first_walk_are_learned(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    neo.upsert(read_fixture("impact_small.ttl"))
    _same(neo, monkeypatch, lambda: impact(neo, "process/x"))  # the procedure's schema is cached
    late = Graph()
    odd = URIRef(BASE + "process/odd")
    late.add((odd, RDF.type, JKG.BackofficeProcess))
    late.add((odd, RDF.type, JKG.Aardvark))  # a new label, alphabetically first: its class
    late.add((odd, RDFS.label, Literal("Vreemd", lang="nl")))
    late.add((odd, JKG.dependsOn, URIRef(BASE + "process/x")))
    neo.upsert(late)
    answer = _same(neo, monkeypatch, lambda: impact(neo, "process/x"))
    assert ("process/odd", "Aardvark") in [(a.element.id, a.element.type) for a in answer.affected]


def test_parent_and_relation_are_chosen_in_pythons_order(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Java orders a character above U+FFFF (a surrogate pair) before U+E000; Python after.
    root, touchpoint = URIRef(BASE + "process/root"), URIRef(BASE + "touchpoint/t")
    data = Graph()
    data.add((root, RDF.type, JKG.BackofficeProcess))
    data.add((touchpoint, RDF.type, JKG.Touchpoint))
    for local in ("\U0001f600", "\ue000"):
        process = URIRef(BASE + "process/" + local)
        data.add((process, RDF.type, JKG.BackofficeProcess))
        data.add((process, JKG.dependsOn, root))
        data.add((touchpoint, JKG.supportedBy, process))
    # Reached from one source along two relations: the first name wins.
    both = URIRef(BASE + "process/both")
    data.add((both, RDF.type, JKG.BackofficeProcess))
    data.add((both, RDF.type, JKG.Touchpoint))
    data.add((both, JKG.supportedBy, root))
    data.add((both, JKG.dependsOn, root))
    neo.upsert(data)
    answer = _same(neo, monkeypatch, lambda: impact(neo, "process/root"))
    reached = {a.element.id: (a.parent, a.relation) for a in answer.affected}
    assert reached["touchpoint/t"] == ("process/\ue000", "SUPPORTED_BY")
    assert reached["process/both"] == ("process/root", "DEPENDS_ON")


def test_an_element_reached_by_an_entry_rule_goes_on_as_an_entry(
    neo: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # At hop 2 the KPI is reached twice: from the journey (measures, not an entry
    # rule; its IRI sorts first, so it is the parent) and from jkg:NPS (kpiType, an
    # entry rule). Either makes it an entry, so it goes on to what it measures.
    concept, journey = URIRef(BASE + "concept/c"), URIRef(BASE + "journey/j")
    kpi, touchpoint = URIRef(BASE + "kpi/k"), URIRef(BASE + "touchpoint/t")
    data = Graph()
    data.add((concept, RDF.type, SKOS.Concept))
    data.add((concept, JKG.explains, JKG.NPS))
    data.add((concept, JKG.explains, journey))
    data.add((journey, RDF.type, JKG.Journey))
    data.add((kpi, RDF.type, JKG.KPI))
    data.add((kpi, JKG.kpiType, JKG.NPS))
    data.add((kpi, JKG.measures, journey))
    data.add((kpi, JKG.measures, touchpoint))
    data.add((touchpoint, RDF.type, JKG.Touchpoint))
    neo.upsert(data)
    answer = _same(neo, monkeypatch, lambda: impact(neo, "concept/c"))
    assert [(a.element.id, a.hops, a.parent) for a in answer.affected] == [
        ("journey/j", 1, "concept/c"),
        ("jkg:NPS", 1, "concept/c"),
        ("kpi/k", 2, "journey/j"),
        ("touchpoint/t", 3, "kpi/k"),
    ]
