"""Hops followed on Neo4j by journeykg's plugin (``journeykg.edges``) against the Cypher
statement it replaces where the plugin is installed, in one run.

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:17695 JOURNEYKG_NEO4J_STATE=/tmp/jkg-neo4j-x \
        python -m bench.neo4j_edges --rounds 3            # the demo organisation
    python -m bench.neo4j_edges --nodes 20000 --rounds 3  # a generated one (bench/synthetic.py)

The server's database is CLEARED and the organisation written into it. The work: the
lifecycle picture (graph/lifecycle.py) and impact questions walked hop by hop (the walk a
what-if scenario takes: ``walk_in_server`` off) from the first ``--walks`` processes, both
directions. Every hop asks :meth:`.Neo4jStore.edges` for the relationship types its
frontier's classes can follow: the statement is one ``UNION ALL`` part per type, a text
of its own for each combination, which the server plans the first time it sees it.

Each round, for the statement (the baseline) and then the procedure:

- ``first``: the work right after ``CALL db.clearQueryCaches()``, as on a freshly started
  server's plan cache (the JVM stays warm, so a real fresh start costs more);
- ``planned``: the same work again, every text planned.

Per path and pass: wall s, this process's CPU s, the server's CPU s (when
JOURNEYKG_NEO4J_STATE names tools/neo4j/neo4j-server's state directory), the statements
sent and how many distinct texts they were; then the procedure's wall time over the
statement's, per pass.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from bench import other_code  # first: JOURNEYKG_BENCH_CODE picks the code
from bench.server_cpu import neo4j_server_cpu
from bench.stores import open_neo4j
from bench.synthetic import generate
from journeykg.graph.impact import impact
from journeykg.graph.lifecycle import lifecycle_picture
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.relations import Direction
from journeykg.namespaces import JKG
from journeykg.resources import DEMO_DATASET


@contextmanager
def recorded() -> Iterator[Counter[str]]:
    """The texts of the statements sent meanwhile (by the store and its procedure
    clients, through the driver's sessions), counted."""
    from neo4j._sync.work.session import Session

    texts: Counter[str] = Counter()
    run = Session.run

    def recording(session: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
        texts[str(getattr(query, "text", query))] += 1
        return run(session, query, *args, **kwargs)

    # Instrumentation, not a stand-in: the call goes through unchanged.
    setattr(Session, "run", recording)  # noqa: B010
    try:
        yield texts
    finally:
        setattr(Session, "run", run)  # noqa: B010


def work(store: Neo4jStore, roots: list[str]) -> int:
    """The lifecycle picture and hop-by-hop impact walks from ``roots``; elements found."""
    found = len(lifecycle_picture(store).journeys)
    store.walk_in_server = False
    try:
        for root in roots:
            for direction in Direction:
                found += len(impact(store, root, direction=direction).affected)
    finally:
        store.walk_in_server = True
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=0, help="0: the demo organisation")
    parser.add_argument("--walks", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    store = open_neo4j()
    if not store._server_edges.installed():
        raise SystemExit("this server has no journeykg.edges: start it with tools/neo4j")
    store.clear()
    if args.nodes:
        store.upsert(generate(args.nodes).graph)
    else:
        from rdflib import Graph

        store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    roots = [str(p) for p in store.instances(JKG.BackofficeProcess)[: args.walks]]
    figures: dict[tuple[str, str], list[dict[str, Any]]] = {}
    answers: set[int] = set()
    for round_ in range(args.rounds):
        for path, in_server in (("statement", False), ("procedure", True)):
            store.edges_in_server = in_server
            store.driver.execute_query("CALL db.clearQueryCaches()")
            for passed in ("first", "planned"):
                server = neo4j_server_cpu()
                started, cpu = time.perf_counter(), time.process_time()
                with recorded() as texts:
                    answers.add(work(store, roots))
                figure = {
                    "round": round_,
                    "path": path,
                    "pass": passed,
                    "wall_s": round(time.perf_counter() - started, 3),
                    "cpu_s": round(time.process_time() - cpu, 3),
                    "statements": sum(texts.values()),
                    "texts": len(texts),
                }
                after = neo4j_server_cpu()
                if server is not None and after is not None:
                    figure["server_cpu_s"] = round(after - server, 3)
                figures.setdefault((path, passed), []).append(figure)
                print(json.dumps(figure), flush=True)
    store.edges_in_server = True
    assert len(answers) == 1, f"the two paths found different answers: {answers}"
    for passed in ("first", "planned"):
        medians = {
            path: statistics.median(f["wall_s"] for f in figures[(path, passed)])
            for path in ("statement", "procedure")
        }
        print(
            json.dumps(
                {
                    "summary": passed,
                    "code": other_code.CODE or "this tree",
                    "nodes": args.nodes or "demo",
                    "statement_wall_s_p50": medians["statement"],
                    "procedure_wall_s_p50": medians["procedure"],
                    "procedure_over_statement": round(
                        medians["procedure"] / medians["statement"], 2
                    ),
                    "load_1min": round(os.getloadavg()[0], 2),
                }
            ),
            flush=True,
        )
    store.close()


if __name__ == "__main__":
    main()
