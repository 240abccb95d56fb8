"""Disk faults at the write boundary, injected: the embedded store and the audit trail.

tests/api/test_storage_faults.py has the real thing (a full tmpfs, a
read-only bind mount) but needs root; these need nothing. The embedded
store's database is replaced by one that fails as RocksDB does after a
full disk (every write repeats the first error until it is opened again),
and the directory probe by one the test switches; the audit trail meets a
real SQLite "database or disk is full" (a page limit on its connection).
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.file_faults import FileFault
from journeykg.graph import oxigraph_files
from journeykg.graph.audit_journal import AuditFilter, AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.errors import StorageFaultError
from tests.conftest import BASE

A = URIRef(BASE + "process/a")
B = URIRef(BASE + "process/b")
P = URIRef(BASE + "cost")


def graph(subject: URIRef, value: str) -> Graph:
    g = Graph()
    g.add((subject, P, Literal(value)))
    return g


def values(g: Graph) -> set[tuple[str, str, str]]:
    return {(str(s), str(p), str(o)) for s, p, o in g}


class StuckDatabase:
    """An Oxigraph database as RocksDB leaves it after a full disk: reads work, writes never.

    The test keeps no reference to it (nor to an exception it raised, whose
    traceback would): the real database must be let go of to be reopened.
    """

    writes = 0

    def __init__(self, inner: ox.Store) -> None:
        self.inner = inner

    def update(self, text: str) -> None:
        StuckDatabase.writes += 1
        raise OSError(
            "IO error: No space left on device: While appending to file: "
            "/somewhere/000008.log: No space left on device"
        )

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class Disk:
    """The directory probe, switched by the test: full or not."""

    def __init__(self) -> None:
        self.full = False
        self.probes = 0

    def probe(self, directory: Path) -> None:
        self.probes += 1
        if self.full:
            raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> Disk:
    disk = Disk()
    monkeypatch.setattr(oxigraph_files, "probe_writable", disk.probe)
    return disk


@pytest.fixture
def embedded(tmp_path: Path) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(tmp_path / "store", BASE)
    yield store
    store.close()


def _stick(store: EmbeddedStore) -> None:
    StuckDatabase.writes = 0
    store._files.store = StuckDatabase(store._files.store)  # type: ignore[assignment]


def test_a_stuck_database_is_reopened_once_the_disk_takes_writes(
    embedded: EmbeddedStore, disk: Disk
) -> None:
    embedded.upsert(graph(A, "before"))
    _stick(embedded)
    disk.full = True
    with pytest.raises(StorageFaultError) as failed:
        embedded.upsert(graph(B, "full"))
    fault, message = failed.value.fault, str(failed.value)
    del failed
    assert fault is FileFault.FULL
    assert "no space is left" in message
    assert "/somewhere" not in message
    # While the disk is full, writes are refused at the probe: the database is left alone.
    with pytest.raises(StorageFaultError):
        embedded.upsert(graph(B, "still full"))
    assert StuckDatabase.writes == 1
    # Reads go on.
    assert values(embedded.describe([A])) == values(graph(A, "before"))
    with pytest.raises(StorageFaultError):
        embedded.check_ready()

    disk.full = False
    embedded.upsert(graph(B, "freed"))
    assert not isinstance(embedded._files.store, StuckDatabase)
    assert values(embedded.describe([A, B])) == values(graph(A, "before")) | values(
        graph(B, "freed")
    )
    embedded.check_ready()


def test_readiness_reopens_the_database_without_a_write(
    embedded: EmbeddedStore, disk: Disk
) -> None:
    _stick(embedded)
    with pytest.raises(StorageFaultError):
        embedded.upsert(graph(A, "x"))
    embedded.check_ready()  # the disk takes writes: readiness opens the database again
    assert not isinstance(embedded._files.store, StuckDatabase)
    embedded.upsert(graph(A, "y"))


def test_a_database_still_held_by_a_read_is_reopened_by_a_later_write(
    embedded: EmbeddedStore, disk: Disk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(oxigraph_files, "REOPEN_WAIT_SECONDS", 0.2)
    monkeypatch.setattr(oxigraph_files, "RETRY_SECONDS", 0.0)
    embedded.upsert(graph(A, "before"))
    held = embedded._files.store  # a read still running on the database
    _stick(embedded)
    with pytest.raises(StorageFaultError):
        embedded.upsert(graph(B, "x"))
    embedded._files.store = held  # the database as the failed write left it
    with pytest.raises(StorageFaultError):
        embedded.upsert(graph(B, "x"))  # it cannot be reopened while the read holds it
    # Reads go on from it meanwhile.
    assert values(embedded.describe([A])) == values(graph(A, "before"))
    del held
    embedded.upsert(graph(B, "after"))
    assert values(embedded.describe([B])) == values(graph(B, "after"))


def test_a_full_audit_trail_stops_the_write_and_the_next_write_records_again(
    embedded: EmbeddedStore, tmp_path: Path
) -> None:
    journal = AuditJournal(tmp_path / "state" / "audit.sqlite")
    audited = AuditedStore(embedded, journal)
    try:
        audited.upsert(graph(A, "before"))
        writer = journal._writer
        assert writer is not None
        (pages,) = writer.execute("PRAGMA page_count").fetchone()
        writer.execute(f"PRAGMA max_page_count = {pages}")  # SQLite: database or disk is full
        with pytest.raises(StorageFaultError) as failed:
            audited.upsert(graph(A, "x" * 100_000))
        assert failed.value.fault is FileFault.FULL
        assert str(failed.value).startswith("the audit trail cannot be written")
        assert values(audited.describe([A])) == values(graph(A, "before"))
        # The writer is opened afresh: the limit (of that connection) is gone, as space would be.
        audited.upsert(graph(A, "after"))
        assert values(audited.describe([A])) == values(graph(A, "after"))
        assert len(journal.entries(AuditFilter())[0]) == 2
    finally:
        journal.close()
