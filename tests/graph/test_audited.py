"""The audited store on both backends: each write leaves one entry with old and new values.

And the journal itself: append-only in the database, filters, and a write
that fails leaves no entry (or, when the journal fails, no graph change).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.audit_context import audit_context
from journeykg.graph.audit_journal import AuditEntry, AuditFilter, AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.canonical import canonical
from journeykg.graph.store import Store
from journeykg.namespaces import RDFS
from tests.conftest import BASE

A = URIRef(BASE + "process/a")
B = URIRef(BASE + "process/b")
P = URIRef(BASE + "cost")


@pytest.fixture
def audited(store: Store, tmp_path: Path) -> Iterator[AuditedStore]:
    journal = AuditJournal(tmp_path / "audit.sqlite")
    yield AuditedStore(store, journal)
    journal.close()


def graph(*triples: tuple[URIRef, URIRef, Literal | URIRef]) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def entries(store: AuditedStore, where: AuditFilter | None = None) -> list[AuditEntry]:
    return store.journal.entries(where or AuditFilter())[0]


def test_an_upsert_records_who_what_and_the_replaced_values(audited: AuditedStore) -> None:
    with audit_context(actor="ann", role="steward", action="test:first", request_id="r1"):
        audited.upsert(graph((A, RDFS.label, Literal("A", lang="nl")), (A, P, Literal("old"))))
    with audit_context(actor="bob", role="integrator", action="test:second"):
        audited.upsert(graph((A, P, Literal("new"))))
    second, first = entries(audited)
    assert (first.actor, first.role, first.action, first.request_id) == (
        "ann",
        "steward",
        "test:first",
        "r1",
    )
    assert first.removed == ""
    assert first.added_count == 2
    assert (second.actor, second.action, second.elements) == ("bob", "test:second", (str(A),))
    assert second.removed == f'<{A}> <{P}> "old" .\n'
    assert second.added == f'<{A}> <{P}> "new" .\n'
    assert second.at >= first.at


def test_apply_and_retract_record_whole_subjects_as_old_values(audited: AuditedStore) -> None:
    audited.upsert(graph((A, P, Literal("a")), (B, P, Literal("b"))))
    audited.apply(graph((B, RDFS.label, Literal("B"))), retract=[A, B])
    applied = entries(audited)[0]
    assert applied.removed == "".join(sorted([f'<{A}> <{P}> "a" .\n', f'<{B}> <{P}> "b" .\n']))
    assert applied.added == f'<{B}> <{RDFS.label}> "B" .\n'
    assert applied.elements == tuple(sorted([str(A), str(B)]))
    audited.retract([B])
    assert entries(audited)[0].removed == f'<{B}> <{RDFS.label}> "B" .\n'
    assert entries(audited)[0].added == ""


def test_a_write_outside_any_context_is_recorded_as_unattributed(audited: AuditedStore) -> None:
    audited.upsert(graph((A, P, Literal("a"))))
    assert entries(audited)[0].actor == "unattributed"


def test_rewriting_the_same_values_records_no_change(audited: AuditedStore) -> None:
    audited.upsert(graph((A, P, Literal(3.0))))
    audited.upsert(graph((A, P, Literal(3.0))))
    latest = entries(audited)[0]
    assert (latest.removed_count, latest.added_count) == (0, 0)


def test_filters_by_actor_element_and_time(audited: AuditedStore) -> None:
    with audit_context(actor="ann", role=None, action="t"):
        audited.upsert(graph((A, P, Literal("1"))))
    middle = datetime.now(UTC)
    with audit_context(actor="bob", role=None, action="t"):
        audited.upsert(graph((B, P, Literal("2"))))
        audited.upsert(graph((A, P, Literal("3"))))
    assert [e.actor for e in entries(audited, AuditFilter(actor="bob"))] == ["bob", "bob"]
    assert [e.added for e in entries(audited, AuditFilter(element=str(A)))] == [
        f'<{A}> <{P}> "3" .\n',
        f'<{A}> <{P}> "1" .\n',
    ]
    assert [e.actor for e in entries(audited, AuditFilter(until=middle))] == ["ann"]
    assert len(entries(audited, AuditFilter(since=middle))) == 2
    later = datetime.now(UTC) + timedelta(seconds=1)
    assert entries(audited, AuditFilter(since=later)) == []
    page, total = audited.journal.entries(offset=1, limit=1)
    assert (total, len(page), page[0].actor) == (3, 1, "bob")


def test_the_journal_refuses_update_and_delete(audited: AuditedStore) -> None:
    audited.upsert(graph((A, P, Literal("a"))))
    with sqlite3.connect(audited.journal.path) as db:
        for statement in (
            "UPDATE audit_entry SET actor = 'mallory'",
            "DELETE FROM audit_entry",
            "UPDATE audit_element SET iri = 'x'",
            "DELETE FROM audit_element",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                db.execute(statement)
    assert entries(audited)[0].actor == "unattributed"
    assert entries(audited)[0].elements == (str(A),)


def test_a_journal_that_cannot_be_written_stops_the_graph_write(audited: AuditedStore) -> None:
    audited.upsert(graph((A, P, Literal("before"))))
    before = canonical(audited.export())
    writer = audited.journal._writer
    assert writer is not None
    writer.execute("PRAGMA busy_timeout = 50")
    # Another writer holds the journal's write lock: the entry cannot be inserted.
    with sqlite3.connect(audited.journal.path, isolation_level=None) as other:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            audited.upsert(graph((A, P, Literal("after"))))
        other.execute("ROLLBACK")
    assert canonical(audited.export()) == before
    assert len(entries(audited)) == 1


@pytest.mark.neo4j
def test_a_failed_graph_write_leaves_no_entry(neo4j_store: Store, tmp_path: Path) -> None:
    # On Neo4j, progress is reported inside the write transaction: raising
    # there aborts the write, as a lost connection would.
    audited = AuditedStore(neo4j_store, AuditJournal(tmp_path / "audit.sqlite"))
    audited.upsert(graph((A, P, Literal("before"))))

    def fail(done: int, total: int) -> None:
        raise RuntimeError("connection lost")

    with pytest.raises(RuntimeError, match="connection lost"):
        audited.upsert(graph((A, P, Literal("after"))), progress=fail)
    assert audited.describe([A]).value(A, P) == Literal("before")
    assert len(entries(audited)) == 1
    audited.journal.close()


def test_clear_records_everything_it_removed(audited: AuditedStore) -> None:
    audited.upsert(graph((A, P, Literal("a")), (B, P, Literal("b"))))
    audited.clear()
    cleared = entries(audited)[0]
    assert (cleared.removed_count, cleared.added_count) == (2, 0)
    assert len(audited.export()) == 0


def test_every_method_a_backend_overrides_is_delegated() -> None:
    """A Store method that a backend makes faster or real (check_ready, neighbours, ...) must
    reach the backend through the wrapper, not fall back to the base class's default."""
    from journeykg.graph.embedded import EmbeddedStore
    from journeykg.graph.neo4j_store import Neo4jStore

    public = {n for n in vars(Store) if not n.startswith("_") and callable(getattr(Store, n))}
    overridden = {n for n in public for b in (EmbeddedStore, Neo4jStore) if n in vars(b)}
    assert overridden - set(vars(AuditedStore)) == set()
