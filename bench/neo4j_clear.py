"""How long ``Neo4jStore.clear`` takes on a generated organisation: this clear against main's.

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:7687 python -m bench.neo4j_clear --nodes 100000

Loads the synthetic organisation of ``--nodes`` elements (bench/synthetic.py)
through the store's batched write, clears it, and repeats ``--rounds`` times,
alternating between main's clear as it was at 97a13db (one pass of
``DETACH DELETE`` per batch of nodes, which made each batch rewrite the
relationship chains of the hubs its nodes hang off) and this checkout's
(relationships in batches first, then the bare nodes). Prints wall seconds,
the server's CPU seconds when ``JOURNEYKG_NEO4J_STATE`` names the test
server's state dir, and the ratio. **Clears the database.**
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable

import neo4j

from bench.server_cpu import neo4j_server_cpu
from bench.stores import open_neo4j
from bench.synthetic import generate
from journeykg.graph.errors import StoreError
from journeykg.graph.neo4j_bulk import Resume, write
from journeykg.graph.neo4j_store import CLEAR_BATCH, Neo4jStore

_MAIN_CLEAR = "MATCH (n:Resource) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $rows ROWS"


def main_clear(store: Neo4jStore) -> None:
    """The clear as main had it: nodes in batches, each detached from its relationships."""
    with store.driver.session(database=store.database, default_access_mode=neo4j.WRITE_ACCESS) as s:
        s.run(_MAIN_CLEAR, rows=CLEAR_BATCH).consume()
    # A generation change, as every clear makes one.
    store.retract([])


def server_cpu() -> float | None:
    """CPU seconds of the test server, if its state dir is known."""
    return neo4j_server_cpu()


def timed(clear: Callable[[], None]) -> dict[str, float | str | None]:
    """Wall and server CPU seconds of one clear, and its error if it failed."""
    cpu = server_cpu()
    started = time.perf_counter()
    error = None
    try:
        clear()
    except (StoreError, neo4j.exceptions.Neo4jError) as exc:
        # Main's clear runs out of transaction memory at 1M: a figure, not a crash.
        error = str(exc)[:300]
    wall = time.perf_counter() - started
    after = server_cpu()
    return {
        "wall_s": round(wall, 2),
        "server_cpu_s": None if cpu is None or after is None else round(after - cpu, 2),
        "error": error,
    }


def main() -> None:
    """Load, clear with each path in turn, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument(
        "--paths",
        default="main,this",
        help="which clears, in this order (main, this): at 1M put this first, main's may not end",
    )
    args = parser.parse_args()
    clears: dict[str, Callable[[], None]] = {
        "main's clear": lambda: main_clear(store),
        "this clear": lambda: store.clear(),
    }
    names = {"main": "main's clear", "this": "this clear"}
    chosen = [names[path.strip()] for path in args.paths.split(",")]
    store = open_neo4j()
    organisation = generate(args.nodes)
    store.clear()
    relationships_query = "MATCH (:Resource)-[r]->() RETURN count(r) AS n"
    rows: dict[str, list[dict[str, float | str | None]]] = {name: [] for name in chosen}
    shape: dict[str, int] = {}
    for _ in range(args.rounds):
        for name in chosen:
            written = time.perf_counter()
            write(store, organisation.graph, Resume(key=f"bench-clear-{args.nodes}"))
            written = time.perf_counter() - written
            records, _, _ = store.driver.execute_query(relationships_query)
            shape = {"nodes": organisation.nodes, "relationships": records[0]["n"]}
            figures = timed(clears[name])
            left, _, _ = store.driver.execute_query("MATCH (n:Resource) RETURN count(n) AS n")
            figures["nodes_left"] = left[0]["n"]
            figures["written_before_s"] = round(written, 1)
            rows[name].append(figures)
            # As it goes: a 1M run takes long, and a timeout should still leave figures.
            print(name, json.dumps(shape | figures), file=sys.stderr, flush=True)
            if figures["error"] is not None:
                store.clear()  # this checkout's clear finishes what a failed one left
    best = {
        name: min(float(r["wall_s"] or 0.0) for r in runs if r["error"] is None)
        if any(r["error"] is None for r in runs)
        else None
        for name, runs in rows.items()
    }
    main_best, this_best = best.get("main's clear"), best.get("this clear")
    print(
        json.dumps(
            {
                "graph": shape,
                "runs": rows,
                "best_wall_s": best,
                "ratio_main_to_this": (
                    round(main_best / this_best, 2) if main_best and this_best else None
                ),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
