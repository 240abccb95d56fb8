"""The state a source keeps in the store: its bookmark, its runs and when it was last seen.

The bookmark travels in the same :meth:`Store.apply` as the data it marks
(see :func:`add_run_state`), so it is saved only when that write succeeds and
can never run ahead of the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote

from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral

from journeykg.graph.store import Store
from journeykg.loaders.provenance import describe_activity, time_literal
from journeykg.loaders.sync.report import SyncReport
from journeykg.namespaces import JKG, PROV, RDF, RDFS


def source_iri(store: Store, name: str) -> URIRef:
    """The resource that stands for a source: its bookmark, last run and last-seen time."""
    return store.ids.iri(f"source/{quote(name, safe='')}")


def read_bookmark(store: Store, name: str) -> str | None:
    """The stored bookmark of a source (None before its first incremental write)."""
    return bookmark_in(store.describe([source_iri(store, name)]), source_iri(store, name))


def bookmark_in(described: Graph, source: URIRef) -> str | None:
    """The bookmark of ``source`` in ``described`` (what a store holds about it)."""
    value = described.value(source, JKG.bookmark)
    return str(value) if value is not None else None


@dataclass(frozen=True)
class SyncRun:
    """Who is syncing: the source (by name and resource) and the run's prov:Activity."""

    name: str
    source: URIRef
    iri: URIRef
    started: datetime

    @classmethod
    def start(cls, store: Store, name: str) -> SyncRun:
        """A new run of source ``name``, starting now."""
        started = datetime.now(UTC)
        stamp = f"{started:%Y%m%dT%H%M%S%fZ}"
        iri = store.ids.iri(f"run/sync-{quote(name, safe='')}-{stamp}")
        return cls(name=name, source=source_iri(store, name), iri=iri, started=started)


def add_run_state(
    delta: Graph,
    run: SyncRun,
    status: str,
    bookmark: str | None,
    *,
    outcome: SyncReport | None = None,
) -> None:
    """Add the run's provenance and the source's state (with ``bookmark``) to ``delta``.

    ``outcome``: the report of a finished run, whose counts the run keeps; a
    full run whose retirement went ahead also stamps when the source was last
    seen. One whose retirement was refused does not: the elements it did not
    deliver are still the source's, so "every element the source owns was
    seen then" would be false (docs/sync.md, "When was it last seen?").
    """
    now = datetime.now(UTC)
    src = run.source
    describe_activity(delta, run.iri, f"sync of {run.name}", run.name, run.started, now)
    delta.add((run.iri, RDF.type, JKG.SyncRun))
    delta.add((run.iri, PROV.used, src))
    delta.add((run.iri, JKG.runStatus, RDFLiteral(status)))
    delta.add((src, RDF.type, JKG.SyncSource))
    delta.add((src, RDFS.label, RDFLiteral(run.name)))
    delta.add((src, JKG.lastRun, run.iri))
    if bookmark is not None:
        delta.add((src, JKG.bookmark, RDFLiteral(bookmark)))
    if outcome is not None:
        delta.add((run.iri, JKG.recordsWritten, RDFLiteral(outcome.written)))
        delta.add((run.iri, JKG.recordsRejected, RDFLiteral(outcome.rejected)))
        delta.add((run.iri, JKG.recordsRetired, RDFLiteral(outcome.retired)))
        if outcome.mode == "full" and outcome.retire_refused is None:
            delta.add((src, JKG.lastSeen, time_literal(now)))
