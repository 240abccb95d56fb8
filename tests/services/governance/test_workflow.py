"""The workflow on both backends: each step's result, and refusals that write nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from journeykg.graph.errors import UnknownElementError
from journeykg.graph.store import Store
from journeykg.services.governance.errors import (
    GovernanceError,
    GovernanceRequestError,
    GovernanceValidationError,
    IllegalTransitionError,
    NotPermittedError,
)
from journeykg.services.governance.history import activities, proposals, versions
from journeykg.services.governance.model import ConceptText
from journeykg.services.governance.transitions import Status
from journeykg.services.governance.workflow import Governance, NewConcept
from tests.services.governance.conftest import (
    FCR_TEXT,
    STEWARD_POST,
    approve,
    dump,
    propose_fcr,
)


def day(n: int) -> datetime:
    """The clock's n-th reading (1 = 2025-01-01 09:00 UTC)."""
    return datetime(2025, 1, n, 9, 0, tzinfo=UTC)


def refused(store: Store, step: Callable[[], object], kind: type[GovernanceError]) -> str:
    """Run a step that must be refused; check that nothing was written; return the message."""
    before = dump(store)
    with pytest.raises(kind) as caught:
        step()
    assert dump(store) == before
    return str(caught.value)


# --- legal steps -----------------------------------------------------------------------


def test_propose_records_the_concept_its_first_version_and_who_proposed(gov: Governance) -> None:
    outcome = propose_fcr(gov)
    concept = outcome.concept
    assert (concept.id, concept.type, concept.status, concept.version) == (
        "concept/fcr",
        "Concept",
        Status.PROPOSED,
        1,
    )
    assert concept.text == FCR_TEXT
    assert (concept.scheme, concept.explains, concept.sources) == (
        "scheme/glossary",
        ("jkg:FCR",),
        ("KPI-handboek 2025",),
    )
    step = outcome.activity
    assert (step.id, step.kind, step.by, step.role, step.at) == (
        "concept/fcr/activity/1",
        "Proposal",
        "owner/k",
        "contributor",
        day(1),
    )
    assert (step.from_status, step.to_status, step.version) == (
        None,
        Status.PROPOSED,
        "concept/fcr/version/1",
    )


def test_approve_records_who_when_why_and_opens_a_version(gov: Governance) -> None:
    propose_fcr(gov)
    outcome = approve(gov)
    assert (outcome.concept.status, outcome.concept.version) == (Status.APPROVED, 2)
    step = outcome.activity
    assert (step.kind, step.by, step.role, step.at, step.rationale) == (
        "Approval",
        STEWARD_POST,
        "steward",
        day(2),
        "Besloten in de CX-board",
    )
    assert (step.from_status, step.to_status) == (Status.PROPOSED, Status.APPROVED)
    assert [
        (v.number, v.status, v.valid_from, v.valid_until)
        for v in versions(gov.store, "concept/fcr")
    ] == [
        (1, Status.PROPOSED, day(1), day(2)),
        (2, Status.APPROVED, day(2), None),
    ]


def test_a_draft_is_submitted_then_approved(gov: Governance) -> None:
    assert propose_fcr(gov, draft=True).concept.status == Status.DRAFT
    submitted = gov.submit("concept/fcr", by="owner/k")
    assert (submitted.activity.kind, submitted.concept.status) == ("Proposal", Status.PROPOSED)
    assert approve(gov).concept.status == Status.APPROVED


def test_reject_a_proposed_concept(gov: Governance) -> None:
    propose_fcr(gov)
    outcome = gov.reject(
        "concept/fcr", by=STEWARD_POST, role="steward", rationale="Dubbel met bestaande KPI"
    )
    assert (outcome.concept.status, outcome.activity.kind, outcome.activity.rationale) == (
        Status.REJECTED,
        "Rejection",
        "Dubbel met bestaande KPI",
    )


def test_a_change_proposal_leaves_the_approved_text_in_force_until_approved(
    gov: Governance,
) -> None:
    propose_fcr(gov)
    approve(gov)
    new_definition = {"nl": "Het aandeel vragen zonder tweede contact binnen 7 dagen."}
    change = gov.propose_change(
        "concept/fcr", ConceptText(definitions=new_definition), by="owner/k", rationale="Scherper"
    )
    assert change.proposal is not None
    assert (change.proposal.id, change.proposal.status) == ("concept/fcr/change/1", Status.PROPOSED)
    # The proposal carries the whole text: the new Dutch definition, the rest as approved.
    assert change.proposal.text == ConceptText(
        FCR_TEXT.pref_labels, {**FCR_TEXT.definitions, **new_definition}, FCR_TEXT.scope_notes
    )
    # ... and the approved text is still the one in force.
    assert change.concept.text == FCR_TEXT
    assert (change.concept.status, change.concept.version) == (Status.APPROVED, 2)

    approved = approve(gov, "concept/fcr/change/1")
    assert approved.concept.text.definitions == {**FCR_TEXT.definitions, **new_definition}
    assert (approved.concept.status, approved.concept.version) == (Status.APPROVED, 3)
    assert approved.activity.proposal == "concept/fcr/change/1"
    assert [p.status for p in proposals(gov.store, "concept/fcr")] == [Status.APPROVED]


def test_a_rejected_change_proposal_changes_nothing_in_the_concept(gov: Governance) -> None:
    propose_fcr(gov)
    approve(gov)
    gov.propose_change("concept/fcr", ConceptText(definitions={"nl": "Iets anders."}), by="owner/k")
    outcome = gov.reject(
        "concept/fcr/change/1", by=STEWARD_POST, role="steward", rationale="Niet meetbaar"
    )
    assert (outcome.concept.text, outcome.concept.version) == (FCR_TEXT, 2)
    assert outcome.proposal is not None
    assert outcome.proposal.status == Status.REJECTED


def test_supersede_names_the_replacement_and_retire_needs_none(gov: Governance) -> None:
    propose_fcr(gov)
    approve(gov)
    gov.propose_concept(
        NewConcept(
            "fcr-7d",
            ConceptText({"nl": "FCR binnen 7 dagen"}, {"nl": "Opgelost zonder nieuw contact."}),
        ),
        by="owner/k",
    )
    approve(gov, "concept/fcr-7d")
    superseded = gov.deprecate(
        "concept/fcr",
        by=STEWARD_POST,
        role="steward",
        rationale="Vervangen door de 7-dagenmaat",
        replacement="concept/fcr-7d",
    )
    assert (superseded.concept.status, superseded.concept.replaced_by) == (
        Status.SUPERSEDED,
        "concept/fcr-7d",
    )
    assert superseded.activity.kind == "Deprecation"
    retired = gov.deprecate(
        "concept/nps", by=STEWARD_POST, role="steward", rationale="Niet meer gebruikt"
    )
    assert (retired.concept.status, retired.concept.replaced_by) == (Status.RETIRED, None)
    # A concept loaded before governance gets its first version at its first step.
    assert [(v.number, v.status) for v in versions(gov.store, "concept/nps")] == [
        (1, Status.RETIRED)
    ]


def test_every_step_is_in_the_history_in_order(gov: Governance) -> None:
    propose_fcr(gov)
    approve(gov)
    gov.propose_change(
        "concept/fcr", ConceptText(scope_notes={"nl": "Alleen telefoon."}), by="owner/k"
    )
    approve(gov, "concept/fcr/change/1")
    assert [(a.id, a.kind, a.at) for a in activities(gov.store, "concept/fcr")] == [
        ("concept/fcr/activity/1", "Proposal", day(1)),
        ("concept/fcr/activity/2", "Approval", day(2)),
        ("concept/fcr/activity/3", "Proposal", day(3)),
        ("concept/fcr/activity/4", "Approval", day(4)),
    ]


# --- refusals: nothing is written ------------------------------------------------------


def test_a_proposal_without_a_definition_is_refused(gov: Governance) -> None:
    message = refused(
        gov.store,
        lambda: gov.propose_concept(
            NewConcept("ces", ConceptText({"nl": "Klantinspanning"})), by="owner/k"
        ),
        GovernanceValidationError,
    )
    assert message == (
        "cannot propose concept/ces: 1 violation(s) of the shapes; nothing was written\n"
        "  - governance, node concept/ces, property skos:definition: A concept or change "
        "cannot be proposed or approved without a definition (skos:definition). "
        "[Violation: jkgsh:GovernedItem-definition (SPARQLConstraintComponent)]"
    )


def test_a_duplicate_label_against_a_stored_concept_is_refused(gov: Governance) -> None:
    # concept/nps is stored (board.ttl); the new concept repeats its Dutch label in other case.
    new = NewConcept(
        "promotorscore", ConceptText({"nl": "net promoter score"}, {"nl": "Iets anders."})
    )
    message = refused(gov.store, lambda: gov.propose_concept(new, by="owner/k"), GovernanceError)
    assert message == (
        "cannot propose concept/promotorscore: 1 violation(s) of the shapes; nothing was written\n"
        "  - governance, node concept/promotorscore, property skos:prefLabel, value "
        "'net promoter score': This preferred label is already the label of "
        "concept/nps in the same scheme; choose another label or "
        "change that concept. [Violation: jkgsh:GovernedItem-uniqueLabel "
        "(SPARQLConstraintComponent)]"
    )


def test_a_change_proposal_may_keep_its_own_label_but_not_take_anothers(gov: Governance) -> None:
    propose_fcr(gov)
    approve(gov)
    taken = ConceptText(pref_labels={"nl": "Net Promoter Score", "en": "FCR"})
    message = refused(
        gov.store, lambda: gov.propose_change("concept/fcr", taken, by="owner/k"), GovernanceError
    )
    assert (
        "node concept/fcr/change/1, property skos:prefLabel, value 'Net Promoter Score'" in message
    )
    assert message.count("jkgsh:GovernedItem-uniqueLabel") == 1


def test_a_retired_concepts_label_may_be_used_again(gov: Governance) -> None:
    gov.deprecate("concept/nps", by=STEWARD_POST, role="steward", rationale="Opgeheven")
    outcome = gov.propose_concept(
        NewConcept("nps-2", ConceptText({"nl": "Net Promoter Score"}, {"nl": "Nieuw."})),
        by="owner/k",
    )
    assert outcome.concept.status == Status.PROPOSED


ILLEGAL = [
    # (status to reach, step, expected message)
    (
        "draft",
        "approve",
        "cannot approve concept/fcr: it is draft (in bewerking), and approve is only possible "
        "from proposed; allowed from draft: submit (-> proposed)",
    ),
    (
        "proposed",
        "retire",
        "cannot retire concept/fcr: it is proposed (voorgesteld), and retire is only possible "
        "from approved; allowed from proposed: approve (-> approved), reject (-> rejected)",
    ),
    (
        "proposed",
        "supersede",
        "cannot supersede concept/fcr: it is proposed (voorgesteld), and supersede is only "
        "possible from approved; allowed from proposed: approve (-> approved), reject "
        "(-> rejected)",
    ),
    (
        "approved",
        "approve",
        "cannot approve concept/fcr: it is approved (vastgesteld), and approve is only possible "
        "from proposed; allowed from approved: supersede (-> superseded), retire (-> retired)",
    ),
    (
        "rejected",
        "submit",
        "cannot submit concept/fcr: it is rejected (afgewezen), and submit is only possible "
        "from draft; allowed from rejected: none: rejected is final",
    ),
    (
        "retired",
        "reject",
        "cannot reject concept/fcr: it is retired (vervallen), and reject is only possible "
        "from proposed; allowed from retired: none: retired is final",
    ),
]


def _reach(gov: Governance, status: str) -> None:
    propose_fcr(gov, draft=status == "draft")
    if status in ("approved", "retired"):
        approve(gov)
    if status == "rejected":
        gov.reject("concept/fcr", by=STEWARD_POST, role="steward", rationale="Nee, dubbel")
    if status == "retired":
        gov.deprecate("concept/fcr", by=STEWARD_POST, role="steward", rationale="Weg ermee")


def _step(gov: Governance, action: str) -> Callable[[], object]:
    kw: dict[str, Any] = {"by": STEWARD_POST, "role": "steward", "rationale": "Volgens de board"}
    return {
        "approve": lambda: gov.approve("concept/fcr", **kw),
        "reject": lambda: gov.reject("concept/fcr", **kw),
        "retire": lambda: gov.deprecate("concept/fcr", **kw),
        "supersede": lambda: gov.deprecate("concept/fcr", replacement="concept/nps", **kw),
        "submit": lambda: gov.submit("concept/fcr", by="owner/k"),
    }[action]


@pytest.mark.parametrize(
    ("status", "action", "message"), ILLEGAL, ids=[f"{s}-{a}" for s, a, _ in ILLEGAL]
)
def test_an_illegal_step_is_refused_with_what_is_allowed(
    gov: Governance, status: str, action: str, message: str
) -> None:
    _reach(gov, status)
    assert refused(gov.store, _step(gov, action), IllegalTransitionError) == message


def test_a_decision_without_the_steward_role_is_refused(gov: Governance) -> None:
    propose_fcr(gov)
    message = refused(
        gov.store,
        lambda: gov.approve("concept/fcr", by="owner/k", role="contributor", rationale="Prima"),
        NotPermittedError,
    )
    assert message == (
        "cannot approve concept/fcr with role 'contributor': only a steward of the governance "
        "body may approve, reject, deprecate, migrate or delete (use a steward's API token, "
        "or --role steward on the command line)"
    )


def test_a_decision_without_a_rationale_or_by_a_non_post_is_refused(gov: Governance) -> None:
    propose_fcr(gov)
    message = refused(
        gov.store,
        lambda: gov.approve("concept/fcr", by="journey/j", role="steward", rationale=""),
        GovernanceValidationError,
    )
    assert message.splitlines()[1:] == [
        "  - governance, node concept/fcr/activity/2, property (prov:wasAssociatedWith "
        "org:postIn): The post that decides belongs to a body (org:postIn), such as the CX "
        "board. [Violation: jkgsh:Decision-body (MinCountConstraintComponent)]",
        "  - governance, node concept/fcr/activity/2, property jkg:rationale: Why? A decision "
        "(approval, rejection, deprecation, migration) has a rationale (jkg:rationale). "
        "[Violation: jkgsh:Decision-rationale (MinCountConstraintComponent)]",
        "  - governance, node concept/fcr/activity/2, property prov:wasAssociatedWith, value "
        "'https://id.journeykg.example/journey/j': Who? A governance step is taken by one post "
        "(org:Post, e.g. a jkg:Owner), never a person. "
        "[Violation: jkgsh:GovernanceActivity-wasAssociatedWith (ClassConstraintComponent)]",
    ]


def test_proposing_an_existing_concept_is_refused(gov: Governance) -> None:
    propose_fcr(gov)
    message = refused(gov.store, lambda: propose_fcr(gov), GovernanceRequestError)
    assert message == (
        "cannot propose concept/fcr: it exists already (proposed (voorgesteld)); propose a "
        "change to it instead (journeykg governance propose-change, or the proposeChange "
        "mutation)"
    )


def test_a_change_to_a_concept_that_is_not_approved_is_refused(gov: Governance) -> None:
    propose_fcr(gov)
    message = refused(
        gov.store,
        lambda: gov.propose_change(
            "concept/fcr", ConceptText(definitions={"nl": "X."}), by="owner/k"
        ),
        IllegalTransitionError,
    )
    assert message.startswith(
        "cannot propose a change to concept/fcr: it is proposed (voorgesteld)"
    )


def test_a_second_open_change_proposal_is_refused(gov: Governance) -> None:
    propose_fcr(gov)
    approve(gov)
    gov.propose_change("concept/fcr", ConceptText(definitions={"nl": "Eerste."}), by="owner/k")
    message = refused(
        gov.store,
        lambda: gov.propose_change(
            "concept/fcr", ConceptText(definitions={"nl": "Tweede."}), by="owner/k"
        ),
        GovernanceRequestError,
    )
    assert message == (
        "cannot propose a change to concept/fcr: change proposal concept/fcr/change/1 is still "
        "open; approve or reject it first"
    )


def test_superseding_by_another_kind_of_element_is_refused(gov: Governance) -> None:
    message = refused(
        gov.store,
        lambda: gov.deprecate(
            "reason/r",
            by=STEWARD_POST,
            role="steward",
            rationale="Samengevoegd",
            replacement="phase/p",
        ),
        GovernanceRequestError,
    )
    assert message == (
        "cannot supersede reason/r (a ContactReason) by phase/p: the replacement is a Phase; "
        "references can only move to the same kind"
    )


def test_superseding_by_a_replacement_not_in_force_is_refused(gov: Governance) -> None:
    propose_fcr(gov)
    message = refused(
        gov.store,
        lambda: gov.deprecate(
            "concept/nps",
            by=STEWARD_POST,
            role="steward",
            rationale="Opgevolgd",
            replacement="concept/fcr",
        ),
        GovernanceValidationError,
    )
    assert "[Violation: jkgsh:GovernedItem-isReplacedBy (SPARQLConstraintComponent)]" in message
    assert (
        "node concept/nps, property dcterms:isReplacedBy, value "
        "'https://id.journeykg.example/concept/fcr'"
    ) in message


def test_an_unknown_element_is_an_error(gov: Governance) -> None:
    with pytest.raises(UnknownElementError, match="concept/bestaat-niet"):
        approve(gov, "concept/bestaat-niet")
