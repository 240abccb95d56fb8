"""Definition impact on both backends: from a concept, via jkg:explains, to what uses it."""

from __future__ import annotations

from journeykg.graph.impact import impact
from journeykg.graph.relations import Relation
from journeykg.services.governance.workflow import Governance
from tests.services.governance.conftest import approve, propose_fcr


def test_redefining_fcr_reaches_the_kpis_journeys_and_owners_that_use_it(gov: Governance) -> None:
    propose_fcr(gov)
    approve(gov)
    answer = impact(gov.store, "concept/fcr")
    assert answer.of.type == "Concept"
    assert answer.is_complete
    assert [(a.element.id, a.hops, a.relation) for a in answer.affected] == [
        ("jkg:FCR", 1, "EXPLAINS"),
        ("kpi/j-fcr", 2, "KPI_TYPE"),
        ("journey/j", 3, "MEASURES"),
        ("owner/k", 3, "OWNED_BY"),
        ("reason/r", 4, "PLACED_ON"),
        ("kpi/j-nps", 4, "MEASURES"),
        ("owner/o", 4, "OWNED_BY"),
        ("phase/p", 5, "IN_PHASE"),
        ("stage/s", 6, "IN_STAGE"),
    ]
    assert answer.shortest_path("owner/o") == (
        "concept/fcr",
        "jkg:FCR",
        "kpi/j-fcr",
        "journey/j",
        "owner/o",
    )


def test_a_concept_explaining_a_framework_element_descends_the_framework(gov: Governance) -> None:
    # concept/nps (board.ttl) explains jkg:NPS: the NPS KPI on journey J.
    answer = impact(gov.store, "concept/nps", via=[Relation.EXPLAINS, Relation.KPI_TYPE])
    assert [(a.element.id, a.hops) for a in answer.affected] == [
        ("jkg:NPS", 1),
        ("kpi/j-nps", 2),
    ]
