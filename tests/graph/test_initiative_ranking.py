"""Initiatives ranked by expected effect on customers per euro, weights visible; both backends."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.initiative_ranking import rank_initiatives
from journeykg.graph.store import Store
from journeykg.services.insights.initiatives import (
    PlannedEffect,
    create_initiative,
    set_initiative_status,
)
from journeykg.services.insights.insights import create_insight, set_insight_status
from tests.services.insights.organisation import CONTEXT, kpi_values, volumes

OWNER = "test/context/owner"


@pytest.fixture
def org(store: Store, tmp_path: Path) -> Iterator[AuditedStore]:
    from rdflib import Graph

    audited = AuditedStore(store, AuditJournal(tmp_path / "audit.sqlite"))
    audited.upsert(Graph().parse(CONTEXT, format="turtle"))
    audited.upsert(volumes([4, 6, 5, 3, 5, 30]))
    audited.upsert(kpi_values([2, 4]))  # target 10: a gap of 0.6
    yield audited
    audited.journal.close()


def test_effect_per_euro_with_the_weights_shown(org: AuditedStore) -> None:
    insight = create_insight(org, "Wachten", owner=OWNER, concerns=["test/context/reason"]).id
    set_insight_status(org, insight, "validated")

    def plan(name: str, cost: float | None, change: float) -> str:
        return create_initiative(
            org,
            name,
            owner=OWNER,
            addresses=[insight],
            cost=cost,
            changes=["test/context/process"],
            effects=[PlannedEffect("test/context/kpi", change)],
        ).id

    cheap = plan("Goedkoop", 1000, 2)
    dear = plan("Duur", 10000, 20)
    free = plan("Zonder kosten", None, 2)
    done = plan("Al klaar", 10, 2)
    set_initiative_status(org, done, "planned")
    set_initiative_status(org, done, "done", done_on="2026-07-01")
    ranking = rank_initiatives(org)
    assert dict(ranking.weights) == {"contacts": 1, "complaints": 1, "cost": 1, "kpiGap": 1}
    assert [r.id for r in ranking.initiatives] == [cheap, dear, free]
    first, second, last = ranking.initiatives
    assert first.contacts == second.contacts > 0
    # NPS 4 against a target of 10: +2 closes 0.2 of the target, +20 only the 0.6 gap.
    assert (first.kpi_gap_closed, second.kpi_gap_closed) == (0.2, 0.6)
    assert first.per_euro == pytest.approx(first.effect / 1000)
    assert last.per_euro is None
    assert last.note == "no cost stated (jkg:costEur): cannot rank per euro"
    # Weigh only the KPI gap: the dear one closes three times as much for ten times the cost.
    only_gap = rank_initiatives(org, {"contacts": 0, "complaints": 0, "cost": 0})
    assert [r.effect for r in only_gap.initiatives] == [
        pytest.approx(1 / 3),
        1.0,
        pytest.approx(1 / 3),
    ]
    with pytest.raises(ValueError, match="unknown weight"):
        rank_initiatives(org, {"euro": 1})
