"""A write of subjects the caller found unstored reads nothing back, and records what reading would.

graph/audited.py's ``writing_new``: the file load (loaders/pipeline.py) reads the
store once before its gate; the batches of subjects it found unstored are then
audited without reading their old values back. The entries must be the ones a
read would give, and a subject the caller did not name is read as always.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory

from journeykg.graph.audit_journal import AuditEntry, AuditJournal
from journeykg.graph.audited import AuditedStore, prepared_write
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDF, RDFS
from tests.conftest import BASE

A, B = URIRef(f"{BASE}process/a"), URIRef(f"{BASE}process/b")


def _delta(*triples: tuple[URIRef, URIRef, object]) -> Graph:
    graph = Graph(store=SimpleMemory())
    for s, p, o in triples:
        graph.add((s, p, o if isinstance(o, URIRef) else Literal(o, lang="nl")))
    return graph


def _what(entry: AuditEntry) -> tuple[object, ...]:
    return (entry.elements, entry.removed, entry.added, entry.removed_count, entry.added_count)


def test_new_subjects_are_recorded_as_a_read_would(store: Store, tmp_path: Path) -> None:
    audited = AuditedStore(store, AuditJournal(tmp_path / "audit.sqlite"))
    audited.upsert(_delta((A, RDF.type, JKG.BackofficeProcess), (A, RDFS.label, "oud")))
    write = _delta(
        (A, RDFS.label, "nieuw"), (B, RDF.type, JKG.BackofficeProcess), (B, RDFS.label, "b")
    )
    with audited.writing_new({B}):  # A is stored: it is read back all the same
        audited.upsert(write)
    hinted = audited.journal.entries()[0][0]
    assert '"oud"@nl' in hinted.removed
    assert hinted.removed_count == 1
    store.clear()
    plain = AuditedStore(store, AuditJournal(tmp_path / "plain.sqlite"))
    plain.upsert(_delta((A, RDF.type, JKG.BackofficeProcess), (A, RDFS.label, "oud")))
    plain.upsert(write)
    assert _what(plain.journal.entries()[0][0]) == _what(hinted)


def test_only_inside_the_block_and_only_for_its_store(store: Store, tmp_path: Path) -> None:
    audited = AuditedStore(store, AuditJournal(tmp_path / "audit.sqlite"))
    other = AuditedStore(store, AuditJournal(tmp_path / "other.sqlite"))
    audited.upsert(_delta((B, RDFS.label, "oud")))
    with other.writing_new({B}):  # another store's promise says nothing about this one
        audited.upsert(_delta((B, RDFS.label, "nieuw")))
    assert audited.journal.entries()[0][0].removed_count == 1
    with audited.writing_new({A}):
        audited.upsert(_delta((A, RDFS.label, "a")))
    audited.upsert(_delta((A, RDFS.label, "a2")))  # after the block: read back
    assert audited.journal.entries()[0][0].removed_count == 1


def test_a_batch_prepared_ahead_is_recorded_as_a_read_would(store: Store, tmp_path: Path) -> None:
    # graph/neo4j_bulk.py prepares a batch's audit in the loading thread and commits it
    # in another (audited.prepared_write); the entry is the one a plain write records,
    # and a subject the caller did not name is read back at the commit, as always.
    audited = AuditedStore(store, AuditJournal(tmp_path / "audit.sqlite"))
    audited.upsert(_delta((A, RDF.type, JKG.BackofficeProcess), (A, RDFS.label, "oud")))
    new_only = _delta((B, RDF.type, JKG.BackofficeProcess), (B, RDFS.label, "b"))
    both = _delta((A, RDFS.label, "nieuw"), (URIRef(f"{BASE}process/c"), RDFS.label, "c"))
    with audited.writing_new({B, URIRef(f"{BASE}process/c")}):
        ahead = prepared_write(audited, new_only)
        deferred = prepared_write(audited, both)
    assert audited.journal.entries()[1] == 1  # nothing recorded before the commit
    ahead()
    deferred()
    entries = audited.journal.entries()[0]
    store.clear()
    plain = AuditedStore(store, AuditJournal(tmp_path / "plain.sqlite"))
    plain.upsert(_delta((A, RDF.type, JKG.BackofficeProcess), (A, RDFS.label, "oud")))
    plain.upsert(new_only)
    plain.upsert(both)
    assert [_what(e) for e in entries] == [_what(e) for e in plain.journal.entries()[0]]
    assert '"oud"@nl' in entries[0].removed
