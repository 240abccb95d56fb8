"""Store.generation: every write changes it, nothing else does; shared stores share it.

Answers are kept under it (api/cached_answers.py), so a write that left it
unchanged would leave every kept answer standing: tests/api/test_cached_answers.py
shows what a caller would then be told.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from journeykg.bootstrap import open_store
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.store import Store
from journeykg.settings import Settings
from tests.conftest import BASE, read_fixture

RENAME = f"""@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<{BASE}process/x> rdfs:label "Klantgegevens"@nl ."""


def test_every_write_changes_the_generation_and_reads_do_not(store: Store) -> None:
    seen = {store.generation()}
    store.upsert(read_fixture("impact_small.ttl"))
    seen.add(store.generation())
    store.describe([])
    store.export()
    assert store.generation() in seen, "a read changed the generation"
    assert len(seen) == 2
    store.upsert(Graph().parse(data=RENAME, format="turtle"))
    seen.add(store.generation())
    store.retract([URIRef(f"{BASE}process/y")])
    seen.add(store.generation())
    store.clear()
    seen.add(store.generation())
    assert len(seen) == 5, "a write left the generation as it was"


def test_another_neo4j_store_sees_the_same_generation_and_its_changes(
    neo4j_store: Store, neo4j_settings: Settings
) -> None:
    # Two processes (two workers, a CLI beside a server) are two stores over one database.
    other = open_store(neo4j_settings, audited=False)
    try:
        assert other.generation() == neo4j_store.generation()
        other.upsert(read_fixture("impact_small.ttl"))
        assert neo4j_store.generation() == other.generation()
        before = other.generation()
        neo4j_store.upsert(Graph().parse(data=RENAME, format="turtle"))
        assert other.generation() != before
    finally:
        other.close()


def test_a_reopened_embedded_store_never_reuses_a_generation(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path / "kg", BASE)
    kept = first.generation()
    first.close()
    again = EmbeddedStore(tmp_path / "kg", BASE)
    try:
        # Both have seen no write: a count alone would give both the same value.
        assert again.generation() != kept
    finally:
        again.close()
