"""Load a large graph into an EMPTY Neo4j as ``Neo4jStore.upsert`` would write it, fast.

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:7687 \
        python -m bench.neo4j_bulk_load --store-dir /tmp/perf/emb1000000
    python -m bench.neo4j_bulk_load --ntriples org.nt [--clear]

``upsert`` is written for deltas: for every batch it reads back what the
nodes already hold and MERGEs nodes and relationships, which at 1M nodes
takes hours on a shared 2-core machine. Into an empty database none of that
is needed, so this tool CREATEs instead, with the constraint and index on
``Resource`` dropped while the nodes go in (one index build afterwards is
much cheaper than a million index updates) and put back, with the store's
own statements, before the relationships look their ends up.

The rows come from the store's own mapping (``PropertyGraphMapping.rows``)
and keys from its own key function, so nodes, labels, properties (language
tagged, list valued, typed) and relationships are the ones ``upsert`` writes;
``tests/bench/test_neo4j_bulk_load.py`` checks that against a real ``upsert``.

It is a benchmark tool, **not atomic**: each statement of ``--batch`` rows
commits by itself, so a failure leaves part of the graph behind (rerun with
``--clear``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import defaultdict, deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph
from rdflib.plugins.stores.memory import SimpleMemory

from bench.stores import open_neo4j
from bench.synthetic import BASE
from journeykg.graph.embedded import _from_ox
from journeykg.graph.neo4j_store import _NEW_GENERATION, _SCHEMA, Neo4jStore, _cypher, _quote
from journeykg.graph.property_graph import RESOURCE_LABEL, NodeRow

#: Rows per statement (and per transaction).
BATCH = 10_000
#: Subjects turned into rows at a time.
CHUNK = 20_000
#: Statements sent ahead of the one the server is running, so that Python
#: builds the next batch while Neo4j writes the last one.
IN_FLIGHT = 2
_DROP_SCHEMA = (
    "DROP CONSTRAINT resource_iri IF EXISTS",
    "DROP INDEX resource_key IF EXISTS",
)


class NotEmptyError(RuntimeError):
    """The target database already holds nodes."""


def subject_graphs(source: ox.Store, chunk: int = CHUNK) -> Iterator[Graph]:
    """The default graph of ``source`` as rdflib graphs of ``chunk`` whole subjects each.

    Whole subjects, because a subject's rows must be written once: its list
    values are then complete and in the order ``upsert`` gives them. The
    scan order of Oxigraph's stores does not promise that (its in-memory store
    does not group by subject), so each subject is looked up by itself.
    """
    default = ox.DefaultGraph()
    subjects = sorted(
        {quad.subject for quad in source.quads_for_pattern(None, None, None, default)},
        key=str,
    )
    for start in range(0, len(subjects), chunk):
        graph = Graph(store=SimpleMemory())
        for subject in subjects[start : start + chunk]:
            node = _from_ox(subject)
            for quad in source.quads_for_pattern(subject, None, None, default):
                graph.add((node, _from_ox(quad.predicate), _from_ox(quad.object)))
        yield graph


class BulkWriter:
    """CREATE statements for one empty Neo4j store, a few in flight on a writer thread."""

    def __init__(self, store: Neo4jStore, batch: int = BATCH) -> None:
        self.store = store
        self.batch = batch
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._pending: deque[Future[None]] = deque()
        self.subjects: set[str] = set()
        self.objects: set[str] = set()
        self.relationships: dict[str, list[list[str]]] = defaultdict(list)
        self.counts = {"nodes": 0, "placeholders": 0, "relationships": 0}

    def _run(self, query: str, **params: Any) -> None:
        self.store.driver.execute_query(_cypher(query), database_=self.store.database, **params)

    def _submit(self, query: str, **params: Any) -> None:
        self._pending.append(self._pool.submit(self._run, query, **params))
        while len(self._pending) > IN_FLIGHT:
            self._pending.popleft().result()

    def drain(self) -> None:
        """Wait for every statement sent so far (and raise the first failure)."""
        while self._pending:
            self._pending.popleft().result()

    def check_empty(self) -> None:
        """Refuse a database that holds anything: CREATE would duplicate nodes."""
        records, _, _ = self.store.driver.execute_query(
            # The graph's generation (graph/neo4j_store.py) and its change log
            # (graph/change_log.py) are no data.
            "MATCH (n) WHERE NOT n:JourneykgGeneration AND NOT n:JourneykgChange "
            "RETURN count(n) AS n",
            database_=self.store.database,
        )
        if records[0]["n"]:
            raise NotEmptyError(
                f"Neo4j at {self.store.uri} holds {records[0]['n']} nodes; the bulk load "
                "needs an empty database (pass --clear to empty it first)"
            )

    def drop_schema(self) -> None:
        """Drop the Resource constraint and index while nodes are created."""
        for statement in _DROP_SCHEMA:
            self._run(statement)

    def restore_schema(self) -> None:
        """Put back the store's own constraint and index and wait until they are online."""
        for statement in _SCHEMA:
            self._run(statement)
        self._run("CALL db.awaitIndexes(3600)")

    def add_rows(self, rows: list[NodeRow]) -> None:
        """CREATE the nodes of ``rows``, grouped by label set; keep their relationships."""
        by_labels: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            self.subjects.add(row.iri)
            labels = tuple(sorted(row.labels - {RESOURCE_LABEL}))
            by_labels[labels].append({"iri": row.iri, "key": row.key, "props": row.properties})
            for rel_type, targets in row.relationships.items():
                self.relationships[rel_type].extend([row.iri, t] for t in targets)
                self.objects.update(targets)
        for labels, params in sorted(by_labels.items()):
            label_text = "".join(f":{_quote(label)}" for label in labels)
            for start in range(0, len(params), self.batch):
                self._submit(
                    f"UNWIND $rows AS row CREATE (n:{RESOURCE_LABEL}{label_text} "
                    "{iri: row.iri}) SET n.key = row.key, n += row.props",
                    rows=params[start : start + self.batch],
                )
            self.counts["nodes"] += len(params)

    def add_placeholders(self) -> None:
        """Bare ``(:Resource {iri, key})`` nodes for IRIs only ever seen as objects."""
        key = self.store.ids.key
        params = [{"iri": iri, "key": key(iri)} for iri in sorted(self.objects - self.subjects)]
        for start in range(0, len(params), self.batch):
            self._submit(
                "UNWIND $rows AS row CREATE (:Resource {iri: row.iri, key: row.key})",
                rows=params[start : start + self.batch],
            )
        self.counts["placeholders"] = len(params)

    def add_relationships(self) -> None:
        """CREATE every relationship kept by :meth:`add_rows` (both ends exist by now)."""
        for rel_type, pairs in sorted(self.relationships.items()):
            for start in range(0, len(pairs), self.batch):
                self._submit(
                    "UNWIND $rels AS rel MATCH (s:Resource {iri: rel[0]}) "
                    "MATCH (o:Resource {iri: rel[1]}) "
                    f"CREATE (s)-[:{_quote(rel_type)}]->(o)",
                    rels=pairs[start : start + self.batch],
                )
            self.counts["relationships"] += len(pairs)

    def close(self) -> None:
        """Finish the statements in flight and stop the writer thread."""
        try:
            self.drain()
        finally:
            self._pool.shutdown()


def bulk_load(
    store: Neo4jStore, source: ox.Store, *, batch: int = BATCH, log: Any = None
) -> dict[str, Any]:
    """Write the default graph of ``source`` into the empty ``store``; counts and timings."""
    started, cpu = time.perf_counter(), time.process_time()
    phases: dict[str, float] = {}

    def phase(name: str) -> None:
        phases[name] = round(time.perf_counter() - started, 1)
        if log is not None:
            log(f"{name} at {phases[name]} s")

    writer = BulkWriter(store, batch)
    try:
        writer.check_empty()
        writer.drop_schema()
        try:
            for graph in subject_graphs(source):
                writer.add_rows(store.mapping.rows(graph, store.ids.key))
            writer.add_placeholders()
            writer.drain()
            phase("nodes")
        finally:
            # Even after a failure the store must not be left without its constraint;
            # the first failure is already on its way up.
            with suppress(Exception):
                writer.drain()
            writer.restore_schema()
        phase("schema")
        writer.add_relationships()
        writer.drain()
        phase("relationships")
    finally:
        writer.close()
        # Written around Store.apply: a server's kept answers must not outlive it.
        store.driver.execute_query(_NEW_GENERATION, database_=store.database)
    return {
        **writer.counts,
        "phases_s": phases,
        "wall_s": round(time.perf_counter() - started, 1),
        "client_cpu_s": round(time.process_time() - cpu, 1),
    }


def open_source(args: argparse.Namespace) -> ox.Store:
    """The graph to load: an embedded store read-only, or N-Triples loaded into memory."""
    if args.store_dir is not None:
        return ox.Store.read_only(str(args.store_dir))
    source = ox.Store()
    source.bulk_load(path=str(args.ntriples), format=ox.RdfFormat.N_TRIPLES)
    return source


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--store-dir", type=Path, help="an embedded store's directory")
    group.add_argument("--ntriples", type=Path, help="an N-Triples file")
    parser.add_argument("--base-iri", default=BASE)
    parser.add_argument("--batch", type=int, default=BATCH, help="rows per statement")
    parser.add_argument("--clear", action="store_true", help="empty the database first")
    args = parser.parse_args()
    source = open_source(args)
    store = open_neo4j(args.base_iri)
    if args.clear:
        store.clear()
    load_before = [round(x, 2) for x in os.getloadavg()]
    result = bulk_load(
        store, source, batch=args.batch, log=lambda m: print(m, flush=True, file=sys.stderr)
    )
    result["load_average_before"] = load_before
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    store.close()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
