"""A sync's audit entries are the same whether the audit reads what a batch replaces itself
or takes it from the plan's read (graph/audit_prior.py), on both backends."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeykg.graph.audit_journal import AuditFilter, AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.store import Store
from journeykg.loaders.sync import plan, sync
from tests.conftest import read_fixture
from tests.loaders.sync_sources import ListSource, volume

CRM = "crm"


def _volumes(changed: int) -> list:  # type: ignore[type-arg]
    return [
        volume(CRM, f"r|app|{n}", 100 + n + (7 if n < changed else 0), complaints=n % 9)
        for n in range(150)
    ]


def _entries(store: Store, tmp_path: Path, name: str) -> list[tuple[str, str]]:
    """The volume lines of each entry the two syncs leave (the runs left out: their IRIs
    hold the time of the run)."""
    store.upsert(read_fixture("impact_small.ttl"))
    journal = AuditJournal(tmp_path / f"{name}.sqlite")
    audited = AuditedStore(store, journal)
    assert sync(audited, ListSource(CRM, [_volumes(0)])).written == 150
    assert sync(audited, ListSource(CRM, [_volumes(60)])).written == 60
    entries, _ = journal.entries(AuditFilter(), limit=100)
    journal.close()
    store.clear()

    def volume_lines(text: str) -> str:
        return "".join(
            line
            for line in text.splitlines(keepends=True)
            if "/volume/" in line and "/run/" not in line
        )

    return [(volume_lines(e.removed), volume_lines(e.added)) for e in entries]


def test_the_plans_read_gives_the_entries_the_audits_own_read_gives(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(plan, "PRIOR_READ_FROM", 10**9)  # never offered: the audit reads
    read_by_the_audit = _entries(store, tmp_path, "audit")
    monkeypatch.setattr(plan, "PRIOR_READ_FROM", 1)  # always offered
    from_the_plan = _entries(store, tmp_path, "plan")
    assert from_the_plan == read_by_the_audit
    # The second sync replaced 60 counts: their old values are recorded as removed.
    removed = [r for r, _ in from_the_plan if r]
    assert removed
    assert sum(text.count("contacts") for text in removed) == 60
