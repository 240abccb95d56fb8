"""A journey's service blueprint on both backends: steps in order, touchpoints with their
channels, moments of truth and emotion, processes and systems beneath, KPIs and owners."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from journeykg.graph.blueprint import blueprint
from journeykg.graph.quantify import prioritise
from journeykg.graph.store import Store
from journeykg.resources import DEMO_DATASET
from tests.conftest import BASE


@pytest.fixture
def demo(store: Store) -> Store:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    return store


def test_the_blueprint_of_switching_with_number_keeping(demo: Store) -> None:
    bp = blueprint(demo, URIRef(f"{BASE}journey/overstappen"))
    assert [s.sequence for s in bp.steps] == [1, 2, 3, 4, 5]
    assert bp.steps[1].step.label("nl") == "Bestellen met nummerbehoud"
    ordering = {t.touchpoint.id: t for t in bp.steps[1].touchpoints}
    web = ordering["touchpoint/overstappen-web-bestellen-met-nummerbehoud"]
    assert web.moment_of_truth
    assert web.channel is not None
    assert web.channel.id == "channel/web"
    assert [p.id for p in web.processes] == ["process/nummerportering", "process/orderafhandeling"]
    assert bp.steps[4].emotion == -1.5  # mean of -1 and -2
    assert "system/nummerportering-gateway" in {s.id for s in bp.step_systems(bp.steps[1])}
    assert [o.id for o in bp.owners] == ["owner/journey-owner-nieuwe-klanten"]


def test_its_kpis_are_those_priorities_counts(demo: Store) -> None:
    bp = blueprint(demo, URIRef(f"{BASE}journey/overstappen"))
    (figures,) = [f for f in prioritise(demo).journeys if f.journey.id == "journey/overstappen"]
    assert bp.kpis == figures.kpis


def test_its_kpis_carry_their_history_oldest_first_ending_with_the_measured_value(
    demo: Store,
) -> None:
    bp = blueprint(demo, URIRef(f"{BASE}journey/overstappen"))
    nps = bp.history["kpi/overstappen-nps"]
    assert [(p.period_start, p.period_end, p.value) for p in nps] == [
        ("2025-01-01", "2025-03-31", 5.0),
        ("2025-04-01", "2025-06-30", 7.0),
        ("2025-07-01", "2025-09-30", 6.0),
        ("2025-10-01", "2025-12-31", 8.0),
    ]
    # The latest value is the one priorities reads as the KPI's measured value.
    for status in bp.kpis:
        last = bp.history[status.kpi.id][-1]
        assert (last.value, last.period_end) == (status.measured, status.measured_until)
    assert set(bp.history) == {k.kpi.id for k in bp.kpis}
