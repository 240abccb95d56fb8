"""Reads merged into fewer round trips (issue 20): a lease with the read it guards, a describe
with the referrers the sync's gate needs.

``Store.lease_describing`` and ``Store.describe_with_referrers`` answer as the two reads
they replace, on both backends; on Neo4j each is one statement, and the lease keeps its
meaning: another holder's lease is still refused, what is read is read once the lease is
held (the bookmark a sync starts from is the one its lease belongs to), and the read takes
no lock that would stop the holder's own write.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from neo4j._sync.work.transaction import Transaction
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

import journeykg.graph.neo4j_store as neo4j_module
from journeykg.bootstrap import open_store
from journeykg.graph.errors import LeaseHeldError
from journeykg.graph.leases import cross_process_lease_describing
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.store import LeaseScope, Store
from journeykg.namespaces import JKG, RDF, RDFS
from journeykg.settings import Settings
from tests.conftest import BASE, read_fixture

SOURCE = URIRef(f"{BASE}source/crm")
KEY = "lease-describing-test"


def _bookmark(value: str) -> Graph:
    graph = Graph()
    graph.add((SOURCE, RDF.type, JKG.SyncSource))
    graph.add((SOURCE, RDFS.label, Literal("crm")))
    graph.add((SOURCE, JKG.bookmark, Literal(value)))
    return graph


@pytest.fixture
def other(neo4j_settings: Settings, neo4j_store: Store) -> Iterator[Store]:
    """Another opener of the test server (another process, as far as the server knows)."""
    with open_store(neo4j_settings, audited=False) as store:
        yield store


# --- the same answers on both backends ------------------------------------------------


def test_a_read_under_the_lease_is_what_describe_reads(store: Store) -> None:
    store.upsert(read_fixture("impact_small.ttl"))
    store.upsert(_bookmark("t1"))
    subjects = {s for s in store.export().subjects() if isinstance(s, URIRef)}
    wanted = [*sorted(subjects)[:5], SOURCE, URIRef(f"{BASE}nowhere")]
    with cross_process_lease_describing(store, LeaseScope.SYNC, KEY, wanted) as held:
        assert isomorphic(held, store.describe(wanted))
        assert str(held.value(SOURCE, JKG.bookmark)) == "t1"


def test_a_describe_with_referrers_is_the_two_reads(store: Store) -> None:
    store.upsert(read_fixture("impact_small.ttl"))
    objects = {o for o in store.export().objects() if isinstance(o, URIRef)}
    pointed_at = {o for _, _, o in store.referrers(objects)}
    subjects = sorted(s for s in store.export().subjects() if isinstance(s, URIRef))
    cases: list[tuple[list[URIRef], list[URIRef]]] = [
        (subjects, sorted(pointed_at)),  # both
        (subjects[:3], sorted(pointed_at)[:2]),  # referred outside the described
        ([URIRef(f"{BASE}nowhere")], sorted(pointed_at)),  # nothing described
        (subjects[:3], []),  # nothing referred
        ([], []),
    ]
    for iris, referred in cases:
        graph, referrers = store.describe_with_referrers(iris, referred)
        assert isomorphic(graph, store.describe(iris))
        assert referrers == store.referrers(referred)
    assert any(store.describe_with_referrers(subjects, sorted(pointed_at))[1])


# --- Neo4j: the lease keeps its meaning -------------------------------------------------


def test_a_lease_held_by_another_is_still_refused(
    neo4j_store: Neo4jStore, other: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(neo4j_module, "LEASE_PROBE_SECONDS", 0.5)
    with (
        other.lease(LeaseScope.SYNC, KEY),
        pytest.raises(LeaseHeldError),
        neo4j_store.lease_describing(LeaseScope.SYNC, KEY, [SOURCE]),
    ):
        pass
    with (
        neo4j_store.lease_describing(LeaseScope.SYNC, KEY, [SOURCE]),
        pytest.raises(LeaseHeldError),
        other.lease(LeaseScope.SYNC, KEY),
    ):
        pass
    with other.lease(LeaseScope.SYNC, KEY):  # released: free again
        pass


def test_what_is_read_is_read_once_the_lease_is_held(
    neo4j_store: Neo4jStore, other: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another holder takes the lease in the instant between this holder's probe and its
    hold, and moves the bookmark before it lets go: the hold waits for it, and reads the
    bookmark that holder left, not the one before."""
    neo4j_store.upsert(_bookmark("t1"))
    held, release = threading.Event(), threading.Event()

    def another_holder() -> None:
        with other.lease(LeaseScope.SYNC, KEY):
            other.upsert(_bookmark("t2"))
            held.set()
            release.wait(10)

    holder = threading.Thread(target=another_holder)
    close = Transaction.close

    def probe_closed(tx: Any) -> None:
        close(tx)
        if not holder.is_alive() and not held.is_set():  # the first close: the probe's
            holder.start()
            assert held.wait(10)
            # Let go a moment after this holder's claim starts waiting for the lock.
            threading.Timer(0.3, release.set).start()

    monkeypatch.setattr(Transaction, "close", probe_closed)
    with neo4j_store.lease_describing(LeaseScope.SYNC, KEY, [SOURCE]) as described:
        assert release.is_set()  # the hold waited for the other holder
        assert str(described.value(SOURCE, JKG.bookmark)) == "t2"
    holder.join(10)


def test_the_read_under_the_lease_does_not_stop_the_holders_own_write(
    neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync's first run reads its (not yet stored) source under the lease, then writes it:
    a read that locked the absent node's index entry would make that write wait for the
    lease, which waits for the write. Bounded: the write gives up after 10 s."""
    monkeypatch.setattr(neo4j_store, "write_timeout", 10.0)
    with neo4j_store.lease_describing(LeaseScope.SYNC, KEY, [SOURCE]) as described:
        assert len(described) == 0
        neo4j_store.upsert(_bookmark("t1"))
    assert str(neo4j_store.describe([SOURCE]).value(SOURCE, JKG.bookmark)) == "t1"
