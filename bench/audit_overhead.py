"""What the audit trail costs a sync: the same sync with and without AuditedStore, A/B.

    python -m bench.audit_overhead [--size 5000] [--rounds 2] [--backends embedded,neo4j]

Per backend and round: a fresh store holding the framework of
bench/sync_throughput.py, then a first sync of SIZE synthetic CRM
aggregates (written, in batches of 1,000) and a rerun (all unchanged), once
on the bare store and once through an AuditedStore journalling to a
temporary SQLite file; the order alternates per round so that drift in the
machine's load hits both alike. Prints wall and CPU seconds (this process:
diffing, N-Triples, SQLite; not the Neo4j server) and the journal's size.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.sync_throughput import CrmSource, framework, open_backend
from journeykg.bootstrap import load_settings, with_audit_trail
from journeykg.graph.store import Store
from journeykg.loaders.sync import SyncOptions, sync


def one(backend: str, size: int, audited: bool) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        bare = open_backend(backend, Path(tmp) / "store")
        store: Store = bare
        if audited:
            store = with_audit_trail(bare, load_settings(state_dir=Path(tmp)))
        try:
            bare.upsert(framework())
            figures: dict[str, Any] = {"backend": backend, "audited": audited, "size": size}
            for run in ("first", "rerun"):
                source = CrmSource(store.ids, size, time.monotonic() + 3600)
                started, cpu = time.perf_counter(), time.process_time()
                report = sync(store, source, SyncOptions(retire_max_share=1.0))
                figures[run] = {
                    "written": report.written,
                    "unchanged": report.unchanged,
                    "wall_s": round(time.perf_counter() - started, 2),
                    "cpu_s": round(time.process_time() - cpu, 2),
                }
            journal = Path(tmp) / "audit.sqlite"
            figures["journal_mb"] = round(journal.stat().st_size / 1e6, 2) if audited else 0
            return figures
        finally:
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=2)
    default = "embedded,neo4j" if os.environ.get("JOURNEYKG_NEO4J_URI") else "embedded"
    parser.add_argument("--backends", default=default)
    args = parser.parse_args()
    print(json.dumps({"load_average": os.getloadavg()}))
    for backend in args.backends.split(","):
        for r in range(args.rounds):
            order = (False, True) if r % 2 == 0 else (True, False)
            for audited in order:
                print(json.dumps(one(backend, args.size, audited)), flush=True)


if __name__ == "__main__":
    main()
