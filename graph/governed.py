"""Governed elements: what only the governance workflow changes, and what a write changes of them.

Governed (docs/governance.md says why):

- the lifecycle framework: stages, phases and contact reasons;
- concept schemes (a glossary, a framework's own scheme) and glossary
  concepts, whatever their status;
- anything with a workflow status (``reg:status``), change proposals included;
- the workflow's record of a governed element, minted under its IRI: its
  versions, change proposals and activities (``concept/fcr/version/2``).

What is governed is read from the store: a write may bring in new governed
elements (a framework, the shipped glossary), but once stored they change
only through the workflow (:mod:`journeykg.graph.governance_step`). An
element stored without a status counts as approved.

A write replaces the stored values of every (subject, predicate) its delta
names, after retracting whole subjects (:meth:`Store.apply`); what it changes
of a governed element is compared value by value, so a write that repeats
what is stored changes nothing.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from rdflib import Graph, URIRef
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from journeykg.graph.canonical import canonical_term
from journeykg.namespaces import JKG, RDF, REG, SKOS
from journeykg.validation.graph_index import subjects_of

#: Classes whose instances only the governance workflow changes, with how a message names them.
GOVERNED_CLASSES: Mapping[URIRef, str] = {
    JKG.LifecycleStage: "a stage of the lifecycle framework",
    JKG.Phase: "a phase of the lifecycle framework",
    JKG.ContactReason: "a contact reason of the lifecycle framework",
    SKOS.ConceptScheme: "a concept scheme (a glossary or a lifecycle framework)",
    SKOS.Concept: "a glossary concept",
    JKG.ChangeProposal: "a change proposal",
    JKG.ConceptVersion: "a version of a governed element",
}

#: The text fields a change proposal changes, with the ``propose-change`` option for each.
TEXT_OPTIONS: Mapping[URIRef, str] = {
    SKOS.prefLabel: "--label",
    SKOS.definition: "--definition",
    SKOS.scopeNote: "--scope-note",
}

#: The workflow's record of an element: ``<element>/version/2``, ``.../activity/3/association``.
_RECORD = re.compile(r"^(.+)/(?:version|change|activity)/\d+(?:/association)?$")
_APPROVED = JKG.statusApproved
_STATUS_PREFIX = str(JKG.status)


class Describes(Protocol):
    """What the guard reads from a store: the stored triples of some subjects."""

    def describe(self, iris: Collection[URIRef]) -> Graph:
        """All stored triples whose subject is one of ``iris``."""
        ...


@dataclass(frozen=True)
class Governance:
    """Why a stored subject is governed: the element it belongs to, what that is, its status."""

    element: URIRef
    """The governed element: the subject itself, or the element whose record it is part of."""
    kind: str
    status: URIRef | None
    """The element's stored ``reg:status``; None (none stored) counts as approved."""
    record: bool = False
    """The subject is part of the element's governance record (a version, an activity)."""

    @property
    def approved(self) -> bool:
        """In force: approved, or loaded without a status."""
        return self.status is None or self.status == _APPROVED

    def status_text(self) -> str:
        """``approved``, ``proposed``, ...; ``approved: loaded without a status`` for none."""
        if self.status is None:
            return "approved: loaded without a status"
        text = str(self.status)
        return text[len(_STATUS_PREFIX) :].lower() if text.startswith(_STATUS_PREFIX) else text


@dataclass(frozen=True)
class GovernedChange:
    """What a write would do to one field (predicate) of a governed subject."""

    subject: URIRef
    governance: Governance
    predicate: URIRef
    before: frozenset[Node]
    """The stored values (as compared: canonical numbers, plain = xsd:string)."""
    after: frozenset[Node]
    """The values after the write."""
    removes_element: bool = False
    """The write retracts the subject and writes nothing back."""

    @property
    def proposable(self) -> bool:
        """Whether a change proposal can carry it: a text field of an element in force."""
        g = self.governance
        return not g.record and g.approved and self.predicate in TEXT_OPTIONS


@dataclass
class GovernedWrite:
    """What one write would do to governed elements."""

    changes: list[GovernedChange] = field(default_factory=list)
    repeated: set[URIRef] = field(default_factory=set)
    """Governed subjects the delta names but leaves exactly as stored."""

    @property
    def changed(self) -> set[URIRef]:
        """The governed subjects the write would change."""
        return {c.subject for c in self.changes}


# --- what is governed -----------------------------------------------------------------


def record_parent(subject: URIRef) -> URIRef | None:
    """The element whose governance record ``subject``'s IRI says it belongs to, if any."""
    found = _RECORD.match(str(subject))
    return URIRef(found.group(1)) if found else None


def governance_of(stored: Graph, subject: URIRef) -> Governance | None:
    """Why ``subject`` is governed, read from its stored triples in ``stored``; None if not.

    ``stored`` must also describe the element a record subject belongs to
    (:func:`record_parent`).
    """
    parent = record_parent(subject)
    if parent is not None:
        owner = _own_governance(stored, parent)
        if owner is not None:
            return Governance(parent, owner.kind, owner.status, record=True)
    return _own_governance(stored, subject)


def _own_governance(stored: Graph, subject: URIRef) -> Governance | None:
    types = set(stored.objects(subject, RDF.type))
    # The first class in GOVERNED_CLASSES names it: a stage typed skos:Concept too is a stage.
    kind = next((name for cls, name in GOVERNED_CLASSES.items() if cls in types), None)
    status = stored.value(subject, REG.status)
    if kind is None and status is None:
        return None
    return Governance(
        subject,
        kind or "an element under the governance workflow",
        status if isinstance(status, URIRef) else None,
    )


def with_record_parents(subjects: Iterable[URIRef]) -> set[URIRef]:
    """``subjects`` and the elements whose records any of them are: what the guard must read."""
    wanted = set(subjects)
    return wanted | {p for s in wanted if (p := record_parent(s)) is not None}


# --- what a write changes -----------------------------------------------------------------


def inspect_write(
    store: Describes,
    delta: Graph,
    retract: Collection[URIRef] = (),
    *,
    stored: Graph | None = None,
) -> GovernedWrite:
    """What writing ``delta`` (after retracting ``retract``) would do to governed elements.

    ``stored``: what the caller has read already about the delta's subjects
    and ``retract``; only the elements that records belong to are read then.
    """
    gone = set(retract)
    subjects = subjects_of(delta) | gone
    wanted = with_record_parents(subjects)
    if stored is None:
        view = store.describe(wanted) if wanted else Graph()
    else:
        view = stored
        parents = wanted - subjects
        if parents:
            view = Graph()
            for graph in (stored, store.describe(parents)):
                for triple in graph:
                    view.add(triple)
    write = GovernedWrite()
    if next(iter(view), None) is None:
        # What is governed is read from the store alone: a write of subjects the
        # store holds nothing about (a first load, a batch of new elements) changes
        # no governed element, and looking at each of them would only cost time.
        return write
    for subject in sorted(subjects):
        governance = governance_of(view, subject)
        if governance is None:
            continue
        changes = changes_of(view, delta, subject, governance, retracted=subject in gone)
        if changes:
            write.changes += changes
        else:
            write.repeated.add(subject)
    return write


def changes_of(
    stored: Graph, delta: Graph, subject: URIRef, governance: Governance, *, retracted: bool
) -> list[GovernedChange]:
    """The fields of ``subject`` the write changes, each with its values before and after."""
    before: dict[URIRef, set[Node]] = defaultdict(set)
    for p, o in stored.predicate_objects(subject):
        if isinstance(p, URIRef):
            before[p].add(value_of(o))
    after: dict[URIRef, set[Node]] = defaultdict(set)
    for p, o in delta.predicate_objects(subject):
        if isinstance(p, URIRef):
            after[p].add(value_of(o))
    # An upsert replaces only what the delta names; a retraction, everything.
    fields = before.keys() | after.keys() if retracted else set(after)
    removed = retracted and not after
    return [
        GovernedChange(
            subject,
            governance,
            p,
            frozenset(before.get(p, ())),
            frozenset(after.get(p, ())),
            removes_element=removed,
        )
        for p in sorted(fields)
        if before.get(p, set()) != after.get(p, set())
    ]


def value_of(term: Node) -> Node:
    """A value as compared: :func:`canonical_term` (numbers in one spelling, a simple
    literal equal to its ``xsd:string``). Every backend gives a literal's datatype back
    (graph/property_graph.py), so a date is compared as a date, never as its text."""
    return canonical_term(term)


def without_subjects(delta: Graph, subjects: Collection[URIRef]) -> Graph:
    """``delta`` minus every triple about one of ``subjects``."""
    if not subjects:
        return delta
    kept = Graph(store=SimpleMemory())  # no contexts: half the cost of rdflib's default
    for prefix, namespace in delta.namespaces():
        kept.bind(prefix, namespace)
    add = kept.store.add  # terms from a graph already: Graph.add's checks are not needed
    for triple in delta:
        if triple[0] not in subjects:
            add(triple, kept)
    return kept
