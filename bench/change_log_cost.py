"""What the change log costs a write on Neo4j: the same writes with and without it.

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:17741 python -m bench.change_log_cost [--rounds 5]

Writes labels on N subjects (N = 1, 100, 1,000, 5,000: the log's cap, and 6,000:
above it, nothing read, only that the write happened recorded) through
:meth:`.Neo4jStore.apply`, in turn with the change log (today: the subjects'
edges read at the start of the write, the record written beside the
generation) and without it (the generation moved alone, main's write), and
prints the median wall ms of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rdflib import Graph, Literal, URIRef

from bench.stores import open_neo4j
from bench.synthetic import BASE
from journeykg.graph import change_log
from journeykg.graph.neo4j_store import _NEW_GENERATION
from journeykg.namespaces import RDFS


@contextmanager
def without_log() -> Iterator[None]:
    """Main's write: the generation moved, nothing read or recorded."""
    most, bump = change_log.MOST_SUBJECTS, change_log.bump_and_record

    def moved(tx: Any, subjects: Any, links: Any) -> None:
        tx.run(_NEW_GENERATION).consume()

    # Nothing logged: only what the small write needs of the old nodes is read.
    change_log.MOST_SUBJECTS = -1
    change_log.bump_and_record = moved  # type: ignore[assignment]
    try:
        yield
    finally:
        change_log.MOST_SUBJECTS, change_log.bump_and_record = most, bump


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    store = open_neo4j()
    print(f"load average {[round(x, 2) for x in os.getloadavg()]}")
    for n in (1, 100, 1_000, 5_000, 6_000):
        timings: dict[str, list[float]] = {"with the log": [], "without (main)": []}
        for r in range(args.rounds):
            for name in timings:
                delta = Graph()
                for i in range(n):
                    delta.add((URIRef(f"{BASE}bench/log-{i}"), RDFS.label, Literal(f"{name}{r}")))
                started = time.perf_counter()
                if name == "with the log":
                    store.apply(delta)
                else:
                    with without_log():
                        store.apply(delta)
                timings[name].append((time.perf_counter() - started) * 1000)
        row = "  ".join(f"{k} {statistics.median(v):8.1f} ms" for k, v in timings.items())
        print(f"{n:>6} subjects: {row}")
    store.retract([URIRef(f"{BASE}bench/log-{i}") for i in range(6_000)])
    store.close()


if __name__ == "__main__":
    main()
