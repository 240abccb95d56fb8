"""What a deterministic export costs: ``journeykg export`` before and after it became canonical.

    python -m bench.export_canonical [--nodes 20000] [--runs 3] [--backend embedded|neo4j]

Writes a synthetic organisation (bench/synthetic.py) into a store (not timed), then
times, ``--runs`` times each, round robin:

- the baseline, what ``journeykg export`` did before: ``store.export()`` and rdflib's
  ``serialize`` as it comes (N-Triples and Turtle);
- the canonical export it does now (graph/export.py): numbers in one spelling, blank
  nodes (none here) labelled by content, N-Triples lines sorted, Turtle with
  journeykg's prefixes;

and prints the median seconds of each with the ratio to its baseline, the number of
triples and the load average before and after.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.stores import open_bench_store
from bench.synthetic import generate
from journeykg.graph.export import EXPORT_FORMATS, ExportFormat, export_bytes
from journeykg.graph.store import Store


def baseline(store: Store, rdf_format: ExportFormat) -> bytes:
    """The export as it was: the store's triples serialised in the order they come."""
    return store.export().serialize(format=rdf_format, encoding="utf-8")


def canonical(store: Store, rdf_format: ExportFormat) -> bytes:
    """The export as it is: graph/export.py."""
    return export_bytes(store, rdf_format)[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backend", choices=["embedded", "neo4j"], default="embedded")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}")
    organisation = generate(args.nodes)
    with tempfile.TemporaryDirectory(prefix="jkg-bench-export-") as tmp:
        store = open_bench_store(args.backend, Path(tmp) / "store")
        try:
            if args.backend == "neo4j":
                store.clear()
            store.upsert(organisation.graph)
            triples = len(organisation.graph)
            ways: dict[str, Callable[[Store, ExportFormat], bytes]] = {
                "baseline": baseline,
                "canonical": canonical,
            }
            seconds: dict[tuple[str, str], list[float]] = {}
            for _ in range(args.runs):
                for rdf_format in EXPORT_FORMATS:
                    for name, way in ways.items():
                        clock = time.perf_counter()
                        way(store, rdf_format)
                        elapsed = time.perf_counter() - clock
                        seconds.setdefault((rdf_format, name), []).append(elapsed)
        finally:
            store.close()
    print(f"{args.backend}: {args.nodes:,} elements, {triples:,} triples, {args.runs} runs")
    print("| format | baseline s (p50) | canonical s (p50) | canonical / baseline |")
    print("|---|---|---|---|")
    for rdf_format in EXPORT_FORMATS:
        old = statistics.median(seconds[(rdf_format, "baseline")])
        new = statistics.median(seconds[(rdf_format, "canonical")])
        print(f"| {rdf_format} | {old:.2f} | {new:.2f} | {new / old:.2f} |")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
