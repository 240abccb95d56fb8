"""A sync run in a child process, for the crash test: it reports each write as it starts.

    python -m tests.loaders.crash_child embedded|neo4j LOCATION BATCHES SIZE

LOCATION is the embedded store's directory or the Neo4j URI. The child
prints ``writing N`` as the write of batch N begins and ``written N`` when it
returned. On Neo4j it also prints ``inside N`` once part of batch N is in the
open transaction, then waits there to be killed.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from journeykg.graph.store import Store
from journeykg.loaders.sync import SyncHooks, SyncOptions, sync
from journeykg.settings import Settings
from tests.conftest import BASE
from tests.loaders.sync_sources import ListSource, entity

SOURCE = "crash"
STATEMENT_ROWS = 100


def batches(count: int, size: int) -> list[list[object]]:
    """The records of the crash run: batch b holds ``b{b}-r0`` ... ``b{b}-r{size-1}``."""
    return [[entity(SOURCE, f"b{b}-r{i}") for i in range(size)] for b in range(count)]


def open_backend(backend: str, location: str) -> Store:
    if backend == "embedded":
        from journeykg.graph.embedded import EmbeddedStore

        return EmbeddedStore(Path(location), BASE)
    from journeykg.bootstrap import open_store
    from journeykg.graph import neo4j_store

    # Small statements, so that a batch is several statements in one transaction
    # and the child can be killed between two of them.
    neo4j_store.BATCH_SIZE = STATEMENT_ROWS
    neo4j_store.COLUMNS_BATCH_SIZE = STATEMENT_ROWS  # the same with the plugin's procedures
    return open_store(Settings(backend="neo4j", neo4j_uri=location, base_iri=BASE), audited=False)


def main(argv: list[str]) -> None:
    backend, location, count, size = argv[0], argv[1], int(argv[2]), int(argv[3])
    store = open_backend(backend, location)
    current = {"batch": 0}

    def before_write(number: int) -> None:
        if current["batch"]:
            print(f"written {current['batch']}", flush=True)
        if number > 2:
            # An embedded batch is written in ~25 ms on a quiet machine: without this wait
            # the parent's kill could land after batch 3, and "batch 3 absent" would fail.
            time.sleep(120)
        current["batch"] = number
        print(f"writing {number}", flush=True)

    def progress(done: int, total: int) -> None:
        if backend == "neo4j" and done < total and current["batch"] == 2:
            print(f"inside {current['batch']}", flush=True)
            time.sleep(120)  # the parent kills the process here, mid-transaction

    source = ListSource(SOURCE, batches(count, size))  # type: ignore[arg-type]
    sync(
        store, source, SyncOptions(), SyncHooks(before_write=before_write, write_progress=progress)
    )
    print(f"written {current['batch']}", flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
