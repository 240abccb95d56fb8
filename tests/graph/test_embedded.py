"""What only the embedded backend promises: it persists in a directory."""

from __future__ import annotations

import contextlib
from pathlib import Path

from journeykg.graph.canonical import canonical
from journeykg.graph.embedded import EmbeddedStore
from tests.conftest import BASE, read_fixture


def test_reopening_the_directory_finds_the_data(tmp_path: Path) -> None:
    data = read_fixture("impact_small.ttl")
    with EmbeddedStore(tmp_path / "kg", BASE) as store:
        store.upsert(data)
    with EmbeddedStore(tmp_path / "kg", BASE) as reopened:
        assert canonical(reopened.export()) == canonical(data)
        assert reopened.impact("process/x").journeys


def test_a_write_that_fails_leaves_nothing_behind(tmp_path: Path) -> None:
    from rdflib import Graph, Literal, URIRef

    from journeykg.namespaces import RDFS

    with EmbeddedStore(tmp_path / "kg", BASE) as store:
        store.upsert(read_fixture("impact_small.ttl"))
        before = canonical(store.export())
        delta = Graph()
        delta.add((URIRef(BASE + "process/x"), RDFS.label, Literal("nieuw", lang="nl")))
        # An IRI Oxigraph refuses makes the single update fail as a whole.
        delta.add((URIRef(BASE + "process/y"), RDFS.label, URIRef("not an iri")))
        with contextlib.suppress(Exception):  # the kind of failure is not the point here
            store.upsert(delta)
        assert canonical(store.export()) == before
