"""A small write's retracted and rewritten subjects, written as a difference
(graph/neo4j_small_write.py).

Each case writes a stored graph, then one write that retracts some subjects
and writes them again (as a sync rewrites its own elements) beside new and
merged ones. What Neo4j then holds must be what the embedded store holds
after the same two writes, and what Neo4j's general path (strip, then write
again) leaves: by value, triple for triple. Another case names the write's
statements, so that a write that falls back to the general path fails too.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph import neo4j_store as neo4j_module
from journeykg.graph.canonical import canonical
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDF, RDFS, XSD
from tests.conftest import BASE


def iri(key: str) -> URIRef:
    return URIRef(BASE + key)


VOLUME, OTHER, REASON, CHANNEL, SOURCE = (
    iri("volume/v1"),
    iri("volume/v2"),
    iri("reason/r1"),
    iri("channel/c1"),
    iri("source/s1"),
)


def stored() -> Graph:
    """What the store holds first: two volumes with links, labels and typed values."""
    g = Graph()
    for volume, count in ((VOLUME, 5), (OTHER, 7)):
        g.add((volume, RDF.type, JKG.ContactVolume))
        g.add((volume, JKG.volumeOf, REASON))
        g.add((volume, JKG.viaChannel, CHANNEL))
        g.add((volume, JKG.syncedFrom, SOURCE))
        g.add((volume, JKG.contacts, Literal(count, datatype=XSD.integer)))
        g.add((volume, JKG.periodStart, Literal("2025-01-01", datatype=XSD.date)))
        g.add((volume, RDFS.label, Literal(f"volume {count}", lang="en")))
        g.add((volume, RDFS.label, Literal(f"volume {count}", lang="nl")))
        g.add((volume, RDFS.comment, Literal("to be dropped")))
    g.add((REASON, RDF.type, JKG.ContactReason))
    g.add((REASON, RDFS.label, Literal("reason", lang="en")))
    g.add((CHANNEL, RDF.type, JKG.Channel))
    return g


def rewrite() -> tuple[Graph, set[URIRef]]:
    """A write that replaces VOLUME whole (a count, a channel and a label changed, a comment
    and a Dutch label gone, a new link to an IRI the store lacks), writes a new volume and
    adds a value to the reason (merged, not retracted)."""
    g = Graph()
    g.add((VOLUME, RDF.type, JKG.ContactVolume))
    g.add((VOLUME, JKG.volumeOf, REASON))
    g.add((VOLUME, JKG.viaChannel, iri("channel/c2")))
    g.add((VOLUME, JKG.syncedFrom, SOURCE))
    g.add((VOLUME, JKG.contacts, Literal(6, datatype=XSD.integer)))
    g.add((VOLUME, JKG.periodStart, Literal("2025-01-01", datatype=XSD.date)))
    g.add((VOLUME, RDFS.label, Literal("volume six", lang="en")))
    new = iri("volume/v3")
    g.add((new, RDF.type, JKG.ContactVolume))
    g.add((new, JKG.volumeOf, REASON))
    g.add((new, JKG.contacts, Literal(1, datatype=XSD.integer)))
    g.add((REASON, RDFS.label, Literal("reden", lang="nl")))
    return g, {VOLUME, iri("volume/gone-and-not-stored")}


def retyped() -> tuple[Graph, set[URIRef]]:
    """A write that replaces OTHER whole with another type and no links at all."""
    g = Graph()
    g.add((OTHER, RDF.type, JKG.KPIValue))
    g.add((OTHER, JKG.contacts, Literal(7, datatype=XSD.integer)))
    return g, {OTHER}


CASES = {"rewrite": rewrite, "retyped": retyped}


def after(store: Store, case: str) -> Graph:
    store.upsert(stored())
    delta, retract = CASES[case]()
    store.apply(delta, retract)
    return store.export()


@pytest.fixture
def general_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Neo4j's general path for every write: no write is small enough for the difference."""
    monkeypatch.setattr(neo4j_module, "SMALL_WRITE_ROWS", -1)


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_difference_stores_what_the_embedded_store_and_the_general_path_store(
    request: pytest.FixtureRequest, case: str
) -> None:
    embedded = canonical(after(request.getfixturevalue("embedded_store"), case))
    neo4j = request.getfixturevalue("neo4j_store")
    small = canonical(after(neo4j, case))
    assert small == embedded
    neo4j.clear()
    request.getfixturevalue("general_path")
    assert canonical(after(neo4j, case)) == small


def test_a_rewritten_subject_keeps_its_unchanged_edges(neo4j_store: Store) -> None:
    """The point of the path: an edge the write keeps is not deleted and made again."""
    neo4j_store.upsert(stored())
    before = _edge_ids(neo4j_store, VOLUME)
    delta, retract = rewrite()
    neo4j_store.apply(delta, retract)
    kept = _edge_ids(neo4j_store, VOLUME)
    # volumeOf and syncedFrom are kept (the same relationship, once), viaChannel is another.
    assert len(before["volumeOf"]) == 1
    assert kept["volumeOf"] == before["volumeOf"]
    assert kept["syncedFrom"] == before["syncedFrom"]
    assert len(kept["viaChannel"]) == 1
    assert kept["viaChannel"] != before["viaChannel"]


def _edge_ids(store: Store, subject: URIRef) -> dict[str, list[str]]:
    """The ids of ``subject``'s outgoing edges, by type (two of one type and target would show)."""
    assert isinstance(store, neo4j_module.Neo4jStore)
    records = store._read(
        "MATCH (:Resource {iri: $iri})-[r]->() RETURN type(r) AS type, elementId(r) AS id",
        iri=str(subject),
    )
    found: dict[str, list[str]] = {}
    for record in records:
        found.setdefault(record["type"], []).append(record["id"])
    return found
