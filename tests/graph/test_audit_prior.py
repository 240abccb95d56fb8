"""The audit takes a write's old values from the writer's own read while nothing was written
since (graph/audit_prior.py), on both backends: the same entries as reading the store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.audit_journal import AuditFilter, AuditJournal
from journeykg.graph.audit_prior import PriorRead, prior_read
from journeykg.graph.audited import AuditedStore
from journeykg.graph.store import Store
from journeykg.namespaces import RDFS
from tests.conftest import BASE

A, B, C = (URIRef(BASE + f"process/{n}") for n in "abc")
COST = URIRef(BASE + "cost")


@pytest.fixture
def audited(store: Store, tmp_path: Path) -> Iterator[AuditedStore]:
    journal = AuditJournal(tmp_path / "audit.sqlite")
    yield AuditedStore(store, journal)
    journal.close()


def _graph(*triples: tuple[URIRef, URIRef, Literal | URIRef]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def _seed(store: AuditedStore) -> None:
    store.upsert(
        _graph(
            (A, RDFS.label, Literal("A")),
            (A, COST, Literal(1)),
            (B, RDFS.label, Literal("B")),
            (C, RDFS.label, Literal("C")),
        )
    )


def _read(store: AuditedStore, subjects: set[URIRef]) -> PriorRead:
    generation = store.generation()
    return PriorRead(store.describe(subjects), frozenset(subjects), generation)


def _last(store: AuditedStore) -> tuple[str, str]:
    entry = store.journal.entries(AuditFilter())[0][0]
    return entry.removed, entry.added


def _write(store: AuditedStore) -> None:
    store.apply(_graph((A, COST, Literal(2)), (B, RDFS.label, Literal("B2"))), retract=[C])


def test_the_prior_read_gives_the_entry_a_fresh_read_gives(audited: AuditedStore) -> None:
    _seed(audited)
    _write(audited)
    expected = _last(audited)
    # The same write again from the same state, this time with the writer's read offered
    # (C is not in it: the audit reads it from the store).
    audited.inner.clear()
    _seed(audited)
    with prior_read(_read(audited, {A, B})):
        _write(audited)
    assert _last(audited) == expected
    assert "B2" in expected[1]
    assert '"C"' in expected[0]
    assert '"1"' in expected[0]


def test_a_read_made_before_another_write_is_not_used(audited: AuditedStore) -> None:
    _seed(audited)
    stale = _read(audited, {A, B, C})
    audited.upsert(_graph((A, COST, Literal(5))))  # after the read: its old value is 5 now
    with prior_read(stale):
        _write(audited)
    removed, _ = _last(audited)
    assert '"5"' in removed
    assert '"1"' not in removed  # the stale read's value is not recorded
    assert audited.describe([A]).value(A, COST) == Literal(2)
