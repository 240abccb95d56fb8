"""GraphQL for the governance workflow: glossary queries, history and as-of, and the mutations.

Mutations return ``Success | GovernanceRefusal`` unions: an expected refusal
(shape violations, an illegal transition, a missing role, a referenced
element, an unknown id) is data with a code, a message and, for violations,
the record, field and rule of each problem. Nothing is written on a refusal.

Each mutation and query calls one function of
:mod:`journeykg.services.governance.service`, as the CLI's commands do, so
that both answer and refuse a request alike.

Roles: proposing needs the propose permission and a decision (approve,
reject, deprecate, migrate, delete) the decide permission, checked before any
resolver runs (api/permissions.py); the workflow records the caller's role and
keeps its own steward check for decisions.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from journeykg.api.context import Context
from journeykg.api.errors import store_call
from journeykg.api.pagination import Connection
from journeykg.graph.errors import UnknownElementError
from journeykg.services.governance import glossary, model, service
from journeykg.services.governance.errors import (
    GovernanceError,
    GovernanceValidationError,
    StillReferencedError,
)
from journeykg.services.governance.service import Caller
from journeykg.services.governance.transitions import Status
from journeykg.services.governance.workflow import NewConcept

T = TypeVar("T")

ConceptStatus = strawberry.enum(
    Status,
    name="ConceptStatus",
    description=(
        "DRAFT (in bewerking), PROPOSED (voorgesteld), APPROVED (vastgesteld), "
        "SUPERSEDED (vervangen), RETIRED (vervallen), REJECTED (afgewezen)."
    ),
)


ExpectedVersion = Annotated[
    int | None,
    strawberry.argument(
        description="The concept's version you read; refused as STALE if it changed since."
    ),
]
"""Optimistic concurrency on a workflow step: the version the caller saw."""


@strawberry.type(description="A text in one language ('' when the text has no language tag).")
class LangText:
    language: str
    text: str


def _texts(texts: model.Texts) -> list[LangText]:
    return [LangText(language=lang, text=text) for lang, text in sorted(texts.items())]


def _pairs(values: model.LangValues) -> list[LangText]:
    return [LangText(language=lang, text=text) for lang, text in values]


@strawberry.input(description="A text in one language (nl, en, ...).")
class LangTextInput:
    language: str
    text: str


def _as_texts(items: list[LangTextInput] | None) -> model.Texts:
    return {i.language: i.text for i in items or []}


@strawberry.type(description="One state of a concept and when it held (validUntil exclusive).")
class ConceptVersion:
    id: strawberry.ID
    number: int
    valid_from: datetime
    valid_until: datetime | None
    status: Status
    pref_labels: list[LangText]
    definitions: list[LangText]
    scope_notes: list[LangText]

    @classmethod
    def of(cls, v: model.Version) -> ConceptVersion:
        return cls(
            id=strawberry.ID(v.id),
            number=v.number,
            valid_from=v.valid_from,
            valid_until=v.valid_until,
            status=v.status,
            pref_labels=_texts(v.text.pref_labels),
            definitions=_texts(v.text.definitions),
            scope_notes=_texts(v.text.scope_notes),
        )


@strawberry.type(description="A workflow step: who (a post, in a role), when, why, what changed.")
class GovernanceActivity:
    id: strawberry.ID
    kind: str = strawberry.field(
        description="Proposal, Approval, Rejection, Deprecation or Migration."
    )
    by: strawberry.ID
    role: str
    at: datetime
    rationale: str | None
    from_status: Status | None
    to_status: Status | None
    proposal: strawberry.ID | None
    version: strawberry.ID | None

    @classmethod
    def of(cls, a: model.Activity) -> GovernanceActivity:
        return cls(
            id=strawberry.ID(a.id),
            kind=a.kind,
            by=strawberry.ID(a.by),
            role=a.role,
            at=a.at,
            rationale=a.rationale,
            from_status=a.from_status,
            to_status=a.to_status,
            proposal=strawberry.ID(a.proposal) if a.proposal else None,
            version=strawberry.ID(a.version) if a.version else None,
        )


@strawberry.type(description="A proposed new text for an approved concept.")
class ChangeProposal:
    id: strawberry.ID
    concept: strawberry.ID
    status: Status
    pref_labels: list[LangText]
    definitions: list[LangText]
    scope_notes: list[LangText]

    @classmethod
    def of(cls, p: model.ChangeProposal) -> ChangeProposal:
        return cls(
            id=strawberry.ID(p.id),
            concept=strawberry.ID(p.concept),
            status=p.status,
            pref_labels=_texts(p.text.pref_labels),
            definitions=_texts(p.text.definitions),
            scope_notes=_texts(p.text.scope_notes),
        )


@strawberry.type(description="One field in one language that differs between two versions.")
class FieldChange:
    field: str = strawberry.field(description="prefLabel, definition, scopeNote or status.")
    language: str
    before: str | None
    after: str | None


@strawberry.type(description="A governed concept (glossary concept or framework element).")
class Concept:
    id: strawberry.ID
    iri: str
    type: str
    status: Status
    label: str | None
    pref_labels: list[LangText]
    definitions: list[LangText]
    scope_notes: list[LangText]
    scheme: strawberry.ID | None
    sources: list[str]
    broader: list[strawberry.ID]
    explains: list[strawberry.ID]
    replaced_by: strawberry.ID | None
    version: int | None = strawberry.field(description="The number of the current version.")
    alt_labels: list[LangText] = strawberry.field(description="skos:altLabel: synonyms.")
    hidden_labels: list[LangText] = strawberry.field(
        description="skos:hiddenLabel: spellings found by search, never shown as the name."
    )
    examples: list[LangText] = strawberry.field(description="skos:example.")
    notes: list[LangText] = strawberry.field(description="skos:note.")
    editorial_notes: list[LangText] = strawberry.field(description="skos:editorialNote.")
    change_notes: list[LangText] = strawberry.field(description="skos:changeNote.")
    history_notes: list[LangText] = strawberry.field(description="skos:historyNote.")
    notations: list[str] = strawberry.field(description="skos:notation: codes for the concept.")
    narrower: list[strawberry.ID] = strawberry.field(description="skos:narrower, as stored.")
    related: list[strawberry.ID] = strawberry.field(description="skos:related.")
    top_concept_of: list[strawberry.ID] = strawberry.field(description="skos:topConceptOf.")
    exact_match: list[str] = strawberry.field(
        description="skos:exactMatch: the same concept elsewhere (key or IRI)."
    )
    close_match: list[str] = strawberry.field(description="skos:closeMatch (key or IRI).")
    broad_match: list[str] = strawberry.field(description="skos:broadMatch (key or IRI).")
    narrow_match: list[str] = strawberry.field(description="skos:narrowMatch (key or IRI).")
    related_match: list[str] = strawberry.field(description="skos:relatedMatch (key or IRI).")

    @classmethod
    def of(cls, c: model.Concept) -> Concept:
        d = c.details
        return cls(
            id=strawberry.ID(c.id),
            iri=c.iri,
            type=c.type,
            status=c.status,
            label=c.label,
            pref_labels=_texts(c.text.pref_labels),
            definitions=_texts(c.text.definitions),
            scope_notes=_texts(c.text.scope_notes),
            scheme=strawberry.ID(c.scheme) if c.scheme else None,
            sources=list(c.sources),
            broader=[strawberry.ID(b) for b in c.broader],
            explains=[strawberry.ID(e) for e in c.explains],
            replaced_by=strawberry.ID(c.replaced_by) if c.replaced_by else None,
            version=c.version,
            alt_labels=_pairs(d.alt_labels),
            hidden_labels=_pairs(d.hidden_labels),
            examples=_pairs(d.examples),
            notes=_pairs(d.notes),
            editorial_notes=_pairs(d.editorial_notes),
            change_notes=_pairs(d.change_notes),
            history_notes=_pairs(d.history_notes),
            notations=list(d.notations),
            narrower=[strawberry.ID(k) for k in d.narrower],
            related=[strawberry.ID(k) for k in d.related],
            top_concept_of=[strawberry.ID(k) for k in d.top_concept_of],
            exact_match=list(d.exact_match),
            close_match=list(d.close_match),
            broad_match=list(d.broad_match),
            narrow_match=list(d.narrow_match),
            related_match=list(d.related_match),
        )

    @strawberry.field(description="Every version, oldest first.")
    async def history(self, info: Info[Context, None]) -> list[ConceptVersion]:
        found = await info.context.concept_history.load(str(self.id))
        return [ConceptVersion.of(v) for v in found.versions]

    @strawberry.field(description="Every workflow step on this concept, oldest first.")
    async def activities(self, info: Info[Context, None]) -> list[GovernanceActivity]:
        found = await info.context.concept_history.load(str(self.id))
        return [GovernanceActivity.of(a) for a in found.activities]

    @strawberry.field(description="Change proposals for this concept, oldest first.")
    async def change_proposals(self, info: Info[Context, None]) -> list[ChangeProposal]:
        found = await info.context.concept_history.load(str(self.id))
        return [ChangeProposal.of(p) for p in found.proposals]

    @strawberry.field(
        description=(
            "The version that held at a moment: a date (2025-03-01, midnight UTC) or a "
            "date-time; null before the first version."
        )
    )
    async def as_of(self, info: Info[Context, None], at: str) -> ConceptVersion | None:
        store, ident = info.context.store, str(self.id)
        found = await _read(lambda: service.as_of(store, ident, at))
        return ConceptVersion.of(found) if found else None

    @strawberry.field(description="What differs between two versions, field by field.")
    async def diff(
        self, info: Info[Context, None], from_version: int, to_version: int
    ) -> list[FieldChange]:
        store, ident = info.context.store, str(self.id)
        changes = await _read(lambda: service.diff(store, ident, from_version, to_version))
        return [
            FieldChange(field=c.field, language=c.language, before=c.before, after=c.after)
            for c in changes
        ]


async def _read(fn: Callable[[], T]) -> T:
    """A governance read off the event loop; a refused one (a moment or version that
    cannot be read) is an error with the refusal's code (BAD_REQUEST)."""
    try:
        return await store_call(fn)
    except GovernanceError as exc:
        raise GraphQLError(str(exc), extensions={"code": exc.code}) from exc


# --- mutation results ---------------------------------------------------------------


@strawberry.enum(description="Why a governance step was refused.")
class RefusalCode(enum.Enum):
    INVALID = "INVALID"
    ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION"
    FORBIDDEN = "FORBIDDEN"
    REFERENCED = "REFERENCED"
    BAD_REQUEST = "BAD_REQUEST"
    NOT_FOUND = "NOT_FOUND"
    STALE = "STALE"
    BUSY = "BUSY"


@strawberry.type(description="One violation of the shapes: which record, which field, which rule.")
class ValidationProblem:
    record: str | None
    field: str | None
    value: str | None
    rule: str
    message: str
    severity: str


@strawberry.type(description="A stored triple pointing at an element: subject predicate object.")
class ReferenceTriple:
    subject: strawberry.ID
    predicate: str
    object: strawberry.ID

    @classmethod
    def of(cls, r: model.Reference) -> ReferenceTriple:
        return cls(
            subject=strawberry.ID(r.subject),
            predicate=r.predicate,
            object=strawberry.ID(r.object),
        )


@strawberry.type(description="A refused step: nothing was written. Says what and why.")
class GovernanceRefusal:
    code: RefusalCode
    message: str
    problems: list[ValidationProblem]
    references: list[ReferenceTriple]

    @classmethod
    def of(cls, exc: GovernanceError | UnknownElementError) -> GovernanceRefusal:
        if isinstance(exc, UnknownElementError):
            return cls(code=RefusalCode.NOT_FOUND, message=str(exc), problems=[], references=[])
        problems: list[ValidationProblem] = []
        message = str(exc)
        if isinstance(exc, GovernanceValidationError):
            message = exc.summary
            problems = [
                ValidationProblem(
                    record=p.node,
                    field=p.property,
                    value=p.value,
                    rule=p.rule,
                    message=p.message,
                    severity=p.severity,
                )
                for p in exc.problems
            ]
        references = exc.references if isinstance(exc, StillReferencedError) else []
        return cls(
            code=RefusalCode(exc.code),
            message=message,
            problems=problems,
            references=[ReferenceTriple.of(r) for r in references],
        )


@strawberry.type(description="A step that was taken: the concept as it now stands and the record.")
class ConceptChanged:
    concept: Concept
    activity: GovernanceActivity
    proposal: ChangeProposal | None

    @classmethod
    def of(cls, outcome: model.Outcome) -> ConceptChanged:
        return cls(
            concept=Concept.of(outcome.concept),
            activity=GovernanceActivity.of(outcome.activity),
            proposal=ChangeProposal.of(outcome.proposal) if outcome.proposal else None,
        )


@strawberry.type(description="References moved from a superseded element to its replacement.")
class ReferencesMigrated:
    moved: list[ReferenceTriple] = strawberry.field(description="The references as they were.")
    replacement: strawberry.ID
    activity: GovernanceActivity


@strawberry.type(description="What a deletion removed: the concept and its governance record.")
class ConceptDeleted:
    deleted: list[strawberry.ID]


ConceptOutcome = Annotated[ConceptChanged | GovernanceRefusal, strawberry.union("ConceptOutcome")]
MigrationOutcome = Annotated[
    ReferencesMigrated | GovernanceRefusal, strawberry.union("MigrationOutcome")
]
DeleteOutcome = Annotated[ConceptDeleted | GovernanceRefusal, strawberry.union("DeleteOutcome")]


async def _changed(fn: Callable[[], model.Outcome]) -> ConceptChanged | GovernanceRefusal:
    """A concept-changing step, its outcome as GraphQL data."""
    return await _attempt(lambda: ConceptChanged.of(fn()))


async def _attempt(fn: Callable[[], T]) -> T | GovernanceRefusal:
    """Run a workflow step off the event loop; an expected refusal becomes data."""

    def guarded() -> T | GovernanceRefusal:
        try:
            return fn()
        except (GovernanceError, UnknownElementError) as exc:
            return GovernanceRefusal.of(exc)

    return await store_call(guarded)


def _caller(info: Info[Context, None], by: strawberry.ID) -> Caller:
    """The post ``by``, in the role of the request's token."""
    return Caller(by=str(by), role=info.context.role)


@strawberry.input(description="A new concept: its key, labels and definition per language, links.")
class ConceptInput:
    id: strawberry.ID = strawberry.field(description="Key, e.g. concept/fcr (or just fcr).")
    pref_labels: list[LangTextInput]
    definitions: list[LangTextInput] = strawberry.field(default_factory=list)
    scope_notes: list[LangTextInput] = strawberry.field(default_factory=list)
    scheme: strawberry.ID = strawberry.field(default=strawberry.ID(glossary.GLOSSARY_SCHEME))
    sources: list[str] = strawberry.field(default_factory=list)
    broader: list[strawberry.ID] = strawberry.field(default_factory=list)
    explains: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Model elements it defines, e.g. jkg:FCR."
    )

    def as_new(self) -> NewConcept:
        return NewConcept(
            key=str(self.id),
            text=model.ConceptText(
                _as_texts(self.pref_labels),
                _as_texts(self.definitions),
                _as_texts(self.scope_notes),
            ),
            scheme=str(self.scheme),
            sources=tuple(self.sources),
            broader=tuple(str(b) for b in self.broader),
            explains=tuple(str(e) for e in self.explains),
        )


@strawberry.input(
    description=(
        "A proposed new text: only what changes. Each language given replaces that language "
        "of its field (an empty text removes it); every other language and field keeps the "
        "approved text."
    )
)
class TextChangeInput:
    pref_labels: list[LangTextInput] | None = None
    definitions: list[LangTextInput] | None = None
    scope_notes: list[LangTextInput] | None = None

    def as_text(self) -> model.ConceptText:
        return model.ConceptText(
            _as_texts(self.pref_labels), _as_texts(self.definitions), _as_texts(self.scope_notes)
        )


# --- queries and mutations ---------------------------------------------------------------


@strawberry.type
class GovernanceQuery:
    @strawberry.field(description="One governed concept (or framework element) by key or IRI.")
    async def concept(self, info: Info[Context, None], id: strawberry.ID) -> Concept:
        return Concept.of(await store_call(service.show, info.context.store, str(id)))

    @strawberry.field(
        description=(
            "Concepts whose preferred label contains `search` (case-insensitive), in `language` "
            "(nl, en) if given, with one of `status` if given, sorted by id."
        )
    )
    async def concepts(
        self,
        info: Info[Context, None],
        search: str | None = None,
        language: str | None = None,
        status: list[Status] | None = None,
        scheme: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Concept]:
        found = await store_call(
            lambda: service.search(
                info.context.store,
                search,
                language=language,
                statuses=set(status) if status is not None else None,
                scheme=str(scheme) if scheme else None,
            )
        )
        return Connection[Concept].of([Concept.of(c) for c in found], first, after)


@strawberry.type
class GovernanceMutation:
    @strawberry.mutation(description="Propose a new concept (PROPOSED), or start it as a DRAFT.")
    async def propose_concept(
        self,
        info: Info[Context, None],
        input: ConceptInput,
        by: strawberry.ID,
        draft: bool = False,
        rationale: str | None = None,
    ) -> ConceptOutcome:
        store, clock, caller, new = (
            info.context.store,
            info.context.clock,
            _caller(info, by),
            input.as_new(),
        )
        return await _changed(
            lambda: service.propose(
                store, new, caller, draft=draft, rationale=rationale, clock=clock
            )
        )

    @strawberry.mutation(description="Put a draft to the board: DRAFT -> PROPOSED.")
    async def submit_concept(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        by: strawberry.ID,
        rationale: str | None = None,
        expected_version: ExpectedVersion = None,
    ) -> ConceptOutcome:
        store, clock, caller = info.context.store, info.context.clock, _caller(info, by)
        return await _changed(
            lambda: service.submit(
                store,
                str(id),
                caller,
                rationale=rationale,
                expected_version=expected_version,
                clock=clock,
            )
        )

    @strawberry.mutation(
        description="Propose a new text for an approved concept; the approved text stays in force."
    )
    async def propose_change(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        change: TextChangeInput,
        by: strawberry.ID,
        rationale: str | None = None,
        expected_version: ExpectedVersion = None,
    ) -> ConceptOutcome:
        store, clock, caller, text = (
            info.context.store,
            info.context.clock,
            _caller(info, by),
            change.as_text(),
        )
        return await _changed(
            lambda: service.propose_change(
                store,
                str(id),
                text,
                caller,
                rationale=rationale,
                expected_version=expected_version,
                clock=clock,
            )
        )

    @strawberry.mutation(description="Approve a proposed concept or change proposal (steward).")
    async def approve(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        by: strawberry.ID,
        rationale: str,
        expected_version: ExpectedVersion = None,
    ) -> ConceptOutcome:
        store, clock, caller = info.context.store, info.context.clock, _caller(info, by)
        return await _changed(
            lambda: service.approve(
                store,
                str(id),
                caller,
                rationale=rationale,
                expected_version=expected_version,
                clock=clock,
            )
        )

    @strawberry.mutation(description="Reject a proposed concept or change proposal (steward).")
    async def reject(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        by: strawberry.ID,
        rationale: str,
        expected_version: ExpectedVersion = None,
    ) -> ConceptOutcome:
        store, clock, caller = info.context.store, info.context.clock, _caller(info, by)
        return await _changed(
            lambda: service.reject(
                store,
                str(id),
                caller,
                rationale=rationale,
                expected_version=expected_version,
                clock=clock,
            )
        )

    @strawberry.mutation(
        description=(
            "Deprecate an approved element (steward): SUPERSEDED by `replacement`, or RETIRED "
            "without one (refused while anything refers to it)."
        )
    )
    async def deprecate(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        by: strawberry.ID,
        rationale: str,
        replacement: strawberry.ID | None = None,
        expected_version: ExpectedVersion = None,
    ) -> ConceptOutcome:
        store, clock, caller = info.context.store, info.context.clock, _caller(info, by)
        return await _changed(
            lambda: service.deprecate(
                store,
                str(id),
                caller,
                rationale=rationale,
                replacement=str(replacement) if replacement else None,
                expected_version=expected_version,
                clock=clock,
            )
        )

    @strawberry.mutation(
        description=(
            "Move every reference from a superseded element to its replacement, validated and "
            "written at once (steward)."
        )
    )
    async def migrate_references(
        self, info: Info[Context, None], id: strawberry.ID, by: strawberry.ID, rationale: str
    ) -> MigrationOutcome:
        store, clock, caller = info.context.store, info.context.clock, _caller(info, by)

        def migrate() -> ReferencesMigrated:
            done = service.migrate(store, str(id), caller, rationale=rationale, clock=clock)
            return ReferencesMigrated(
                moved=[ReferenceTriple.of(r) for r in done.moved],
                replacement=strawberry.ID(done.replacement),
                activity=GovernanceActivity.of(done.activity),
            )

        return await _attempt(migrate)

    @strawberry.mutation(
        description=(
            "Delete a draft or rejected concept that nothing refers to, with its record "
            "(steward). The audit trail keeps what it held, who deleted it (`by`) and why."
        )
    )
    async def delete_concept(
        self, info: Info[Context, None], id: strawberry.ID, by: strawberry.ID, rationale: str
    ) -> DeleteOutcome:
        store, caller = info.context.store, _caller(info, by)

        def delete() -> ConceptDeleted:
            deleted = service.delete(store, str(id), caller, rationale=rationale)
            return ConceptDeleted(deleted=[strawberry.ID(d) for d in deleted])

        return await _attempt(delete)


__all__ = ["GovernanceMutation", "GovernanceQuery"]
