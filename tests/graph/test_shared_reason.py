"""Several journeys on shared contact reasons: impact's entry rule and the priorities' order.

impact_small.ttl plus impact_shared_reason.ttl (see both headers); every
figure below is worked out by hand from the definitions in docs/impact.md.
"""

from __future__ import annotations

import pytest

from journeykg.graph.impact import impact
from journeykg.graph.quantify import prioritise
from journeykg.graph.store import Store
from tests.conftest import read_fixture


@pytest.fixture
def shared(store: Store) -> Store:
    store.upsert(read_fixture("impact_small.ttl") + read_fixture("impact_shared_reason.ttl"))
    return store


def _journeys(store: Store, of: str) -> list[str]:
    return sorted(a.element.id for a in impact(store, of).journeys)


def test_a_change_to_a_contact_reason_reaches_every_journey_placed_on_it(shared: Store) -> None:
    assert _journeys(shared, "reason/r") == ["journey/j", "journey/k"]
    assert _journeys(shared, "reason/r2") == ["journey/k", "journey/m"]


def test_a_change_that_reaches_a_journey_does_not_spread_over_its_contact_reason(
    shared: Store,
) -> None:
    # X reaches J through A, B, D; J is on R, and so is K, but R is not a way in.
    assert _journeys(shared, "process/x") == ["journey/j"]
    # Y supports K's touchpoint; K is on R and R2 beside J and M, which stay out.
    assert _journeys(shared, "process/y") == ["journey/k"]


def test_priorities_rank_several_journeys_by_the_weighted_score(shared: Store) -> None:
    # Per journey (contacts, complaints, cost, KPI gap), each factor over its maximum:
    #   J: R 4000/80;            cost 58000 (J, T1, T2's supporters A and D); gap 0.6
    #   K: R 4000/80 + R2 1000/100 = 5000/180; cost 14000; no KPI
    #   M: R2 1000/100;          cost 14000; no KPI
    # Maxima: 5000, 180, 58000, 0.6.
    #   J = 0.8 + 0.444444 + 1 + 1       = 3.244444
    #   K = 1 + 1 + 0.241379 + 0         = 2.241379
    #   M = 0.2 + 0.555556 + 0.241379    = 0.996935
    ranked = prioritise(shared).journeys
    assert [(f.journey.id, f.contacts, f.complaints, f.cost_eur, f.score) for f in ranked] == [
        ("journey/j", 4000, 80, 58_000.0, 3.244444),
        ("journey/k", 5000, 180, 14_000.0, 2.241379),
        ("journey/m", 1000, 100, 14_000.0, 0.996935),
    ]


def test_weights_reorder_the_priorities(shared: Store) -> None:
    # Complaints only: K 180, M 100, J 80 (over 180).
    weights = {"contacts": 0.0, "complaints": 1.0, "cost": 0.0, "kpiGap": 0.0}
    ranked = prioritise(shared, weights).journeys
    assert [(f.journey.id, f.score) for f in ranked] == [
        ("journey/k", 1.0),
        ("journey/m", 0.555556),
        ("journey/j", 0.444444),
    ]


def test_equal_scores_are_ranked_by_journey_id(shared: Store) -> None:
    # Cost only: K and M both 14000, J 58000.
    weights = {"contacts": 0.0, "complaints": 0.0, "cost": 1.0, "kpiGap": 0.0}
    ranked = prioritise(shared, weights).journeys
    assert [(f.journey.id, f.score) for f in ranked] == [
        ("journey/j", 1.0),
        ("journey/k", 0.241379),
        ("journey/m", 0.241379),
    ]
