"""The plan's check of a record the store already holds (loaders/sync/plan.is_unchanged):
equal by value, whatever the spelling a backend gives back, and unequal on any difference."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory

from journeykg.graph.subject_index import subject_index
from journeykg.loaders.source import MappedRecord
from journeykg.loaders.sync.bookmark import SyncRun
from journeykg.loaders.sync.plan import (
    EXTERNAL_ID,
    GENERATED_BY,
    SYNCED_FROM,
    Stored,
    is_unchanged,
    present_in,
)
from journeykg.namespaces import JKG, RDF, RDFS, XSD

BASE = "https://id.journeykg.example/test/plan/"
NODE = URIRef(f"{BASE}volume/1")
RUN = SyncRun("crm", URIRef(f"{BASE}source/crm"), URIRef(f"{BASE}run/2"), datetime.now(UTC))

#: The record as the source maps it: numbers as the mapping spells them.
RECORD = [
    (NODE, RDF.type, JKG.ContactVolume),
    (NODE, RDFS.label, Literal("Contactvolume r1", lang="nl")),
    (NODE, RDFS.label, Literal("Contact volume r1", lang="en")),
    (NODE, JKG.volumeOf, URIRef(f"{BASE}reason/r1")),
    (NODE, JKG.contacts, Literal("120", datatype=XSD.integer)),
    (NODE, JKG.firstContactResolution, Literal("0.50", datatype=XSD.decimal)),
    (NODE, JKG.periodStart, Literal("2025-01-01", datatype=XSD.date)),
]


def _stored(triples: Sequence[tuple[URIRef, URIRef, object]]) -> Stored:
    graph = Graph(store=SimpleMemory())
    for triple in triples:
        graph.add(triple)  # type: ignore[arg-type]
    graph.add((NODE, SYNCED_FROM, RUN.source))
    graph.add((NODE, EXTERNAL_ID, Literal("r1|phone|2025-01", datatype=XSD.string)))
    graph.add((NODE, GENERATED_BY, URIRef(f"{BASE}run/1")))  # an earlier run: not compared
    return Stored(
        graph=graph,
        described=frozenset({NODE}),
        present={NODE},
        owner={NODE: RUN.source},
        makers=Graph(),
    )


def _unchanged(stored: Sequence[tuple[URIRef, URIRef, object]]) -> bool:
    record = MappedRecord("crm", "r1|phone|2025-01", "cases.json#1", triples=RECORD)
    return is_unchanged(RUN, record, RECORD, {NODE}, _stored(stored))


def test_the_same_terms_in_another_order_are_unchanged() -> None:
    assert _unchanged(list(reversed(RECORD)))


def test_the_same_values_in_a_backends_spelling_are_unchanged() -> None:
    """Oxigraph gives ``0.5`` back for ``0.50``; Neo4j a string with ``^^xsd:string``."""
    respelled = [
        (s, p, Literal("0.5", datatype=XSD.decimal) if p == JKG.firstContactResolution else o)
        for s, p, o in RECORD
    ]
    assert _unchanged(respelled)


@pytest.mark.parametrize(
    "change",
    ["value", "one more", "one less", "another label", "a number's value", "another type"],
)
def test_any_difference_is_a_change(change: str) -> None:
    stored: list[tuple[URIRef, URIRef, object]] = list(RECORD)
    if change == "value":
        stored[4] = (NODE, JKG.contacts, Literal("121", datatype=XSD.integer))
    elif change == "one more":
        stored.append((NODE, JKG.complaints, Literal(3)))
    elif change == "one less":
        del stored[5]
    elif change == "another label":
        stored[2] = (NODE, RDFS.label, Literal("Contact volume r2", lang="en"))
    elif change == "a number's value":
        stored[5] = (NODE, JKG.firstContactResolution, Literal("0.51", datatype=XSD.decimal))
    else:
        stored[0] = (NODE, RDF.type, JKG.KPIValue)
    assert not _unchanged(stored)


def test_an_emptied_entry_of_the_read_is_nothing_stored() -> None:
    """rdflib keeps the entry of a removed triple's predicate, empty, in its index."""
    stored = _stored(RECORD)
    stored.graph.add((NODE, JKG.complaints, Literal(3)))
    stored.graph.remove((NODE, JKG.complaints, None))
    record = MappedRecord("crm", "r1|phone|2025-01", "cases.json#1", triples=RECORD)
    assert is_unchanged(RUN, record, RECORD, {NODE}, stored)


def test_a_subject_whose_triples_were_all_removed_is_not_present() -> None:
    stored = _stored(RECORD)
    gone = URIRef(f"{BASE}volume/2")
    stored.graph.add((gone, RDF.type, JKG.ContactVolume))
    stored.graph.remove((gone, None, None))
    assert present_in(subject_index(stored.graph), {NODE, gone}) == {NODE}
