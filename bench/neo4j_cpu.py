"""Impact questions on Neo4j with the CPU time they cost, client and server.

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:7687 python -m bench.neo4j_cpu --size 100000 --pid PID

The server must already hold the organisation of ``--size`` (as left by
``bench.impact_latency``); ``--pid`` is the Neo4j server's process id, whose
CPU time is read from /proc (10 ms ticks). On a shared machine wall time
grows with the load of others; the CPU a question costs does much less.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from collections.abc import Callable
from typing import Any

from bench.impact_latency import first_page, ordinary_questions
from bench.synthetic import BASE, generate
from journeykg.graph.factory import open_store
from journeykg.settings import Settings


def server_cpu_s(pid: int) -> float:
    """User plus system CPU seconds of process ``pid`` so far."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measured(ask: Callable[[str], Any], questions: list[str], pid: int) -> dict[str, float]:
    """p50 of wall, client CPU, server CPU and their sum (ms) over ``questions``."""
    rows: list[tuple[float, float, float]] = []
    for question in questions:
        wall, cpu, server = time.perf_counter(), time.process_time(), server_cpu_s(pid)
        ask(question)
        rows.append(
            (
                (time.perf_counter() - wall) * 1000,
                (time.process_time() - cpu) * 1000,
                (server_cpu_s(pid) - server) * 1000,
            )
        )
    return {
        "n": len(rows),
        "wall_ms_p50": round(statistics.median(r[0] for r in rows), 1),
        "client_cpu_ms_p50": round(statistics.median(r[1] for r in rows), 1),
        "server_cpu_ms_p50": round(statistics.median(r[2] for r in rows), 1),
        "cpu_ms_p50": round(statistics.median(r[1] + r[2] for r in rows), 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--pid", type=int, required=True, help="the Neo4j server's process id")
    parser.add_argument("--samples", type=int, default=10)
    args = parser.parse_args()
    org = generate(args.size)
    # The same questions as bench.impact_latency asks of this size.
    ordinary = ordinary_questions(org, random.Random(args.size), args.samples)
    hubs = org.hubs[:3]
    store = open_store(Settings(backend="neo4j", base_iri=BASE))
    for question in ordinary[:3]:  # plans compiled, caches warm
        store.impact(question)
    first_page(store, hubs[0])
    result = {
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "hub_first_page_graphql": measured(lambda q: first_page(store, q), hubs * 2, args.pid),
        "ordinary": measured(store.impact, ordinary, args.pid),
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }
    store.close()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
