"""The workflow step each change to governed data needs: a refusal naming it, or a proposal.

A write path that meets changes to governed elements (:mod:`.governed`)
either refuses the write, one problem per changed field naming the element,
the field and the step of the governance workflow that makes such a change,
or (``--propose``) hands the changed texts to a :class:`Proposer`, which puts
them to the board as change proposals.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from rdflib import Literal, URIRef

from journeykg.graph.governed import TEXT_OPTIONS, GovernedChange, GovernedWrite
from journeykg.ids import Identifiers
from journeykg.namespaces import JKG, REG
from journeykg.validation.gate import curie
from journeykg.validation.problems import LoadError, Problem

#: What a refusal of a change to governed data names as its rule, on every write path.
GOVERNED_RULE = "governed data"
#: How a refused load, sync or import can propose instead.
PROPOSE_HINT = "With --propose --by POST the changes to texts become change proposals instead."
_PROPOSED, _DRAFT = JKG.statusProposed, JKG.statusDraft


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


# --- proposing instead of writing ---------------------------------------------------------


def proposed_texts(changes: Iterable[GovernedChange]) -> list[ProposedText]:
    """The ``changes`` a proposal carries (:attr:`GovernedChange.proposable`), one text per element.

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
