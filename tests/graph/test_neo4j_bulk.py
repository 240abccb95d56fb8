"""The batched write (graph/neo4j_bulk.py) on a real Neo4j: each batch whole or absent, resumable.

Every failure here is a real one of the real server: a uniqueness constraint
the batch breaks, a connection cut by tests/tcp_proxy.py, a transaction ended
by its timeout while another holds a lock. After each, the batches before the
failure are written, the failed one is not (not even in part), and running the
same write again resumes at the failed batch and leaves exactly the data once.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.bootstrap import open_store
from journeykg.graph import audited as audited_module
from journeykg.graph import neo4j_bulk
from journeykg.graph.audit_context import audit_context
from journeykg.graph.audited import AuditedStore
from journeykg.graph.canonical import canonical
from journeykg.graph.model import WriteSummary
from journeykg.graph.neo4j_bulk import BatchWriteError, BulkJournal, Resume, write_in_batches
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.store import Capability, Store
from journeykg.loaders.pipeline import load_file
from journeykg.namespaces import JKG, PROV, RDF, RDFS
from journeykg.settings import Settings
from tests.conftest import BASE, FIXTURES
from tests.tcp_proxy import TcpProxy

SUBJECTS = 10
KEY = "load-test"


def process(n: int) -> URIRef:
    return URIRef(f"{BASE}process/p{n:02d}")


def organisation() -> Graph:
    """Ten processes, each depending on the one before (p00 on p09); p04 and p05 share a label.

    On the one before, so that no batch (two subjects) makes an edge to a later batch's subject.
    """
    graph = Graph()
    for n in range(SUBJECTS):
        graph.add((process(n), RDF.type, JKG.Process))
        label = "Dubbel" if n in (4, 5) else f"Proces {n}"
        graph.add((process(n), RDFS.label, Literal(label, lang="nl")))
        graph.add((process(n), JKG.dependsOn, process((n - 1) % SUBJECTS)))
    return graph


@pytest.fixture
def audited(neo4j_settings: Settings, neo4j_store: Store, tmp_path: Path) -> Iterator[AuditedStore]:
    """The emptied test server, audited, with its state (and bulk journal) in tmp_path."""
    store = open_store(neo4j_settings.model_copy(update={"state_dir": tmp_path / "state"}))
    assert isinstance(store, AuditedStore)
    yield store
    store.close()


def _inner(store: AuditedStore) -> Neo4jStore:
    assert isinstance(store.inner, Neo4jStore)
    return store.inner


def _count(store: AuditedStore, query: str) -> int:
    inner = _inner(store)
    records = inner.driver.execute_query(query, database_=inner.database).records
    return int(records[0][0])


def _stored_processes(store: AuditedStore) -> set[int]:
    found = store.describe([process(n) for n in range(SUBJECTS)])
    return {int(str(s)[-2:]) for s in found.subjects(RDF.type, JKG.Process)}


def _write(store: AuditedStore, journal: BulkJournal, seen: list[int]) -> None:
    resume = journal.find(KEY) or Resume(KEY)
    write_in_batches(
        store,
        organisation(),
        journal=journal,
        resume=resume,
        size=2,
        on_batch=lambda number, _total: seen.append(number),
        ahead=1,  # the writer thread (PREPARED_AHEAD is 0): each failure through it too
    )


def _assert_written_once(store: AuditedStore) -> None:
    assert canonical(store.export()) == canonical(organisation())
    assert _count(store, "MATCH (n:Resource) RETURN count(n)") == SUBJECTS
    assert _count(store, "MATCH ()-[r:dependsOn]->() RETURN count(r)") == SUBJECTS


def test_the_batches_write_what_one_transaction_writes(audited: AuditedStore) -> None:
    before = audited.generation()
    entries_before = audited.journal.entries()[1]
    seen: list[int] = []
    write_in_batches(
        audited,
        organisation(),
        journal=None,
        resume=Resume(KEY),
        size=3,
        on_batch=lambda n, total: seen.append(n),
    )
    assert seen == [1, 2, 3, 4]
    _assert_written_once(audited)
    # Each batch is an audited write of its own, and changed the generation.
    assert audited.journal.entries()[1] - entries_before == 4
    assert audited.generation() != before


@pytest.mark.parametrize("new", [False, True], ids=["read-back", "known-new"])
def test_a_batch_that_breaks_a_constraint_is_named_and_absent_and_a_rerun_resumes(
    audited: AuditedStore, tmp_path: Path, new: bool
) -> None:
    # known-new: as a first load writes, every subject found unstored beforehand
    # (AuditedStore.writing_new): each batch's audit made ahead, in the loading thread.
    journal = BulkJournal(tmp_path / "state")
    inner = _inner(audited)
    inner.driver.execute_query(
        "CREATE CONSTRAINT bulk_test_label IF NOT EXISTS "
        "FOR (n:Process) REQUIRE n.`rdfs_label@nl` IS UNIQUE",
        database_=inner.database,
    )
    seen: list[int] = []
    entries_before = audited.journal.entries()[1]
    try:
        with (
            pytest.raises(BatchWriteError) as failed,
            audited.writing_new({process(n) for n in range(SUBJECTS)} if new else set()),
        ):
            _write(audited, journal, seen)
    finally:
        inner.driver.execute_query(
            "DROP CONSTRAINT bulk_test_label IF EXISTS", database_=inner.database
        )
    # p04 and p05 are batch 3: named with its subjects and the server's reason.
    message = str(failed.value)
    assert "batch 3 of 5" in message
    assert f"{process(4)} to {process(5)}" in message
    assert "rdfs_label@nl" in message
    assert seen == [1, 2]
    # Batches 1 and 2 are there; nothing of batch 3 (not p04 alone) or after it,
    # though batch 4 was prepared while batch 3 was committing; the trail has their
    # two entries only.
    assert _stored_processes(audited) == {0, 1, 2, 3}
    assert audited.journal.entries()[1] - entries_before == 2
    recorded = journal.find(KEY)
    assert recorded is not None
    assert (recorded.batches, recorded.after) == (2, str(process(3)))

    _write(audited, journal, seen)
    assert seen == [1, 2, 3, 4, 5]  # resumed at batch 3
    _assert_written_once(audited)
    assert journal.find(KEY) is None  # done: forgotten


def test_a_lost_connection_fails_one_batch_and_a_rerun_of_the_load_resumes(
    neo4j_settings: Settings,
    neo4j_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(neo4j_bulk, "BATCH_SUBJECTS", 4)
    file = tmp_path / "impact_small.ttl"
    shutil.copy(FIXTURES / "impact_small.ttl", file)
    port = urlparse(neo4j_settings.neo4j_uri).port
    assert port is not None
    with TcpProxy(port) as proxy:
        through_proxy = neo4j_settings.model_copy(
            update={
                "neo4j_uri": f"bolt://127.0.0.1:{proxy.port}",
                "state_dir": tmp_path / "state",
            }
        )
        store = open_store(through_proxy)
        assert Capability.BATCHED_WRITE in store.capabilities

        def cut_after_first(done: int, _total: int) -> None:
            if done == 1:
                proxy.cut()

        with pytest.raises(BatchWriteError, match=r"batch 2 of \d+ "):
            load_file(store, file, progress=cut_after_first)
        proxy.restore()
        partial = neo4j_store.export()
        first_activity = set(partial.objects(None, PROV.wasGeneratedBy))
        assert len(first_activity) == 1
        assert 0 < len(set(partial.subjects(RDF.type, None))) <= 4

        report = load_file(store, file)
        store.close()
    stored = neo4j_store.export()
    # Everything once, all of it generated by the one load that the re-run finished.
    assert set(stored.objects(None, PROV.wasGeneratedBy)) == first_activity
    (activity,) = first_activity
    data = Graph().parse(file)
    without_provenance = Graph()
    for s, p, o in stored:
        if p != PROV.wasGeneratedBy and s != activity:
            without_provenance.add((s, p, o))
    assert canonical(without_provenance) == canonical(data)
    assert report.subjects > 0


def test_a_batch_ended_by_its_timeout_is_absent_and_a_rerun_resumes(
    audited: AuditedStore, tmp_path: Path
) -> None:
    journal = BulkJournal(tmp_path / "state")
    inner = _inner(audited)
    # Another client holds a write lock on p02 (batch 2) until it is done.
    inner.upsert(Graph().add((process(2), RDF.type, JKG.Process)))
    holder = inner.driver.session(database=inner.database)
    lock = holder.begin_transaction()
    lock.run("MATCH (n:Resource {iri: $iri}) SET n.held = true", iri=str(process(2))).consume()
    inner.write_timeout = 1.0
    seen: list[int] = []
    try:
        with pytest.raises(BatchWriteError, match=r"batch 2 of 5 .*(timed out|terminated)"):
            _write(audited, journal, seen)
    finally:
        lock.rollback()
        holder.close()
        inner.write_timeout = None
    assert seen == [1]
    assert _stored_processes(audited) == {0, 1, 2}  # p02 as it was before: typed only
    assert not audited.describe([process(2)]).value(process(2), RDFS.label)

    _write(audited, journal, seen)
    assert seen == [1, 2, 3, 4, 5]
    _assert_written_once(audited)


def test_each_batch_commits_in_order_and_its_entry_and_marker_follow_its_commit(
    audited: AuditedStore, tmp_path: Path
) -> None:
    # Batches are prepared ahead in the loading thread and committed in the writer
    # thread: when batch n is reported, exactly batches 1..n are in the store, the
    # resume marker names batch n and the trail holds one entry per batch, by the
    # actor of the loading thread.
    journal = BulkJournal(tmp_path / "state")
    entries_before = audited.journal.entries()[1]
    seen: list[tuple[int, set[int], tuple[int, str | None], int, str]] = []

    def look(number: int, _total: int) -> None:
        recorded = journal.find(KEY)
        assert recorded is not None
        entries, count = audited.journal.entries()
        seen.append(
            (
                number,
                _stored_processes(audited),
                (recorded.batches, recorded.after),
                count - entries_before,
                entries[0].actor,
            )
        )

    with audit_context(actor="loader", role=None, action="test:bulk"):
        write_in_batches(
            audited,
            organisation(),
            journal=journal,
            resume=Resume(KEY),
            size=2,
            on_batch=look,
            ahead=2,
        )
    assert seen == [
        (n, set(range(2 * n)), (n, str(process(2 * n - 1))), n, "loader") for n in range(1, 6)
    ]
    _assert_written_once(audited)


def test_the_next_batch_is_prepared_while_one_commits(
    audited: AuditedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batch 1's commit waits (up to seconds) until batch 2 has been prepared: only a
    # write that prepares while it commits gets through without waiting it out.
    prepared_second = threading.Event()
    made: list[int] = []
    prepare = audited_module.prepared_write

    def noting(store: Store, delta: Graph) -> Callable[[], WriteSummary]:
        made.append(len(made) + 1)
        if len(made) == 2:
            prepared_second.set()
        return prepare(store, delta)

    monkeypatch.setattr(audited_module, "prepared_write", noting)
    inner = _inner(audited)
    apply = inner.apply
    waited: list[bool] = []

    def waiting_apply(*args: Any, **kwargs: Any) -> WriteSummary:
        if not waited:
            waited.append(prepared_second.wait(timeout=10))
        return apply(*args, **kwargs)

    monkeypatch.setattr(inner, "apply", waiting_apply)
    with audited.writing_new({process(n) for n in range(SUBJECTS)}):
        write_in_batches(audited, organisation(), journal=None, resume=Resume(KEY), size=2, ahead=1)
    assert waited == [True]
    _assert_written_once(audited)
