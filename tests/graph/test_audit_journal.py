"""The audit journal's file: an entry's text longer than one SQLite value is kept in parts.

SQLite refuses a value over ``SQLITE_LIMIT_LENGTH`` (1e9 bytes by default): the record
of a ~1.6M-node organisation loaded in one write would exceed it. The tests lower the
writer's limit so that texts of a few hundred kilobytes stand for that case.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.audit_context import AuditActor, audit_context
from journeykg.graph.audit_journal import AuditJournal, Change
from journeykg.graph.audited import AuditedStore
from journeykg.graph.canonical import canonical
from journeykg.graph.store import Store
from tests.conftest import BASE

#: The writer's limit in the tests: parts of (200,000 - 65,536) // 4 = 33,616 characters.
LIMIT = 200_000
ACTOR = AuditActor(name="loader", role="integrator", action="cli:load")


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[AuditJournal]:
    journal = AuditJournal(tmp_path / "audit.sqlite")
    journal._connect().setlimit(sqlite3.SQLITE_LIMIT_LENGTH, LIMIT)
    yield journal
    journal.close()


def lines(count: int, word: str) -> str:
    """N-Triples lines as the audit spells them, some with characters UTF-8 spells in 2-4 bytes."""
    return "".join(
        f'<{BASE}step/{word}{n:06d}> <{BASE}label> "stap {n} één 🚀 {word}" .\n'
        for n in range(count)
    )


def record(journal: AuditJournal, removed: str, added: str) -> None:
    change = Change(
        elements=[f"{BASE}step/a"],
        removed=removed,
        added=added,
        removed_count=removed.count("\n"),
        added_count=added.count("\n"),
    )
    with journal.recording(ACTOR, "embedded", change):
        pass


def parts(journal: AuditJournal) -> list[tuple[str, int, int]]:
    with sqlite3.connect(journal.path) as db:
        return db.execute(
            "SELECT side, part, length(lines) FROM audit_text_part ORDER BY side, part"
        ).fetchall()


def test_a_text_longer_than_one_value_is_kept_in_parts_and_read_whole(
    journal: AuditJournal,
) -> None:
    removed, added = lines(900, "old"), lines(3_000, "new")
    assert len(added) * 4 > LIMIT  # one value could not hold it as UTF-8
    record(journal, removed, added)
    [entry] = journal.entries()[0]
    assert entry.added == added
    assert entry.removed == removed
    assert (entry.removed_count, entry.added_count) == (900, 3_000)
    kept = parts(journal)
    assert [side for side, _, _ in kept].count("added") == -(-len(added) // 33_616)
    assert all(length <= 33_616 for _, _, length in kept)
    with sqlite3.connect(journal.path) as db:
        assert db.execute("SELECT removed, added FROM audit_entry").fetchone() == ("", "")


def test_two_texts_that_fit_alone_but_not_in_one_row_are_parted(journal: AuditJournal) -> None:
    removed, added = lines(200, "old"), lines(200, "new")
    assert len(removed) < 33_616 < len(removed) + len(added)
    record(journal, removed, added)
    [entry] = journal.entries()[0]
    assert (entry.removed, entry.added) == (removed, added)
    assert {side for side, _, _ in parts(journal)} == {"removed", "added"}


def test_a_short_text_stays_in_its_row_and_entries_keep_their_own_parts(
    journal: AuditJournal,
) -> None:
    record(journal, "", lines(3, "small"))
    assert parts(journal) == []
    record(journal, lines(1_500, "big"), "")
    record(journal, "", lines(2, "after"))
    newest, big, small = journal.entries()[0]
    assert (small.removed, small.added) == ("", lines(3, "small"))
    assert (big.removed, big.added) == (lines(1_500, "big"), "")
    assert (newest.removed, newest.added) == ("", lines(2, "after"))
    # A page of the list reads only its own entries' parts.
    [only] = journal.entries(offset=1, limit=1)[0]
    assert only.removed == lines(1_500, "big")


def test_parts_are_append_only(journal: AuditJournal) -> None:
    record(journal, "", lines(3_000, "new"))
    with sqlite3.connect(journal.path) as db:
        for statement in ("UPDATE audit_text_part SET lines = ''", "DELETE FROM audit_text_part"):
            with pytest.raises(sqlite3.DatabaseError, match="append-only"):
                db.execute(statement)
    assert journal.entries()[0][0].added == lines(3_000, "new")


def test_a_large_write_through_the_audited_store_is_recorded_whole(
    embedded_store: Store, journal: AuditJournal
) -> None:
    audited = AuditedStore(embedded_store, journal)
    delta = Graph()
    for n in range(2_000):
        delta.add((URIRef(f"{BASE}step/s{n}"), URIRef(BASE + "label"), Literal(f"stap {n} één")))
    with audit_context(actor="loader", role="integrator", action="cli:load"):
        audited.upsert(delta)
    [entry] = journal.entries()[0]
    assert entry.added_count == 2_000
    assert len(parts(journal)) > 1
    assert entry.added.splitlines() == sorted(entry.added.splitlines())
    assert canonical(Graph().parse(data=entry.added, format="nt")) == canonical(delta)


def test_a_reader_of_counts_gets_no_values_and_the_first_elements(journal: AuditJournal) -> None:
    many = [f"{BASE}step/{n:03d}" for n in range(120)]
    change = Change(
        elements=list(reversed(many)),
        removed="",
        added=lines(3_000, "new"),
        removed_count=0,
        added_count=3_000,
    )
    with journal.recording(ACTOR, "embedded", change):
        pass
    record(journal, lines(1, "old"), lines(1, "new"))
    [small, large], total = journal.entries(texts=False, elements=5)
    assert total == 2
    assert (large.added, large.added_count, large.element_count) == ("", 3_000, 120)
    assert large.elements == tuple(many[:5])  # the first in IRI order
    assert (small.removed, small.added, small.element_count) == ("", "", 1)
    [_, none], _ = journal.entries(texts=False, elements=0)
    assert (none.elements, none.element_count) == ((), 120)
    [_, whole], _ = journal.entries()
    assert (whole.elements, whole.element_count) == (tuple(many), 120)
    assert whole.added == lines(3_000, "new")
