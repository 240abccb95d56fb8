"""A chunk of a bulk write in columns for the plugin: ``journeykg.writeNodes``, ``writeEdges``.

Written with ``UNWIND`` statements (graph/neo4j_store.py), each new node is a
map that Bolt encodes and Cypher evaluates row by row, and each edge costs
Cypher two index seeks; that was most of the server's work of a bulk load
(docs/benchmarks.md, "Neo4j product load"). The plugin's procedures
(tools/neo4j/plugin, ``BulkWriteProcedure``) take the same chunk as a few
flat lists per group (IRIs, keys, one column per property, edges as
sources, counts and targets) and write it through Neo4j's core API **in the
caller's transaction**: the batch stays one transaction, atomic, as before.
What is written is decided here, by the same rows; the procedures know
nothing of journeykg's model. Without the plugin (or with another protocol)
the store writes with Cypher, and the graph is the same (the conformance
suite loads through both).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from neo4j import ManagedTransaction

from journeykg.graph import neo4j_procedures
from journeykg.graph.property_graph import NodeRow

NODES = "journeykg.writeNodes"
EDGES = "journeykg.writeEdges"
#: The plugin names its protocol in the procedures' descriptions
#: (BulkWriteProcedure.PROTOCOL); another one is not called.
PROTOCOL = "journeykg-bulk-protocol-1"


class ServerColumns(neo4j_procedures.ProcedureClient):
    """``journeykg.writeNodes`` and ``writeEdges`` on one Neo4j database: are both there
    (the write calls them from its own transaction, write_nodes and write_edges below)."""

    procedures = (NODES, EDGES)
    protocol = PROTOCOL
    otherwise = "bulk writes use Cypher"


def node_groups(rows: Iterable[NodeRow], *, fresh: bool) -> list[dict[str, Any]]:
    """``rows`` as column groups for ``writeNodes``, one per combination of labels.

    ``fresh``: none of the rows' nodes exists (the chunk's lookup found none), so
    the procedure creates each without looking it up; else it finds each by IRI
    (a bare placeholder) or creates it.
    """
    by_labels: dict[tuple[str, ...], list[NodeRow]] = defaultdict(list)
    for row in rows:
        by_labels[tuple(sorted(row.labels))].append(row)
    groups = []
    for labels, members in sorted(by_labels.items()):
        names = sorted({name for row in members for name in row.properties})
        groups.append(
            {
                "labels": [label for label in labels if label != "Resource"],
                "fresh": fresh,
                "iris": [row.iri for row in members],
                "keys": [row.key for row in members],
                "names": names,
                # One list per property, a value per node (None: the node has none).
                "columns": [[row.properties.get(name) for row in members] for name in names],
            }
        )
    return groups


def write_nodes(tx: ManagedTransaction, groups: list[dict[str, Any]]) -> None:
    """Write the column groups of :func:`node_groups` in ``tx``."""
    if groups:
        tx.run(f"CALL {NODES}($groups) YIELD written RETURN written", groups=groups).consume()


def write_edges(
    tx: ManagedTransaction,
    placeholders: Sequence[str],
    key: Callable[[str], str],
    edges: dict[str, list[list[Any]]],
) -> int:
    """Make the placeholders where absent and the edges (type -> [source, targets]) in ``tx``.

    Returns the number of edges made: fewer than asked when an end node went
    missing (deleted by another writer), which the caller refuses.
    """
    groups = []
    for rel_type, pairs in sorted(edges.items()):
        groups.append(
            {
                "type": rel_type,
                "sources": [source for source, _ in pairs],
                "counts": [len(targets) for _, targets in pairs],
                "targets": [target for _, targets in pairs for target in targets],
            }
        )
    record = tx.run(
        f"CALL {EDGES}($placeholders, $keys, $groups) YIELD written RETURN written",
        placeholders=list(placeholders),
        keys=[key(iri) for iri in placeholders],
        groups=groups,
    ).single(strict=True)
    made: int = record["written"]
    return made
