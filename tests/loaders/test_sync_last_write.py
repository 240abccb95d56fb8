"""A run's last batch is written with the run's outcome, in one write, when the run retires
nothing (issue 20: one write transaction, one audit read and one journal entry less a run).

On both backends: what is stored and what the trail records are what two writes left, and
a full run that has elements to retire still writes its last batch before it decides what
to retire (what the batch points at must be seen by the retirement's check).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from journeykg.graph.audit_journal import AuditFilter, AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.store import Store
from journeykg.loaders.sync import SyncOptions, read_bookmark, sync
from journeykg.namespaces import JKG
from tests.conftest import read_fixture
from tests.loaders.sync_sources import ListSource, volume

CRM = "crm"


def _audited(store: Store, tmp_path: Path) -> tuple[AuditedStore, AuditJournal]:
    store.upsert(read_fixture("impact_small.ttl"))
    journal = AuditJournal(tmp_path / "audit.sqlite")
    return AuditedStore(store, journal), journal


def _entries(journal: AuditJournal) -> list[str]:
    """The elements each entry changed, oldest first, as keys without the run's time."""
    entries, _ = journal.entries(AuditFilter())
    return [" ".join(sorted(e.split("-2")[0] for e in entry.elements)) for entry in entries[::-1]]


def test_the_last_batch_is_written_with_the_runs_outcome(store: Store, tmp_path: Path) -> None:
    audited, journal = _audited(store, tmp_path)
    batches = [[volume(CRM, "r|app|1", 100)], [volume(CRM, "r|app|2", 120)]]
    source = ListSource(CRM, batches, bookmarks=["b1", "b2"])
    report = sync(audited, source, SyncOptions(mode="incremental"))
    assert (report.status, report.written, report.batches) == ("ok", 2, 2)
    # The first batch with the run "running", then the last with the outcome: two entries.
    assert len(_entries(journal)) == 2
    run = store.ids.iri(report.run or "")
    stored = store.describe([run])
    assert str(stored.value(run, JKG.runStatus)) == "ok"
    assert int(str(stored.value(run, JKG.recordsWritten))) == 2
    assert read_bookmark(store, CRM) == "b2"
    volumes = {
        s for s in store.export().subjects() if isinstance(s, URIRef) and "/volume/crm/" in s
    }
    assert len(volumes) == 2
    journal.close()


def test_a_one_batch_run_is_one_write(store: Store, tmp_path: Path) -> None:
    audited, journal = _audited(store, tmp_path)
    report = sync(audited, ListSource(CRM, [[volume(CRM, "r|app|1", 100)]]))
    assert (report.status, report.written) == ("ok", 1)
    assert len(_entries(journal)) == 1
    journal.close()


def test_a_run_that_retires_writes_its_last_batch_first(store: Store, tmp_path: Path) -> None:
    audited, journal = _audited(store, tmp_path)
    both = [volume(CRM, "r|app|1", 100), volume(CRM, "r|app|2", 120)]
    sync(audited, ListSource(CRM, [both]))
    before = len(_entries(journal))
    changed = [volume(CRM, "r|app|1", 150)]
    report = sync(audited, ListSource(CRM, [changed]), SyncOptions(force=True))
    assert (report.status, report.retired, report.written) == ("ok", 1, 1)
    # The batch, then (after it is stored) the retirement: two writes.
    assert len(_entries(journal)) - before == 2
    volumes = {
        s for s in store.export().subjects() if isinstance(s, URIRef) and "/volume/crm/" in s
    }
    assert len(volumes) == 1
    journal.close()
