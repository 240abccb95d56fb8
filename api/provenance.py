"""GraphQL: where does this number come from? The source, record and run behind an element."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import strawberry
from rdflib import Graph, URIRef
from rdflib.term import Node
from strawberry.types import Info

from journeykg.api.context import Context
from journeykg.api.errors import store_call
from journeykg.api.types import Element
from journeykg.graph.model import ElementRef
from journeykg.graph.store import Store
from journeykg.namespaces import DCTERMS, JKG, PROV, RDFS


@strawberry.type(description="A load or sync run: a prov:Activity that wrote facts.")
class Activity:
    id: strawberry.ID
    label: str | None
    source: str | None = strawberry.field(description="The file or source name it read.")
    started_at: str | None
    ended_at: str | None
    status: str | None = strawberry.field(
        description="Sync runs: running (never finished), ok, rejected, retirement refused."
    )


@strawberry.type(description="Where an element's facts come from, and how fresh they are.")
class Provenance:
    element: Element
    source: str | None = strawberry.field(
        description="The sync source that owns the element (none for loaded files)."
    )
    external_id: str | None = strawberry.field(
        description="The element's record id in that source: with `source`, its upsert key."
    )
    generated_by: Activity | None = strawberry.field(
        description="The load or sync run that last changed the element."
    )
    last_seen: str | None = strawberry.field(
        description=(
            "When the source last delivered the element: the end of the source's last "
            "completed full sync, or of the run that wrote it if that is later."
        )
    )


@dataclass(frozen=True)
class _Facts:
    ref: ElementRef
    source: str | None
    external_id: str | None
    activity: Activity | None
    last_seen: str | None


def _text(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    value = graph.value(subject, predicate)
    return str(value) if value is not None else None


def _instant(text: str | None) -> str | None:
    # Parsed, so that every backend prints the same instant the same way.
    return datetime.fromisoformat(text).isoformat(timespec="milliseconds") if text else None


def provenance_of(store: Store, ident: str) -> _Facts:
    """The provenance of one element; :class:`UnknownElementError` if there is none."""
    ref = store.resolve(ident)
    iri = URIRef(ref.iri)
    facts = store.describe([iri])
    run = facts.value(iri, PROV.wasGeneratedBy)
    source = facts.value(iri, JKG.syncedFrom)
    related = [n for n in (run, source) if isinstance(n, URIRef)]
    about = store.describe(related) if related else Graph()
    activity = None
    ended = None
    if isinstance(run, URIRef):
        ended = _instant(_text(about, run, PROV.endedAtTime))
        activity = Activity(
            id=strawberry.ID(store.ids.key(str(run))),
            label=_text(about, run, RDFS.label),
            source=_text(about, run, DCTERMS.source),
            started_at=_instant(_text(about, run, PROV.startedAtTime)),
            ended_at=ended,
            status=_text(about, run, JKG.runStatus),
        )
    source_name = _text(about, source, RDFS.label) if source is not None else None
    seen = _instant(_text(about, source, JKG.lastSeen)) if source is not None else None
    candidates = [t for t in (ended, seen) if t is not None]
    last_seen = max(candidates, key=datetime.fromisoformat) if candidates else None
    return _Facts(ref, source_name, _text(facts, iri, JKG.externalId), activity, last_seen)


@strawberry.type
class ProvenanceQuery:
    @strawberry.field(
        description=(
            "Where an element (a key such as volume/crm/..., or an IRI) comes from: the sync "
            "source and record id that own it, the run that last changed it, and when its "
            "source last delivered it. An unknown id is an error (NOT_FOUND)."
        )
    )
    async def provenance(self, info: Info[Context, None], of: strawberry.ID) -> Provenance:
        store = info.context.store
        found = await store_call(lambda: provenance_of(store, str(of)))
        return Provenance(
            element=Element.of(found.ref),
            source=found.source,
            external_id=found.external_id,
            generated_by=found.activity,
            last_seen=found.last_seen,
        )
