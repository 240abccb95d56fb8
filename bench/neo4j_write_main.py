"""The Neo4j write as main has it at a1acef8, before the plugin's bulk procedures: the baseline.

``bench/neo4j_product_load.py --paths batched-main,batched`` (or with
``--store-write``) writes the same file with main's write and with this
branch's in one run (docs/benchmarks.md, "Neo4j product load"). Only the bench
uses it. What it keeps of a1acef8:

- every chunk written with ``UNWIND`` statements (``Neo4jStore.write_in_server
  = False``: the Cypher path, unchanged);
- ``PropertyGraphMapping.rows`` iterating the delta triple by triple and
  grouping it by subject again, then ``len(delta)`` (another pass) for the
  summary;
- ``neo4j_bulk.subject_batches`` sorting every triple of the delta.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from rdflib import Graph, Literal
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from journeykg.graph import neo4j_bulk
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.property_graph import NodeRow, PropertyGraphMapping, _by_iri, _listed
from journeykg.namespaces import RDF

_TYPE = RDF.type


def _rows(self: PropertyGraphMapping, delta: Graph, key_of: Any) -> list[NodeRow]:
    """``PropertyGraphMapping.rows`` at a1acef8: the delta grouped by subject.

    The rows come in IRI order (locks taken in one order by every writer);
    a property holding several values lists them in the order of their
    literals, so the same triples always give the same list (a bulk load
    writes what ``upsert`` writes).
    """
    # One pass over the triples, in whatever order the graph gives them:
    # sorting every triple of a delta (rdflib compares terms in Python) was
    # the largest part of this function at 1M elements; only the values of
    # a property that holds several are sorted (_listed).
    rows: dict[Node, NodeRow] = {}
    values: dict[Node, dict[str, list[tuple[Literal, Any]]]] = {}
    name = self.name
    encode = self.encode
    for s, p, o in delta:
        row = rows.get(s)
        if row is None:
            row = rows[s] = NodeRow(iri=str(s), key=key_of(str(s)))
            values[s] = {}
        if p == _TYPE:
            row.replaces_types = True
            row.labels.add(name(o))  # type: ignore[arg-type]
        elif isinstance(o, Literal):
            row.replaced_predicates.add(name(p))  # type: ignore[arg-type]
            prop, value = encode(p, o)  # type: ignore[arg-type]
            values[s].setdefault(prop, []).append((o, value))
        else:
            row.relationships.setdefault(name(p), []).append(str(o))  # type: ignore[arg-type]
    for s, row in rows.items():
        row.properties = {
            prop: pairs[0][1] if len(pairs) == 1 else _listed(pairs)
            for prop, pairs in values[s].items()
        }
    return sorted(rows.values(), key=_by_iri)


def _rows_counted(
    self: PropertyGraphMapping, delta: Graph, key_of: Any
) -> tuple[list[NodeRow], int]:
    return _rows(self, delta, key_of), len(delta)


def _subject_batches(delta: Graph, size: int, after: str | None = None) -> list[Graph]:
    """``delta`` as graphs of ``size`` whole subjects each, in IRI order, from after ``after``.

    Whole subjects, because a write replaces the values of each (subject,
    predicate) it names: a subject split over two batches would lose the
    first batch's values of a predicate the second also writes.
    """
    # Sorted by the subject's text and cut where the subject changes: a string key
    # compares and hashes in C, where grouping by the rdflib term calls its Python
    # __hash__ for every triple (a third of this function's time at 371k triples).
    ordered = sorted(delta, key=_subject_text)
    keys = [str(s) for s, _, _ in ordered]
    start = bisect_right(keys, after) if after is not None else 0
    batches = []
    while start < len(ordered):
        end, subjects = start, 0
        while end < len(ordered):
            if end == start or keys[end] != keys[end - 1]:  # a subject begins here
                if subjects == size:
                    break
                subjects += 1
            end += 1
        graph = Graph(store=SimpleMemory())
        add = graph.store.add  # terms come from a graph already: no checks needed
        for triple in ordered[start:end]:
            add(triple, graph)
        batches.append(graph)
        start = end
    return batches


def _subject_text(triple: tuple[Node, Node, Node]) -> str:
    return str(triple[0])


@contextmanager
def main_write() -> Iterator[None]:
    """Every Neo4j store writes as main at a1acef8 inside the block."""
    saved = (
        PropertyGraphMapping.rows,
        PropertyGraphMapping.rows_counted,
        neo4j_bulk.subject_batches,
    )
    PropertyGraphMapping.rows = _rows  # type: ignore[method-assign]
    PropertyGraphMapping.rows_counted = _rows_counted  # type: ignore[method-assign]
    neo4j_bulk.subject_batches = _subject_batches
    Neo4jStore.write_in_server = False
    try:
        yield
    finally:
        PropertyGraphMapping.rows, PropertyGraphMapping.rows_counted = saved[:2]  # type: ignore[method-assign]
        neo4j_bulk.subject_batches = saved[2]
        Neo4jStore.write_in_server = True
