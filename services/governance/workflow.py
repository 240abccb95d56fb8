"""The governance workflow: propose, submit, change, approve, reject, deprecate, migrate, delete.

Every step reads the element, checks the transition table and the caller's
role, builds one delta (the element's new state, the version it closes and
the one it opens, the PROV activity with who, when and why), passes the
delta through the SHACL gate and writes it in one atomic upsert, as a
workflow step (:mod:`journeykg.graph.governance_step`): the one way a write
may change governed data. A refusal raises a
:class:`~journeykg.services.governance.errors.GovernanceError` and writes
nothing.

The clock is injectable so that histories are reproducible in tests.

Concurrency: every step reads the element, checks, and writes; two steps on
the same element in one process are serialised by a lock per element, so
that version and activity numbers cannot be handed out twice and a step
given ``expected_version`` is refused as stale (:class:`StaleVersionError`)
when another step got there first. Across processes sharing one Neo4j
database the lock does not reach: see docs/audit.md for what holds there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rdflib import Graph, Literal, URIRef

from journeykg.graph.edges import follow
from journeykg.graph.elements import is_stored
from journeykg.graph.errors import LeaseHeldError
from journeykg.graph.gate_view import GateView
from journeykg.graph.governance_step import write_step
from journeykg.graph.leases import cross_process_lease
from journeykg.graph.store import LeaseScope, Store
from journeykg.namespaces import DCTERMS, JKG, PROV, RDF, REG, SKOS
from journeykg.services.governance import glossary, integrity
from journeykg.services.governance.errors import (
    ElementBusyError,
    GovernanceRequestError,
    GovernanceValidationError,
    IllegalTransitionError,
    StaleVersionError,
    StillReferencedError,
)
from journeykg.services.governance.history import proposals
from journeykg.services.governance.model import (
    Activity,
    ChangeProposal,
    Concept,
    ConceptText,
    MigrationOutcome,
    Outcome,
)
from journeykg.services.governance.records import (
    ROLES,
    TEXT_PREDICATES,
    activity_iri,
    add_activity,
    add_version,
    parse_time,
    proposal_iri,
    read_activity,
    read_concept,
    read_proposal,
    text_triples,
    timestamp,
)
from journeykg.services.governance.transitions import (
    STEWARD,
    Action,
    Status,
    next_status,
    require_role,
)
from journeykg.validation.gate import check

#: Returns the current moment, timezone-aware.
Clock = Callable[[], datetime]

#: Where the gate's problems say they come from.
SOURCE = "governance"


def system_clock() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class NewConcept:
    """A concept to propose: its key (``concept/fcr``, or just ``fcr``) and what it says."""

    key: str
    text: ConceptText
    scheme: str = glossary.GLOSSARY_SCHEME
    sources: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    explains: tuple[str, ...] = ()


class Governance:
    """The workflow on one store. Methods raise GovernanceError (or UnknownElementError)."""

    def __init__(self, store: Store, clock: Clock = system_clock) -> None:
        self.store = store
        self.clock = clock

    # --- proposing (open to every caller) -------------------------------------

    def propose_concept(
        self,
        new: NewConcept,
        *,
        by: str,
        role: str | None = None,
        draft: bool = False,
        rationale: str | None = None,
    ) -> Outcome:
        """Put a new concept to the board (status proposed), or start it as a draft."""
        ids = self.store.ids
        key = glossary.concept_key(new.key)
        iri = ids.iri(key)
        with _element_lock(self.store, iri):
            return self._propose_concept(
                new, key, iri, by=by, role=role, draft=draft, why=rationale
            )

    def _propose_concept(
        self,
        new: NewConcept,
        key: str,
        iri: URIRef,
        *,
        by: str,
        role: str | None,
        draft: bool,
        why: str | None,
    ) -> Outcome:
        ids = self.store.ids
        if is_stored(self.store, iri):
            status = read_concept(self.store.describe([iri]), iri, ids).status
            raise GovernanceRequestError(
                f"cannot propose {key}: it exists already ({status}); propose a change to it "
                "instead (journeykg governance propose-change, or the proposeChange mutation)",
                reason="exists",
                item=key,
                status=status.value,
            )
        status = Status.DRAFT if draft else Status.PROPOSED
        at = self._now(None)
        delta = Graph()
        delta.add((iri, RDF.type, SKOS.Concept))
        delta.add((iri, SKOS.inScheme, ids.iri(new.scheme)))
        delta.add((iri, REG.status, status.iri))
        for triple in text_triples(iri, new.text):
            delta.add(triple)
        for source in new.sources:
            delta.add((iri, DCTERMS.source, Literal(source)))
        for broader in new.broader:
            delta.add((iri, SKOS.broader, ids.iri(broader)))
        for explained in new.explains:
            delta.add((iri, JKG.explains, ids.iri(explained)))
        activity = activity_iri(iri, 1)
        add_version(delta, iri, 1, new.text, status, at, activity)
        add_activity(
            delta,
            activity,
            kind="Proposal",
            concept=iri,
            by=ids.iri(by),
            role=_proposer(role),
            at=at,
            rationale=why,
            to_status=status,
        )
        self._write(delta, f"propose {key}", labels=_labels(delta, iri))
        return self._outcome(iri, activity, delta)

    def submit(
        self,
        ident: str,
        *,
        by: str,
        role: str | None = None,
        rationale: str | None = None,
        expected_version: int | None = None,
    ) -> Outcome:
        """Put a draft to the board: draft -> proposed."""
        return self._transition(
            ident,
            Action.SUBMIT,
            by=by,
            role=_proposer(role),
            why=rationale,
            expected_version=expected_version,
        )

    def propose_change(
        self,
        ident: str,
        text: ConceptText,
        *,
        by: str,
        role: str | None = None,
        rationale: str | None = None,
        expected_version: int | None = None,
    ) -> Outcome:
        """Propose a new text for an approved concept; the approved text stays in force.

        ``ident`` may be a bare glossary name (``fcr``), as when proposing.
        Every language and field the change leaves out keeps the approved
        text (:meth:`ConceptText.merged_over`), so the proposal always carries
        the whole text that approval would put in force.
        """
        iri = glossary.concept_iri(self.store, glossary.concept_key(ident))
        with _element_lock(self.store, iri):
            return self._propose_change(iri, text, by, role, rationale, expected_version)

    def _propose_change(
        self,
        iri: URIRef,
        text: ConceptText,
        by: str,
        role: str | None,
        rationale: str | None,
        expected_version: int | None,
    ) -> Outcome:
        concept = read_concept(self.store.describe([iri]), iri, self.store.ids)
        _expect(concept, expected_version)
        if concept.status != Status.APPROVED:
            raise IllegalTransitionError(
                f"cannot propose a change to {concept.id}: it is {concept.status}; a change "
                "proposal is for an approved concept (change a draft or proposal by "
                "rejecting it and proposing anew)",
                item=concept.id,
                current=concept.status.value,
                action="propose a change",
            )
        open_ = [p for p in proposals(self.store, concept.id) if p.status == Status.PROPOSED]
        if open_:
            raise GovernanceRequestError(
                f"cannot propose a change to {concept.id}: change proposal {open_[0].id} is "
                "still open; approve or reject it first",
                reason="open_proposal",
                item=concept.id,
                proposal=open_[0].id,
            )
        proposed = text.merged_over(concept.text)
        if proposed == concept.text:
            raise GovernanceRequestError(
                f"the proposed change to {concept.id} changes nothing: it repeats the "
                "approved text",
                reason="no_change",
                item=concept.id,
            )
        number = len(proposals(self.store, concept.id)) + 1
        proposal = proposal_iri(iri, number)
        at = self._now(None)
        delta = Graph()
        delta.add((proposal, RDF.type, JKG.ChangeProposal))
        delta.add((proposal, JKG.proposedChangeTo, iri))
        delta.add((proposal, REG.status, Status.PROPOSED.iri))
        for triple in text_triples(proposal, proposed):
            delta.add(triple)
        activity = activity_iri(iri, self._next_activity(iri))
        add_activity(
            delta,
            activity,
            kind="Proposal",
            concept=iri,
            by=self.store.ids.iri(by),
            role=_proposer(role),
            at=at,
            rationale=rationale,
            to_status=Status.PROPOSED,
            proposal=proposal,
        )
        self._write(delta, f"propose a change to {concept.id}", labels=_labels(delta, proposal))
        return self._outcome(iri, activity, delta, proposal)

    # --- deciding (stewards only) ------------------------------------------------

    def approve(
        self,
        ident: str,
        *,
        by: str,
        role: str | None,
        rationale: str,
        expected_version: int | None = None,
    ) -> Outcome:
        """Approve a proposed concept, or a change proposal (whose text then comes into force).

        ``expected_version`` is the concept's version the caller decided on
        (for a change proposal: the version of the concept it changes).
        """
        require_role(ident, "approve", role)
        return self._decide(ident, Action.APPROVE, by=by, why=rationale, expected=expected_version)

    def reject(
        self,
        ident: str,
        *,
        by: str,
        role: str | None,
        rationale: str,
        expected_version: int | None = None,
    ) -> Outcome:
        """Reject a proposed concept or a change proposal (an approved text stays in force)."""
        require_role(ident, "reject", role)
        return self._decide(ident, Action.REJECT, by=by, why=rationale, expected=expected_version)

    def _decide(
        self, ident: str, action: Action, *, by: str, why: str, expected: int | None
    ) -> Outcome:
        """Approve or reject a concept, or a change proposal, under the concept's lock."""
        proposal = self._proposal(ident)
        if proposal is None:
            return self._transition(
                ident, action, by=by, role=STEWARD, why=why, expected_version=expected
            )
        with _element_lock(self.store, self.store.ids.iri(proposal.concept)):
            # Read again under the lock: another step may have decided it meanwhile.
            current = self._proposal(ident)
            assert current is not None  # a change proposal stays one (it is never deleted alone)
            return self._decide_change(current, action, by=by, why=why, expected=expected)

    def deprecate(
        self,
        ident: str,
        *,
        by: str,
        role: str | None,
        rationale: str,
        replacement: str | None = None,
        expected_version: int | None = None,
    ) -> Outcome:
        """Supersede an approved element by ``replacement``, or retire it if it has none.

        An element something still refers to cannot be retired: it needs a
        replacement that its references can be migrated to.
        """
        action = Action.SUPERSEDE if replacement else Action.RETIRE
        require_role(ident, action.value, role)
        iri = glossary.concept_iri(self.store, ident)
        with _element_lock(self.store, iri):
            return self._deprecate(ident, iri, action, by, rationale, replacement, expected_version)

    def _deprecate(
        self,
        ident: str,
        iri: URIRef,
        action: Action,
        by: str,
        rationale: str,
        replacement: str | None,
        expected_version: int | None,
    ) -> Outcome:
        concept = read_concept(self.store.describe([iri]), iri, self.store.ids)
        _expect(concept, expected_version)
        next_status(concept.id, concept.status, action)
        if replacement is None:
            used = integrity.references(self.store, iri)
            if used:
                raise StillReferencedError(
                    f"cannot retire {concept.id}: {len(used)} reference(s) still point at it "
                    f"({integrity.describe_references(self.store, used)}); supersede it with a "
                    "replacement instead and migrate the references",
                    integrity.as_references(self.store, used),
                )
            return self._transition(ident, action, by=by, role=STEWARD, why=rationale)
        new = glossary.load_concept(self.store, replacement)
        if new.iri == concept.iri:
            raise GovernanceRequestError(
                f"{concept.id} cannot replace itself", reason="replaces_itself", item=concept.id
            )
        if new.type != concept.type:
            raise GovernanceRequestError(
                f"cannot supersede {concept.id} (a {concept.type}) by {new.id}: the "
                f"replacement is a {new.type}; references can only move to the same kind",
                reason="other_kind",
                item=concept.id,
                replacement=new.id,
            )
        return self._transition(
            ident, action, by=by, role=STEWARD, why=rationale, replaced_by=URIRef(new.iri)
        )

    def migrate(self, ident: str, *, by: str, role: str | None, rationale: str) -> MigrationOutcome:
        """Point every reference to a superseded element at its replacement, in one write."""
        require_role(ident, "migrate the references of", role)
        iri = glossary.concept_iri(self.store, ident)
        with _element_lock(self.store, iri):
            return self._migrate(iri, by=by, rationale=rationale)

    def _migrate(self, iri: URIRef, *, by: str, rationale: str) -> MigrationOutcome:
        concept = read_concept(self.store.describe([iri]), iri, self.store.ids)
        if concept.status != Status.SUPERSEDED or concept.replaced_by is None:
            raise IllegalTransitionError(
                f"cannot migrate the references of {concept.id}: it is {concept.status}; only "
                "the references of a superseded element move (to its replacement); supersede "
                "it first",
                item=concept.id,
                current=concept.status.value,
                action="migrate",
            )
        used = integrity.references(self.store, iri)
        if not used:
            raise GovernanceRequestError(
                f"nothing refers to {concept.id} any more; there is nothing to migrate",
                reason="nothing_to_migrate",
                item=concept.id,
            )
        new = self.store.ids.iri(concept.replaced_by)
        delta = integrity.migration_delta(self.store, used, iri, new)
        activity = activity_iri(iri, self._next_activity(iri))
        add_activity(
            delta,
            activity,
            kind="Migration",
            concept=iri,
            by=self.store.ids.iri(by),
            role=STEWARD,
            at=self._now(None),
            rationale=rationale,
        )
        self._write(delta, f"migrate the references of {concept.id} to {concept.replaced_by}")
        return MigrationOutcome(
            moved=tuple(integrity.as_references(self.store, used)),
            replacement=concept.replaced_by,
            activity=read_activity(delta, activity, self.store.ids),
        )

    def delete(self, ident: str, *, role: str | None) -> list[str]:
        """Delete a draft or rejected concept nothing refers to, with its record; returns ids.

        Anything else is refused: referenced elements are superseded and
        migrated, approved ones retired, so that history is never lost.
        """
        require_role(ident, "delete", role)
        iri = glossary.concept_iri(self.store, ident)
        with _element_lock(self.store, iri):
            return self._delete(iri)

    def _delete(self, iri: URIRef) -> list[str]:
        concept = read_concept(self.store.describe([iri]), iri, self.store.ids)
        used = integrity.references(self.store, iri)
        if used:
            raise StillReferencedError(
                f"cannot delete {concept.id}: {len(used)} reference(s) still point at it "
                f"({integrity.describe_references(self.store, used)}); deprecate it with a "
                "replacement and migrate the references instead",
                integrity.as_references(self.store, used),
            )
        if concept.status not in (Status.DRAFT, Status.REJECTED):
            raise IllegalTransitionError(
                f"cannot delete {concept.id}: it is {concept.status}; only draft or rejected "
                "concepts may be deleted (deprecate an approved one: retire or supersede it)",
                item=concept.id,
                current=concept.status.value,
                action="delete",
            )
        record = {
            s
            for s, _, _ in self.store.referrers([iri])
            if str(s).startswith(f"{iri}/")  # versions, change proposals, activities
        }
        record |= {URIRef(f"{s}/association") for s in record if "/activity/" in str(s)}
        write_step(self.store, Graph(), step=f"delete {concept.id}", retract={iri, *record})
        return sorted(self.store.ids.key(str(i)) for i in {iri, *record})

    # --- the steps' common machinery ---------------------------------------------------

    def _transition(
        self,
        ident: str,
        action: Action,
        *,
        by: str,
        role: str,
        why: str | None,
        replaced_by: URIRef | None = None,
        expected_version: int | None = None,
    ) -> Outcome:
        """One status change of an element: new status, a new version, the activity."""
        iri = glossary.concept_iri(self.store, ident)
        with _element_lock(self.store, iri):
            described = self.store.describe([iri])
            concept = read_concept(described, iri, self.store.ids)
            _expect(concept, expected_version)
            return self._step(iri, described, concept, action, by, role, why, replaced_by)

    def _step(
        self,
        iri: URIRef,
        described: Graph,
        concept: Concept,
        action: Action,
        by: str,
        role: str,
        why: str | None,
        replaced_by: URIRef | None,
    ) -> Outcome:
        status = next_status(concept.id, concept.status, action)
        delta = Graph()
        delta.add((iri, REG.status, status.iri))
        if replaced_by is not None:
            delta.add((iri, DCTERMS.isReplacedBy, replaced_by))
        at = self._close_version(delta, described, iri)
        activity = activity_iri(iri, self._next_activity(iri))
        add_version(delta, iri, (concept.version or 0) + 1, concept.text, status, at, activity)
        add_activity(
            delta,
            activity,
            kind=_KINDS[action],
            concept=iri,
            by=self.store.ids.iri(by),
            role=role,
            at=at,
            rationale=why,
            from_status=concept.status,
            to_status=status,
        )
        labels = [Literal(v, lang=lang or None) for lang, v in concept.text.pref_labels.items()]
        self._write(delta, f"{action.value} {concept.id}", labels=labels)
        return self._outcome(iri, activity, delta)

    def _decide_change(
        self, proposal: ChangeProposal, action: Action, *, by: str, why: str, expected: int | None
    ) -> Outcome:
        """Approve (the text comes into force as a new version) or reject a change proposal."""
        ids = self.store.ids
        iri, proposal_ref = ids.iri(proposal.concept), ids.iri(proposal.id)
        described = self.store.describe([iri])
        concept = read_concept(described, iri, ids)
        _expect(concept, expected)
        status = next_status(proposal.id, proposal.status, action)
        delta = Graph()
        delta.add((proposal_ref, REG.status, status.iri))
        activity = activity_iri(iri, self._next_activity(iri))
        retract: list[URIRef] = []
        if action == Action.APPROVE:
            for triple in text_triples(iri, proposal.text):
                delta.add(triple)
            at = self._close_version(delta, described, iri)
            number = (concept.version or 0) + 1
            add_version(delta, iri, number, proposal.text, concept.status, at, activity)
            retract = _rewrite_emptied(delta, described, iri)
        else:
            at = self._now(None)
        add_activity(
            delta,
            activity,
            kind=_KINDS[action],
            concept=iri,
            by=ids.iri(by),
            role=STEWARD,
            at=at,
            rationale=why,
            from_status=proposal.status,
            to_status=status,
            proposal=proposal_ref,
        )
        labels = _labels(delta, iri) + [
            Literal(v, lang=lang or None) for lang, v in proposal.text.pref_labels.items()
        ]
        self._write(delta, f"{action.value} {proposal.id}", labels=labels, retract=retract)
        return self._outcome(iri, activity, delta, proposal_ref)

    def _proposal(self, ident: str) -> ChangeProposal | None:
        """The change proposal ``ident`` names, or None if it names something else."""
        iri = glossary.concept_iri(self.store, ident)
        described = self.store.describe([iri])
        if (iri, RDF.type, JKG.ChangeProposal) not in described:
            return None
        return read_proposal(described, iri, self.store.ids)

    def _close_version(self, delta: Graph, described: Graph, iri: URIRef) -> datetime:
        """End the current version now (in ``delta``); returns that moment."""
        current = described.value(iri, JKG.currentVersion)
        if not isinstance(current, URIRef):
            return self._now(None)
        start = parse_time(self.store.describe([current]).value(current, JKG.validFrom))
        at = self._now(start)
        delta.add((current, JKG.validUntil, timestamp(at)))
        return at

    def _now(self, after: datetime | None) -> datetime:
        """The clock's time, kept after ``after`` so that no version is empty or reversed."""
        moment = self.clock()
        if after is not None and moment <= after:
            moment = after + timedelta(milliseconds=1)
        return moment

    def _next_activity(self, iri: URIRef) -> int:
        prefix = f"{iri}/activity/"
        numbers = [
            int(str(a)[len(prefix) :])
            for _, a in follow(self.store, PROV.used, [iri], inverse=True)
            if str(a).startswith(prefix) and str(a)[len(prefix) :].isdigit()
        ]
        return max(numbers, default=0) + 1

    def _write(
        self,
        delta: Graph,
        what: str,
        labels: Iterable[Literal] = (),
        retract: Collection[URIRef] = (),
    ) -> None:
        """The SHACL gate, then one atomic write; nothing is written on a violation.

        Subjects in ``retract`` are replaced whole by what ``delta`` says of them.
        """
        wanted = list(labels)
        context = glossary.same_label(self.store, wanted) if wanted else None
        gate = check(
            delta, GateView(self.store), SOURCE, self.store.ids, context=context, retract=retract
        )
        if gate.violations:
            raise GovernanceValidationError(
                f"cannot {what}: {len(gate.violations)} violation(s) of the shapes; "
                "nothing was written",
                gate.violations,
            )
        write_step(self.store, delta, step=what, retract=retract)

    def _outcome(
        self, iri: URIRef, activity: URIRef, delta: Graph, proposal: URIRef | None = None
    ) -> Outcome:
        ids = self.store.ids
        concept: Concept = read_concept(self.store.describe([iri]), iri, ids)
        step: Activity = read_activity(delta, activity, ids)
        change = read_proposal(self.store.describe([proposal]), proposal, ids) if proposal else None
        return Outcome(concept=concept, activity=step, proposal=change)


def _expect(concept: Concept, expected: int | None) -> None:
    """Refuse as stale a step taken on a version that is no longer the current one."""
    if expected is not None and concept.version != expected:
        raise StaleVersionError(
            f"{concept.id} is at version {concept.version}, not {expected}: it changed since "
            "you read it; reload it, check the change, and try again",
            item=concept.id,
            expected=expected,
            current=concept.version,
        )


# One lock per element, for the life of the process: a few hundred governed
# elements at most, so the table is never pruned.
_locks: dict[str, threading.RLock] = {}
_locks_guard = threading.Lock()
# The elements whose store lease this thread holds: the lock is re-entrant, the lease is not.
_leased = threading.local()


@contextmanager
def _element_lock(store: Store, iri: URIRef) -> Iterator[None]:
    """Hold ``iri``'s lock: its read-check-write steps run one at a time (re-entrant).

    The thread lock orders the steps of this process; the store's element
    lease orders them across processes sharing a server (several API
    workers on one Neo4j). A lease another process keeps for too long is
    refused as BUSY, with nothing written.
    """
    key = str(iri)
    with _locks_guard:
        lock = _locks.setdefault(key, threading.RLock())
    with lock:
        held: set[str] = _leased.__dict__.setdefault("held", set())
        if key in held:
            yield
            return
        held.add(key)
        try:
            with ExitStack() as stack:
                try:
                    stack.enter_context(cross_process_lease(store, LeaseScope.ELEMENT, key))
                except LeaseHeldError as exc:
                    raise ElementBusyError(
                        f"{store.ids.key(key)} is being changed by another process that did "
                        "not finish in time; nothing was written, try again",
                        item=store.ids.key(key),
                    ) from exc
                yield
        finally:
            held.discard(key)


_KINDS = {
    Action.SUBMIT: "Proposal",
    Action.APPROVE: "Approval",
    Action.REJECT: "Rejection",
    Action.SUPERSEDE: "Deprecation",
    Action.RETIRE: "Deprecation",
}


def _proposer(role: str | None) -> str:
    """The role a proposal is recorded in: steward if the caller is one, else contributor."""
    name = (role or "").strip().lower()
    return name if name in ROLES else "contributor"


def _rewrite_emptied(delta: Graph, described: Graph, iri: URIRef) -> list[URIRef]:
    """Make ``delta`` remove the text fields of ``iri`` that it empties; the subjects to retract.

    A write replaces the stored values of each (subject, predicate) the delta
    mentions, so a field the approved text no longer has at all (its last
    scope note removed) would keep its stored values. Then the element is
    retracted and written whole: every stored triple the delta does not
    replace is carried over into it.
    """
    written = {p for s, p, _ in delta if s == iri}
    emptied = {p for p in TEXT_PREDICATES.values() if p not in written}
    if not any((iri, p, None) in described for p in emptied):
        return []
    for s, p, o in described.triples((iri, None, None)):
        if p not in written and p not in emptied:
            delta.add((s, p, o))
    return [iri]


def _labels(delta: Graph, subject: URIRef) -> list[Literal]:
    return [o for o in delta.objects(subject, SKOS.prefLabel) if isinstance(o, Literal)]
