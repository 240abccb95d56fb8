"""Plain answers of the governance layer: concepts, versions, activities, differences.

Both backends produce these very objects, so tests compare them with ``==``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from journeykg.services.governance.transitions import Status

#: Text per language tag ("" for a literal without one).
Texts = dict[str, str]


@dataclass(frozen=True)
class ConceptText:
    """What a definition says: labels, definitions and scope notes, per language."""

    pref_labels: Texts = field(default_factory=dict)
    definitions: Texts = field(default_factory=dict)
    scope_notes: Texts = field(default_factory=dict)

    def merged_over(self, base: ConceptText) -> ConceptText:
        """This text taken as a change to ``base``, language by language.

        A language the change gives replaces that language of the field; an
        empty text removes it; every language and field the change leaves
        out stays as ``base`` has it (a Dutch-only change keeps the English).
        """
        return ConceptText(
            pref_labels=_merged(base.pref_labels, self.pref_labels),
            definitions=_merged(base.definitions, self.definitions),
            scope_notes=_merged(base.scope_notes, self.scope_notes),
        )


def _merged(base: Texts, change: Texts) -> Texts:
    return {lang: text for lang, text in {**base, **change}.items() if text}


#: The fields of a definition that versions keep and diffs compare, by RDF name.
TEXT_FIELDS = ("prefLabel", "definition", "scopeNote")


def texts_of(text: ConceptText, name: str) -> Texts:
    """One field of a text by its RDF name (``prefLabel``, ``definition``, ``scopeNote``)."""
    return {
        "prefLabel": text.pref_labels,
        "definition": text.definitions,
        "scopeNote": text.scope_notes,
    }[name]


#: Texts of a field that may hold several per language: (language, text) pairs, sorted.
LangValues = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class ConceptDetails:
    """The rest of what SKOS says about a concept: what a published glossary brings with it.

    Not part of a change proposal or a version (those hold the texts the
    board decides on); stored with the concept and shown with it. Links to
    other concepts are keys (IRIs for concepts elsewhere), sorted.
    """

    alt_labels: LangValues = ()
    hidden_labels: LangValues = ()
    examples: LangValues = ()
    notes: LangValues = ()
    editorial_notes: LangValues = ()
    change_notes: LangValues = ()
    history_notes: LangValues = ()
    notations: tuple[str, ...] = ()
    narrower: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    top_concept_of: tuple[str, ...] = ()
    exact_match: tuple[str, ...] = ()
    close_match: tuple[str, ...] = ()
    broad_match: tuple[str, ...] = ()
    narrow_match: tuple[str, ...] = ()
    related_match: tuple[str, ...] = ()


@dataclass(frozen=True)
class Concept:
    """A governed concept (glossary concept or framework element) as it stands now."""

    id: str
    iri: str
    type: str
    status: Status
    text: ConceptText
    scheme: str | None = None
    sources: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()
    explains: tuple[str, ...] = ()
    replaced_by: str | None = None
    version: int | None = None
    """The number of the current version; None for an element never through the workflow."""
    details: ConceptDetails = field(default_factory=ConceptDetails)
    """Alternative labels, notes, examples, notations, related and matching concepts."""

    @property
    def label(self) -> str | None:
        """The label to show: Dutch, then English, then any."""
        labels = self.text.pref_labels
        return labels.get("nl") or labels.get("en") or next(iter(sorted(labels.values())), None)


@dataclass(frozen=True)
class Version:
    """One state of a concept and the interval in which it held (``valid_until`` exclusive)."""

    id: str
    concept: str
    number: int
    valid_from: datetime
    valid_until: datetime | None
    status: Status
    text: ConceptText

    def holds_at(self, moment: datetime) -> bool:
        """True if this version was the concept's state at ``moment``."""
        return self.valid_from <= moment and (self.valid_until is None or moment < self.valid_until)


@dataclass(frozen=True)
class ChangeProposal:
    """A proposed new text for an approved concept, with its own status."""

    id: str
    concept: str
    status: Status
    text: ConceptText


@dataclass(frozen=True)
class Activity:
    """One workflow step: who (a post, in a role), when, why, and what it changed."""

    id: str
    kind: str
    """``Proposal``, ``Approval``, ``Rejection``, ``Deprecation`` or ``Migration``."""
    concept: str
    by: str
    role: str
    at: datetime
    rationale: str | None = None
    from_status: Status | None = None
    to_status: Status | None = None
    proposal: str | None = None
    """The change proposal the step was about, if any."""
    version: str | None = None
    """The version the step generated, if any."""


@dataclass(frozen=True)
class FieldChange:
    """One field in one language that differs between two versions."""

    field: str
    language: str
    before: str | None
    after: str | None


@dataclass(frozen=True)
class Outcome:
    """What a workflow step did: the concept as it now stands, and the recorded activity."""

    concept: Concept
    activity: Activity
    proposal: ChangeProposal | None = None


@dataclass(frozen=True)
class Reference:
    """A stored triple pointing at an element, by key: ``subject predicate object``."""

    subject: str
    predicate: str
    object: str


@dataclass(frozen=True)
class MigrationOutcome:
    """The references a migration moved from a superseded element to its replacement."""

    moved: tuple[Reference, ...]
    replacement: str
    activity: Activity
