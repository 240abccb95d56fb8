"""History of a concept: its versions, its activities, what it meant at a moment, diffs."""

from __future__ import annotations

from datetime import UTC, datetime

from rdflib import URIRef

from journeykg.graph.edges import follow
from journeykg.graph.store import Store
from journeykg.namespaces import DCTERMS, JKG, PROV
from journeykg.services.governance.errors import GovernanceRequestError
from journeykg.services.governance.glossary import concept_iri
from journeykg.services.governance.model import (
    TEXT_FIELDS,
    Activity,
    ChangeProposal,
    FieldChange,
    Version,
    texts_of,
)
from journeykg.services.governance.records import read_activity, read_proposal, read_version


def _number(iri: URIRef) -> int:
    tail = str(iri).rsplit("/", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def versions(store: Store, ident: str) -> list[Version]:
    """Every version of ``ident``, oldest first."""
    iri = concept_iri(store, ident)
    found = sorted(
        (v for _, v in follow(store, DCTERMS.isVersionOf, [iri], inverse=True)), key=_number
    )
    graph = store.describe(found)
    return [read_version(graph, v, store.ids) for v in found]


def activities(store: Store, ident: str) -> list[Activity]:
    """Every workflow step on ``ident`` (proposals, decisions, migrations), oldest first."""
    iri = concept_iri(store, ident)
    found = sorted(
        (a for _, a in follow(store, PROV.used, [iri], inverse=True) if "/activity/" in str(a)),
        key=lambda a: (str(a).rsplit("/activity/", 1)[0], _number(a)),
    )
    graph = store.describe([*found, *(URIRef(f"{a}/association") for a in found)])
    steps = [read_activity(graph, a, store.ids) for a in found]
    return sorted(steps, key=lambda s: s.at)


#: The activity kinds that decide: a steward's approval, rejection or deprecation.
DECISION_KINDS = ("Approval", "Rejection", "Deprecation")


def decisions(store: Store) -> list[Activity]:
    """Every governance decision on any element (the decision log), newest first."""
    found = sorted({a for kind in DECISION_KINDS for a in store.instances(JKG[kind])})
    graph = store.describe([*found, *(URIRef(f"{a}/association") for a in found)])
    steps = [read_activity(graph, a, store.ids) for a in found]
    return sorted(steps, key=lambda s: (s.at, s.id), reverse=True)


def proposals(store: Store, ident: str) -> list[ChangeProposal]:
    """Every change proposal for ``ident``, oldest first."""
    iri = concept_iri(store, ident)
    found = sorted(
        (p for _, p in follow(store, JKG.proposedChangeTo, [iri], inverse=True)), key=_number
    )
    graph = store.describe(found)
    return [read_proposal(graph, p, store.ids) for p in found]


def parse_moment(text: str) -> datetime:
    """A date (``2025-03-01``, midnight UTC) or a date-time; naive times are UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise GovernanceRequestError(
            f"{text!r} is not a date (2025-03-01) or a date-time (2025-03-01T12:00:00Z)",
            reason="not_a_moment",
            text=text,
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def as_of(store: Store, ident: str, moment: datetime) -> Version | None:
    """The version of ``ident`` that held at ``moment``; None before its first version."""
    return next((v for v in versions(store, ident) if v.holds_at(moment)), None)


def version(store: Store, ident: str, number: int) -> Version:
    """Version ``number`` of ``ident``; a clear refusal if there is no such version."""
    found = versions(store, ident)
    for v in found:
        if v.number == number:
            return v
    raise GovernanceRequestError(
        f"{ident} has no version {number}; it has versions "
        f"{', '.join(str(v.number) for v in found) or 'none'}",
        reason="no_version",
        item=ident,
        number=str(number),
        versions=", ".join(str(v.number) for v in found),
    )


def diff(before: Version, after: Version) -> list[FieldChange]:
    """What differs between two versions, field by field and per language, then the status."""
    changes: list[FieldChange] = []
    for name in TEXT_FIELDS:
        old, new = texts_of(before.text, name), texts_of(after.text, name)
        for lang in sorted(old.keys() | new.keys()):
            if old.get(lang) != new.get(lang):
                changes.append(FieldChange(name, lang, old.get(lang), new.get(lang)))
    if before.status != after.status:
        changes.append(FieldChange("status", "", before.status.value, after.status.value))
    return changes
