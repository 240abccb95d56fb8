"""What-if scenarios on both backends, against answers worked out by hand.

See tests/fixtures/impact_small.ttl for the organisation.
"""

from __future__ import annotations

import re

import pytest

from journeykg.graph.canonical import canonical
from journeykg.graph.elements import refs
from journeykg.graph.errors import StoreError
from journeykg.graph.impact import impact
from journeykg.graph.scenario import (
    OverlayStore,
    ScenarioError,
    apply_changes,
    compare,
    evaluate,
    parse_changes,
)
from journeykg.graph.store import Store
from tests.conftest import read_fixture


@pytest.fixture
def small(store: Store) -> Store:
    store.upsert(read_fixture("impact_small.ttl"))
    return store


def ids(elements: object) -> list[str]:
    return [e.id for e in elements]  # type: ignore[attr-defined]


RETIRE_B = parse_changes([{"op": "retire", "element": "process/b"}])


def test_retiring_a_process_cuts_what_reached_through_it(small: Store) -> None:
    before = canonical(small.export())
    result = evaluate(small, RETIRE_B)
    assert ids(result.retired) == ["process/b"]
    # a depended on b and b depended on x: both feel the change.
    assert ids(result.touched) == ["process/a", "process/x"]
    by_root = {d.root.id: d for d in result.differences}
    assert ids(by_root["process/a"].no_longer_affected) == ["process/b"]
    assert ids(by_root["process/x"].no_longer_affected) == [
        "kpi/t1-ces",
        "process/a",
        "process/b",
        "step/j1",
        "touchpoint/t1",
    ]
    assert result.newly_affected == ()
    # Cost at stake: everything today (163000); after, b's 5000 is gone.
    assert result.radius_today is not None
    assert result.radius_after is not None
    assert result.radius_today.cost_eur == 163_000.0
    assert result.radius_after.cost_eur == 158_000.0
    assert canonical(small.export()) == before  # nothing was written


def test_setting_a_cost_changes_the_figures_not_the_reach(small: Store) -> None:
    changes = parse_changes(
        [{"op": "setCost", "element": "process/a", "amountEur": 50000, "period": "2025"}]
    )
    result = evaluate(small, changes)
    assert result.newly_affected == ()
    assert result.no_longer_affected == ()
    assert result.radius_today is not None
    assert result.radius_after is not None
    # From a: b 5000, t1 1000, j 7000, and a itself 30000 -> 50000.
    assert result.radius_today.cost_eur == 43_000.0
    assert result.radius_after.cost_eur == 63_000.0


def test_moving_touchpoints_changes_which_process_reaches_them(small: Store) -> None:
    changes = parse_changes(
        [{"op": "moveTouchpoints", "fromProcess": "process/a", "toProcess": "process/d"}]
    )
    applied = apply_changes(small, changes)
    overlay = OverlayStore(small, applied.added, applied.removed)
    assert ids(a.element for a in impact(overlay, "process/d").touchpoints) == [
        "touchpoint/t1",
        "touchpoint/t2",
    ]
    assert impact(overlay, "process/a").touchpoints == ()
    assert impact(small, "process/a").touchpoints != ()  # today is untouched


def test_adding_a_dependency_makes_a_process_reach_further(small: Store) -> None:
    changes = parse_changes(
        [{"op": "addDependency", "process": "process/d", "dependsOn": "process/y"}]
    )
    result = evaluate(small, changes)
    by_root = {d.root.id: d for d in result.differences}
    assert "journey/j" in ids(by_root["process/y"].newly_affected)
    assert ids(by_root["process/d"].newly_affected) == []


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([{"op": "retire", "element": "process/nope"}], "change 0: element: unknown element"),
        (
            [{"op": "moveTouchpoints", "fromProcess": "journey/j", "toProcess": "process/d"}],
            "change 0: fromProcess: 'journey/j' is a Journey, not a BackofficeProcess",
        ),
        (
            [{"op": "removeDependency", "process": "process/d", "dependsOn": "process/y"}],
            "does not depend on",
        ),
        (
            [{"op": "addDependency", "process": "process/d", "dependsOn": "process/x"}],
            "already depends on",
        ),
    ],
)
def test_bad_changes_are_refused_with_change_field_and_rule(
    small: Store, raw: list[dict[str, object]], message: str
) -> None:
    with pytest.raises(ScenarioError, match=message):
        evaluate(small, parse_changes(raw))


def test_malformed_change_names_the_field() -> None:
    with pytest.raises(ScenarioError, match=re.escape("0.setCost.period")):
        parse_changes([{"op": "setCost", "element": "x", "amountEur": 1, "period": "last year"}])


def test_a_scenario_is_read_only(small: Store) -> None:
    applied = apply_changes(small, RETIRE_B)
    with pytest.raises(StoreError, match="read-only"):
        OverlayStore(small, applied.added, applied.removed).upsert(read_fixture("impact_small.ttl"))


def test_compare_two_change_sets(small: Store) -> None:
    set_cost = parse_changes(
        [{"op": "setCost", "element": "process/a", "amountEur": 50000, "period": "2025"}]
    )
    comparison = compare(small, RETIRE_B, set_cost)
    # Retiring b touches a and x: x still reaches d and its touchpoint chain.
    assert ids(comparison.only_in_a) == ["process/d", "process/x", "step/j2", "touchpoint/t2"]
    # Setting a's cost touches a only, which still reaches b.
    assert ids(comparison.only_in_b) == ["process/b"]
    assert comparison.cost_eur_difference == 63_000.0 - 158_000.0


def test_the_overlay_gives_the_facts_the_store_would_give_once_written(small: Store) -> None:
    from rdflib import Graph, Literal, URIRef

    from journeykg.namespaces import JKG, RDF, RDFS, SKOS

    x, new = URIRef(small.ids.base_iri + "process/x"), URIRef(small.ids.base_iri + "process/nieuw")
    added, removed = Graph(), Graph()
    # A new element with both kinds of label, and a relabelled existing one.
    added.add((new, RDF.type, JKG.BackofficeProcess))
    added.add((new, RDFS.label, Literal("Nieuw proces", lang="nl")))
    added.add((new, SKOS.prefLabel, Literal("New process", lang="en")))
    added.add((new, JKG.dependsOn, x))
    for label in small.describe([x]).objects(x, RDFS.label):
        removed.add((x, RDFS.label, label))
    assert len(removed) > 0
    added.add((x, RDFS.label, Literal("Anders", lang="nl")))
    overlay = OverlayStore(small, added, removed)

    def normalised(store: Store) -> dict[str, tuple[list[str], list[tuple[str, str | None]]]]:
        facts = store.element_facts([str(x), str(new)])
        return {iri: (sorted(types), sorted(labels)) for iri, (types, labels) in facts.items()}

    seen = normalised(overlay)
    assert seen[str(new)][1] == [("New process", "en"), ("Nieuw proces", "nl")]
    small.upsert(added)  # replaces x's rdfs:label values: the scenario, written
    assert seen == normalised(small)
    assert refs(overlay, [new])[new].label == "Nieuw proces"
