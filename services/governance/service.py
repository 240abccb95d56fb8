"""The governance requests the CLI and the API both serve, one function each.

An entry point parses its input into the plain values these functions take,
calls one of them, and prints or serialises what comes back. A refusal is a
:class:`~journeykg.services.governance.errors.GovernanceError` with a code, or
:class:`~journeykg.graph.errors.UnknownElementError` for an id that names
nothing; nothing is written then. Both entry points get the same answer and
the same refusal for the same request, because this is the only place that
decides what a request means.

Proposing and changing are two requests: :func:`propose` refuses a concept
that exists already, and only :func:`propose_change` changes an approved one.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from journeykg.graph.audit_context import audit_reason
from journeykg.graph.store import Store
from journeykg.services.governance import glossary
from journeykg.services.governance import history as records
from journeykg.services.governance.errors import GovernanceRequestError
from journeykg.services.governance.model import (
    Activity,
    ChangeProposal,
    Concept,
    ConceptText,
    FieldChange,
    MigrationOutcome,
    Outcome,
    Version,
)
from journeykg.services.governance.transitions import Status
from journeykg.services.governance.workflow import Clock, Governance, NewConcept, system_clock


@dataclass(frozen=True)
class Caller:
    """Who takes a step: the post it is taken by, and the governance role presented.

    The API takes the role from the caller's token; the command line from
    ``--role``, as given (whoever runs it can write the store anyway).
    """

    by: str
    """The post taking the step (``owner/lead-cx-office``), never a person."""
    role: str | None = None


@dataclass(frozen=True)
class ConceptHistory:
    """Everything recorded about a concept, each list oldest first."""

    versions: tuple[Version, ...]
    activities: tuple[Activity, ...]
    proposals: tuple[ChangeProposal, ...]


# --- steps ----------------------------------------------------------------------------


def propose(
    store: Store,
    new: NewConcept,
    caller: Caller,
    *,
    draft: bool = False,
    rationale: str | None = None,
    clock: Clock = system_clock,
) -> Outcome:
    """Put a new concept to the board (proposed), or start it as a draft.

    A concept that exists already is refused (BAD_REQUEST) with a pointer to
    :func:`propose_change`: a change is always asked for as one.
    """
    with audit_reason(by=caller.by, reason=rationale):
        return Governance(store, clock).propose_concept(
            new, by=caller.by, role=caller.role, draft=draft, rationale=rationale
        )


def propose_change(
    store: Store,
    ident: str,
    change: ConceptText,
    caller: Caller,
    *,
    rationale: str | None = None,
    expected_version: int | None = None,
    clock: Clock = system_clock,
) -> Outcome:
    """Propose a new text for an approved concept; the approved text stays in force.

    ``change`` holds only what changes, per field and language (an empty
    text removes a language); approval keeps everything else as it is.
    """
    with audit_reason(by=caller.by, reason=rationale):
        return Governance(store, clock).propose_change(
            ident,
            change,
            by=caller.by,
            role=caller.role,
            rationale=rationale,
            expected_version=expected_version,
        )


def submit(
    store: Store,
    ident: str,
    caller: Caller,
    *,
    rationale: str | None = None,
    expected_version: int | None = None,
    clock: Clock = system_clock,
) -> Outcome:
    """Put a draft to the board: draft -> proposed."""
    with audit_reason(by=caller.by, reason=rationale):
        return Governance(store, clock).submit(
            ident,
            by=caller.by,
            role=caller.role,
            rationale=rationale,
            expected_version=expected_version,
        )


def approve(
    store: Store,
    ident: str,
    caller: Caller,
    *,
    rationale: str,
    expected_version: int | None = None,
    clock: Clock = system_clock,
) -> Outcome:
    """Approve a proposed concept or a change proposal (steward)."""
    with audit_reason(by=caller.by, reason=rationale):
        return Governance(store, clock).approve(
            ident,
            by=caller.by,
            role=caller.role,
            rationale=rationale,
            expected_version=expected_version,
        )


def reject(
    store: Store,
    ident: str,
    caller: Caller,
    *,
    rationale: str,
    expected_version: int | None = None,
    clock: Clock = system_clock,
) -> Outcome:
    """Reject a proposed concept or a change proposal (steward)."""
    with audit_reason(by=caller.by, reason=rationale):
        return Governance(store, clock).reject(
            ident,
            by=caller.by,
            role=caller.role,
            rationale=rationale,
            expected_version=expected_version,
        )


def deprecate(
    store: Store,
    ident: str,
    caller: Caller,
    *,
    rationale: str,
    replacement: str | None = None,
    expected_version: int | None = None,
    clock: Clock = system_clock,
) -> Outcome:
    """Supersede an approved element by ``replacement``, or retire it without one (steward)."""
    with audit_reason(by=caller.by, reason=rationale):
        return Governance(store, clock).deprecate(
            ident,
            by=caller.by,
            role=caller.role,
            rationale=rationale,
            replacement=replacement,
            expected_version=expected_version,
        )


def migrate(
    store: Store, ident: str, caller: Caller, *, rationale: str, clock: Clock = system_clock
) -> MigrationOutcome:
    """Move every reference from a superseded element to its replacement (steward)."""
    with audit_reason(by=caller.by, reason=rationale):
        return Governance(store, clock).migrate(
            ident, by=caller.by, role=caller.role, rationale=rationale
        )


def delete(store: Store, ident: str, caller: Caller, *, rationale: str) -> list[str]:
    """Delete a draft or rejected concept nothing refers to (steward); the ids removed.

    The concept and its record leave the graph; the audit trail keeps what
    they held, with the caller, the post (``caller.by``) and ``rationale``.
    """
    _require_reason(rationale, f"deleting {ident}")
    with audit_reason(by=caller.by, reason=rationale):
        return Governance(store).delete(ident, role=caller.role)


def _require_reason(reason: str, what: str) -> None:
    if not reason.strip():
        raise GovernanceRequestError(
            f"{what}: give a reason (it is recorded in the audit trail)", reason="no_reason"
        )


# --- reading ----------------------------------------------------------------------------


def show(store: Store, ident: str) -> Concept:
    """A concept (or framework element) as it stands now."""
    return glossary.load_concept(store, ident)


def as_of(store: Store, ident: str, moment: str) -> Version | None:
    """The version of ``ident`` that held at ``moment`` (a date or date-time, as typed).

    None before its first version; an unreadable moment is refused (BAD_REQUEST).
    """
    return records.as_of(store, ident, records.parse_moment(moment))


def history(store: Store, ident: str) -> ConceptHistory:
    """Every version, workflow step and change proposal of ``ident``."""
    return ConceptHistory(
        versions=tuple(records.versions(store, ident)),
        activities=tuple(records.activities(store, ident)),
        proposals=tuple(records.proposals(store, ident)),
    )


def diff(store: Store, ident: str, from_version: int, to_version: int) -> list[FieldChange]:
    """What differs between two versions of ``ident``, field by field and per language.

    A version number ``ident`` does not have is refused (BAD_REQUEST).
    """
    return records.diff(
        records.version(store, ident, from_version), records.version(store, ident, to_version)
    )


def search(
    store: Store,
    text: str | None = None,
    *,
    language: str | None = None,
    statuses: Collection[Status] | None = None,
    scheme: str | None = None,
) -> list[Concept]:
    """Concepts whose label contains ``text``, filtered by language, status and scheme."""
    return glossary.search(store, text, language=language, statuses=statuses, scheme=scheme)
