"""The Neo4j write as main had it before the 1M work (5dc33a9), for figures before/after in one run.

``bench/neo4j_product_load.py --paths batched-previous,batched`` loads the same
file with this write and with the product's (docs/benchmarks.md, "Neo4j
product load"). Only the bench uses it. What it keeps of 5dc33a9:

- ``PropertyGraphMapping.rows`` sorted every triple of a batch (rdflib
  compares terms in Python) and re-read a subject's triples for a list of
  mixed types;
- ``Neo4jStore._write_batch`` created nodes with ``SET n.key``, then
  ``n += props`` (the planner buffered the rows between them: an Eager), and
  merged each edge's target in the statement that made the edge, one per
  relationship type (an Eager again).

(``batched-baseline``, bench/neo4j_write_baseline.py, is the write from before
issue 20.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from neo4j import ManagedTransaction
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from journeykg.graph.neo4j_store import Neo4jStore, _cypher, _label, _labels, _quote
from journeykg.graph.property_graph import (
    IDENTITY_PROPERTIES,
    RESOURCE_LABEL,
    NodeRow,
    PropertyGraphMapping,
)
from journeykg.namespaces import RDF

_TYPE = RDF.type


def _rows(self: PropertyGraphMapping, delta: Graph, key_of: Any) -> list[NodeRow]:
    """``PropertyGraphMapping.rows`` at 5dc33a9, unchanged."""
    rows: dict[Node, NodeRow] = {}
    for s, p, o in _in_order(delta):
        row = rows.get(s)
        if row is None:
            row = rows[s] = NodeRow(iri=str(s), key=key_of(str(s)))
        assert isinstance(p, URIRef)
        if p == _TYPE:
            row.replaces_types = True
            row.labels.add(self.name(o))  # type: ignore[arg-type]
        elif isinstance(o, Literal):
            row.replaced_predicates.add(self.name(p))
            _append(row.properties, *self.encode(p, o))
        else:
            row.relationships.setdefault(self.name(p), []).append(str(o))
    for s, row in rows.items():
        _one_type_per_list(self, delta, s, row)
    return list(rows.values())


def _one_type_per_list(
    self: PropertyGraphMapping, delta: Graph, subject: Node, row: NodeRow
) -> None:
    for name, stored in row.properties.items():
        if isinstance(stored, list) and len({type(v) for v in stored}) > 1:
            row.properties[name] = [
                str(o)
                for p, o in delta.predicate_objects(subject)
                if isinstance(o, Literal) and self.encode(p, o)[0] == name  # type: ignore[arg-type]
            ]


def _in_order(delta: Graph) -> list[tuple[Node, Node, Node]]:
    try:
        return sorted(delta)
    except (TypeError, ArithmeticError):
        return sorted(delta, key=lambda t: (t[0], t[1], t[2].n3()))


def _append(properties: dict[str, Any], name: str, value: Any) -> None:
    if name not in properties:
        properties[name] = value
    elif isinstance(properties[name], list):
        properties[name].append(value)
    else:
        properties[name] = [properties[name], value]


def _write_batch(
    self: Neo4jStore, tx: ManagedTransaction, batch: list[NodeRow], read: object = None
) -> None:
    # ``read`` (today's write passes the change log's read for its first batch): this
    # older write looks its batch up itself, as it did.
    """``Neo4jStore._write_batch`` at 5dc33a9, unchanged."""
    existing = {
        record["iri"]: (set(record["labels"]), set(record["keys"]), record["linked"])
        for record in tx.run(
            "UNWIND $iris AS iri MATCH (n:Resource {iri: iri}) "
            "RETURN n.iri AS iri, labels(n) AS labels, keys(n) AS keys, "
            "EXISTS { (n)-->() } AS linked",
            iris=[row.iri for row in batch],
        )
    }
    created: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    merged: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    drop_labels: dict[str, list[str]] = defaultdict(list)
    drop_rels: dict[str, list[str]] = defaultdict(list)
    new_rels: dict[str, list[list[str]]] = defaultdict(list)
    for row in batch:
        found = existing.get(row.iri)
        props: dict[str, Any] = dict(row.properties)
        if found is None:
            created[tuple(sorted(row.labels - {RESOURCE_LABEL}))].append(
                {"iri": row.iri, "key": row.key, "props": props}
            )
        else:
            old_labels, old_keys, linked = found
            for key in old_keys - IDENTITY_PROPERTIES - props.keys():
                if self.mapping.split_property_name(key)[0] in row.replaced_predicates:
                    props[key] = None
            merged[tuple(sorted(row.labels - old_labels))].append(
                {"iri": row.iri, "key": row.key, "props": props}
            )
            if row.replaces_types:
                for label in old_labels - row.labels - {RESOURCE_LABEL}:
                    drop_labels[label].append(row.iri)
            if linked:
                for rel_type in row.relationships:
                    drop_rels[rel_type].append(row.iri)
        for rel_type, targets in row.relationships.items():
            new_rels[rel_type].extend([row.iri, t, self.ids.key(t)] for t in targets)

    for labels, rows in sorted(created.items()):
        tx.run(
            _cypher(
                f"UNWIND $rows AS row CREATE (n:{_labels(labels)} {{iri: row.iri}}) "
                "SET n.key = row.key, n += row.props"
            ),
            rows=rows,
        )
    for labels, rows in sorted(merged.items()):
        added = f", n:{_labels(labels)}" if labels else ""
        tx.run(
            _cypher(
                "UNWIND $rows AS row MERGE (n:Resource {iri: row.iri}) "
                f"SET n.key = row.key, n += row.props{added}"
            ),
            rows=rows,
        )
    for label, iris in sorted(drop_labels.items()):
        _label(tx, "REMOVE", label, iris)
    for rel_type, iris in sorted(drop_rels.items()):
        tx.run(
            _cypher(
                f"UNWIND $iris AS iri MATCH (:Resource {{iri: iri}})-[r:{_quote(rel_type)}]->() "
                "DELETE r"
            ),
            iris=iris,
        )
    for rel_type, triples in sorted(new_rels.items()):
        tx.run(
            _cypher(
                "UNWIND $rels AS rel MATCH (s:Resource {iri: rel[0]}) "
                "MERGE (o:Resource {iri: rel[1]}) ON CREATE SET o.key = rel[2] "
                f"CREATE (s)-[:{_quote(rel_type)}]->(o)"
            ),
            rels=triples,
        )


@contextmanager
def previous_write() -> Iterator[None]:
    """Every Neo4j store writes as at 5dc33a9 inside the block."""
    write, rows = Neo4jStore._write_batch, PropertyGraphMapping.rows
    Neo4jStore._write_batch = _write_batch  # type: ignore[method-assign]
    PropertyGraphMapping.rows = _rows  # type: ignore[method-assign]
    try:
        yield
    finally:
        Neo4jStore._write_batch = write  # type: ignore[method-assign]
        PropertyGraphMapping.rows = rows  # type: ignore[method-assign]
