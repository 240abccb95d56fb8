"""How long `journeykg restore` takes to read an export: rdflib's parser against Oxigraph's.

    python -m bench.restore_parse --nodes 100000 --work /tmp/jkg-1m [--rounds 2]

The file is the synthetic organisation's N-Triples (bench/synthetic.py,
made if missing), shaped as an export is. ``restore`` parsed with
``rdflib.Graph().parse`` until 2026-12-07 and reads with
:func:`journeykg.loaders.rdf_fast_read.read_large_rdf` now, as ``load``
does. Printed per round and parser: triples, wall and CPU seconds; then the
ratio of the medians, and this machine's reference figure
(bench/machine_speed.py).
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from rdflib import Graph

from bench.machine_speed import reference_seconds
from bench.synthetic import organisation_file


def _timed(parse: Callable[[], Graph]) -> tuple[int, float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    graph = parse()
    figures = (len(graph), time.perf_counter() - started, time.process_time() - cpu)
    del graph
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/jkg-1m"))
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    from journeykg.loaders.rdf_fast_read import read_large_rdf

    path = organisation_file(args.nodes, args.work)
    parsers: dict[str, Callable[[], Graph]] = {
        "rdflib (before)": lambda: Graph().parse(path, format="nt"),
        "read_large_rdf (now)": lambda: read_large_rdf(path, "nt"),
    }
    walls: dict[str, list[float]] = {name: [] for name in parsers}
    gc.disable()  # as the command runs (collector paused): the parse, not the collector
    try:
        for round_number in range(args.rounds):
            for name, parse in parsers.items():
                triples, wall, cpu = _timed(parse)
                walls[name].append(wall)
                print(
                    json.dumps(
                        {
                            "round": round_number,
                            "parser": name,
                            "triples": triples,
                            "wall_s": round(wall, 2),
                            "cpu_s": round(cpu, 2),
                        }
                    ),
                    flush=True,
                )
                gc.collect()
    finally:
        gc.enable()
    before, now = (statistics.median(w) for w in walls.values())
    print(
        json.dumps(
            {
                "median_wall_s": {n: round(statistics.median(w), 2) for n, w in walls.items()},
                "ratio": round(before / now, 1),
                "machine_reference_s": reference_seconds(),
            }
        )
    )


if __name__ == "__main__":
    main()
