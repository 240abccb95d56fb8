"""Large reads of the Neo4j store, timed for one code: before and after a change to how the
store reads (issue 20's fifth round: every read in one wait).

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:17762 JOURNEYKG_NEO4J_STATE=/tmp/jkg-neo4j-x \
        python -m bench.neo4j_large_reads --requests 5
    # main's code, in the same run: JOURNEYKG_BENCH_CODE=DIR (bench/other_code.py)

Uses what the server holds (load it first, e.g. ``bench/neo4j_product_load.py --nodes
100000 --paths batched``, which leaves it there). Each question is asked once untimed
(plans, page cache), then ``--requests`` times in turns:

- ``reached_totals (Cypher)`` / ``reached_totals (plugin)``: the picture's reached costs of
  every journey along :data:`.quantify.COST_PATHS` (one large statement each);
- ``impact walk``: :func:`.impact.impact` of the first lifecycle stage (the server walk);
- ``instances``: every touchpoint's IRI, decoded (one statement of many rows);
- ``export``: the whole graph as triples (two statements: every node, every edge; the
  rows decoded into rdflib terms).

Per question: wall p50/max ms, the process's CPU p50 ms, the server's CPU p50 ms (from
/proc, when JOURNEYKG_NEO4J_STATE names tools/neo4j/neo4j-server's state directory), the
answer's size (equal in both codes), and the 1-minute load average.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable

from bench import other_code  # first: JOURNEYKG_BENCH_CODE picks the code
from bench.demo_backends import server_cpu
from bench.stores import open_neo4j
from bench.timings import Samples
from journeykg.graph.impact import impact
from journeykg.graph.quantify import COST_PATHS
from journeykg.namespaces import JKG


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--label", default="", help="a name for this code (old, new)")
    args = parser.parse_args()
    store = open_neo4j()
    journeys = store.instances(JKG.Journey)
    stages = store.instances(JKG.LifecycleStage)

    def reached(in_server: bool) -> Callable[[], int]:
        def ask() -> int:
            store.reached_in_server = in_server
            totals = store.reached_totals(
                journeys, COST_PATHS, JKG.costOf, JKG.amountEur, JKG.period
            )
            return len(totals.per_root)

        return ask

    questions: dict[str, Callable[[], int]] = {
        "reached_totals (Cypher)": reached(False),
        "reached_totals (plugin)": reached(True),
        "impact walk": lambda: len(impact(store, str(stages[0])).affected),
        "instances": lambda: len(store.instances(JKG.Touchpoint)),
        "export": lambda: len(store.export()),
    }
    sizes = {name: ask() for name, ask in questions.items()}  # warm, untimed
    samples = {name: Samples(server_cpu) for name in questions}
    for _ in range(args.requests):
        for name, ask in questions.items():
            samples[name].measure(ask)
    for name, measured in samples.items():
        figures = measured.figures()
        print(
            json.dumps(
                {
                    "code": args.label or other_code.CODE or "this tree",
                    "question": name,
                    "p50_ms": figures["p50_ms"],
                    "max_ms": figures["max_ms"],
                    "cpu_p50_ms": figures["cpu_p50_ms"],
                    "server_cpu_p50_ms": figures["server_cpu_p50_ms"],
                    "size": sizes[name],
                    "requests": args.requests,
                    "load_1min": round(os.getloadavg()[0], 2),
                }
            ),
            flush=True,
        )
    store.close()


if __name__ == "__main__":
    main()
