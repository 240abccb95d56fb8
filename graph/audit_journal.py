"""The audit journal: an append-only SQLite file of every write to the graph.

One row per write: who (actor and role), when (UTC), what was asked (the
action and request id), which elements it touched, and the triples it
removed (old values) and added (new values) as N-Triples text. A text too
long for one SQLite value (a million-node organisation loaded in one write
records ~620 MB of lines; SQLite refuses a value over ``SQLITE_LIMIT_LENGTH``,
1e9 bytes by default) is kept in parts beside its row and read back whole. The class
has no method that changes or removes a row, and triggers in the database
refuse UPDATE and DELETE, so that no SQL sent over this file can rewrite the
trail either. (Whoever can write the file itself can still replace it: keep
the state directory readable by the service only.)

SQLite because the trail is the service's own state, kept beside the API
tokens in ``state_dir``, and must commit or roll back together with a
graph write (see :class:`~journeykg.graph.audited.AuditedStore`).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import uuid
from collections.abc import Collection, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from journeykg.file_faults import FileFault, file_fault, probe_writable
from journeykg.graph.audit_context import AuditActor
from journeykg.graph.errors import StorageFaultError
from journeykg.private_files import private_file

log = logging.getLogger("journeykg.graph")

#: The file's name inside the state directory.
FILE_NAME = "audit.sqlite"
#: How errors name the journal (never by its path).
WHAT = "the audit trail"

_SCHEMA = """
PRAGMA journal_mode = WAL;
CREATE TABLE IF NOT EXISTS audit_entry (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    role TEXT,
    action TEXT NOT NULL,
    request_id TEXT,
    backend TEXT NOT NULL,
    removed_count INTEGER NOT NULL,
    added_count INTEGER NOT NULL,
    removed TEXT NOT NULL,
    added TEXT NOT NULL,
    by_post TEXT,
    reason TEXT,
    note TEXT
);
CREATE INDEX IF NOT EXISTS audit_entry_at ON audit_entry (at);
CREATE INDEX IF NOT EXISTS audit_entry_actor ON audit_entry (actor, at);
CREATE TABLE IF NOT EXISTS audit_element (
    iri TEXT NOT NULL,
    entry INTEGER NOT NULL REFERENCES audit_entry (seq),
    PRIMARY KEY (iri, entry)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS audit_element_by_entry ON audit_element (entry, iri);
CREATE TABLE IF NOT EXISTS audit_text_part (
    entry INTEGER NOT NULL REFERENCES audit_entry (seq),
    side TEXT NOT NULL CHECK (side IN ('removed', 'added')),
    part INTEGER NOT NULL,
    lines TEXT NOT NULL,
    UNIQUE (entry, side, part)
);
CREATE TRIGGER IF NOT EXISTS audit_text_part_no_update BEFORE UPDATE ON audit_text_part
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS audit_text_part_no_delete BEFORE DELETE ON audit_text_part
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be deleted'); END;
CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON audit_entry
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be deleted'); END;
CREATE TRIGGER IF NOT EXISTS audit_element_no_update BEFORE UPDATE ON audit_element
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be changed'); END;
CREATE TRIGGER IF NOT EXISTS audit_element_no_delete BEFORE DELETE ON audit_element
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be deleted'); END;
"""

_COLUMNS = (
    "id, at, actor, role, action, request_id, backend, removed_count, added_count, removed, added, "
    "by_post, reason, note"
)
#: The same, the old and new values read as empty texts (a reader that shows counts only).
_COLUMNS_WITHOUT_TEXTS = (
    "id, at, actor, role, action, request_id, backend, removed_count, added_count, '', '', "
    "by_post, reason, note"
)

#: Columns added since the first journals were written: added to an older file when it is opened.
_ADDED_COLUMNS = ("by_post", "reason", "note")

#: The most characters of an entry's text kept in one SQLite value (a part). SQLite's
#: limit counts UTF-8 bytes, up to four a character, and applies to a whole row.
MOST_PART_CHARACTERS = 64 * 1024 * 1024


@dataclass(frozen=True)
class AuditEntry:
    """One recorded write."""

    id: str
    at: datetime
    actor: str
    role: str | None
    action: str
    request_id: str | None
    backend: str
    elements: tuple[str, ...]
    """IRIs of the subjects whose triples the write removed or added, sorted."""
    removed_count: int
    added_count: int
    removed: str
    """The old values: every triple the write removed, as N-Triples (sorted lines)."""
    added: str
    """The new values: every triple the write added, as N-Triples (sorted lines)."""
    by: str | None = None
    """The post a governance step was taken for, if it was one."""
    reason: str | None = None
    """Why, as the caller gave it."""
    note: str | None = None
    """What an entry outside the graph did (a token created or revoked), in words."""
    element_count: int = 0
    """How many elements the write touched (``elements`` may hold only the first few)."""


@dataclass(frozen=True)
class AuditFilter:
    """Which entries to list; every field left None matches all."""

    actor: str | None = None
    element: str | None = None
    """An IRI: entries that touched it."""
    since: datetime | None = None
    """Inclusive."""
    until: datetime | None = None
    """Exclusive."""


@dataclass(frozen=True)
class Change:
    """What one write did, ready to record."""

    elements: Collection[str]
    removed: str
    added: str
    removed_count: int
    added_count: int


class AuditJournal:
    """The audit trail in ``path`` (created if missing). Append and read; nothing else."""

    def __init__(self, path: Path) -> None:
        # Who changed what, with their reasons: for this user's eyes (SQLite gives
        # its -wal and -shm files the database file's mode).
        private_file(path)
        self.path = path
        # One writer connection, serialised by a lock; readers open their own
        # (WAL lets them read while a write transaction is open). After a write
        # failed on the disk the writer is opened afresh for the next one.
        self._lock = threading.Lock()
        self._writer: sqlite3.Connection | None = None
        with self._lock:
            try:
                self._connect()
            except (sqlite3.Error, OSError) as exc:
                # Reads may go on; writes are refused until the directory takes them.
                if self._fault(exc) is None:
                    raise

    def _connect(self) -> sqlite3.Connection:
        if self._writer is None:
            writer = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            try:
                writer.execute("PRAGMA busy_timeout = 30000")
                writer.executescript(_SCHEMA)
                _add_missing_columns(writer)
            except BaseException:
                writer.close()
                raise
            self._writer = writer
        return self._writer

    def _fault(self, exc: BaseException, *, applied: bool = False) -> StorageFaultError | None:
        """The error to raise for ``exc`` if it is a fault of the disk; the writer is dropped."""
        fault = file_fault(exc)
        if fault is None:
            return None
        log.warning("the audit trail could not be written (%s): %s", fault.value, str(exc))
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        return StorageFaultError(WHAT, fault, applied=applied)

    @contextmanager
    def recording(self, actor: AuditActor, backend: str, change: Change) -> Iterator[str]:
        """Append an entry for a write done inside the block; committed only if the block succeeds.

        The entry is inserted in an open SQLite transaction before the block
        runs (so a journal that cannot be written stops the graph write) and
        committed after it; if the block raises, the entry is rolled back.
        Yields the entry's id. A full disk or an unwritable state directory
        raises :class:`StorageFaultError` (the next write tries again).
        """
        with self._appending(actor, backend, change, None) as entry_id:
            yield entry_id

    @contextmanager
    def recording_event(
        self, actor: AuditActor, backend: str, elements: Collection[str], note: str
    ) -> Iterator[str]:
        """:meth:`recording` for a change outside the graph (a token), described by ``note``.

        It records the state that lives beside the graph: the entry commits
        only if the block, which makes the change, succeeds.
        """
        change = Change(elements=elements, removed="", added="", removed_count=0, added_count=0)
        with self._appending(actor, backend, change, note) as entry_id:
            yield entry_id

    @contextmanager
    def _appending(
        self, actor: AuditActor, backend: str, change: Change, note: str | None
    ) -> Iterator[str]:
        entry_id = uuid.uuid4().hex
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        with self._lock:
            try:
                db = self._connect()
                # IMMEDIATE takes the write lock now: two processes sharing this
                # journal record their writes one after the other.
                db.execute("BEGIN IMMEDIATE")
                size = _part_size(db)
                parted = len(change.removed) + len(change.added) > size
                cursor = db.execute(
                    f"INSERT INTO audit_entry ({_COLUMNS}) VALUES ({', '.join('?' * 14)})",
                    (
                        entry_id,
                        at,
                        actor.name,
                        actor.role,
                        actor.action,
                        actor.request_id,
                        backend,
                        change.removed_count,
                        change.added_count,
                        "" if parted else change.removed,
                        "" if parted else change.added,
                        actor.by,
                        actor.reason,
                        note,
                    ),
                )
                seq = cursor.lastrowid
                db.executemany(
                    "INSERT INTO audit_element (iri, entry) VALUES (?, ?)",
                    ((iri, seq) for iri in sorted(set(change.elements))),
                )
                if parted:
                    db.executemany(
                        "INSERT INTO audit_text_part (entry, side, part, lines) "
                        "VALUES (?, ?, ?, ?)",
                        (
                            (seq, side, number, text[start : start + size])
                            for side, text in (("removed", change.removed), ("added", change.added))
                            for number, start in enumerate(range(0, len(text), size))
                        ),
                    )
            except (sqlite3.Error, OSError) as exc:
                self._roll_back()
                fault = self._fault(exc)
                if fault is None:
                    raise
                raise fault from exc
            try:
                yield entry_id
            except BaseException:
                self._roll_back()
                raise
            try:
                db.execute("COMMIT")
            except (sqlite3.Error, OSError) as exc:
                self._roll_back()
                fault = self._fault(exc, applied=True)
                if fault is None:
                    raise
                raise fault from exc

    def _roll_back(self) -> None:
        # SQLite may have rolled the transaction back itself (a full disk does).
        db = self._writer
        if db is not None and db.in_transaction:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                log.warning("the audit trail's rollback failed; its writer is opened afresh")
                db.close()
                self._writer = None

    def check_writable(self) -> None:
        """For readiness: the state directory takes writes and the writer is open."""
        with self._lock:
            try:
                probe_writable(self.path.parent)
                self._connect()
            except (sqlite3.Error, OSError) as exc:
                raise (self._fault(exc) or StorageFaultError(WHAT, FileFault.IO)) from exc

    def entries(
        self,
        where: AuditFilter = AuditFilter(),
        *,
        offset: int = 0,
        limit: int | None = None,
        texts: bool = True,
        elements: int | None = None,
    ) -> tuple[list[AuditEntry], int]:
        """Matching entries (newest first, from ``offset``, at most ``limit``) and their count.

        A reader that shows only counts asks for less: without ``texts`` the old and
        new values are left empty, and with ``elements`` each entry holds only its
        first that many elements (``element_count`` says how many there are). The
        one entry of a million-node load holds ~620 MB of values and 805,093 elements.
        """
        clauses: list[str] = []
        params: list[str] = []
        if where.actor is not None:
            clauses.append("actor = ?")
            params.append(where.actor)
        if where.element is not None:
            clauses.append(
                "EXISTS (SELECT 1 FROM audit_element e WHERE e.iri = ? AND e.entry = seq)"
            )
            params.append(where.element)
        if where.since is not None:
            clauses.append("at >= ?")
            params.append(_stamp(where.since))
        if where.until is not None:
            clauses.append("at < ?")
            params.append(_stamp(where.until))
        condition = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        try:
            return self._read(condition, params, offset, limit, texts, elements)
        except (sqlite3.Error, OSError) as exc:
            fault = file_fault(exc)
            if fault is None:
                raise
            log.warning("the audit trail could not be read (%s): %s", fault.value, str(exc))
            raise StorageFaultError(WHAT, fault, reading=True) from exc

    def _read(
        self,
        condition: str,
        params: list[str],
        offset: int,
        limit: int | None,
        with_texts: bool,
        most_elements: int | None,
    ) -> tuple[list[AuditEntry], int]:
        columns = _COLUMNS if with_texts else _COLUMNS_WITHOUT_TEXTS
        with closing(sqlite3.connect(self.path)) as db:
            total = db.execute(f"SELECT count(*) FROM audit_entry {condition}", params).fetchone()
            rows = db.execute(
                f"SELECT seq, {columns} FROM audit_entry {condition} "
                "ORDER BY seq DESC LIMIT ? OFFSET ?",
                [*params, -1 if limit is None else limit, offset],
            ).fetchall()
            seqs = [row[0] for row in rows]
            elements = _elements(db, seqs, most_elements)
            counts = (
                {seq: len(found) for seq, found in elements.items()}
                if most_elements is None
                else _element_counts(db, seqs)
            )
            texts = _parted_texts(db, seqs) if with_texts else {}
        found = [
            AuditEntry(
                id=row[1],
                at=datetime.fromisoformat(row[2]),
                actor=row[3],
                role=row[4],
                action=row[5],
                request_id=row[6],
                backend=row[7],
                elements=tuple(elements[row[0]]),
                element_count=counts.get(row[0], 0),
                removed_count=row[8],
                added_count=row[9],
                removed=texts.get((row[0], "removed"), row[10]),
                added=texts.get((row[0], "added"), row[11]),
                by=row[12],
                reason=row[13],
                note=row[14],
            )
            for row in rows
        ]
        return found, int(total[0])

    def close(self) -> None:
        """Close the writer connection."""
        with self._lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None


def _elements(db: sqlite3.Connection, entries: list[int], most: int | None) -> dict[int, list[str]]:
    """The elements of ``entries`` in IRI order: all, or the first ``most`` of each."""
    found: dict[int, list[str]] = {entry: [] for entry in entries}
    if not entries or most == 0:
        return found
    if most is not None:
        # One short read per entry (audit_element_by_entry): the page's entries
        # are few, and one of them may hold 805,093 elements.
        for entry in entries:
            found[entry] = [
                iri
                for (iri,) in db.execute(
                    "SELECT iri FROM audit_element WHERE entry = ? ORDER BY iri LIMIT ?",
                    (entry, most),
                )
            ]
        return found
    marks = ", ".join("?" for _ in entries)
    for iri, entry in db.execute(
        f"SELECT iri, entry FROM audit_element WHERE entry IN ({marks}) ORDER BY iri", entries
    ):
        found[entry].append(iri)
    return found


def _element_counts(db: sqlite3.Connection, entries: list[int]) -> dict[int, int]:
    """How many elements each of ``entries`` touched."""
    if not entries:
        return {}
    marks = ", ".join("?" for _ in entries)
    return dict(
        db.execute(
            f"SELECT entry, count(*) FROM audit_element WHERE entry IN ({marks}) GROUP BY entry",
            entries,
        ).fetchall()
    )


def _part_size(db: sqlite3.Connection) -> int:
    """How many characters of an entry's text one value holds, on this connection."""
    # A quarter of the limit, less room for the row's other columns: every character
    # may take four bytes in UTF-8, and measuring the bytes means encoding the text.
    room = (db.getlimit(sqlite3.SQLITE_LIMIT_LENGTH) - 64 * 1024) // 4
    return max(1, min(MOST_PART_CHARACTERS, room))


def _parted_texts(db: sqlite3.Connection, entries: list[int]) -> dict[tuple[int, str], str]:
    """The texts of ``entries`` kept in parts, joined, by (entry, side)."""
    parts: dict[tuple[int, str], list[str]] = {}
    if not entries:
        return {}
    # A journal no writer has opened since parts were introduced has no such table.
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'audit_text_part'").fetchone() is None:
        return {}
    marks = ", ".join("?" for _ in entries)
    for entry, side, lines in db.execute(
        f"SELECT entry, side, lines FROM audit_text_part WHERE entry IN ({marks}) "
        "ORDER BY entry, side, part",
        entries,
    ):
        parts.setdefault((entry, side), []).append(lines)
    return {key: "".join(texts) for key, texts in parts.items()}


def _add_missing_columns(db: sqlite3.Connection) -> None:
    """Give a journal written by an older journeykg the current columns (NULL in its rows)."""
    present = {row[1] for row in db.execute("PRAGMA table_info(audit_entry)")}
    for column in _ADDED_COLUMNS:
        if column not in present:
            db.execute(f"ALTER TABLE audit_entry ADD COLUMN {column} TEXT")


def _stamp(moment: datetime) -> str:
    """A moment as stored: ISO 8601 in UTC with microseconds, so text order is time order."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
