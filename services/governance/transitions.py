"""The workflow's transition table: which step takes a definition from which status to which.

One table, read by the workflow and printed in refusals, so that what is
allowed is said in exactly one place::

    draft    --submit-->    proposed
    proposed --approve-->   approved
    proposed --reject-->    rejected
    approved --supersede--> superseded   (with a replacement)
    approved --retire-->    retired

Superseded, retired and rejected are final. A change to an approved text is
not a transition of the concept: it is a change proposal with its own
status (proposed, then approved or rejected), and the concept stays approved.
"""

from __future__ import annotations

from enum import Enum

from rdflib import URIRef

from journeykg.namespaces import JKG
from journeykg.services.governance.errors import IllegalTransitionError, NotPermittedError


class Status(Enum):
    """The six statuses of ontology/governance.ttl, with their Dutch labels."""

    DRAFT = "draft"
    PROPOSED = "proposed"
    APPROVED = "approved"
    SUPERSEDED = "superseded"
    RETIRED = "retired"
    REJECTED = "rejected"

    @property
    def iri(self) -> URIRef:
        return URIRef(f"{JKG}status{self.value.capitalize()}")

    @property
    def dutch(self) -> str:
        return _DUTCH[self]

    def __str__(self) -> str:
        return f"{self.value} ({self.dutch})"

    @classmethod
    def of_iri(cls, iri: URIRef | None) -> Status:
        """The status an IRI names; none at all means approved (see :data:`UNGOVERNED`)."""
        if iri is None:
            return UNGOVERNED
        for status in cls:
            if status.iri == iri:
                return status
        raise ValueError(f"<{iri}> is not one of the six definition statuses")


_DUTCH = {
    Status.DRAFT: "in bewerking",
    Status.PROPOSED: "voorgesteld",
    Status.APPROVED: "vastgesteld",
    Status.SUPERSEDED: "vervangen",
    Status.RETIRED: "vervallen",
    Status.REJECTED: "afgewezen",
}

#: Elements loaded without a status (the lifecycle framework as a sync or a
#: file brought it in) are in force: they count as approved.
UNGOVERNED = Status.APPROVED

#: Statuses in which a definition is no longer (or never was) in force.
CLOSED = frozenset({Status.SUPERSEDED, Status.RETIRED, Status.REJECTED})


class Action(Enum):
    """A step of the workflow."""

    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    SUPERSEDE = "supersede"
    RETIRE = "retire"


TRANSITIONS: dict[tuple[Status, Action], Status] = {
    (Status.DRAFT, Action.SUBMIT): Status.PROPOSED,
    (Status.PROPOSED, Action.APPROVE): Status.APPROVED,
    (Status.PROPOSED, Action.REJECT): Status.REJECTED,
    (Status.APPROVED, Action.SUPERSEDE): Status.SUPERSEDED,
    (Status.APPROVED, Action.RETIRE): Status.RETIRED,
}

#: Steps only a governance role may take. Proposing and submitting are open to all.
STEWARD_ACTIONS = frozenset({Action.APPROVE, Action.REJECT, Action.SUPERSEDE, Action.RETIRE})

#: The one governance role that decides (a steward's API token, CLI ``--role``).
STEWARD = "steward"


def allowed(current: Status) -> list[tuple[Action, Status]]:
    """The steps allowed from ``current``, in table order."""
    return [(a, to) for (frm, a), to in TRANSITIONS.items() if frm == current]


def describe_allowed(current: Status) -> str:
    """``submit (-> proposed)``, or a note that the status is final."""
    steps = allowed(current)
    if not steps:
        return f"none: {current.value} is final"
    return ", ".join(f"{a.value} (-> {to.value})" for a, to in steps)


def next_status(item: str, current: Status, action: Action) -> Status:
    """The status after ``action``; :class:`IllegalTransitionError` if there is no such step."""
    found = TRANSITIONS.get((current, action))
    if found is None:
        needs = sorted(frm.value for frm, a in TRANSITIONS if a == action)
        raise IllegalTransitionError(
            f"cannot {action.value} {item}: it is {current}, and {action.value} is only "
            f"possible from {' or '.join(needs)}; allowed from {current.value}: "
            f"{describe_allowed(current)}",
            item=item,
            current=current.value,
            action=action.value,
        )
    return found


def require_role(item: str, action: str, role: str | None) -> None:
    """Refuse a decision without the steward role.

    The API refuses such a call before it gets here (api/permissions.py); this check
    keeps the workflow safe for every other caller, the command line included.
    """
    if (role or "").strip().lower() != STEWARD:
        shown = f"role {role!r}" if role else "no role"
        raise NotPermittedError(
            f"cannot {action} {item} with {shown}: only a {STEWARD} of the governance body "
            "may approve, reject, deprecate, migrate or delete "
            f"(use a {STEWARD}'s API token, or --role {STEWARD} on the command line)"
        )
