"""Framework integrity on both backends: Store.referrers, refusals, atomic migration."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.impact import impact
from journeykg.graph.store import Store
from journeykg.namespaces import DCTERMS, JKG, PROV, REG, SKOS
from journeykg.services.governance.errors import (
    GovernanceValidationError,
    IllegalTransitionError,
    StillReferencedError,
)
from journeykg.services.governance.model import Reference
from journeykg.services.governance.transitions import Status
from journeykg.services.governance.workflow import Governance
from tests.conftest import BASE
from tests.services.governance.conftest import STEWARD_POST, dump, propose_fcr

STEWARD: dict[str, Any] = {"by": STEWARD_POST, "role": "steward"}


def iri(key: str) -> URIRef:
    return URIRef(BASE + key)


# --- the store primitive -------------------------------------------------------------


def test_referrers_lists_incoming_references_on_both_backends(board: Store) -> None:
    assert board.referrers([iri("reason/r"), iri("phase/p")]) == [
        (iri("journey/j"), JKG.placedOn, iri("reason/r")),
        (iri("reason/r"), JKG.inPhase, iri("phase/p")),
        (iri("reason/r2"), JKG.inPhase, iri("phase/p")),
        (iri("volume/r-2024"), JKG.volumeOf, iri("reason/r")),
        (iri("volume/r-2025-app"), JKG.volumeOf, iri("reason/r")),
        (iri("volume/r-2025-phone"), JKG.volumeOf, iri("reason/r")),
    ]


def test_referrers_ignores_types_and_knows_nothing_of_unknown_iris(board: Store) -> None:
    # Every journey is typed jkg:Journey: typing is not a reference.
    assert board.referrers([JKG.Journey]) == []
    assert board.referrers([iri("reason/bestaat-niet")]) == []
    assert board.referrers([]) == []


def test_referrers_sees_model_individuals_as_objects(board: Store) -> None:
    assert board.referrers([JKG.FCR]) == [(iri("kpi/j-fcr"), JKG.kpiType, JKG.FCR)]


# --- no deletion or retirement of what is referenced ------------------------------------


def test_deleting_a_referenced_contact_reason_is_refused(gov: Governance) -> None:
    before = dump(gov.store)
    with pytest.raises(StillReferencedError) as refused:
        gov.delete("reason/r", role="steward")
    assert str(refused.value) == (
        "cannot delete reason/r: 4 reference(s) still point at it (journey/j jkg:placedOn, "
        "volume/r-2024 jkg:volumeOf, volume/r-2025-app jkg:volumeOf, volume/r-2025-phone "
        "jkg:volumeOf); deprecate it with a replacement and migrate the references instead"
    )
    assert refused.value.references[0] == Reference("journey/j", "jkg:placedOn", "reason/r")
    assert dump(gov.store) == before


def test_retiring_a_referenced_element_is_refused(gov: Governance) -> None:
    before = dump(gov.store)
    with pytest.raises(StillReferencedError) as refused:
        gov.deprecate("phase/p", rationale="Fase vervalt", **STEWARD)
    assert str(refused.value) == (
        "cannot retire phase/p: 2 reference(s) still point at it (reason/r jkg:inPhase, "
        "reason/r2 jkg:inPhase); supersede it with a replacement instead and migrate the "
        "references"
    )
    assert dump(gov.store) == before


def test_deleting_an_approved_concept_is_refused_and_a_draft_may_go(gov: Governance) -> None:
    before = dump(gov.store)
    with pytest.raises(IllegalTransitionError) as refused:
        gov.delete("concept/nps", role="steward")
    assert str(refused.value) == (
        "cannot delete concept/nps: it is approved (vastgesteld); only draft or rejected "
        "concepts may be deleted (deprecate an approved one: retire or supersede it)"
    )
    assert dump(gov.store) == before
    propose_fcr(gov, draft=True)
    assert gov.delete("concept/fcr", role="steward") == [
        "concept/fcr",
        "concept/fcr/activity/1",
        "concept/fcr/activity/1/association",
        "concept/fcr/version/1",
    ]
    assert dump(gov.store) == before


# --- supersede, then migrate every reference in one validated write ----------------------


def test_a_superseded_reason_hands_its_references_to_the_replacement(gov: Governance) -> None:
    store = gov.store
    gov.deprecate(
        "reason/r", rationale="Samengevoegd met adres wijzigen", replacement="reason/r2", **STEWARD
    )
    done = gov.migrate("reason/r", rationale="Verwijzingen overzetten", **STEWARD)
    assert done.replacement == "reason/r2"
    assert [(r.subject, r.predicate) for r in done.moved] == [
        ("journey/j", "jkg:placedOn"),
        ("volume/r-2024", "jkg:volumeOf"),
        ("volume/r-2025-app", "jkg:volumeOf"),
        ("volume/r-2025-phone", "jkg:volumeOf"),
    ]
    assert (done.activity.kind, done.activity.by, done.activity.rationale) == (
        "Migration",
        STEWARD_POST,
        "Verwijzingen overzetten",
    )
    # Nothing but the governance record points at the old reason any more.
    assert sorted((store.ids.key(s), p) for s, p, _ in store.referrers([iri("reason/r")])) == [
        ("reason/r/activity/1", PROV.used),
        ("reason/r/activity/2", PROV.used),
        ("reason/r/version/1", DCTERMS.isVersionOf),
    ]
    assert set(store.describe([iri("journey/j")]).objects(iri("journey/j"), JKG.placedOn)) == {
        iri("reason/r2")
    }
    # The journey now sits on the replacement, and impact follows it.
    assert "journey/j" in [a.element.id for a in impact(store, "reason/r2").journeys]


def test_a_migration_keeps_the_other_values_of_a_multi_valued_reference(gov: Governance) -> None:
    store = gov.store
    extra = Graph()
    extra.add((iri("journey/j"), JKG.placedOn, iri("reason/r")))
    extra.add((iri("journey/j"), JKG.placedOn, iri("reason/r2")))
    store.upsert(extra)
    gov.deprecate("reason/r", rationale="Samengevoegd", replacement="reason/r2", **STEWARD)
    gov.migrate("reason/r", rationale="Overzetten", **STEWARD)
    assert set(store.describe([iri("journey/j")]).objects(iri("journey/j"), JKG.placedOn)) == {
        iri("reason/r2")
    }


def test_a_migration_that_does_not_validate_writes_nothing(board: Store, gov: Governance) -> None:
    # Stored without the gate: a superseded reason whose replacement is a phase. Moving the
    # journey onto a phase would break jkg:placedOn's rule, so nothing may move at all.
    broken = Graph()
    broken.add((iri("reason/r"), REG.status, Status.SUPERSEDED.iri))
    broken.add((iri("reason/r"), SKOS.definition, Literal("Oud.", lang="nl")))
    broken.add((iri("reason/r"), DCTERMS.isReplacedBy, iri("phase/p")))
    board.upsert(broken)
    before = dump(board)
    with pytest.raises(GovernanceValidationError) as refused:
        gov.migrate("reason/r", rationale="Overzetten", **STEWARD)
    assert refused.value.summary == (
        "cannot migrate the references of reason/r to phase/p: 4 violation(s) of the "
        "shapes; nothing was written"
    )
    assert sorted({(p.node, p.property) for p in refused.value.problems}) == [
        ("journey/j", "jkg:placedOn"),
        ("volume/r-2024", "jkg:volumeOf"),
        ("volume/r-2025-app", "jkg:volumeOf"),
        ("volume/r-2025-phone", "jkg:volumeOf"),
    ]
    assert dump(board) == before


def test_only_a_superseded_element_is_migrated(gov: Governance) -> None:
    before = dump(gov.store)
    with pytest.raises(IllegalTransitionError) as refused:
        gov.migrate("reason/r", rationale="Overzetten", **STEWARD)
    assert str(refused.value) == (
        "cannot migrate the references of reason/r: it is approved (vastgesteld); only the "
        "references of a superseded element move (to its replacement); supersede it first"
    )
    assert dump(gov.store) == before
