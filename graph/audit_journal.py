"""The audit journal: an append-only SQLite file of every write to the graph.

One row per write: who (actor and role), when (UTC), what was asked (the
action and request id), which elements it touched, and the triples it
removed (old values) and added (new values) as N-Triples text. The class
has no method that changes or removes a row, and triggers in the database
refuse UPDATE and DELETE, so that no SQL sent over this file can rewrite the
trail either. (Whoever can write the file itself can still replace it: keep
the state directory readable by the service only.)

SQLite because the trail is the service's own state, kept beside the API
tokens in ``state_dir``, and must commit or roll back together with a
graph write (see :class:`~journeykg.graph.audited.AuditedStore`).
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Collection, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from journeykg.graph.audit_context import AuditActor
from journeykg.private_files import private_file

#: The file's name inside the state directory.
FILE_NAME = "audit.sqlite"

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
    added TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_entry_at ON audit_entry (at);
CREATE INDEX IF NOT EXISTS audit_entry_actor ON audit_entry (actor, at);
CREATE TABLE IF NOT EXISTS audit_element (
    iri TEXT NOT NULL,
    entry INTEGER NOT NULL REFERENCES audit_entry (seq),
    PRIMARY KEY (iri, entry)
) WITHOUT ROWID;
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
    "id, at, actor, role, action, request_id, backend, removed_count, added_count, removed, added"
)


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
        # (WAL lets them read while a write transaction is open).
        self._writer = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._writer.execute("PRAGMA busy_timeout = 30000")
        self._writer.executescript(_SCHEMA)
        self._lock = threading.Lock()

    @contextmanager
    def recording(self, actor: AuditActor, backend: str, change: Change) -> Iterator[str]:
        """Append an entry for a write done inside the block; committed only if the block succeeds.

        The entry is inserted in an open SQLite transaction before the block
        runs (so a journal that cannot be written stops the graph write) and
        committed after it; if the block raises, the entry is rolled back.
        Yields the entry's id.
        """
        entry_id = uuid.uuid4().hex
        at = datetime.now(UTC).isoformat(timespec="microseconds")
        with self._lock:
            db = self._writer
            # IMMEDIATE takes the write lock now: two processes sharing this
            # journal record their writes one after the other.
            db.execute("BEGIN IMMEDIATE")
            try:
                cursor = db.execute(
                    f"INSERT INTO audit_entry ({_COLUMNS}) VALUES ({', '.join('?' * 11)})",
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
                        change.removed,
                        change.added,
                    ),
                )
                seq = cursor.lastrowid
                db.executemany(
                    "INSERT INTO audit_element (iri, entry) VALUES (?, ?)",
                    ((iri, seq) for iri in sorted(set(change.elements))),
                )
                yield entry_id
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def entries(
        self, where: AuditFilter = AuditFilter(), *, offset: int = 0, limit: int | None = None
    ) -> tuple[list[AuditEntry], int]:
        """Matching entries (newest first, from ``offset``, at most ``limit``) and their count."""
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
        with closing(sqlite3.connect(self.path)) as db:
            total = db.execute(f"SELECT count(*) FROM audit_entry {condition}", params).fetchone()
            rows = db.execute(
                f"SELECT seq, {_COLUMNS} FROM audit_entry {condition} "
                "ORDER BY seq DESC LIMIT ? OFFSET ?",
                [*params, -1 if limit is None else limit, offset],
            ).fetchall()
            elements: dict[int, list[str]] = {row[0]: [] for row in rows}
            if rows:
                marks = ", ".join("?" for _ in rows)
                for iri, entry in db.execute(
                    f"SELECT iri, entry FROM audit_element WHERE entry IN ({marks}) ORDER BY iri",
                    list(elements),
                ):
                    elements[entry].append(iri)
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
                removed_count=row[8],
                added_count=row[9],
                removed=row[10],
                added=row[11],
            )
            for row in rows
        ]
        return found, int(total[0])

    def close(self) -> None:
        """Close the writer connection."""
        with self._lock:
            self._writer.close()


def _stamp(moment: datetime) -> str:
    """A moment as stored: ISO 8601 in UTC with microseconds, so text order is time order."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
