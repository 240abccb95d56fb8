"""Neo4j whose writes take the batched path of ``journeykg load``: for the conformance suite.

Not a stand-in: the real :class:`Neo4jStore` on the real server, whose
writes without a retraction (the suite's ``upsert`` of its fixtures) go
through :func:`~journeykg.graph.neo4j_bulk.write_in_batches` in batches of
:data:`BATCH` subjects, as a load of an organisation does, so that every
question of the suite is asked of a graph loaded that way.
"""

from __future__ import annotations

from collections.abc import Collection

from rdflib import Graph, URIRef

from journeykg.graph.model import WriteSummary
from journeykg.graph.neo4j_bulk import Resume, write_in_batches
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.store import Progress

#: Small, so that the suite's fixtures (tens of subjects) span many batches.
BATCH = 3


class BulkLoadedNeo4jStore(Neo4jStore):
    """A Neo4j store whose upserts are batched writes of :data:`BATCH` subjects."""

    _in_batch = False

    def apply(
        self, delta: Graph, retract: Collection[URIRef] = (), progress: Progress | None = None
    ) -> WriteSummary:
        if retract or self._in_batch:
            return super().apply(delta, retract, progress)
        self._in_batch = True
        try:
            # Through the writer thread (ahead=1): the default writes one batch after the
            # other, which every load test takes; the conformance suite takes this one.
            return write_in_batches(
                self, delta, journal=None, resume=Resume("test"), size=BATCH, ahead=1
            )
        finally:
            self._in_batch = False
