"""Real sources for the sync tests: records mapped from Turtle, read in batches.

These implement :class:`journeykg.loaders.source.Source` for real (the
engine under test cannot tell them from a CRM source); only their input is
a Python list instead of a file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rdflib import Graph

from journeykg.ids import Identifiers
from journeykg.loaders.source import MappedRecord, SourceBatch, record_iri
from journeykg.validation.problems import Problem
from tests.conftest import BASE

PREFIXES = """@base <https://id.journeykg.example/> .
@prefix jkg: <https://w3id.org/journeykg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix reg: <http://purl.org/linked-data/registry#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
"""
IDS = Identifiers(BASE)


def record(source: str, external_id: str, turtle: str, origin: str | None = None) -> MappedRecord:
    """A record whose triples are ``turtle`` (``<SELF>`` is its minted IRI)."""
    iri = record_iri(IDS, "volume", source, external_id)
    graph = Graph().parse(data=PREFIXES + turtle.replace("<SELF>", iri.n3()), format="turtle")
    return MappedRecord(source, external_id, origin or f"{source}.json#{external_id}", graph)


def volume(
    source: str,
    external_id: str,
    contacts: int = 100,
    *,
    reason: str = "reason/r",
    channel: str = "channel/app",
    complaints: int | None = None,
) -> MappedRecord:
    """An aggregated CRM record: contacts for a contact reason x channel x 2025."""
    extra = f" ; jkg:complaints {complaints}" if complaints is not None else ""
    return record(
        source,
        external_id,
        f'<SELF> a jkg:ContactVolume ; rdfs:label "Volume {external_id}"@nl ; '
        f"jkg:volumeOf <{reason}> ; jkg:viaChannel <{channel}> ; "
        f'jkg:period "2025"^^xsd:gYear ; jkg:contacts {contacts}{extra} .',
    )


def entity(source: str, external_id: str, label: str = "x") -> MappedRecord:
    """A record no shape targets (cheap to validate): for tests about volume, not rules."""
    return record(
        source, external_id, f'<SELF> a prov:Entity ; rdfs:label "{label} {external_id}" .'
    )


@dataclass
class ListSource:
    """A source over batches given in advance; incremental when the batches carry bookmarks.

    With bookmarks, ``read(b)`` resumes after the batch whose bookmark is ``b``,
    as a real incremental source resumes after its last written position.
    """

    name: str
    batches: Sequence[Sequence[MappedRecord]]
    bookmarks: Sequence[str] | None = None
    failures: Sequence[Problem] = ()
    """Input records the source could not map (reported with the first batch)."""
    asked: list[str | None] = field(default_factory=list)
    incremental: bool = field(init=False)

    def __post_init__(self) -> None:
        self.incremental = self.bookmarks is not None

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        self.asked.append(bookmark)
        start = 0
        if bookmark is not None and self.bookmarks is not None:
            start = list(self.bookmarks).index(bookmark) + 1
        for i in range(start, len(self.batches)):
            yield SourceBatch(
                records=list(self.batches[i]),
                read=len(self.batches[i]),
                bookmark=self.bookmarks[i] if self.bookmarks is not None else None,
                rejected=list(self.failures) if i == start else [],
            )
