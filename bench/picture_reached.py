"""The costs each journey reaches, summed by journeykg's plugin against the Cypher statement.

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:17760 JOURNEYKG_NEO4J_STATE=/tmp/jkg-neo4j-x \
        python -m bench.picture_reached [--requests 5]

Uses what the server at JOURNEYKG_NEO4J_URI holds (load it first, e.g. with
``bench/neo4j_product_load.py --paths batched``, which leaves it there). Times,
in one run and in turns (before, after, before, after ... so a change in the
machine's load falls on both):

- ``reached_totals``: :meth:`.Neo4jStore.reached_totals` of every journey along
  :data:`.quantify.COST_PATHS`, as the picture asks it, through the Cypher
  statement (``reached_in_server = False``: main's path) and through the
  plugin's ``journeykg.reachedTotals``;
- the picture's question computed in full (:func:`.lifecycle.lifecycle_picture`,
  what a server start, a change of the framework or a write the change log
  cannot vouch for pays), along main's path (the statement, and Python's cyclic
  collector running throughout, as main leaves it: the pause of
  graph/collector_pause.py made a no-op) and along this one (the procedure, the
  collector paused).

Per row: wall p50/p95, the client's CPU p50, the Neo4j server's CPU p50 (from
/proc, when JOURNEYKG_NEO4J_STATE names the state directory of
tools/neo4j/neo4j-server) and the 1-minute load average at the end of the row.
``same_answers`` compares both paths' answers: every journey's total and the
overall total within 1e-9 relative (sums in another order), and the pictures.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

from bench.picture_profile import server_cpu
from bench.stores import open_neo4j
from bench.timings import COLUMNS, Samples, print_rows
from journeykg.graph.lifecycle import LifecyclePicture, lifecycle_picture
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.quantify import COST_PATHS
from journeykg.graph.store import ReachedTotals
from journeykg.namespaces import JKG


@contextmanager
def collector_running() -> Iterator[None]:
    """Main's path: the cyclic collector left running where this branch pauses it."""
    disable = gc.disable
    gc.disable = lambda: None  # collector_paused's gc.disable() does nothing meanwhile
    try:
        yield
    finally:
        gc.disable = disable


def in_turns(
    store: Neo4jStore,
    ask: Callable[[], object],
    requests: int,
    before: Callable[[], AbstractContextManager[None]] = nullcontext,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``ask()`` timed ``requests`` times along each path, in turns: (before, after).

    ``before()``: a context the *before* requests run in, beside the statement."""
    samples = {False: Samples(server_cpu), True: Samples(server_cpu)}
    for _ in range(requests):
        for in_server in (False, True):
            store.reached_in_server = in_server

            def asked(in_server: bool = in_server) -> None:
                with nullcontext() if in_server else before():
                    ask()

            samples[in_server].measure(asked)
    store.reached_in_server = True
    return samples[False].figures(), samples[True].figures()


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def same_totals(a: ReachedTotals, b: ReachedTotals) -> bool:
    """Equal but for the last bits of sums taken in another order."""
    return (
        a.per_root.keys() == b.per_root.keys()
        and all(_close(a.per_root[k], b.per_root[k]) for k in a.per_root)
        and _close(a.overall, b.overall)
    )


def both_pictures(store: Neo4jStore) -> tuple[LifecyclePicture, LifecyclePicture]:
    store.reached_in_server = False
    with collector_running():
        before = lifecycle_picture(store)
    store.reached_in_server = True
    return before, lifecycle_picture(store)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument(
        "--no-picture", action="store_true", help="time reached_totals only, not the picture"
    )
    args = parser.parse_args()
    store = open_neo4j()
    journeys = store.instances(JKG.Journey)

    def reached() -> ReachedTotals:
        return store.reached_totals(journeys, COST_PATHS, JKG.costOf, JKG.amountEur, JKG.period)

    # Warm both paths (the page cache, the plugin's check, the query plan) untimed.
    store.reached_in_server = False
    cypher = reached()
    store.reached_in_server = True
    plugin = reached()
    facts: dict[str, Any] = {
        "journeys": len(journeys),
        "overall_eur": round(plugin.overall, 2),
        "same_totals": same_totals(cypher, plugin),
        "plugin_installed": store._server_totals.installed(),
    }
    rows: dict[str, dict[str, Any]] = {}
    before, after = in_turns(store, reached, args.requests)
    rows["before: reached_totals (Cypher statement)"] = before
    rows["after: reached_totals (plugin procedure)"] = after
    if not args.no_picture:
        old, new = both_pictures(store)
        facts["same_pictures"] = old == new
        before, after = in_turns(
            store, lambda: lifecycle_picture(store), args.requests, collector_running
        )
        rows["before: picture in full (Cypher, collector on)"] = before
        rows["after: picture in full (plugin, paused)"] = after
    facts["load_average"] = [round(x, 2) for x in os.getloadavg()]
    store.close()
    print(facts)
    print_rows(rows, [c for c in COLUMNS if c[1] != "max_ms"], width=44)
    print(json.dumps({"organisation": facts, "rows": rows}))


if __name__ == "__main__":
    main()
