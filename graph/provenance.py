"""Where an element's facts come from: the sync source and record behind it, the run that
last wrote it, and when its source last delivered it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rdflib import Graph, URIRef
from rdflib.term import Node

from journeykg.graph.elements import resolve
from journeykg.graph.model import ElementRef
from journeykg.graph.store import Store
from journeykg.namespaces import DCTERMS, JKG, PROV, RDFS


@dataclass(frozen=True)
class Run:
    """A load or sync run: the ``prov:Activity`` that wrote facts."""

    id: str
    label: str | None
    source: str | None
    """The file or source name it read."""
    started_at: str | None
    ended_at: str | None
    status: str | None
    """Sync runs: running (never finished), ok, rejected, retirement refused."""


@dataclass(frozen=True)
class Provenance:
    """Where one element comes from, and how fresh it is."""

    element: ElementRef
    source: str | None
    """The sync source that owns the element (none for loaded files)."""
    external_id: str | None
    """The element's record id in that source: with ``source``, its upsert key."""
    generated_by: Run | None
    """The load or sync run that last changed the element."""
    last_seen: str | None
    """When the source last delivered the element: the end of its last completed full
    sync, or of the run that wrote it if that is later."""


def _text(graph: Graph, subject: Node, predicate: URIRef) -> str | None:
    value = graph.value(subject, predicate)
    return str(value) if value is not None else None


def _instant(text: str | None) -> str | None:
    # Parsed, so that every backend prints the same instant the same way.
    return datetime.fromisoformat(text).isoformat(timespec="milliseconds") if text else None


def provenance_of(store: Store, ident: str) -> Provenance:
    """The provenance of one element; :class:`UnknownElementError` if there is none."""
    ref = resolve(store, ident)
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
        activity = Run(
            id=store.ids.key(str(run)),
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
    return Provenance(ref, source_name, _text(facts, iri, JKG.externalId), activity, last_seen)
