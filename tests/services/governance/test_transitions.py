"""The transition table: every (status, action) pair, legal and illegal, and the role check."""

from __future__ import annotations

import pytest

from journeykg.services.governance.errors import IllegalTransitionError, NotPermittedError
from journeykg.services.governance.transitions import (
    TRANSITIONS,
    Action,
    Status,
    next_status,
    require_role,
)

LEGAL = {
    (Status.DRAFT, Action.SUBMIT): Status.PROPOSED,
    (Status.PROPOSED, Action.APPROVE): Status.APPROVED,
    (Status.PROPOSED, Action.REJECT): Status.REJECTED,
    (Status.APPROVED, Action.SUPERSEDE): Status.SUPERSEDED,
    (Status.APPROVED, Action.RETIRE): Status.RETIRED,
}

ALLOWED_FROM = {
    Status.DRAFT: "submit (-> proposed)",
    Status.PROPOSED: "approve (-> approved), reject (-> rejected)",
    Status.APPROVED: "supersede (-> superseded), retire (-> retired)",
    Status.SUPERSEDED: "none: superseded is final",
    Status.RETIRED: "none: retired is final",
    Status.REJECTED: "none: rejected is final",
}

NEEDS = {
    Action.SUBMIT: "draft",
    Action.APPROVE: "proposed",
    Action.REJECT: "proposed",
    Action.SUPERSEDE: "approved",
    Action.RETIRE: "approved",
}

ALL_PAIRS = [(s, a) for s in Status for a in Action]


def test_the_table_is_exactly_the_documented_one() -> None:
    assert TRANSITIONS == LEGAL


@pytest.mark.parametrize(("status", "action"), sorted(LEGAL, key=str))
def test_a_legal_transition_gives_the_next_status(status: Status, action: Action) -> None:
    assert next_status("concept/fcr", status, action) == LEGAL[(status, action)]


@pytest.mark.parametrize(("status", "action"), [p for p in ALL_PAIRS if p not in LEGAL], ids=str)
def test_an_illegal_transition_says_what_why_and_what_is_allowed(
    status: Status, action: Action
) -> None:
    with pytest.raises(IllegalTransitionError) as refused:
        next_status("concept/fcr", status, action)
    assert str(refused.value) == (
        f"cannot {action.value} concept/fcr: it is {status.value} ({status.dutch}), and "
        f"{action.value} is only possible from {NEEDS[action]}; allowed from {status.value}: "
        f"{ALLOWED_FROM[status]}"
    )
    assert (refused.value.item, refused.value.current, refused.value.action) == (
        "concept/fcr",
        status.value,
        action.value,
    )


def test_statuses_carry_the_dutch_labels_and_the_ontology_iris() -> None:
    assert [(s.value, s.dutch, s.iri.split("#")[1]) for s in Status] == [
        ("draft", "in bewerking", "statusDraft"),
        ("proposed", "voorgesteld", "statusProposed"),
        ("approved", "vastgesteld", "statusApproved"),
        ("superseded", "vervangen", "statusSuperseded"),
        ("retired", "vervallen", "statusRetired"),
        ("rejected", "afgewezen", "statusRejected"),
    ]


@pytest.mark.parametrize("role", [None, "", "contributor", "admin"])
def test_decisions_need_the_steward_role(role: str | None) -> None:
    with pytest.raises(NotPermittedError, match=r"^cannot approve concept/fcr with "):
        require_role("concept/fcr", "approve", role)


@pytest.mark.parametrize("role", ["steward", "Steward", " steward "])
def test_the_steward_role_may_decide(role: str) -> None:
    require_role("concept/fcr", "approve", role)
