"""The incremental sync bench's source does what its figures say, on both backends: a
seed of 960 aggregates, then runs of 1,010 records (980 written, 10 unchanged, 20 refused
by the gate), through the product's sync."""

from __future__ import annotations

from pathlib import Path

from bench.sync_incremental import (
    CHANGED,
    NEW,
    REFUSED,
    UNCHANGED,
    later_cases,
    seed_cases,
    timed_sync,
    write_export,
)
from bench.sync_throughput import framework
from journeykg.graph.store import Store


def test_the_bench_source_writes_changes_and_refuses_as_counted(
    store: Store, tmp_path: Path
) -> None:
    store.upsert(framework())
    cases = seed_cases()
    seeded = timed_sync(store, write_export(tmp_path / "seed", "sf-bench", cases), None)
    assert (seeded["records"], seeded["written"], seeded["rejected"]) == (960, 960, 0)
    for run in range(2):
        cases += later_cases(len(cases), run)
        figures = timed_sync(store, write_export(tmp_path / f"run{run}", "sf-bench", cases), None)
        assert (figures["written"], figures["unchanged"], figures["rejected"]) == (
            CHANGED + NEW,
            UNCHANGED,
            REFUSED,
        ), run
        assert figures["status"] == "rejected"
