"""The contract between a source (a CRM export, a CSV bundle, BPMN, RDF) and the sync engine.

A source reads its input in batches and maps each record to triples with a
pure function; the engine (:mod:`journeykg.loaders.sync`) validates each
batch, writes what conforms in one transaction, quarantines what does not,
stamps provenance and advances the bookmark only after the write.

Identity: every mapped record is keyed on ``(source, external_id)``. Its
subjects are minted from that key (see :func:`record_iri`), so syncing the
same input twice writes the same triples, and a record that vanishes from
the source can be found and retired.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from rdflib import Graph, URIRef
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from journeykg.ids import Identifiers
from journeykg.validation.problems import Problem

if TYPE_CHECKING:
    from journeykg.graph.store import Store

#: One triple as rdflib terms.
Triple = tuple[Node, Node, Node]

#: The name of a record graph built from triples (never stored: the engine copies the
#: triples); a fixed one spares rdflib the uuid4 of a fresh blank node per graph.
_RECORD_GRAPH = URIRef("urn:journeykg:record")


class MappedRecord:
    """One source record (or one aggregate of many, for CRM cases) as triples.

    Made from an rdflib ``graph`` (most sources), or from a sequence of ``triples``
    (``MappedRecord(..., triples=...)``): then :attr:`graph` is only built when someone
    asks for it (a quarantine line, a test), and the engine reads :meth:`triples`, which
    spares a sync an in-memory graph per record (about a tenth of its per-aggregate CPU
    at 11k CRM aggregates). Immutable, like the frozen dataclass it replaces.
    """

    __slots__ = ("_graph", "_triples", "external_id", "origin", "source")

    source: str
    """The configured source name, e.g. ``salesforce-service-cloud``."""
    external_id: str
    """Stable id of the record in the source (or of the aggregate: reason|channel|period)."""
    origin: str
    """Where it came from, for reports: ``cases-page-2.json#records[14]``, ``journeys.csv:12``."""
    _graph: Graph | None
    _triples: tuple[Triple, ...] | None

    def __init__(
        self,
        source: str,
        external_id: str,
        origin: str,
        graph: Graph | None = None,
        *,
        triples: Sequence[Triple] | None = None,
    ) -> None:
        if (graph is None) == (triples is None):
            raise TypeError("a MappedRecord is made from a graph or from triples, not both")
        setter = object.__setattr__
        setter(self, "source", source)
        setter(self, "external_id", external_id)
        setter(self, "origin", origin)
        setter(self, "_graph", graph)
        setter(self, "_triples", tuple(triples) if triples is not None else None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"MappedRecord is immutable: cannot set {name}")

    @property
    def graph(self) -> Graph:
        """The record's triples, subjects minted by :func:`record_iri` or the framework's
        own IRIs (built from the triples, in their order, on first use)."""
        graph = self._graph
        if graph is None:
            # no contexts: half the cost of rdflib's default store
            graph = Graph(store=SimpleMemory(), identifier=_RECORD_GRAPH)
            for triple in self._triples or ():
                graph.add(triple)
            object.__setattr__(self, "_graph", graph)
        return graph

    def triples(self) -> Sequence[Triple]:
        """The record's triples, in the order the source gave them (as the graph holds them)."""
        if self._triples is not None:
            return self._triples
        # A source may still add to its records' graphs while it reads: never cached.
        return list(self.graph.triples((None, None, None)))  # list(graph) would count it first

    @property
    def key(self) -> tuple[str, str]:
        """The upsert key."""
        return (self.source, self.external_id)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, MappedRecord):
            return NotImplemented
        return (self.source, self.external_id, self.origin) == (
            other.source,
            other.external_id,
            other.origin,
        ) and set(self.triples()) == set(other.triples())

    def __hash__(self) -> int:
        return hash((self.source, self.external_id, self.origin))

    def __repr__(self) -> str:
        return (
            f"MappedRecord(source={self.source!r}, external_id={self.external_id!r}, "
            f"origin={self.origin!r}, triples={len(self.triples())})"
        )


@dataclass
class SourceBatch:
    """What a source read in one go: mapped records, refused records, unmapped values."""

    records: list[MappedRecord] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    """Input records that could not be mapped (wrong type, missing field), with where and why."""
    unmapped: Counter[str] = field(default_factory=Counter)
    """Source values the recipe does not map (``Reason='Installatie'``): counted, never dropped."""
    warnings: list[Problem] = field(default_factory=list)
    """What the source read but the report should mention, never counted as refused
    records: an empty model or a call that leads nowhere yet (severity Warning), a
    record repeated across pages and counted once (severity Info, a notice)."""
    read: int = 0
    """Input records read (CRM cases, CSV rows, BPMN elements), before aggregation."""
    bookmark: str | None = None
    """For incremental sources: the position to resume from once this batch is written."""


@runtime_checkable
class LooksUpStore(Protocol):
    """A source that resolves what its input refers to against the store it syncs into
    (BPMN: a call to a process another recipe synced). The engine hands it the store
    before it reads; read without one, the source resolves within its input only."""

    def look_up_in(self, store: Store) -> None:
        """Use ``store`` to resolve references when reading."""
        ...


class Source(Protocol):
    """A readable source. Implementations live in :mod:`journeykg.loaders.sources`."""

    name: str
    """The configured source name; the first half of every record's upsert key."""
    incremental: bool
    """True when :meth:`read` honours a bookmark (only records changed after it are read)."""

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        """Batches of mapped records, from ``bookmark`` on (None: from the start)."""
        ...


def record_iri(ids: Identifiers, kind: str, source: str, external_id: str) -> URIRef:
    """The IRI of a synced record: ``{base}{kind}/{source}/{external_id}``, made IRI-safe."""
    from urllib.parse import quote

    return ids.iri(f"{kind}/{quote(source, safe='')}/{quote(external_id, safe='')}")
