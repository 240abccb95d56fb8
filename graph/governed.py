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

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from journeykg.graph.canonical import canonical_term
from journeykg.ids import Identifiers
from journeykg.namespaces import JKG, RDF, REG, SKOS, XSD
from journeykg.validation.gate import curie
from journeykg.validation.problems import LoadError, Problem

#: What a refusal of a change to governed data names as its rule, on every write path.
GOVERNED_RULE = "governed data"

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
_APPROVED, _PROPOSED, _DRAFT = JKG.statusApproved, JKG.statusProposed, JKG.statusDraft
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


@dataclass(frozen=True)
class ProposedText:
    """The text a write gives an approved governed element, as a change proposal carries it."""

    element: URIRef
    texts: Mapping[URIRef, Mapping[str, str]]
    """Per text field (``skos:prefLabel``, ...), the text per language ("" for none)."""


class Proposer(Protocol):
    """Puts a changed text to the governance board instead of writing it (``--propose``)."""

    def __call__(self, change: ProposedText) -> str | None:
        """The key of the change proposal that holds ``change``; None if it changes nothing.

        Raises :class:`GovernedWriteError` when the workflow refuses the proposal.
        """
        ...


class GovernedWriteError(LoadError):
    """A write would change governed elements outside the workflow; nothing was written."""


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
    subjects = {s for s in delta.subjects() if isinstance(s, URIRef)} | gone
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
    """A value as compared: canonical numbers, a plain literal equal to its xsd:string."""
    term = canonical_term(term)
    if isinstance(term, Literal) and term.language is None and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def without_subjects(delta: Graph, subjects: Collection[URIRef]) -> Graph:
    """``delta`` minus every triple about one of ``subjects``."""
    if not subjects:
        return delta
    kept = Graph()
    for prefix, namespace in delta.namespaces():
        kept.bind(prefix, namespace)
    for s, p, o in delta:
        if s not in subjects:
            kept.add((s, p, o))
    return kept


# --- proposing instead of writing ---------------------------------------------------------


def proposed_texts(changes: Iterable[GovernedChange]) -> list[ProposedText]:
    """The proposable ``changes`` as one proposed text per element (see :attr:`proposable`).

    Per field the write's text per language; a language the write leaves
    out stays as approved, as in every change proposal.
    """
    by_element: dict[URIRef, dict[URIRef, dict[str, str]]] = defaultdict(dict)
    for change in changes:
        if not change.proposable:
            continue
        by_element[change.subject][change.predicate] = {
            (o.language or ""): str(o) for o in change.after if isinstance(o, Literal)
        }
    return [ProposedText(element, texts) for element, texts in sorted(by_element.items())]


# --- refusals -------------------------------------------------------------------------------


def refusals(changes: Iterable[GovernedChange], ids: Identifiers, source: str) -> list[Problem]:
    """One problem per changed field: the element, the field, and the workflow step to take."""
    return [
        Problem(
            file=source,
            node=ids.key(str(c.subject)),
            property=curie(c.predicate),
            value=_shown(c),
            rule=GOVERNED_RULE,
            message=describe_change(c, ids),
        )
        for c in changes
    ]


def refuse(
    write: GovernedWrite, ids: Identifiers, source: str, summary: str, hint: str = ""
) -> None:
    """Raise :class:`GovernedWriteError` (summary, a problem per field) if ``write`` changes any."""
    if write.changes:
        raise GovernedWriteError(
            _summary(write.changes, ids, summary, hint), refusals(write.changes, ids, source)
        )


def proposals_or_refuse(
    write: GovernedWrite, ids: Identifiers, source: str, summary: str, *, propose: bool
) -> list[ProposedText]:
    """What to propose instead of writing (``--propose``), or the refusal of every change.

    Without ``propose`` any change is refused. With it, every change must be
    one a change proposal carries (:attr:`GovernedChange.proposable`), or
    the changes that are not are refused and nothing is proposed.
    """
    if not propose:
        refuse(write, ids, source, summary, PROPOSE_HINT)
        return []
    left = [c for c in write.changes if not c.proposable]
    if left:
        raise GovernedWriteError(
            _summary(
                left,
                ids,
                summary,
                "Only the texts of elements in force (labels, "
                "definitions, scope notes) can be proposed as a change.",
            ),
            refusals(left, ids, source),
        )
    return proposed_texts(write.changes)


def make_proposals(texts: Iterable[ProposedText], proposer: Proposer) -> list[str]:
    """Put each text to the board; the keys of the change proposals that hold them.

    A refused proposal stops the rest; the error names the proposals made before it.
    """
    made: list[str] = []
    for text in texts:
        try:
            key = proposer(text)
        except GovernedWriteError as exc:
            if not made:
                raise
            raise GovernedWriteError(
                f"{exc.summary} (change proposals made before it stay open: {', '.join(made)})",
                exc.problems,
            ) from exc
        if key is not None:
            made.append(key)
    return made


#: How a refused load, sync or import can propose instead.
PROPOSE_HINT = "With --propose --by POST the changes to texts become change proposals instead."


def _summary(changes: Iterable[GovernedChange], ids: Identifiers, summary: str, hint: str) -> str:
    elements = sorted({ids.key(str(c.subject)) for c in changes})
    text = (
        f"{summary}: it would change {', '.join(elements)}, governed data that changes only "
        "through the governance workflow; nothing was written"
    )
    return f"{text}. {hint}" if hint else text


def describe_change(change: GovernedChange, ids: Identifiers) -> str:
    """Why the change is refused and which workflow step makes it."""
    g = change.governance
    key = ids.key(str(change.subject))
    field_name = curie(change.predicate)
    if g.record:
        return (
            f"{key} is part of the governance record of {ids.key(str(g.element))}, which only "
            f"the workflow's own steps write; read it with journeykg governance history "
            f"{ids.key(str(g.element))}"
        )
    what = f"{key} is {g.kind} ({g.status_text()})"
    subject = "it is removed" if change.removes_element else f"its {field_name} changes"
    return f"{what}; {subject} only through the governance workflow: {_step(change, key)}"


def _step(change: GovernedChange, key: str) -> str:
    g = change.governance
    if g.status == _PROPOSED:
        return (
            f"the board approves or rejects it (journeykg governance approve|reject {key}; "
            "GraphQL approve, reject); propose it anew after a rejection"
        )
    if g.status == _DRAFT:
        return (
            f"submit it (journeykg governance submit {key}; GraphQL submitConcept) for the "
            "board to decide"
        )
    if not g.approved:
        return (
            f"it is {g.status_text()}, which is final; propose a new concept instead "
            "(journeykg governance propose; GraphQL proposeConcept)"
        )
    if change.removes_element:
        return (
            f"retire it, or supersede it and migrate what refers to it (journeykg governance "
            f"deprecate {key} [--replacement NEW]; GraphQL deprecate)"
        )
    if change.predicate in TEXT_OPTIONS:
        option = TEXT_OPTIONS[change.predicate]
        texts = " ".join(
            f"{option} '{o.language or ''}={o}'"
            for o in sorted(change.after, key=str)
            if isinstance(o, Literal)
        )
        return (
            f"propose a change (journeykg governance propose-change {key} {texts} --by POST; "
            "GraphQL proposeChange)"
        )
    if change.predicate == REG.status:
        return f"take the workflow's step (journeykg governance deprecate {key}; GraphQL deprecate)"
    return (
        f"a new {curie(change.predicate)} makes a new element that supersedes this one "
        f"(journeykg governance deprecate {key} --replacement NEW, then migrate; "
        "GraphQL deprecate, migrateReferences)"
    )


def _shown(change: GovernedChange) -> str | None:
    values = sorted(change.after - change.before, key=str) or sorted(
        change.before - change.after, key=str
    )
    if not values:
        return None
    value = values[0]
    return str(value) if isinstance(value, Literal) else curie(value)
