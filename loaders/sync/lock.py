"""One sync per source at a time: a lock in this process, a lease on a shared store."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

from journeykg.graph.errors import LeaseHeldError
from journeykg.graph.leases import cross_process_lease
from journeykg.graph.store import LeaseScope, Store
from journeykg.loaders.sync.errors import SyncBusyError

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@contextmanager
def exclusive(source: str, store: Store | None = None) -> Iterator[None]:
    """Hold the source's lock, or raise :class:`SyncBusyError` at once (never wait).

    With ``store``, also its lease on the source, which keeps out a sync of
    the same source in another process sharing the store (Neo4j).
    """
    with _locks_guard:
        lock = _locks.setdefault(source, threading.Lock())
    if not lock.acquire(blocking=False):
        raise SyncBusyError(source)
    try:
        with ExitStack() as held:
            if store is not None:
                try:
                    held.enter_context(cross_process_lease(store, LeaseScope.SYNC, source))
                except LeaseHeldError as exc:
                    raise SyncBusyError(source, " in another process") from exc
            yield
    finally:
        lock.release()
