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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from rdflib import Graph, URIRef

from journeykg.graph.ids import Identifiers
from journeykg.loaders.errors import Problem


@dataclass(frozen=True)
class MappedRecord:
    """One source record (or one aggregate of many, for CRM cases) as triples."""

    source: str
    """The configured source name, e.g. ``salesforce-service-cloud``."""
    external_id: str
    """Stable id of the record in the source (or of the aggregate: reason|channel|period)."""
    origin: str
    """Where it came from, for reports: ``cases-page-2.json#records[14]``, ``journeys.csv:12``."""
    graph: Graph
    """The record's triples, subjects minted by :func:`record_iri` or the framework's own IRIs."""

    @property
    def key(self) -> tuple[str, str]:
        """The upsert key."""
        return (self.source, self.external_id)


@dataclass
class SourceBatch:
    """What a source read in one go: mapped records, refused records, unmapped values."""

    records: list[MappedRecord] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    """Input records that could not be mapped (wrong type, missing field), with where and why."""
    unmapped: Counter[str] = field(default_factory=Counter)
    """Source values the recipe does not map (``Reason='Installatie'``): counted, never dropped."""
    read: int = 0
    """Input records read (CRM cases, CSV rows, BPMN elements), before aggregation."""
    bookmark: str | None = None
    """For incremental sources: the position to resume from once this batch is written."""


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
