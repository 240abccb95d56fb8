"""Each factor of the impact score on its own, on both backends.

The figures are those of tests/fixtures/impact_small.ttl (see its header),
the same that tests/graph/test_quantify.py sums per journey.
"""

from __future__ import annotations

import pytest
from rdflib import URIRef

from journeykg.graph.factors import (
    ReasonVolume,
    annual_costs,
    kpi_gap,
    kpi_statuses,
    reason_volumes,
)
from journeykg.graph.model import ElementRef
from journeykg.graph.quantify import JourneyFigures, checked_weights, factor_values, rank
from journeykg.graph.store import Store
from tests.conftest import read_fixture


@pytest.fixture
def small(store: Store) -> Store:
    store.upsert(read_fixture("impact_small.ttl"))
    return store


def iri(store: Store, key: str) -> URIRef:
    return store.ids.iri(key)


def test_reason_volumes_count_the_latest_year_over_its_channels(small: Store) -> None:
    reason, other = iri(small, "reason/r"), iri(small, "reason/none")
    volumes = reason_volumes(small, [reason, other])
    # 2025 only (the 2024 figure is older): app 1000/50/0.8 + phone 3000/30/0.6.
    assert volumes[reason] == ReasonVolume(contacts=4000, complaints=80, resolved=2600.0)
    assert volumes[other] == ReasonVolume()  # no volumes: nothing counts


def test_annual_costs_are_those_of_the_latest_period(small: Store) -> None:
    keys = ["process/a", "process/x", "touchpoint/t2", "journey/j"]
    costs = annual_costs(small, [iri(small, k) for k in keys])
    # a: 30000 of 2025, not its 99999 of 2024; t2 has no cost, so no entry.
    assert {small.ids.key(str(h)): c for h, c in costs.items()} == {
        "process/a": 30_000.0,
        "process/x": 100_000.0,
        "journey/j": 7_000.0,
    }


def test_kpi_statuses_per_measured_element(small: Store) -> None:
    journey, tp1, tp2 = (iri(small, k) for k in ("journey/j", "touchpoint/t1", "touchpoint/t2"))
    statuses = kpi_statuses(small, [journey, tp1, tp2])
    assert [(s.kpi.id, s.kpi_type, s.measures, s.gap) for s in statuses[journey]] == [
        ("kpi/j-nps", "jkg:NPS", "journey/j", 0.6)  # higher is better: (25 - 10) / 25
    ]
    assert [(s.kpi.id, s.kpi_type, s.gap) for s in statuses[tp1]] == [
        ("kpi/t1-ces", "jkg:CES", 0.0)  # lower is better: 5 is above the target 4, by 0.25
    ]
    assert tp2 not in statuses


@pytest.mark.parametrize(
    ("current", "target", "higher", "gap"),
    [
        (10.0, 25.0, True, 0.6),
        (30.0, 25.0, True, 0.0),
        (5.0, 4.0, False, 0.25),
        (3.0, 4.0, False, 0.0),
        (-20.0, -10.0, True, 1.0),  # |target|: a negative NPS target
        (None, 25.0, True, 0.0),
        (10.0, None, True, 0.0),
        (10.0, 0.0, True, 0.0),
    ],
)
def test_kpi_gap(current: float | None, target: float | None, higher: bool, gap: float) -> None:
    assert kpi_gap(current, target, higher) == gap


def figures(key: str, contacts: int, complaints: int, cost: float, gap: float) -> JourneyFigures:
    ref = ElementRef(id=key, iri=f"https://id.journeykg.example/{key}", type="Journey")
    return JourneyFigures(ref, None, contacts, complaints, None, cost, (), gap)


def test_rank_normalises_each_factor_by_its_largest_value() -> None:
    a = figures("journey/a", 100, 10, 500.0, 0.0)
    b = figures("journey/b", 50, 20, 1000.0, 0.4)
    c = figures("journey/c", 50, 20, 1000.0, 0.4)
    assert factor_values(a) == {
        "contacts": 100,
        "complaints": 10,
        "cost": 500.0,
        "kpiGap": 0.0,
        "dropOff": 0.0,
        "openInsights": 0,
    }
    ranked = rank([a, c, b], checked_weights({"cost": 2.0}))
    # a: 1 + 0.5 + 2 * 0.5 + 0 = 2.5; b and c: 0.5 + 1 + 2 + 1 = 4.5, tied, by id.
    assert [(f.journey.id, f.score) for f in ranked] == [
        ("journey/b", 4.5),
        ("journey/c", 4.5),
        ("journey/a", 2.5),
    ]


def test_a_factor_nobody_has_adds_nothing() -> None:
    (ranked,) = rank([figures("journey/a", 0, 0, 0.0, 0.0)], checked_weights(None))
    assert ranked.score == 0.0
