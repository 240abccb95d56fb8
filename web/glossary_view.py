"""What the glossary pages show, gathered from the governance service: no rules of their own.

The list filters the service's search by a text found in any label (preferred
or alternative) of the chosen languages; the concept page puts together the
concept as ``governance show`` prints it, its history as a timeline, and
what its definition explains (the API's definition impact).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from journeykg.graph.errors import UnsupportedElementError
from journeykg.graph.impact import impact
from journeykg.graph.model import Affected
from journeykg.graph.store import Store
from journeykg.services.governance import service
from journeykg.services.governance.model import (
    Activity,
    ChangeProposal,
    Concept,
    LangValues,
    Version,
)
from journeykg.services.governance.transitions import Status

#: Statuses a visitor may filter the list by, in workflow order.
STATUSES = tuple(Status)


def labels_of(concept: Concept, language: str | None) -> list[str]:
    """Every preferred and alternative label of ``concept`` in ``language`` (None: any)."""
    pref = [text for lang, text in concept.text.pref_labels.items() if language in (None, lang)]
    alt = [text for lang, text in concept.details.alt_labels if language in (None, lang)]
    return pref + alt


def find(store: Store, text: str, *, language: str | None, status: Status | None) -> list[Concept]:
    """The concepts with ``text`` in a preferred or alternative label, by the service's search.

    The service's search matches preferred labels only; alternative labels
    ("NPS" for Net Promoter Score) are how people look things up, so the list
    also keeps a concept whose alternative label holds the text.
    """
    statuses = {status} if status else None
    needle = text.strip().casefold()
    return [
        c
        for c in service.search(store, None, statuses=statuses)
        if not needle or any(needle in label.casefold() for label in labels_of(c, language))
    ]


@dataclass(frozen=True)
class Step:
    """One moment of a concept's timeline: a workflow step and the version it generated."""

    at: datetime
    activity: Activity
    version: Version | None


@dataclass(frozen=True)
class ConceptPage:
    """Everything the concept page shows."""

    concept: Concept
    versions: tuple[Version, ...]
    timeline: tuple[Step, ...]
    """Workflow steps, newest first, each with the version it generated (if any)."""
    used_by: tuple[Affected, ...]
    """What a change to the definition affects downstream, as the API's impact answers."""
    open_proposals: tuple[ChangeProposal, ...]
    """Change proposals waiting for a decision, oldest first."""
    narrower: tuple[str, ...]
    """Concepts that name this one broader, and those it names narrower itself, sorted."""
    link_labels: dict[str, str]
    """Labels of the concepts the page links to (broader, narrower, related, ...)."""


#: The SKOS texts ``governance show`` prints besides labels, definitions and scope notes.
DETAIL_TEXTS = (
    "alt_labels",
    "hidden_labels",
    "examples",
    "notes",
    "editorial_notes",
    "change_notes",
    "history_notes",
)
#: The SKOS links ``governance show`` prints (besides sources, scheme, broader and narrower).
DETAIL_LINKS = (
    "notations",
    "top_concept_of",
    "related",
    "exact_match",
    "close_match",
    "broad_match",
    "narrow_match",
    "related_match",
)


def detail_texts(concept: Concept, name: str) -> LangValues:
    """One of :data:`DETAIL_TEXTS` of ``concept``."""
    values: LangValues = getattr(concept.details, name)
    return values


def detail_links(concept: Concept, name: str) -> tuple[str, ...]:
    """One of :data:`DETAIL_LINKS` of ``concept``."""
    values: tuple[str, ...] = getattr(concept.details, name)
    return values


def concept_page(store: Store, ident: str) -> ConceptPage:
    """The concept page of ``ident``; UnknownElementError when it names nothing."""
    concept = service.show(store, ident)
    found = service.history(store, concept.id)
    by_id = {v.id: v for v in found.versions}
    timeline = tuple(
        Step(a.at, a, by_id.get(a.version) if a.version else None)
        for a in sorted(found.activities, key=lambda a: a.at, reverse=True)
    )
    try:
        used_by = impact(store, concept.id).affected
    except UnsupportedElementError:  # a framework element the impact question does not start at
        used_by = ()
    every = {c.id: c for c in service.search(store, None)}
    narrower = tuple(
        sorted(
            {*concept.details.narrower, *(k for k, c in every.items() if concept.id in c.broader)}
        )
    )
    linked = {
        *concept.broader,
        *narrower,
        *(k for n in DETAIL_LINKS[1:] for k in detail_links(concept, n)),
    }
    return ConceptPage(
        concept=concept,
        versions=tuple(sorted(found.versions, key=lambda v: v.number, reverse=True)),
        timeline=timeline,
        used_by=used_by,
        open_proposals=tuple(p for p in found.proposals if p.status is Status.PROPOSED),
        narrower=narrower,
        link_labels={k: every[k].label or k for k in linked if k in every},
    )


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for the board: a proposed concept, or a change proposal to one."""

    concept: Concept
    proposal: ChangeProposal | None = None


def inbox(store: Store) -> list[InboxItem]:
    """Proposed concepts, then open change proposals of approved ones, each by concept id.

    The service answers change proposals per concept, so this asks once per
    approved concept: fine for a glossary of hundreds, to be one query when
    the service gains a listing of open proposals.
    """
    proposed = [InboxItem(c) for c in service.search(store, None, statuses={Status.PROPOSED})]
    changes = [
        InboxItem(c, p)
        for c in service.search(store, None, statuses={Status.APPROVED})
        for p in service.history(store, c.id).proposals
        if p.status is Status.PROPOSED
    ]
    return proposed + changes
