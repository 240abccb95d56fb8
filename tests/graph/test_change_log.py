"""Store.changes_since on both backends: the subjects every write since a generation
changed, with their edges before; None whenever the log cannot vouch for every write."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef

from journeykg.bootstrap import open_store
from journeykg.graph import change_log
from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.change_log import NO_CHANGES
from journeykg.graph.scenario import OverlayStore
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDF, RDFS
from journeykg.settings import Settings
from tests.conftest import BASE

A, B, C, D = (URIRef(f"{BASE}x/{n}") for n in "abcd")


def _write(store: Store, *triples: tuple[URIRef, URIRef, object]) -> None:
    g = Graph()
    for s, p, o in triples:
        g.add((s, p, o if isinstance(o, URIRef) else Literal(o)))
    store.upsert(g)


def test_a_write_reports_its_subjects_and_their_edges_before(store: Store) -> None:
    _write(store, (A, RDF.type, JKG.Step), (A, JKG.stepOf, B), (B, RDF.type, JKG.Journey))
    before = store.generation()
    assert store.changes_since(before) == NO_CHANGES
    _write(store, (A, JKG.stepOf, C), (D, RDFS.label, "d"))
    changes = store.changes_since(before)
    assert changes is not None
    assert changes.subjects == {A, D}
    # A's old edges (its type and the journey it was a step of); D had none.
    assert {(JKG.stepOf, B), (RDF.type, JKG.Step)} <= changes.links_before
    assert (JKG.stepOf, C) not in changes.links_before


def test_a_subject_rewritten_whole_reports_its_edges_before(store: Store) -> None:
    """A sync's batch retracts and rewrites its own subjects (on Neo4j, the small write's
    difference, whose read of the old nodes the log shares)."""
    _write(store, (A, RDF.type, JKG.Step), (A, JKG.stepOf, B), (D, RDFS.label, "d"))
    before = store.generation()
    rewritten = Graph()
    rewritten.add((A, RDF.type, JKG.Step))
    rewritten.add((A, JKG.stepOf, C))
    store.apply(rewritten, retract=[A, D])
    changes = store.changes_since(before)
    assert changes is not None
    assert changes.subjects == {A, D}
    assert {(JKG.stepOf, B), (RDF.type, JKG.Step)} <= changes.links_before
    assert (JKG.stepOf, C) not in changes.links_before
    assert set(store.describe([A]).objects(A, JKG.stepOf)) == {C}


def test_changes_over_several_writes_and_a_retraction_add_up(store: Store) -> None:
    _write(store, (A, JKG.stepOf, B))
    before = store.generation()
    _write(store, (C, RDFS.label, "c"))
    store.retract([A])
    changes = store.changes_since(before)
    assert changes is not None
    assert changes.subjects == {A, C}
    assert (JKG.stepOf, B) in changes.links_before


def test_a_clear_makes_the_changes_unknown(store: Store) -> None:
    _write(store, (A, RDFS.label, "a"))
    before = store.generation()
    store.clear()
    _write(store, (B, RDFS.label, "b"))
    assert store.changes_since(before) is None


def test_a_generation_older_than_the_log_is_unknown(store: Store) -> None:
    before = store.generation()
    for i in range(change_log.KEEP_WRITES + 1):
        _write(store, (A, RDFS.label, f"a{i}"))
    assert store.changes_since(before) is None
    assert store.changes_since(store.generation()) == NO_CHANGES


def test_a_write_above_the_cap_is_unknown(store: Store) -> None:
    before = store.generation()
    many = [(URIRef(f"{BASE}x/n{i}"), RDFS.label, "n") for i in range(change_log.MOST_SUBJECTS + 1)]
    _write(store, *many)
    assert store.changes_since(before) is None


def test_an_unknown_generation_is_unknown(store: Store) -> None:
    assert store.changes_since("not-a-generation") is None


def test_the_audited_store_passes_through_and_the_overlay_cannot_know(
    store: Store, tmp_path: Path
) -> None:
    audited = AuditedStore(store, AuditJournal(tmp_path / "audit.sqlite"))
    before = audited.generation()
    _write(audited, (A, RDFS.label, "a"))
    assert audited.changes_since(before) == store.changes_since(before)
    assert audited.changes_since(before) is not None
    assert OverlayStore(store, Graph(), Graph()).changes_since(before) is None


def test_another_neo4j_process_sees_the_writes_changes(
    neo4j_store: Store, neo4j_settings: Settings
) -> None:
    # A CLI sync beside the server: its writes are in the database's log.
    other = open_store(neo4j_settings, audited=False)
    try:
        before = neo4j_store.generation()
        _write(other, (A, RDFS.label, "a"))
        changes = neo4j_store.changes_since(before)
        assert changes is not None
        assert changes.subjects == {A}
    finally:
        other.close()


def test_a_generation_moved_outside_the_store_breaks_the_chain(neo4j_store: Store) -> None:
    before = neo4j_store.generation()
    # As bench/neo4j_bulk_load.py moves it: not through apply, so not logged.
    neo4j_store.driver.execute_query(  # type: ignore[attr-defined]
        "MERGE (g:JourneykgGeneration {id: 'graph'}) SET g.value = randomUUID()"
    )
    _write(neo4j_store, (A, RDFS.label, "a"))
    assert neo4j_store.changes_since(before) is None
