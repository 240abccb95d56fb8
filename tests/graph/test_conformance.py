"""The conformance suite: every case runs on both backends and must give the same answer.

Impact answers on ``impact_small.ttl`` were worked out by hand (see the
fixture's header); the demo organisation is compared across backends.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from journeykg.graph.canonical import canonical
from journeykg.graph.edges import follow
from journeykg.graph.elements import classes, labels, refs, resolve
from journeykg.graph.errors import UnknownElementError, UnsupportedElementError
from journeykg.graph.fact_totals import latest_totals_read_out
from journeykg.graph.factors import annual_costs
from journeykg.graph.impact import impact, start_impact
from journeykg.graph.model import ImpactAnswer
from journeykg.graph.paths import paths_to
from journeykg.graph.property_graph import PropertyGraphMapping
from journeykg.graph.relations import Direction, Relation
from journeykg.graph.scenario import OverlayStore
from journeykg.graph.series import VOLUMES, newest_points_read_out
from journeykg.graph.store import EdgeRequest, Facts, Store
from journeykg.namespaces import JKG, RDF, RDFS, XSD
from journeykg.ontology_graph import load_ontology
from journeykg.resources import DEMO_DATASET
from journeykg.settings import Settings
from tests.conftest import BACKENDS, BASE, read_fixture
from tests.graph.bulk_loaded import BulkLoadedNeo4jStore
from tests.graph.test_series_newest import CHANNELS, REASONS, generated


@pytest.fixture(scope="module")
def neo4j_batched_session_store(neo4j_settings: Settings) -> Iterator[BulkLoadedNeo4jStore]:
    uri = neo4j_settings.neo4j_uri
    assert uri is not None
    store = BulkLoadedNeo4jStore(uri, BASE, PropertyGraphMapping.from_ontology(load_ontology()))
    yield store
    store.close()


@pytest.fixture
def neo4j_batched_store(neo4j_batched_session_store: BulkLoadedNeo4jStore) -> Store:
    """The emptied test server, every fixture written through the batched path of a load.

    With journeykg's plugin, as a load writes then: in columns through its procedures
    (graph/neo4j_columns.py); the plugin must be there where the suite requires it."""
    store = neo4j_batched_session_store
    store.write_in_server = store.edges_in_server = True
    if os.environ.get("JOURNEYKG_REQUIRE_NEO4J_PLUGIN") or os.environ.get("CI"):
        assert store._writes_in_server(), "the test server has no journeykg.writeNodes (plugin)"
    store.clear()
    return store


@pytest.fixture
def neo4j_batched_cypher_store(neo4j_batched_session_store: BulkLoadedNeo4jStore) -> Store:
    """The batched path of a load written with Cypher only, and its hops followed by the
    Cypher statement, as without the plugin."""
    store = neo4j_batched_session_store
    store.write_in_server = store.edges_in_server = False
    store.clear()
    return store


@pytest.fixture(params=[*BACKENDS, "neo4j_batched", "neo4j_batched_cypher"])
def store(request: pytest.FixtureRequest) -> Store:
    """Each backend, and Neo4j loaded in batches (graph/neo4j_bulk.py), in columns through the
    plugin's procedures and with Cypher: the same answers."""
    backend: Store = request.getfixturevalue(f"{request.param}_store")
    return backend


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
    assert canonical(store.export()) == canonical(data)


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
    assert canonical(store.describe([cost])) == canonical(data)


def test_a_typed_literal_without_a_range_keeps_its_datatype(store: Store) -> None:
    # A glossary's dct:issued: the ontology gives it no range (the glossary work's bug).
    scheme = iri("scheme/s")
    data = Graph()
    data.add((scheme, DCTERMS.issued, Literal("2024-05-01", datatype=XSD.date)))
    data.add((scheme, DCTERMS.issued, Literal("2025", datatype=XSD.gYear)))
    data.add((scheme, DCTERMS.modified, Literal(1)))
    data.add((scheme, DCTERMS.modified, Literal(str(2**70), datatype=XSD.integer)))
    data.add((scheme, DCTERMS.modified, Literal("een")))
    store.upsert(data)
    assert canonical(store.describe([scheme])) == canonical(data)


def test_a_value_of_another_datatype_replaces_the_stored_one(store: Store) -> None:
    scheme = iri("scheme/s")
    first = Graph()
    first.add((scheme, DCTERMS.issued, Literal("2024-05-01", datatype=XSD.date)))
    store.upsert(first)
    second = Graph()
    second.add((scheme, DCTERMS.issued, Literal("spring 2024")))
    store.upsert(second)
    assert canonical(store.describe([scheme])) == canonical(second)


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
    first = canonical(store.export())
    store.upsert(data)
    assert canonical(store.export()) == first


def test_follow_forward_and_inverse(small: Store) -> None:
    forward = follow(small, JKG.dependsOn, [iri("process/b")])
    assert sorted(forward) == [
        (iri("process/b"), iri("process/a")),
        (iri("process/b"), iri("process/x")),
    ]
    inverse = follow(small, JKG.dependsOn, [iri("process/x")], inverse=True)
    assert sorted(inverse) == [
        (iri("process/x"), iri("process/b")),
        (iri("process/x"), iri("process/d")),
    ]


def types_of(store: Store, iris: list[str]) -> dict[str, list[str]]:
    return {i: list(types) for i, (types, _) in store.element_facts(iris, Facts.TYPES).items()}


def labels_of(store: Store, iris: list[str]) -> dict[str, list[tuple[str, str | None]]]:
    return {i: list(labels) for i, (_, labels) in store.element_facts(iris, Facts.LABELS).items()}


def neighbours(
    store: Store, requests: list[tuple[str, list[str], bool]]
) -> list[list[tuple[str, str]]]:
    return store.edges([EdgeRequest(*r) for r in requests]).found


def test_the_walks_primitives_agree_with_follow_and_refs(small: Store) -> None:
    x, b = BASE + "process/x", BASE + "process/b"
    found = neighbours(
        small,
        [(JKG.dependsOn, [b], False), (JKG.dependsOn, [x], True), (JKG.measures, [x], True)],
    )
    assert [sorted(edges) for edges in found] == [
        [(b, BASE + "process/a"), (b, x)],
        [(x, b), (x, BASE + "process/d")],
        [],
    ]
    assert neighbours(small, []) == []
    assert types_of(small, [x, BASE + "process/nowhere"]) == {x: [str(JKG.BackofficeProcess)]}
    assert labels_of(small, [x]) == {x: [("Klantdata", "nl")]}
    wanted = [x, b, BASE + "system/crm", str(JKG.NPS), BASE + "process/nowhere"]
    known = refs(small, (URIRef(i) for i in wanted))
    assert classes(small, wanted) == {str(k): r.type for k, r in known.items()}
    assert labels(small, wanted) == {
        i: (known[URIRef(i)].label if URIRef(i) in known else None) for i in wanted
    }


def test_a_placeholder_has_no_type_and_a_bare_element_has_none(store: Store) -> None:
    data = Graph()
    data.add((iri("process/a"), JKG.dependsOn, iri("process/ghost")))
    store.upsert(data)
    a, ghost = BASE + "process/a", BASE + "process/ghost"
    assert types_of(store, [a, ghost]) == {a: []}
    assert classes(store, [a, ghost]) == {a: "Resource"}
    assert neighbours(store, [(JKG.dependsOn, [a], False)]) == [[(a, ghost)]]


def test_resolve_by_key_and_by_iri(small: Store) -> None:
    by_key = resolve(small, "process/x")
    assert by_key.iri == BASE + "process/x"
    assert by_key.type == "BackofficeProcess"
    assert by_key.label == "Klantdata"
    assert resolve(small, BASE + "process/x") == by_key


def test_unknown_id_is_an_error_not_an_empty_answer(small: Store) -> None:
    with pytest.raises(UnknownElementError, match="process/bestaat-niet"):
        impact(small, "process/bestaat-niet")


def test_an_iri_that_is_only_an_object_does_not_exist(store: Store) -> None:
    data = Graph()
    data.add((iri("process/a"), JKG.dependsOn, iri("process/ghost")))
    store.upsert(data)
    with pytest.raises(UnknownElementError):
        resolve(store, "process/ghost")


# --- impact, checked against answers worked out by hand -----------------------

X_DOWNSTREAM = [
    ("process/b", 1),
    ("process/d", 1),
    ("process/a", 2),
    ("touchpoint/t2", 2),
    ("step/j2", 3),
    ("touchpoint/t1", 3),
    ("kpi/t1-ces", 4),
    ("step/j1", 4),
    ("journey/j", 4),
    ("reason/r", 5),
    ("kpi/j-nps", 5),
    ("owner/o", 5),
    ("owner/k", 6),
    ("phase/p", 6),
    ("stage/s", 7),
]


def test_impact_follows_dependencies_transitively_through_a_cycle(small: Store) -> None:
    answer = impact(small, "process/x")
    assert answer.is_complete
    assert answer.truncated_at_hop is None
    assert sorted(ids(answer.affected)) == sorted(X_DOWNSTREAM)
    assert ids(answer.processes) == [("process/b", 1), ("process/d", 1), ("process/a", 2)]
    assert ids(answer.journeys) == [("journey/j", 4)]
    assert ids(answer.lifecycle_stages) == [("stage/s", 7)]
    assert answer.shortest_path("journey/j") == (
        "process/x",
        "process/d",
        "touchpoint/t2",
        "step/j2",
        "journey/j",
    )


def test_every_distinct_path_to_a_journey(small: Store) -> None:
    page = paths_to(impact(small, "process/x"), "journey/j")
    assert page.total_is_exact
    assert page.paths == (
        ("process/x", "process/d", "touchpoint/t2", "step/j2", "journey/j"),
        ("process/x", "process/b", "process/a", "touchpoint/t1", "step/j1", "journey/j"),
    )
    second = paths_to(impact(small, "process/x"), "journey/j", first=1, offset=1)
    assert second.paths == page.paths[1:]
    assert second.total == 2


def test_impact_cut_by_max_hops_says_what_it_left_out(small: Store) -> None:
    answer = impact(small, "process/x", max_hops=3)
    assert not answer.is_complete
    assert answer.truncated_at_hop == 3
    assert sorted(ids(answer.affected)) == sorted(x for x in X_DOWNSTREAM if x[1] <= 3)
    assert [(c.element.id, c.hops, c.edges_beyond) for c in answer.cut] == [
        ("step/j2", 3, 1),
        ("touchpoint/t1", 3, 2),
    ]
    assert paths_to(answer, "journey/j").paths == ()


def test_impact_within_the_limit_is_complete(small: Store) -> None:
    assert impact(small, "process/x", max_hops=7).is_complete
    assert not impact(small, "process/x", max_hops=6).is_complete


def test_paths_respect_the_hop_limit(small: Store) -> None:
    answer = impact(small, "process/x", max_hops=4)
    assert paths_to(answer, "journey/j").paths == (
        ("process/x", "process/d", "touchpoint/t2", "step/j2", "journey/j"),
    )


def test_impact_of_a_process_in_the_middle_of_a_cycle(small: Store) -> None:
    answer = impact(small, "process/a")
    assert ids(answer.processes) == [("process/b", 1)]
    assert ids(answer.touchpoints) == [("touchpoint/t1", 1)]
    assert paths_to(answer, "journey/j").paths == (
        ("process/a", "touchpoint/t1", "step/j1", "journey/j"),
    )


def test_impact_of_a_process_nothing_depends_on(small: Store) -> None:
    answer = impact(small, "process/y")
    assert answer.is_complete
    assert answer.affected == ()


def test_impact_of_an_it_system(small: Store) -> None:
    answer = impact(small, "system/crm")
    assert ids(answer.processes) == [
        ("process/x", 1),
        ("process/b", 2),
        ("process/d", 2),
        ("process/a", 3),
    ]
    assert ids(answer.journeys) == [("journey/j", 5)]


def test_impact_of_a_role(small: Store) -> None:
    answer = impact(small, "role/planner")
    assert ids(answer.processes) == [("process/d", 1)]
    assert ids(answer.touchpoints) == [("touchpoint/t2", 2)]
    assert ids(answer.journeys) == [("journey/j", 4)]


def test_impact_of_a_channel_reaches_its_touchpoints_only_at_the_start(small: Store) -> None:
    answer = impact(small, "channel/app")
    assert ids(answer.touchpoints) == [("touchpoint/t1", 1), ("touchpoint/t2", 1)]
    assert ids(answer.journeys) == [("journey/j", 3)]
    assert answer.processes == ()


def test_impact_of_a_contact_reason(small: Store) -> None:
    answer = impact(small, "reason/r")
    assert ids(answer.journeys) == [("journey/j", 1)]
    assert ids(answer.kpis) == [("kpi/j-nps", 2)]
    assert ids(answer.owners) == [("owner/o", 2), ("owner/k", 3)]
    assert answer.steps == ()  # a reason reaches its journeys, not what they are made of


def test_impact_of_a_kpi_type(small: Store) -> None:
    answer = impact(small, "jkg:NPS")
    assert ids(answer.kpis) == [("kpi/j-nps", 1)]
    assert ids(answer.journeys) == [("journey/j", 2)]


def test_upstream_what_a_journey_depends_on(small: Store) -> None:
    answer = impact(small, "journey/j", direction=Direction.UPSTREAM)
    assert ids(answer.affected) == [
        ("step/j1", 1),
        ("step/j2", 1),
        ("touchpoint/t1", 2),
        ("touchpoint/t2", 2),
        ("process/a", 3),
        ("process/d", 3),
        ("channel/app", 3),
        ("process/b", 4),
        ("process/x", 4),
        ("role/planner", 4),
        ("system/crm", 5),
    ]


def test_via_limits_the_relations_followed(small: Store) -> None:
    answer = impact(small, "process/x", via=[Relation.DEPENDS_ON])
    assert ids(answer.affected) == [("process/b", 1), ("process/d", 1), ("process/a", 2)]
    assert answer.via == ("DEPENDS_ON",)


def test_impact_of_something_without_impact_rules_is_refused(small: Store) -> None:
    with pytest.raises(UnsupportedElementError, match="Cost"):
        impact(small, "cost/x")


def test_negative_max_hops_is_refused(small: Store) -> None:
    with pytest.raises(ValueError, match="maxHops"):
        impact(small, "process/x", max_hops=-1)


# --- both backends, same answers on the demo organisation ----------------------


@pytest.fixture(scope="module")
def demo() -> Graph:
    return Graph().parse(DEMO_DATASET, format="turtle")


def _all_impacts(store: Store, demo: Graph) -> dict[tuple[str, Direction], ImpactAnswer]:
    kinds = (JKG.BackofficeProcess, JKG.ITSystem, JKG.Channel, JKG.ContactReason, JKG.Journey)
    elements = sorted(str(e) for kind in kinds for e in demo.subjects(RDF.type, kind))
    return {(e, d): impact(store, e, direction=d) for e in elements for d in Direction}


def test_both_backends_give_identical_impact_on_the_demo(
    embedded_store: Store, neo4j_store: Store, demo: Graph
) -> None:
    embedded_store.upsert(demo)
    neo4j_store.upsert(demo)
    embedded = _all_impacts(embedded_store, demo)
    neo4j = _all_impacts(neo4j_store, demo)
    assert embedded == neo4j
    assert any(answer.journeys for answer in embedded.values())


def test_the_first_page_comes_before_the_walk_is_finished(small: Store) -> None:
    walk = start_impact(small, "process/x")
    page, more = walk.first(2)
    assert ids(page) == [("process/b", 1), ("process/d", 1)]
    assert more
    assert not walk.done  # only the hops needed for the page were taken
    full = walk.answer()
    assert tuple(page) == full.affected[:2]
    assert ids(full.affected) == ids(impact(small, "process/x").affected)


# --- latest-period totals, summed in the store --------------------------------------


def _cost(
    data: Graph, key: str, holder: str, amount: Literal | None, period: Literal | None
) -> None:
    cost = iri(f"cost/{key}")
    data.add((cost, RDF.type, JKG.Cost))
    data.add((cost, JKG.costOf, iri(holder)))
    if amount is not None:
        data.add((cost, JKG.amountEur, amount))
    if period is not None:
        data.add((cost, JKG.period, period))


def _decimal(text: str) -> Literal:
    return Literal(Decimal(text), datatype=XSD.decimal)


def _year(text: str) -> Literal:
    return Literal(text, datatype=XSD.gYear)


@pytest.fixture
def costs(store: Store) -> Store:
    store.upsert(_costs())
    return store


def _costs() -> Graph:
    """Costs over several periods, with missing periods and amounts, and ties in the latest."""
    data = Graph()
    _cost(data, "a1", "process/a", _decimal("100"), _year("2024"))
    _cost(data, "a2", "process/a", _decimal("250.5"), _year("2025"))  # the latest, tied
    _cost(data, "a3", "process/a", _decimal("49.5"), _year("2025"))
    _cost(data, "b1", "process/b", _decimal("10"), None)  # no period at all: all count
    _cost(data, "b2", "process/b", None, None)  # no amount: adds 0
    _cost(data, "c1", "process/c", None, _year("2025"))  # the latest has no amount: 0
    _cost(data, "c2", "process/c", _decimal("999"), _year("2023"))
    _cost(data, "d1", "process/d", _decimal("7"), Literal("2026"))  # a plain string period
    _cost(data, "d2", "process/d", _decimal("3"), _year("2026"))  # ties with it as text
    _cost(data, "d3", "process/d", _decimal("5"), None)  # older than any period
    # More digits than a double keeps: Neo4j stores it under the "^^" name.
    _cost(data, "e1", "process/e", _decimal("0.1000000000000000000001"), _year("2025"))
    _cost(data, "e2", "process/e", _decimal("0.2"), _year("2025"))
    _cost(data, "g1", "process/g", _decimal("1"), _year("2025"))  # not asked for
    return data


ASKED = [iri(f"process/{k}") for k in "abcdef"]


def test_latest_totals_are_summed_in_the_store_as_in_python(costs: Store) -> None:
    args = (JKG.costOf, ASKED, JKG.amountEur, JKG.period)
    in_store = costs.latest_totals(*args)
    assert in_store == latest_totals_read_out(costs, *args)
    assert in_store == {
        iri("process/a"): 300.0,
        iri("process/b"): 10.0,
        iri("process/c"): 0.0,
        iri("process/d"): 10.0,
        iri("process/e"): 0.1 + 0.2,  # doubles, as float() of each adds them in Python
    }  # process/f has no costs; process/g was not asked for
    assert costs.latest_totals(JKG.costOf, [], JKG.amountEur, JKG.period) == {}


def test_the_demo_costs_are_the_same_in_the_store_on_both_backends(
    embedded_store: Store, neo4j_store: Store, demo: Graph
) -> None:
    holders = sorted({o for o in demo.objects(None, JKG.costOf) if isinstance(o, URIRef)})
    answers = []
    for store in (embedded_store, neo4j_store):
        store.upsert(demo)
        answers.append(annual_costs(store, holders))
        read_out = latest_totals_read_out(store, JKG.costOf, holders, JKG.amountEur, JKG.period)
        assert answers[-1] == read_out
    assert answers[0] == answers[1]
    assert answers[0]


def test_a_scenario_that_changes_costs_is_summed_through_its_overlay(costs: Store) -> None:
    added, removed = Graph(), Graph()
    _cost(added, "a4", "process/a", _decimal("0.5"), _year("2025"))
    removed.add((iri("cost/d1"), JKG.costOf, iri("process/d")))
    args = (JKG.costOf, ASKED, JKG.amountEur, JKG.period)
    changed = OverlayStore(costs, added, removed).latest_totals(*args)
    assert changed[iri("process/a")] == 300.5
    assert changed[iri("process/d")] == 3.0
    untouched = Graph()
    untouched.add((iri("process/a"), RDFS.label, Literal("A", lang="en")))
    assert OverlayStore(costs, untouched, Graph()).latest_totals(*args) == costs.latest_totals(
        *args
    )


def test_many_holders_are_picked_out_of_every_total_on_the_embedded_store(
    embedded_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Past _VALUES_AT_MOST holders the embedded store sums every fact of the link
    # and keeps the holders asked for: the same answer as naming them.
    from journeykg.graph import embedded

    embedded_store.upsert(_costs())
    args = (JKG.costOf, ASKED, JKG.amountEur, JKG.period)
    named = embedded_store.latest_totals(*args)
    monkeypatch.setattr(embedded, "_VALUES_AT_MOST", 1)
    assert len(ASKED) > 1
    assert embedded_store.latest_totals(*args) == named
    assert iri("process/g") not in named


# --- every element of a class with its facts (Store.class_facts) -----------------------------

_CLASS_FACTS = """
@base <https://id.journeykg.example/> .
@prefix jkg: <https://w3id.org/journeykg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<journey/a> a jkg:Journey ; skos:prefLabel "Verhuizen"@nl , "Moving"@en ;
    rdfs:label "verhuizen" ; jkg:placedOn <reason/r> .
<journey/b> a jkg:Journey , jkg:Touchpoint .
<journey/c> a jkg:Journey ; rdfs:label "Eén"@nl , "Twee"@nl .
<reason/r> a jkg:ContactReason ; skos:prefLabel "Reden"@nl .
"""


def _sorted_facts(facts: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str | None], ...]]]) -> (
    dict[str, tuple[list[str], list[tuple[str, str]]]]
):  # fmt: skip
    return {k: (sorted(t), sorted((x, y or "") for x, y in ls)) for k, (t, ls) in facts.items()}


def test_class_facts_are_the_element_facts_of_the_instances(store: Store) -> None:
    store.upsert(Graph().parse(data=_CLASS_FACTS, format="turtle"))
    found = store.class_facts(JKG.Journey)
    defined = store.element_facts({str(i) for i in store.instances(JKG.Journey)})
    assert _sorted_facts(found) == _sorted_facts(defined)
    assert sorted(found) == [str(iri(f"journey/{k}")) for k in "abc"]
    assert sorted(found[str(iri("journey/a"))][1], key=str) == sorted(
        [("Verhuizen", "nl"), ("Moving", "en"), ("verhuizen", None)], key=str
    )
    assert set(found[str(iri("journey/b"))][0]) == {str(JKG.Journey), str(JKG.Touchpoint)}
    assert store.class_facts(JKG.KPI) == {}
    # A scenario's overlay answers with its own changes (the port's default).
    added, removed = Graph(), Graph()
    added.add((iri("journey/d"), RDF.type, JKG.Journey))
    removed.add((iri("journey/c"), RDF.type, JKG.Journey))
    overlay = OverlayStore(store, added, removed)
    assert sorted(overlay.class_facts(JKG.Journey)) == [str(iri(f"journey/{k}")) for k in "abd"]


# --- costs summed over paths (Store.reached_totals) ---------------------------------------


def _scopes() -> Graph:
    """Journeys with steps, touchpoints and supporting processes, sharing some of them.

    journey/j1: steps s1, s2; t1 at s1, t2 at s2, t3 at both (one touchpoint, two
    steps); t1 and t2 both supported by process/a (counted once), t2 also by
    process/b, t3 by process/c. journey/j2: step s3, t4 supported by process/a (shared
    with j1) and process/d. journey/j3: no steps, a cost of its own. The costs of
    :func:`_costs` (several periods, ties, missing periods and amounts) on the processes.
    """
    data = _costs()
    for step, journey in (("s1", "j1"), ("s2", "j1"), ("s3", "j2")):
        data.add((iri(f"step/{step}"), JKG.stepOf, iri(f"journey/{journey}")))
    for tp, steps, processes in (
        ("t1", ["s1"], ["a"]),
        ("t2", ["s2"], ["a", "b"]),
        ("t3", ["s1", "s2"], ["c"]),
        ("t4", ["s3"], ["a", "d"]),
    ):
        for step in steps:
            data.add((iri(f"touchpoint/{tp}"), JKG.atStep, iri(f"step/{step}")))
        for process in processes:
            data.add((iri(f"touchpoint/{tp}"), JKG.supportedBy, iri(f"process/{process}")))
    for key in ("j1", "j2", "j3"):
        data.add((iri(f"journey/{key}"), RDF.type, JKG.Journey))
    _cost(data, "t1-old", "touchpoint/t1", _decimal("100"), _year("2024"))
    _cost(data, "t1-new", "touchpoint/t1", _decimal("5"), _year("2025"))
    _cost(data, "j1", "journey/j1", _decimal("1"), _year("2025"))
    _cost(data, "j3", "journey/j3", _decimal("2"), None)
    return data


JOURNEYS = [iri(f"journey/{k}") for k in ("j1", "j2", "j3", "j4")]  # j4 is not stored


@pytest.fixture
def scopes(store: Store) -> Store:
    store.upsert(_scopes())
    return store


def _reached(store: Store) -> tuple[dict[URIRef, float], float]:
    from journeykg.graph.quantify import COST_PATHS

    found = store.reached_totals(JOURNEYS, COST_PATHS, JKG.costOf, JKG.amountEur, JKG.period)
    return found.per_root, found.overall


def test_costs_over_paths_count_each_holder_once_as_in_python(scopes: Store) -> None:
    from journeykg.graph.fact_totals import reached_totals_read_out
    from journeykg.graph.quantify import COST_PATHS

    per_root, overall = _reached(scopes)
    read_out = reached_totals_read_out(
        scopes, JOURNEYS, COST_PATHS, JKG.costOf, JKG.amountEur, JKG.period
    )
    assert per_root == pytest.approx(read_out.per_root)
    assert overall == pytest.approx(read_out.overall)
    # j1: itself 1, t1's latest 5, process a 300 once, b 10, c 0 (its latest has no amount).
    assert per_root == pytest.approx(
        {
            iri("journey/j1"): 316.0,
            iri("journey/j2"): 310.0,  # a 300 (shared with j1) + d 10
            iri("journey/j3"): 2.0,
            iri("journey/j4"): 0.0,
        }
    )
    assert overall == pytest.approx(328.0)  # process a once, though both journeys reach it
    empty = scopes.reached_totals([], [], JKG.costOf, JKG.amountEur, JKG.period)
    assert (empty.per_root, empty.overall) == ({}, 0.0)


def test_priorities_costs_summed_in_the_store_are_those_summed_in_python(scopes: Store) -> None:
    from journeykg.graph.quantify import prioritise

    in_store = prioritise(scopes)
    in_python = prioritise(scopes, sum_in_store=False)
    assert {f.journey.id: f.cost_eur for f in in_store.journeys} == {
        f.journey.id: f.cost_eur for f in in_python.journeys
    }
    assert {f.journey.id: f.cost_eur for f in in_store.journeys} == {
        "journey/j1": 316.0,
        "journey/j2": 310.0,
        "journey/j3": 2.0,
    }
    assert in_store.cost_eur == in_python.cost_eur == 328.0
    assert in_store == in_python


def test_a_scenario_that_changes_a_path_is_summed_through_its_overlay(scopes: Store) -> None:
    added, removed = Graph(), Graph()
    added.add((iri("touchpoint/t3"), JKG.supportedBy, iri("process/b")))  # b: once for j1
    added.add((iri("touchpoint/t4"), JKG.supportedBy, iri("process/e")))  # e: 0.1 + 0.2
    removed.add((iri("touchpoint/t4"), JKG.supportedBy, iri("process/a")))
    per_root, overall = _reached(OverlayStore(scopes, added, removed))
    assert per_root[iri("journey/j1")] == pytest.approx(316.0)
    assert per_root[iri("journey/j2")] == pytest.approx(10.3)
    assert overall == pytest.approx(328.3)
    cost = Graph()
    _cost(cost, "j3-new", "journey/j3", _decimal("8"), _year("2026"))
    assert _reached(OverlayStore(scopes, cost, Graph()))[0][iri("journey/j3")] == 8.0
    untouched = Graph()
    untouched.add((iri("journey/j1"), RDFS.label, Literal("J1", lang="en")))
    assert _reached(OverlayStore(scopes, untouched, Graph())) == _reached(scopes)


def _reached_tricky() -> Graph:
    """Costs over paths where a wrong period order, a holder counted twice or a property
    read without its datatype mark each change the answer (worked out by hand below).

    journey/k1: steps s1, s2; touchpoint/u1 at both (one touchpoint, two steps), u2 at s2;
    u2 supported by u1 (so u1 ends both paths), by process/p and by journey/k1 itself (the
    root ends a path). journey/k2: step s3; u3 at it, supported by process/p (a hub of
    both journeys). Periods given as plain strings and amounts not typed as the ontology's
    range are stored, on Neo4j, under the name with the datatype mark ("period^^xsd_string").
    """
    data = Graph()
    for step, journey in (("s1", "k1"), ("s2", "k1"), ("s3", "k2")):
        data.add((iri(f"step/{step}"), JKG.stepOf, iri(f"journey/{journey}")))
    for tp, step in (("u1", "s1"), ("u1", "s2"), ("u2", "s2"), ("u3", "s3")):
        data.add((iri(f"touchpoint/{tp}"), JKG.atStep, iri(f"step/{step}")))
    for tp, holder in (
        ("u1", "process/p"),
        ("u2", "process/p"),
        ("u2", "touchpoint/u1"),
        ("u2", "journey/k1"),
        ("u3", "process/p"),
    ):
        data.add((iri(f"touchpoint/{tp}"), JKG.supportedBy, iri(holder)))
    for key in ("k1", "k2"):
        data.add((iri(f"journey/{key}"), RDF.type, JKG.Journey))
    _cost(data, "k1", "journey/k1", _decimal("1"), _year("2025"))
    # u1: "2025-06" (a plain string: the marked name) is later than "2025" as text.
    _cost(data, "u1-year", "touchpoint/u1", _decimal("100"), _year("2025"))
    _cost(data, "u1-month", "touchpoint/u1", _decimal("7"), Literal("2025-06"))
    # p: "999" is later than "2025" as text (not as a number); two facts in it add up.
    _cost(data, "p-year", "process/p", _decimal("1000"), _year("2025"))
    _cost(data, "p-a", "process/p", _decimal("40"), Literal("999"))
    _cost(data, "p-b", "process/p", _decimal("2"), Literal("999"))
    # u2: amounts under the marked name (a string, an integer), one period.
    _cost(data, "u2-text", "touchpoint/u2", Literal("12.5"), _year("2024"))
    _cost(data, "u2-int", "touchpoint/u2", Literal(3, datatype=XSD.integer), _year("2024"))
    # u3: a decimal a double cannot hold (kept as text, marked), and no periods at all.
    _cost(data, "u3-long", "touchpoint/u3", _decimal("0.1000000000000000000001"), None)
    _cost(data, "u3-short", "touchpoint/u3", _decimal("0.2"), None)
    return data


def test_costs_over_paths_take_the_latest_period_as_text_and_each_holder_once(
    store: Store,
) -> None:
    from journeykg.graph.fact_totals import reached_totals_read_out
    from journeykg.graph.quantify import COST_PATHS

    store.upsert(_reached_tricky())
    roots = [iri("journey/k1"), iri("journey/k2"), iri("journey/k9")]  # k9 is not stored
    args = (COST_PATHS, JKG.costOf, JKG.amountEur, JKG.period)
    found = store.reached_totals(roots, *args)
    # k1: itself 1 (once, though u2 leads back to it), u1 7 (once: at two steps, and
    # supporting u2), u2 12.5 + 3, p 40 + 2. k2: u3 0.1 + 0.2, p 42.
    assert found.per_root == pytest.approx(
        {iri("journey/k1"): 65.5, iri("journey/k2"): 42.3, iri("journey/k9"): 0.0}, rel=1e-12
    )
    assert found.overall == pytest.approx(65.8, rel=1e-12)  # p once, though both reach it
    read_out = reached_totals_read_out(store, roots, *args)
    assert found.per_root == pytest.approx(read_out.per_root, rel=1e-12)
    assert found.overall == pytest.approx(read_out.overall, rel=1e-12)


def test_costs_over_paths_of_no_roots_or_only_unknown_roots(store: Store) -> None:
    from journeykg.graph.quantify import COST_PATHS

    store.upsert(_reached_tricky())
    args = (COST_PATHS, JKG.costOf, JKG.amountEur, JKG.period)
    assert store.reached_totals([], *args) == ({}, 0.0)
    unknown = [iri("journey/k8"), iri("journey/k9")]
    assert store.reached_totals(unknown, *args) == ({r: 0.0 for r in unknown}, 0.0)
    # Without paths a root reaches itself alone.
    alone = store.reached_totals([iri("journey/k1")], [], JKG.costOf, JKG.amountEur, JKG.period)
    assert alone == ({iri("journey/k1"): 1.0}, 1.0)


def test_the_newest_points_of_series_are_picked_in_the_store_as_in_python(store: Store) -> None:
    store.upsert(generated(2))
    series = [(r, c) for r in REASONS for c in CHANNELS]
    measures = (JKG.complaints, JKG.contacts)
    picked = store.newest_points(VOLUMES, series, measures, 7)
    assert picked == newest_points_read_out(store, VOLUMES, series, measures, 7)
    assert len(picked) >= 12


def test_the_newest_points_are_the_same_on_both_backends(
    embedded_store: Store, neo4j_store: Store
) -> None:
    series = [(r, c) for r in REASONS for c in CHANNELS]
    answers = []
    for each in (embedded_store, neo4j_store):
        each.upsert(generated(3))
        answers.append(each.newest_points(VOLUMES, series, (JKG.complaints, JKG.contacts), 4))
    assert answers[0] == answers[1]
    assert answers[0]


def test_costs_over_paths_that_reach_no_fact_are_nothing(store: Store) -> None:
    # Journeys with steps, touchpoints and processes, and no cost anywhere: every root
    # is in the answer with 0, and so is the total (the store-side sum has no holder
    # with facts to group by).
    from journeykg.graph.fact_totals import reached_totals_read_out
    from journeykg.graph.quantify import COST_PATHS

    data = Graph()
    data.add((iri("step/s1"), JKG.stepOf, iri("journey/j1")))
    data.add((iri("touchpoint/t1"), JKG.atStep, iri("step/s1")))
    data.add((iri("touchpoint/t1"), JKG.supportedBy, iri("process/a")))
    data.add((iri("journey/j2"), RDF.type, JKG.Journey))
    store.upsert(data)
    roots = [iri("journey/j1"), iri("journey/j2")]
    args = (COST_PATHS, JKG.costOf, JKG.amountEur, JKG.period)
    found = store.reached_totals(roots, *args)
    assert (found.per_root, found.overall) == ({r: 0.0 for r in roots}, 0.0)
    read_out = reached_totals_read_out(store, roots, *args)
    assert (found.per_root, found.overall) == (read_out.per_root, read_out.overall)


def _random_organisation(seed: int) -> tuple[Graph, list[URIRef]]:
    """Journeys, steps, touchpoints and processes sharing each other at random, with costs
    on every kind of holder over several periods (ties, missing periods and amounts)."""
    import random

    rng = random.Random(seed)
    data = Graph()
    journeys = [iri(f"journey/r{j}") for j in range(12)]
    processes = [iri(f"process/r{p}") for p in range(8)]  # few: many journeys share each
    touchpoints = [iri(f"touchpoint/r{t}") for t in range(20)]
    for j, journey in enumerate(journeys):
        data.add((journey, RDF.type, JKG.Journey))
        for s in range(rng.randrange(0, 3)):
            step = iri(f"step/r{j}-{s}")
            data.add((step, JKG.stepOf, journey))
            for tp in rng.sample(touchpoints, rng.randrange(0, 4)):  # shared across journeys
                data.add((tp, JKG.atStep, step))
    for tp in touchpoints:
        for process in rng.sample(processes, rng.randrange(0, 3)):
            data.add((tp, JKG.supportedBy, process))
    periods = [_year("2024"), _year("2025"), Literal("2025"), None]
    for n, holder in enumerate(rng.sample([*journeys, *touchpoints, *processes], 25)):
        for k in range(rng.randrange(1, 4)):
            amount = rng.choice([_decimal(f"{rng.randrange(1, 999)}.25"), None])
            _cost(data, f"x{n}-{k}", str(holder)[len(BASE) :], amount, rng.choice(periods))
    return data, [*journeys, iri("journey/not-stored")]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_costs_over_paths_of_random_organisations_are_those_summed_in_python(
    store: Store, seed: int
) -> None:
    from journeykg.graph.fact_totals import reached_totals_read_out
    from journeykg.graph.quantify import COST_PATHS

    data, roots = _random_organisation(seed)
    store.upsert(data)
    args = (COST_PATHS, JKG.costOf, JKG.amountEur, JKG.period)
    found = store.reached_totals(roots, *args)
    read_out = reached_totals_read_out(store, roots, *args)
    assert found.per_root == pytest.approx(read_out.per_root)
    assert found.overall == pytest.approx(read_out.overall)
    assert found.overall > 0
