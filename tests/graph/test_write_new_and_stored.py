"""One write whose subjects are new, bare placeholders, or stored with values and edges.

The Neo4j write creates the nodes a batch's lookup does not find (``CREATE``)
and merges the others (graph/neo4j_store.py); a write mixing every kind must
store what the embedded store stores.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph import neo4j_store
from journeykg.graph.canonical import canonical
from journeykg.graph.neo4j_store import BATCH_SIZE
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDF, RDFS
from tests.conftest import BASE


def iri(name: str) -> URIRef:
    return URIRef(f"{BASE}process/{name}")


def first_write() -> Graph:
    """``stored`` with a type, a label and an edge to ``placeholder`` (a bare object)."""
    graph = Graph()
    graph.add((iri("stored"), RDF.type, JKG.BackofficeProcess))
    graph.add((iri("stored"), RDFS.label, Literal("Oud", lang="nl")))
    graph.add((iri("stored"), JKG.dependsOn, iri("placeholder")))
    return graph


def second_write() -> Graph:
    """New subjects, the placeholder made a subject, and ``stored``'s values replaced.

    More subjects than one UNWIND statement takes, each depending on the next:
    a later statement's subjects are stored already, as placeholders its
    predecessor's edges made in the same transaction.
    """
    graph = Graph()
    graph.add((iri("placeholder"), RDF.type, JKG.ITSystem))
    graph.add((iri("placeholder"), RDFS.label, Literal("Was leeg", lang="nl")))
    graph.add((iri("stored"), RDF.type, JKG.ITSystem))
    graph.add((iri("stored"), RDFS.label, Literal("Nieuw", lang="nl")))
    graph.add((iri("stored"), JKG.dependsOn, iri("new-00000")))
    count = BATCH_SIZE + 5
    for n in range(count):
        subject = iri(f"new-{n:05d}")
        graph.add((subject, RDF.type, JKG.BackofficeProcess))
        graph.add((subject, RDFS.label, Literal(f"Proces {n}", lang="nl")))
        if n + 1 < count:
            graph.add((subject, JKG.dependsOn, iri(f"new-{n + 1:05d}")))
    return graph


def test_a_write_of_new_placeholder_and_stored_subjects_keeps_every_value(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # In columns (the plugin's procedures) a chunk is a whole batch: as small as
    # Cypher's here, so that the procedures' chunks span statements too.
    monkeypatch.setattr(neo4j_store, "COLUMNS_BATCH_SIZE", BATCH_SIZE)
    store.upsert(first_write())
    store.upsert(second_write())
    # Every (subject, predicate) the second write names is replaced: stored's
    # label, type and edge to the placeholder are gone, nothing else is left over.
    assert canonical(store.export()) == canonical(second_write())
