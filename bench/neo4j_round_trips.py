"""What a transaction costs on a Neo4j server beyond its statement: one small read or write, run
the ways the driver offers, in one run.

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:7687 python -m bench.neo4j_round_trips --repeat 300

The statement is the shape of ``Neo4jStore.describe`` for 10 nodes (made under a label of
this bench's own, ``JourneykgBenchTrip``, and deleted at the end; nothing else is touched).
Each way is timed ``--repeat`` times, the ways taking turns, and reported as the median
and 90th percentile wall milliseconds, the process's CPU milliseconds per call, and the
messages the driver flushed to the server per call (each flush waits for an answer: a
round trip):

- ``execute_read``: a managed read transaction in a session kept open (how the store read
  until issue 20's fifth round): BEGIN, then RUN+PULL, then COMMIT;
- ``execute_query``: the driver's ``execute_query`` (a session per call; BEGIN sent with
  the RUN), routed as a read;
- ``auto-commit read``: ``Session.run`` in a session whose access mode is READ (the RUN
  carries the mode and the bookmarks: a routing driver sends it to a follower; how
  ``Neo4jStore._read`` reads);
- ``auto-commit read, timeout``: the same with a server-side timeout on the statement
  (``neo4j.Query(text, timeout=...)``, what ``Neo4jStore.read_timeout`` sends);
- ``two reads, one tx`` / ``two reads, two tx``: two such statements in one read
  transaction, or in two;
- ``write tx`` / ``write tx, rolled back``: a managed write transaction that sets one
  property (committed: the server's commit and log flush), or the same rolled back.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import neo4j
from neo4j import GraphDatabase
from neo4j._sync.io._bolt._base import Bolt

LABEL = "JourneykgBenchTrip"
READ = (
    f"UNWIND $iris AS iri MATCH (n:{LABEL} {{iri: iri}}) "
    "RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props, "
    f"[(n)-[r]->(o:{LABEL}) | [type(r), o.iri]] AS rels"
)
WRITE = f"MATCH (n:{LABEL} {{iri: $iri}}) SET n.touched = timestamp()"


#: Messages of the connection pool, not of the work: a connection's HELLO and LOGON, its
#: GOODBYE, and the RESET that checks a connection idle for longer than the driver's
#: liveness_check_timeout (how long it idled depends on what ran before, not on the code).
POOL_MESSAGES = frozenset({0x01, 0x6A, 0x02, 0x0F})


class Flushes:
    """Counts the driver's flushes of queued messages to the server, each of which waits for
    an answer (a round trip), leaving out those that carry only the pool's own messages
    (:data:`POOL_MESSAGES`). Instrumentation: every call goes through unchanged."""

    def __init__(self) -> None:
        self.count = 0
        self._originals: tuple[Any, Any] = (Bolt._append, Bolt._send_all)
        self._queued: set[int] = set()

    def __enter__(self) -> Flushes:
        append, send_all = self._originals

        def appended(bolt: Any, signature: Any, *args: Any, **kwargs: Any) -> Any:
            self._queued.add(signature[0] if isinstance(signature, bytes) else signature)
            return append(bolt, signature, *args, **kwargs)

        def sent(bolt: Any) -> Any:
            if bolt.outbox._chunked_data and self._queued - POOL_MESSAGES:
                self.count += 1
            self._queued.clear()
            return send_all(bolt)

        # Patched by name (setattr): the replacements take any arguments and pass them on.
        setattr(Bolt, "_append", appended)  # noqa: B010
        setattr(Bolt, "_send_all", sent)  # noqa: B010
        return self

    def __exit__(self, *exc: object) -> None:
        setattr(Bolt, "_append", self._originals[0])  # noqa: B010
        setattr(Bolt, "_send_all", self._originals[1])  # noqa: B010


def _rows(tx: neo4j.ManagedTransaction, query: str, params: dict[str, Any]) -> list[Any]:
    return list(tx.run(query, params))


def ways(driver: neo4j.Driver, iris: list[str]) -> dict[str, Callable[[], object]]:
    """Each way of running the read (or the write), as a call."""
    manager = driver.execute_query_bookmark_manager
    read_session = driver.session(default_access_mode=neo4j.READ_ACCESS, bookmark_manager=manager)
    auto_session = driver.session(default_access_mode=neo4j.READ_ACCESS, bookmark_manager=manager)
    params = {"iris": iris}

    def two_in_one(tx: neo4j.ManagedTransaction) -> None:
        list(tx.run(READ, params))
        list(tx.run(READ, params))

    def write(rollback: bool) -> Callable[[], object]:
        def call() -> object:
            with driver.session(bookmark_manager=manager) as session:
                if rollback:
                    with session.begin_transaction() as tx:
                        tx.run(WRITE, iri=iris[0]).consume()
                        tx.rollback()
                    return None
                return session.execute_write(lambda tx: tx.run(WRITE, iri=iris[0]).consume())

        return call

    return {
        "execute_read": lambda: read_session.execute_read(_rows, READ, params),
        "execute_query": lambda: driver.execute_query(
            READ, params, routing_=neo4j.RoutingControl.READ, bookmark_manager_=manager
        ),
        "auto-commit read": lambda: list(auto_session.run(READ, params)),
        "auto-commit read, timeout": lambda: list(
            auto_session.run(neo4j.Query(READ, timeout=30.0), params)
        ),
        "two reads, one tx": lambda: read_session.execute_read(two_in_one),
        "two reads, two tx": lambda: (
            read_session.execute_read(_rows, READ, params),
            read_session.execute_read(_rows, READ, params),
        ),
        "write tx": write(rollback=False),
        "write tx, rolled back": write(rollback=True),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    uri = os.environ["JOURNEYKG_NEO4J_URI"]
    driver = GraphDatabase.driver(uri)
    iris = [f"urn:bench:trip:{i}" for i in range(10)]
    driver.execute_query(
        f"UNWIND $iris AS iri MERGE (n:{LABEL} {{iri: iri}}) SET n.name = iri, n.size = 1",
        iris=iris,
    )
    try:
        calls = ways(driver, iris)
        walls: dict[str, list[float]] = {name: [] for name in calls}
        cpu: dict[str, float] = dict.fromkeys(calls, 0.0)
        flushes: dict[str, int] = dict.fromkeys(calls, 0)
        for call in calls.values():  # warm: plans cached, connections open
            for _ in range(20):
                call()
        load = os.getloadavg()[0]
        for _ in range(args.repeat):
            for name, call in calls.items():
                with Flushes() as counted:
                    started, clock = time.perf_counter(), time.process_time()
                    call()
                    walls[name].append(time.perf_counter() - started)
                    cpu[name] += time.process_time() - clock
                flushes[name] += counted.count
        for name, times in walls.items():
            times.sort()
            print(
                json.dumps(
                    {
                        "way": name,
                        "median_ms": round(statistics.median(times) * 1000, 3),
                        "p90_ms": round(times[int(len(times) * 0.9)] * 1000, 3),
                        "cpu_ms": round(cpu[name] / args.repeat * 1000, 3),
                        "flushes": round(flushes[name] / args.repeat, 2),
                        "repeat": args.repeat,
                        "loadavg": round(load, 2),
                        "label": args.label,
                    }
                ),
                flush=True,
            )
    finally:
        driver.execute_query(f"MATCH (n:{LABEL}) DETACH DELETE n")
        driver.close()


if __name__ == "__main__":
    main()
