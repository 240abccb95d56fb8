"""A store that records every write in the audit journal: who, when, what, old and new values.

It wraps a backend and implements :class:`Store` by delegation, so that
every write path (governance steps, syncs, loads, scenarios, the demo) is
audited without knowing it: the application and the CLI only ever hold an
:class:`AuditedStore` (see :func:`journeykg.bootstrap.open_store`).
For the same reason it is where governed data is guarded: a write that
would change a governed element (:mod:`journeykg.graph.governed`) is
refused before anything is recorded or written, unless it is a step of the
governance workflow (:mod:`journeykg.graph.governance_step`). Clearing the
whole store is a reset, not a change to an element: it is recorded only.

For each write it reads the current triples of the subjects the write
touches, computes what the write removes (the old values) and adds (the
new ones, graph/audit_change.py), and records them with the actor of the current
:func:`~journeykg.graph.audit_context.audit_context`.

Atomicity: the journal entry is inserted in an open SQLite transaction,
then the graph write runs, then the entry is committed; a failed or refused
graph write rolls the entry back, and a journal that cannot be written stops
the graph write before it starts. One window remains: the graph write has
committed and the process dies (or the disk fills) before the SQLite commit;
the graph then holds a change the trail lacks. docs/audit.md says so.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from contextvars import ContextVar
from typing import TYPE_CHECKING, TypeVar

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from journeykg.graph.audit_change import addition_of, change_of
from journeykg.graph.audit_context import current_actor
from journeykg.graph.audit_journal import AuditJournal, Change
from journeykg.graph.audit_prior import offered, usable_prior
from journeykg.graph.change_log import Changes
from journeykg.graph.governance_step import current_step
from journeykg.graph.governed import inspect_write, with_record_parents
from journeykg.graph.governed_steps import refuse
from journeykg.graph.model import ElementRef, WriteSummary
from journeykg.graph.relations import Rule
from journeykg.graph.store import (
    Capability,
    DatedPoint,
    EdgeRequest,
    Edges,
    ElementFacts,
    Facts,
    Hop,
    LeaseScope,
    Progress,
    ReachedTotals,
    SeriesKey,
    SeriesShape,
    Store,
    require,
)
from journeykg.graph.subject_index import SubjectIndex, subject_index
from journeykg.graph.walk_state import WalkState
from journeykg.validation.graph_index import subjects_of

if TYPE_CHECKING:
    from journeykg.graph.state import StateDir

T = TypeVar("T")


class AuditedStore(Store):
    """``inner`` with every write recorded in ``journal``."""

    def __init__(self, inner: Store, journal: AuditJournal, state: StateDir | None = None) -> None:
        # No super().__init__: the identifiers are the inner store's own.
        self.inner = inner
        self.journal = journal
        self.state = state
        """The state directory the journal is in, when the store was opened with its state."""
        self.ids = inner.ids
        self.name = inner.name
        self.reads_together = inner.reads_together
        # Within one process, the read of the old values and the write that
        # replaces them must not interleave with another write, or the
        # recorded old values could be someone else's.
        self._write_lock = threading.Lock()

    @property
    def capabilities(self) -> frozenset[Capability]:
        return self.inner.capabilities

    # --- writing, audited --------------------------------------------------------

    def apply(
        self, delta: Graph, retract: Collection[URIRef] = (), progress: Progress | None = None
    ) -> WriteSummary:
        return self._audited(delta, retract, lambda: self.inner.apply(delta, retract, progress))

    @contextmanager
    def writing_new(self, subjects: Collection[URIRef]) -> Iterator[None]:
        """Inside the block (in this thread or task), a write whose subjects are all among
        ``subjects`` reads no old values back: the caller has just read the store and
        found nothing about any of them (a first load of a file, graph/neo4j_bulk.py's
        batches). What it records is what reading would find, nothing removed; the
        window in which another process could write one of them meanwhile is the
        caller's load, as docs/audit.md says. The governance guard still runs.
        """
        token = _NEW.set((self, frozenset(subjects)))
        try:
            yield
        finally:
            _NEW.reset(token)

    def prepared_new(self, delta: Graph) -> Callable[[], WriteSummary] | None:
        """:func:`prepared_write` of ``delta``: its check and change made now, or None.

        None unless every subject is known new and the guard reads nothing (no record
        of an element outside ``delta``): only then is what :meth:`_audited` would find
        the same now as when an earlier batch has committed.
        """
        require(self, Capability.WRITABLE, "write")
        subjects = subjects_of(delta)
        if (
            not subjects
            or not subjects <= _known_new(self)
            or with_record_parents(subjects) - subjects
        ):
            return None
        actor = current_actor()
        if current_step() is None:
            found = inspect_write(self.inner, delta, (), stored=Graph())
            refuse(found, self.ids, actor.action, "the write was refused")
        change = addition_of(delta)  # nothing stored: nothing replaced

        def commit() -> WriteSummary:
            with self._write_lock, self.journal.recording(actor, self.name, change):
                return self.inner.apply(delta)

        return commit

    def recorded_into_empty(
        self, delta: Graph, write: Callable[[], T], *, added: Change | None = None
    ) -> T:
        """Run ``write``, which puts ``delta`` into the store by a path of its own (Neo4j's
        offline import, graph/neo4j_offline_import.py), as one audited write of it.

        The caller has found the store empty, so nothing is read back and the entry
        records ``delta`` as added, nothing replaced; the governance guard runs as for
        any write, and the entry is kept only if ``write`` returns. ``added``: that
        record, when the caller made it already (``addition_of(delta)``, in the
        offline import's staging process while the import tool ran).
        """
        require(self, Capability.WRITABLE, "write")
        with self._write_lock:
            if current_step() is None:
                found = inspect_write(self.inner, delta, (), stored=Graph())
                refuse(found, self.ids, current_actor().action, "the write was refused")
            change = added if added is not None else addition_of(delta)
            with self.journal.recording(current_actor(), self.name, change):
                return write()

    def clear(self) -> None:
        require(self, Capability.WRITABLE, "be cleared")
        with self._write_lock:
            change = change_of(self.inner.export(), ())
            with self.journal.recording(current_actor(), self.name, change):
                self.inner.clear()

    def _audited(self, delta: Graph, retract: Collection[URIRef], write: Callable[[], T]) -> T:
        # Refused before the journal is touched, not rolled back out of it.
        require(self, Capability.WRITABLE, "write")
        with self._write_lock:
            gone = set(retract)
            subjects = subjects_of(delta) | gone
            if not subjects or (not gone and subjects <= _known_new(self)):
                old = Graph()  # none of them is stored: nothing to read back
            else:
                old = self._stored(subjects)
            if current_step() is None:
                # Refused before the journal is touched: governed data changes only
                # through the workflow's own steps (graph/governance_step.py).
                found = inspect_write(self.inner, delta, gone, stored=old)
                refuse(found, self.ids, current_actor().action, "the write was refused")
            # What the write replaces: whole retracted subjects, and the
            # (subject, predicate) pairs the delta writes (Store.upsert's contract).
            change = change_of(_replaced(old, delta, gone), delta)
            with self.journal.recording(current_actor(), self.name, change):
                return write()

    def _stored(self, subjects: set[URIRef]) -> Graph:
        """What the store holds about ``subjects`` now: from the writer's own read of them
        when it offers one made since the last write (graph/audit_prior.py), else read."""
        if not subjects:
            return Graph()
        if not offered():
            return self.inner.describe(subjects)
        held, unread = usable_prior(self.inner.generation(), subjects)
        if unread:
            add = held.store.add
            for triple in self.inner.describe(unread):
                add(triple, held)
        return held

    # --- reading, delegated ------------------------------------------------------

    def generation(self) -> str:
        return self.inner.generation()

    def describe(self, iris: Collection[URIRef]) -> Graph:
        return self.inner.describe(iris)

    def describe_only(self, iris: Collection[URIRef], predicates: Collection[URIRef]) -> Graph:
        return self.inner.describe_only(iris, predicates)

    def export(self) -> Graph:
        return self.inner.export()

    def instances(self, cls: URIRef) -> list[URIRef]:
        return self.inner.instances(cls)

    def element_facts(
        self, iris: Collection[str], want: Facts = Facts.ALL
    ) -> dict[str, ElementFacts]:
        return self.inner.element_facts(iris, want)

    def edges(self, requests: Sequence[EdgeRequest]) -> Edges:
        return self.inner.edges(requests)

    def latest_totals(
        self, link: URIRef, holders: Collection[URIRef], amount: URIRef, period: URIRef
    ) -> dict[URIRef, float]:
        return self.inner.latest_totals(link, holders, amount, period)

    def reached_totals(
        self,
        roots: Collection[URIRef],
        paths: Sequence[Sequence[Hop]],
        link: URIRef,
        amount: URIRef,
        period: URIRef,
    ) -> ReachedTotals:
        return self.inner.reached_totals(roots, paths, link, amount, period)

    def class_facts(self, cls: URIRef) -> dict[str, ElementFacts]:
        return self.inner.class_facts(cls)

    def referrers(self, iris: Collection[URIRef]) -> list[tuple[URIRef, URIRef, URIRef]]:
        return self.inner.referrers(iris)

    def describe_with_referrers(
        self, iris: Collection[URIRef], referred: Collection[URIRef]
    ) -> tuple[Graph, list[tuple[URIRef, URIRef, URIRef]]]:
        return self.inner.describe_with_referrers(iris, referred)

    def newest_points(
        self,
        shape: SeriesShape,
        series: Collection[SeriesKey],
        measures: Sequence[URIRef],
        last: int,
    ) -> dict[tuple[URIRef, URIRef | None, URIRef], tuple[DatedPoint, ...]]:
        return self.inner.newest_points(shape, series, measures, last)

    def changes_since(self, generation: str) -> Changes | None:
        return self.inner.changes_since(generation)

    # --- what the inner store declares it can do, delegated ---------------------

    def lease(self, scope: LeaseScope, key: str) -> AbstractContextManager[None]:
        return self.inner.lease(scope, key)

    def lease_describing(
        self, scope: LeaseScope, key: str, iris: Collection[URIRef]
    ) -> AbstractContextManager[Graph]:
        return self.inner.lease_describing(scope, key, iris)

    def server_walk(
        self,
        roots: Sequence[ElementRef],
        rules: Sequence[Rule],
        max_hops: int | None,
        *,
        fallback: Callable[[], WalkState],
    ) -> WalkState:
        # The inner store's own walk: Neo4j's is one call to the server.
        return self.inner.server_walk(roots, rules, max_hops, fallback=fallback)

    def pref_labelled(self, cls: URIRef, labels: Collection[Literal]) -> set[URIRef]:
        return self.inner.pref_labelled(cls, labels)

    # --- resources --------------------------------------------------------------

    def check_ready(self) -> None:
        self.inner.check_ready()
        self.journal.check_writable()

    def close(self) -> None:
        self.inner.close()
        self.journal.close()


#: The subjects a caller found unstored (:meth:`AuditedStore.writing_new`), with its store.
_NEW: ContextVar[tuple[AuditedStore, frozenset[URIRef]] | None] = ContextVar(
    "journeykg_audited_new", default=None
)


def _known_new(store: AuditedStore) -> frozenset[URIRef]:
    found = _NEW.get()
    return found[1] if found is not None and found[0] is store else frozenset()


def writing_new(store: Store, subjects: Collection[URIRef]) -> AbstractContextManager[None]:
    """:meth:`AuditedStore.writing_new` for ``store`` if it is audited; else nothing to skip."""
    if isinstance(store, AuditedStore):
        return store.writing_new(subjects)
    return nullcontext()


def prepared_write(store: Store, delta: Graph) -> Callable[[], WriteSummary]:
    """A batch of a bulk write (graph/neo4j_bulk.py) in two steps: what can be made now, and
    the returned function, which writes ``delta`` into ``store`` as :meth:`Store.apply` does.

    When ``store`` is audited and every subject of ``delta`` is one the caller found
    unstored (:meth:`AuditedStore.writing_new`), nothing needs reading back: the
    governance check and the audit's change are made now, in the caller's thread,
    so that they can be made while an earlier batch commits in another; the function
    then records the entry and writes under the write lock, atomically as
    :meth:`AuditedStore.apply`. Otherwise everything is left to the function (the
    check then reads what the earlier batches committed).
    """
    if isinstance(store, AuditedStore):
        ready = store.prepared_new(delta)
        if ready is not None:
            return ready
    return lambda: store.apply(delta)


def _replaced(old: Graph, delta: Graph, gone: set[URIRef]) -> SubjectIndex:
    """The stored triples a write replaces, grouped by subject and predicate as the audit's
    lines are made (graph/audit_change.py): those of whole retracted subjects, and those of
    each (subject, predicate) the delta writes (Store.upsert's contract). From both graphs'
    own subject indexes: a pass over every triple of each cost more than the lines."""
    if next(iter(old), None) is None:
        return {}  # nothing stored (a batch of new elements): no pairs to collect
    written = subject_index(delta)
    replaced: dict[Node, Mapping[Node, Collection[Node]]] = {}
    for s, held in subject_index(old).items():
        if s in gone:
            replaced[s] = held
        elif (predicates := written.get(s)) is not None:
            replaced[s] = {p: objects for p, objects in held.items() if p in predicates}
    return replaced
