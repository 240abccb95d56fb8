"""Reading the audit trail, as ``journeykg audit`` and the GraphQL ``auditTrail`` query serve it.

Both entry points call :func:`trail` with the same filters and get the same
entries, newest first: elements named by their keys, the filter's element
accepted as a key or an IRI, times compared in UTC (``since`` inclusive,
``until`` exclusive). The trail is the store's own (graph/state.py): a store
opened without one has none to read, which :class:`NoAuditTrailError` says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from journeykg.graph.audit_journal import AuditEntry, AuditFilter
from journeykg.graph.audited import AuditedStore
from journeykg.graph.store import Store

__all__ = [
    "BadMomentError",
    "NoAuditTrailError",
    "TrailEntry",
    "TrailPage",
    "parse_moment",
    "trail",
]


class NoAuditTrailError(Exception):
    """The store was opened without its audit trail (a bare backend), so there is none to read."""


class BadMomentError(ValueError):
    """A moment that is neither a date nor a date-time."""


@dataclass(frozen=True)
class TrailEntry:
    """One entry of the trail as its readers show it: elements as keys."""

    id: str
    at: datetime
    actor: str
    role: str | None
    action: str
    request_id: str | None
    backend: str
    by: str | None
    reason: str | None
    note: str | None
    elements: tuple[str, ...]
    removed_count: int
    added_count: int
    removed: str
    added: str
    element_count: int = 0
    """How many elements the write touched (``elements`` may be only the first few)."""

    def as_json(self) -> dict[str, object]:
        """The entry with the field names of the GraphQL type ``AuditTrailEntry``."""
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "role": self.role,
            "action": self.action,
            "requestId": self.request_id,
            "backend": self.backend,
            "by": self.by,
            "reason": self.reason,
            "note": self.note,
            "elements": list(self.elements),
            "elementCount": self.element_count,
            "removedCount": self.removed_count,
            "addedCount": self.added_count,
            "removed": self.removed,
            "added": self.added,
        }


@dataclass(frozen=True)
class TrailPage:
    """The entries of one page, and how many match in all."""

    entries: list[TrailEntry]
    total: int


def trail(
    store: Store,
    *,
    actor: str | None = None,
    element: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    offset: int = 0,
    limit: int | None = None,
    texts: bool = True,
    elements: int | None = None,
) -> TrailPage:
    """The entries of ``store``'s trail that match every filter given, newest first.

    ``element`` is a key (``concept/fcr``, ``token/3f9c0a1b2c4d``) or an IRI:
    the writes that changed a statement about it, or the token changes that
    named it. Naive times are taken as UTC. A reader that shows counts only
    leaves out the old and new values (``texts``) and all but the first
    ``elements`` elements of each entry: a large load's one entry holds
    hundreds of megabytes of them.
    """
    if not isinstance(store, AuditedStore):
        raise NoAuditTrailError("this store was opened without its audit trail")
    where = AuditFilter(
        actor=actor,
        element=str(store.ids.iri(element)) if element is not None else None,
        since=since,
        until=until,
    )
    found, total = store.journal.entries(
        where, offset=offset, limit=limit, texts=texts, elements=elements
    )
    return TrailPage([_entry(e, store) for e in found], total)


def parse_moment(text: str) -> datetime:
    """A date (``2026-03-01``, midnight UTC) or a date-time; a naive date-time is UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise BadMomentError(
            f"{text!r} is not a date (2026-03-01) or a date-time (2026-03-01T12:00:00Z)"
        ) from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _entry(e: AuditEntry, store: Store) -> TrailEntry:
    return TrailEntry(
        id=e.id,
        at=e.at,
        actor=e.actor,
        role=e.role,
        action=e.action,
        request_id=e.request_id,
        backend=e.backend,
        by=e.by,
        reason=e.reason,
        note=e.note,
        elements=tuple(store.ids.key(i) for i in e.elements),
        removed_count=e.removed_count,
        added_count=e.added_count,
        removed=e.removed,
        added=e.added,
        element_count=e.element_count,
    )
