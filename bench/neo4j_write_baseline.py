"""The Neo4j write as it was before issue 20's change, for a baseline measured in the same run.

``bench/neo4j_product_load.py --paths batched-baseline,batched`` loads the same
file with this write and with the product's: the figures before and after come
from one run on one machine state (docs/benchmarks.md, "Neo4j product load").
Only the bench uses it: the product writes with ``Neo4jStore._write_batch``.

The old write: one lookup of the batch's nodes, one ``MERGE`` of every node,
then one statement per label added or dropped and one ``DELETE`` of the old
edges per relationship type, for new nodes as well as for stored ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from neo4j import ManagedTransaction

from journeykg.graph.neo4j_store import Neo4jStore, _cypher, _label, _quote
from journeykg.graph.property_graph import IDENTITY_PROPERTIES, RESOURCE_LABEL, NodeRow


def _write_batch(
    self: Neo4jStore, tx: ManagedTransaction, batch: list[NodeRow], read: object = None
) -> None:
    # ``read`` (today's write passes the change log's read for its first batch): this
    # older write looks its batch up itself, as it did.
    """The old ``Neo4jStore._write_batch`` (at 03e5f09), unchanged."""
    existing = {
        record["iri"]: (set(record["labels"]), set(record["keys"]))
        for record in tx.run(
            "UNWIND $iris AS iri MATCH (n:Resource {iri: iri}) "
            "RETURN n.iri AS iri, labels(n) AS labels, keys(n) AS keys",
            iris=[row.iri for row in batch],
        )
    }
    node_params = []
    add_labels: dict[str, list[str]] = defaultdict(list)
    drop_labels: dict[str, list[str]] = defaultdict(list)
    drop_rels: dict[str, list[str]] = defaultdict(list)
    new_rels: dict[str, list[list[str]]] = defaultdict(list)
    for row in batch:
        old_labels, old_keys = existing.get(row.iri, (set(), set()))
        props: dict[str, Any] = dict(row.properties)
        for key in old_keys - IDENTITY_PROPERTIES - props.keys():
            if self.mapping.split_property_name(key)[0] in row.replaced_predicates:
                props[key] = None  # SET n += {k: null} removes k
        node_params.append({"iri": row.iri, "key": row.key, "props": props})
        for label in row.labels - old_labels:
            add_labels[label].append(row.iri)
        if row.replaces_types:
            for label in old_labels - row.labels - {RESOURCE_LABEL}:
                drop_labels[label].append(row.iri)
        for rel_type, targets in row.relationships.items():
            drop_rels[rel_type].append(row.iri)
            new_rels[rel_type].extend([row.iri, t, self.ids.key(t)] for t in targets)

    tx.run(
        "UNWIND $rows AS row MERGE (n:Resource {iri: row.iri}) SET n.key = row.key, n += row.props",
        rows=node_params,
    )
    for label, iris in sorted(add_labels.items()):
        _label(tx, "SET", label, iris)
    for label, iris in sorted(drop_labels.items()):
        _label(tx, "REMOVE", label, iris)
    for rel_type, iris in sorted(drop_rels.items()):
        tx.run(
            _cypher(
                "UNWIND $iris AS iri MATCH (:Resource {iri: iri})-[r:"
                f"{_quote(rel_type)}]->() DELETE r"
            ),
            iris=iris,
        )
    for rel_type, triples in sorted(new_rels.items()):
        tx.run(
            _cypher(
                "UNWIND $rels AS rel MATCH (s:Resource {iri: rel[0]}) "
                "MERGE (o:Resource {iri: rel[1]}) ON CREATE SET o.key = rel[2] "
                # CREATE, not MERGE: this subject's edges of this type were deleted
                # just above, and its targets are distinct (a graph's triples are a
                # set), so no edge can exist twice; MERGE would scan each subject's
                # edges for nothing (the largest cost of a bulk write).
                f"CREATE (s)-[:{_quote(rel_type)}]->(o)"
            ),
            rels=triples,
        )


@contextmanager
def baseline_write() -> Iterator[None]:
    """Every Neo4j store writes the old way inside the block."""
    product = Neo4jStore._write_batch
    Neo4jStore._write_batch = _write_batch  # type: ignore[method-assign]
    try:
        yield
    finally:
        Neo4jStore._write_batch = product  # type: ignore[method-assign]
