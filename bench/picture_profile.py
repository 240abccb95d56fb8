"""Where the computed lifecycle picture spends its time on Neo4j: Python and each statement.

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:17721 JOURNEYKG_NEO4J_STATE=/tmp/jkg-neo4j-x \
        python -m bench.picture_profile [--path current|main] [--top 25]

Uses what the server at JOURNEYKG_NEO4J_URI holds (load it first, e.g. with
``bench/neo4j_product_load.py``). Asks :func:`.lifecycle.lifecycle_picture`
once to warm up, then once timed with every statement the store sends
recorded (its first words, wall time, the server's CPU seconds when
JOURNEYKG_NEO4J_STATE names the state directory of tools/neo4j/neo4j-server,
records returned), then once under cProfile (the client's functions).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import time
from typing import Any

from bench.picture_baseline import picture_before
from bench.server_cpu import DEFAULT_STATE, neo4j_server_cpu
from bench.stores import open_neo4j
from journeykg.graph.lifecycle import lifecycle_picture
from journeykg.graph.neo4j_store import Neo4jStore


def server_cpu() -> float | None:
    """CPU seconds the local Neo4j server has used (utime + stime), if its pid is known."""
    return neo4j_server_cpu(DEFAULT_STATE)


def recording(store: Neo4jStore, log: list[dict[str, Any]]) -> None:
    """Record every statement ``store`` reads (wall, server CPU, records) in ``log``."""
    plain = store._read

    def timed(query: str, **params: Any) -> Any:
        started, cpu = time.perf_counter(), server_cpu()
        records = plain(query, **params)
        after = server_cpu()
        sizes = {k: len(v) for k, v in params.items() if isinstance(v, list)}
        log.append(
            {
                "query": " ".join(query.split())[:110],
                "wall_ms": round((time.perf_counter() - started) * 1000, 1),
                "server_cpu_s": None if cpu is None or after is None else round(after - cpu, 2),
                "records": len(records),
                "params": sizes,
            }
        )
        return records

    store._read = timed  # type: ignore[method-assign]
    # The plugin's reachedTotals is called through the read its client was made with.
    store._server_totals._read = timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument(
        "--path", choices=("current", "main"), default="current", help="main: a1acef8's path"
    )
    args = parser.parse_args()
    store = open_neo4j()
    ask = picture_before if args.path == "main" else lifecycle_picture
    ask(store)
    log: list[dict[str, Any]] = []
    recording(store, log)
    started, cpu, server = time.perf_counter(), time.process_time(), server_cpu()
    picture = ask(store)
    wall = time.perf_counter() - started
    client = time.process_time() - cpu
    server_after = server_cpu()
    spent = None if server is None or server_after is None else round(server_after - server, 2)
    print(
        f"picture: {len(picture.journeys)} journeys, wall {wall:.2f} s, client CPU {client:.2f} s,"
        f" server CPU {spent} s, load average {[round(x, 2) for x in os.getloadavg()]}"
    )
    print(f"{len(log)} statements, {sum(s['wall_ms'] for s in log) / 1000:.2f} s wall in them:")
    for s in sorted(log, key=lambda s: -s["wall_ms"]):
        print(f"  {s['wall_ms']:>9} ms  server {s['server_cpu_s']} s  {s['records']:>6} rec  "
              f"{s['params']}  {s['query']}")  # fmt: skip
    store._read = Neo4jStore._read.__get__(store)  # type: ignore[method-assign]
    store._server_totals._read = store._read
    profiler = cProfile.Profile()
    profiler.enable()
    ask(store)
    profiler.disable()
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    print(text.getvalue())
    store.close()


if __name__ == "__main__":
    main()
