"""Restoring an export: the graph written back exactly as it was, into an empty store.

Unlike a load, nothing is added (no load run, no provenance of its own).
Into a store that holds anything the restore is refused; when the export
would also change governed elements there (graph/governed.py), the refusal
names each of them, its field and the workflow step, as every write path's
does. The write itself goes through the store's guard like any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph

from journeykg.graph import neo4j_bulk as bulk
from journeykg.graph.governed import inspect_write
from journeykg.graph.governed_steps import refusals
from journeykg.graph.store import Store
from journeykg.validation.problems import LoadError

if TYPE_CHECKING:
    from journeykg.graph.neo4j_offline_import import Neo4jHome


class StoreNotEmptyError(LoadError):
    """A restore into a store that holds something; nothing was written."""


def restore(
    store: Store,
    graph: Graph,
    source: str,
    key: str | None = None,
    offline_import: Neo4jHome | None = None,
) -> int:
    """Write ``graph`` into the empty ``store``; the triples written.

    In one transaction, or on a store that writes in batches (Neo4j) batch by
    batch: then ``key`` (:func:`~journeykg.graph.neo4j_bulk.file_key` of the
    export) lets a restore that failed part of the way be run again, resuming
    into the store it left part-written. With ``offline_import`` (the Neo4j
    installation's home) the empty Neo4j database is written by Neo4j's import
    tool instead, all or nothing (:mod:`journeykg.graph.neo4j_offline_import`).
    """
    if offline_import is not None:
        from journeykg.graph.neo4j_offline_import import start_staging, write_offline

        # Refused unless the database is empty (no element, no lease), before any work.
        staging = start_staging(store, graph, offline_import, prepare=lambda _graph: None)
        try:
            write_offline(store, graph, staging)
        except BaseException:
            staging.cancel()
            raise
        return len(graph)
    resume = bulk.pending(store, key) if key is not None else bulk.Resume("")
    # An export of the whole store is the only emptiness check both backends
    # share; on an empty store it is immediate, and restores are rare.
    if resume.after is None and _holds_anything(store):
        governed = inspect_write(store, graph).changes
        also = (
            f"; it would also change governed data ({len(governed)} field(s)), which changes "
            "only through the governance workflow"
            if governed
            else ""
        )
        raise StoreNotEmptyError(
            f"the store is not empty; restore only into an empty one{also}; nothing was written",
            refusals(governed, store.ids, source),
        )
    if key is None:
        store.upsert(graph)
    else:
        bulk.write(store, graph, resume)
    return len(graph)


def _holds_anything(store: Store) -> bool:
    return len(store.export()) > 0
