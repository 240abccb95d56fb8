"""The subjects a small write retracts and writes again, written as a difference.

:meth:`journeykg.graph.neo4j_store.Neo4jStore.apply` replaces the subjects
it retracts whole. The general path (built for loads of millions of triples)
first strips each of them (every outgoing edge deleted, every label removed,
its properties cleared) and then writes it again, so a sync that rewrites
1,000 contact volumes, each with the same reason, channel and source as
before, deleted and made again some 5,000 edges, most of them on dense hub
nodes: a third of a second of the server's time on the 1M graph
(docs/benchmarks.md, "Incremental sync on a 1M-node graph", third round).

Here, in a write of at most
:data:`~journeykg.graph.neo4j_store.SMALL_WRITE_ROWS` subjects, the rows of
the subjects it retracts and rewrites (a sync's batch of its own elements)
are compared with what their nodes hold (labels, property names, outgoing
edges: read once for this and the change log, :func:`.change_log.stored_nodes`):
the properties a row no longer has are set to null, the labels it drops removed,
only the edges that go deleted and only those that come made. The rest of the
write (new subjects, merged ones, what is only retracted) takes the general
path in the same transaction. The stored result is the general path's exactly
(a retracted and rewritten subject holds what the row says and nothing else),
which tests/graph/test_neo4j_small_write.py holds against the general path and
the embedded store.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import Any

from neo4j import ManagedTransaction

from journeykg.graph.change_log import StoredNode
from journeykg.graph.neo4j_store import (
    _cypher,
    _label,
    _quote,
    write_edges_cypher,
    write_node_groups,
)
from journeykg.graph.property_graph import IDENTITY_PROPERTIES, RESOURCE_LABEL, NodeRow

Edge = tuple[str, str]
"""An outgoing edge: its type and its target's IRI."""


def write_small(
    tx: ManagedTransaction,
    rows: list[NodeRow],
    key_of: Callable[[str], str],
    stored: Mapping[str, StoredNode],
) -> None:
    """Write ``rows`` in ``tx``, each replacing whole what its subject held.

    ``stored``: what their nodes hold now (:func:`.change_log.stored_nodes`, read
    once for this and for the change log; absent: a new node).
    """
    created: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    merged: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    drop_labels: dict[str, list[str]] = defaultdict(list)
    drop_edges: dict[str, list[list[str]]] = defaultdict(list)
    new_edges: dict[str, list[list[Any]]] = defaultdict(list)
    targets: set[str] = set()
    for row in rows:
        wanted = {(t, o) for t, objects in row.relationships.items() for o in objects}
        props: dict[str, Any] = dict(row.properties)
        node = stored.get(row.iri)
        kept: set[Edge] = set()
        if node is None:
            # Absent: CREATE, identity and properties in one map (one operator, no Eager).
            props["iri"], props["key"] = row.iri, row.key
            created[tuple(sorted(row.labels - {RESOURCE_LABEL}))].append(props)
        else:
            old_labels, old_keys, rels = node.labels, node.keys, node.edges
            for key in old_keys - IDENTITY_PROPERTIES - props.keys():
                props[key] = None  # SET n += {k: null} removes k
            for label in old_labels - row.labels - {RESOURCE_LABEL}:
                drop_labels[label].append(row.iri)
            old_edges = {(t, o) for t, o in rels}
            for rel_type, target in sorted(old_edges - wanted):
                drop_edges[rel_type].append([row.iri, target])
            kept = old_edges & wanted
            merged[tuple(sorted(row.labels - old_labels))].append(
                {"iri": row.iri, "key": row.key, "props": props}
            )
        adding: dict[str, list[str]] = defaultdict(list)
        for rel_type, target in sorted(wanted - kept):
            adding[rel_type].append(target)
            targets.add(target)
        for rel_type, to in adding.items():
            new_edges[rel_type].append([row.iri, to])
    write_node_groups(tx, created, merged)
    for label, iris in sorted(drop_labels.items()):
        _label(tx, "REMOVE", label, iris)
    for rel_type, pairs in sorted(drop_edges.items()):
        # Expanded from the subject (a few edges), never from the target (often a hub).
        tx.run(
            _cypher(
                "UNWIND $pairs AS pair MATCH (:Resource {iri: pair[0]})"
                f"-[r:{_quote(rel_type)}]->(o) WHERE o.iri = pair[1] DELETE r"
            ),
            pairs=pairs,
        )
    write_edges_cypher(tx, sorted(targets - {row.iri for row in rows}), key_of, new_edges)
