"""Insights and initiatives: their lifecycles, and bad input refused by record, field and rule
with nothing written; on both backends, through the shapes gate and the audited store."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.audited import AuditedStore
from journeykg.graph.governed_steps import GovernedWriteError
from journeykg.namespaces import JKG, REG
from journeykg.services.insights.errors import InsightError, InsightValidationError
from journeykg.services.insights.initiatives import (
    create_initiative,
    set_initiative_status,
)
from journeykg.services.insights.insights import (
    create_insight,
    set_insight_status,
    update_insight,
)
from journeykg.services.insights.records import read_insight
from tests.services.insights.organisation import CTX

OWNER, REASON, JOURNEY = "test/context/owner", "test/context/reason", "test/context/journey"


def _triples(store: AuditedStore) -> set[tuple[object, object, object]]:
    return set(store.export())


def _insight(store: AuditedStore, statement: str = "Klanten wachten te lang") -> str:
    return create_insight(
        store, statement, owner=OWNER, concerns=[REASON, JOURNEY], confidence=0.6, lang="nl"
    ).id


def test_an_insight_moves_only_along_its_lifecycle(organisation: AuditedStore) -> None:
    ident = _insight(organisation)
    assert read_insight(organisation, ident).status == "new"
    before = _triples(organisation)
    with pytest.raises(InsightError) as refused:
        set_insight_status(organisation, ident, "closed")
    assert refused.value.code == "TRANSITION"
    assert (refused.value.record, refused.value.field) == (ident, "jkg:insightStatus")
    assert "cannot go from new to closed; allowed: rejected, validated" in str(refused.value)
    assert _triples(organisation) == before
    for status in ("validated", "addressed", "closed"):
        assert set_insight_status(organisation, ident, status).status == status
    with pytest.raises(InsightError, match="allowed: none: it is final"):
        set_insight_status(organisation, ident, "validated")


def test_an_initiative_without_owner_is_refused_naming_record_field_and_rule(
    organisation: AuditedStore,
) -> None:
    ident = _insight(organisation)
    set_insight_status(organisation, ident, "validated")
    before = _triples(organisation)
    for owner in (None, " "):
        with pytest.raises(InsightError) as refused:
            create_initiative(organisation, "Sneller melden", owner=owner, addresses=[ident])
        error = refused.value
        assert (error.code, error.record, error.field, error.rule) == (
            "OWNER_REQUIRED",
            "initiative/sneller-melden",
            "jkg:ownedBy",
            "jkgsh:Initiative-owner",
        )
    assert _triples(organisation) == before


def test_an_initiative_addresses_validated_insights_only(organisation: AuditedStore) -> None:
    ident = _insight(organisation)
    with pytest.raises(InsightError) as refused:
        create_initiative(organisation, "Sneller melden", owner=OWNER, addresses=[ident])
    assert refused.value.code == "NOT_VALIDATED"
    assert f"insight {ident} is new; validate it first" in str(refused.value)


def test_an_insight_linked_to_an_unknown_element_is_refused(organisation: AuditedStore) -> None:
    before = _triples(organisation)
    with pytest.raises(InsightError) as refused:
        create_insight(organisation, "x", owner=OWNER, concerns=[REASON, "journey/nergens"])
    error = refused.value
    assert (error.code, error.field, error.rule) == (
        "UNKNOWN_ELEMENT",
        "jkg:concerns",
        "jkgsh:Insight-concerns",
    )
    assert "'journey/nergens'" in str(error)
    with pytest.raises(InsightError) as wrong:
        create_insight(organisation, "x", owner=OWNER, concerns=["test/context/persona"])
    assert wrong.value.code == "WRONG_TYPE"
    assert _triples(organisation) == before


def test_the_shapes_gate_refuses_what_the_service_does_not_check(
    organisation: AuditedStore,
) -> None:
    before = _triples(organisation)
    with pytest.raises(InsightValidationError) as refused:
        create_insight(organisation, "Te zeker", owner=OWNER, concerns=[REASON], confidence=1.5)
    assert refused.value.rule == "jkgsh:Insight-confidence (MaxInclusiveConstraintComponent)"
    assert refused.value.field == "jkg:confidence"
    assert _triples(organisation) == before


def test_an_initiative_is_planned_done_and_its_insights_addressed(
    organisation: AuditedStore,
) -> None:
    ident = _insight(organisation)
    set_insight_status(organisation, ident, "validated")
    initiative = create_initiative(
        organisation,
        "Sneller melden",
        owner=OWNER,
        addresses=[ident],
        cost=1200.5,
        target_date="2026-09-30",
        changes=["test/context/process", "test/context/system"],
    )
    assert (initiative.status, initiative.cost, initiative.target_date) == (
        "idea",
        1200.5,
        "2026-09-30",
    )
    with pytest.raises(InsightError, match="cannot go from idea to done"):
        set_initiative_status(organisation, initiative.id, "done")
    set_initiative_status(organisation, initiative.id, "planned")
    assert read_insight(organisation, ident).status == "addressed"
    done = set_initiative_status(organisation, initiative.id, "done", done_on="2026-10-01")
    assert (done.status, done.done_on) == ("done", "2026-10-01")


def test_evidence_is_added_not_replaced(organisation: AuditedStore) -> None:
    from tests.services.insights.organisation import volumes

    organisation.upsert(volumes([3, 4]))
    ident = _insight(organisation)
    update_insight(organisation, ident, add_evidence=["test/context/volume/1"])
    updated = update_insight(organisation, ident, add_evidence=["test/context/volume/2"])
    assert updated.evidence == ("test/context/volume/1", "test/context/volume/2")
    assert updated.status == "new"


def test_a_lifecycle_status_is_not_governed_and_does_not_open_governed_data(
    organisation: AuditedStore,
) -> None:
    # An insight's status changes without the governance workflow: it is not reg:status.
    ident = _insight(organisation)
    set_insight_status(organisation, ident, "validated")
    assert (URIRef(organisation.ids.iri(ident)), REG.status, None) not in organisation.export()
    # ... and writing an insight status onto a governed element is still refused by the guard.
    delta = Graph()
    delta.add((URIRef(CTX + "reason"), JKG.insightStatus, JKG.insightValidated))
    before = _triples(organisation)
    with pytest.raises(GovernedWriteError):
        organisation.upsert(delta)
    delta = Graph()
    delta.add((URIRef(CTX + "reason"), JKG.confidence, Literal(1)))
    with pytest.raises(GovernedWriteError):
        organisation.upsert(delta)
    assert _triples(organisation) == before
