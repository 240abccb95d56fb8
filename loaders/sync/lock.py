"""One sync per source at a time: a lock in this process, a lease on a shared store."""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterator
from contextlib import ExitStack, contextmanager

from rdflib import Graph, URIRef

from journeykg.graph.errors import LeaseHeldError
from journeykg.graph.leases import cross_process_lease_describing
from journeykg.graph.store import LeaseScope, Store
from journeykg.loaders.sync.errors import SyncBusyError

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@contextmanager
def exclusive(
    source: str, store: Store | None = None, describing: Collection[URIRef] = ()
) -> Iterator[Graph]:
    """Hold the source's lock, or raise :class:`SyncBusyError` at once (never wait).

    With ``store``, also its lease on the source, which keeps out a sync of
    the same source in another process sharing the store (Neo4j); the block is
    handed what the store holds about ``describing``, read once the lease is
    held (on Neo4j in the lease's own statement: the source's state, whose
    bookmark is then the one this lease belongs to). Without ``store``, nothing.
    """
    with _locks_guard:
        lock = _locks.setdefault(source, threading.Lock())
    if not lock.acquire(blocking=False):
        raise SyncBusyError(source)
    try:
        with ExitStack() as held:
            described = Graph()
            if store is not None:
                try:
                    described = held.enter_context(
                        cross_process_lease_describing(store, LeaseScope.SYNC, source, describing)
                    )
                except LeaseHeldError as exc:
                    raise SyncBusyError(source, " in another process") from exc
            yield described
    finally:
        lock.release()
