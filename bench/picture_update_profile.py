"""Where the picture *updated* after a write spends its time on Neo4j: each statement.

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:17741 JOURNEYKG_NEO4J_STATE=/tmp/jkg-neo4j-x \\
        python -m bench.picture_update_profile [--kind volume|cost|KPI measurement|unrelated label]

Uses what the server at JOURNEYKG_NEO4J_URI holds (bench/synthetic.py's organisation).
Computes the picture once in full (:func:`.lifecycle_kept.computed`), makes one write
of the kind asked (bench/web_picture_scale.py's :class:`UserWrites`), then updates the
picture with every statement recorded (as bench/picture_profile.py does), and once
more under cProfile after another write of the same kind.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.picture_profile import recording, server_cpu
from bench.stores import open_neo4j
from bench.web_picture_scale import UserWrites
from journeykg.graph.lifecycle_kept import computed, updated
from journeykg.graph.neo4j_store import Neo4jStore


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=UserWrites.KINDS, default="volume")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    store = open_neo4j()
    writes = UserWrites(store, Path(tempfile.mkdtemp(prefix="jkg-picture-profile-")))
    writes.prepare()
    write = writes.writer(args.kind)
    kept = computed(store, store.generation())
    write(1)
    log: list[dict[str, Any]] = []
    recording(store, log)
    started, cpu, server = time.perf_counter(), time.process_time(), server_cpu()
    kept = updated(store, kept, store.generation())
    wall, client = time.perf_counter() - started, time.process_time() - cpu
    after = server_cpu()
    spent = None if server is None or after is None else round(after - server, 2)
    print(
        f"update after a {args.kind}: {kept.recomputed} journeys recomputed, wall {wall:.3f} s,"
        f" client CPU {client:.3f} s, server CPU {spent} s,"
        f" load average {[round(x, 2) for x in os.getloadavg()]}"
    )
    print(f"{len(log)} statements, {sum(s['wall_ms'] for s in log) / 1000:.3f} s wall in them:")
    for s in sorted(log, key=lambda s: -s["wall_ms"]):
        print(f"  {s['wall_ms']:>9} ms  server {s['server_cpu_s']} s  {s['records']:>6} rec  "
              f"{s['params']}  {s['query']}")  # fmt: skip
    store._read = Neo4jStore._read.__get__(store)  # type: ignore[method-assign]
    write(2)
    profiler = cProfile.Profile()
    profiler.enable()
    updated(store, kept, store.generation())
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())
    store.close()


if __name__ == "__main__":
    main()
