"""Keeping other processes out of a sync or a governance step, on any store."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager

from rdflib import Graph, URIRef

from journeykg.graph.store import Capability, LeaseScope, Store


@contextmanager
def cross_process_lease(store: Store, scope: LeaseScope, key: str) -> Iterator[None]:
    """Hold ``store``'s lease on ``key`` in ``scope`` when other processes can share the store.

    A store without :attr:`~Capability.SHARED` is open in one process only
    (the embedded store's directory is locked by its first opener): there
    is no other process to keep out, and nothing is held. See
    :meth:`Store.lease` for how long a shared store waits.
    """
    if Capability.SHARED in store.capabilities:
        with store.lease(scope, key):
            yield
    else:
        yield


@contextmanager
def cross_process_lease_describing(
    store: Store, scope: LeaseScope, key: str, iris: Collection[URIRef]
) -> Iterator[Graph]:
    """:func:`cross_process_lease`, and what ``store`` holds about ``iris`` read once the lease
    is held (:meth:`Store.lease_describing`: on Neo4j in the lease's own statement)."""
    if Capability.SHARED in store.capabilities:
        with store.lease_describing(scope, key, iris) as described:
            yield described
    else:
        yield store.describe(iris)
