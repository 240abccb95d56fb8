"""The sync engine: composes plan, gate, write, retire and bookmark for one run.

Per batch the source yields: :mod:`.plan` (refuse governed records and
records of elements the source did not create, skip unchanged ones),
:mod:`.gate` (the shapes, on the store as it would be after the write),
:mod:`.write` (what conforms, its provenance and the source's bookmark
(:mod:`.bookmark`) in one transaction), then the refused records into the
report and the quarantine. With a proposer (``--propose``), records that
only change governed texts become change proposals just before their
batch is written (a dry run counts them; a strict run that refuses a record
proposes nothing). After the last batch a
full sync retires what the source no longer delivers (:mod:`.retire`).
Strict and dry runs plan the whole run as one batch and write it at the end
(strict: only when nothing was refused; dry: never).
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

from rdflib import Graph, URIRef

from journeykg.graph.audit_prior import prior_read
from journeykg.graph.errors import StoreError
from journeykg.graph.governed_steps import GovernedWriteError, make_proposals
from journeykg.graph.series import touched_in
from journeykg.graph.store import Store
from journeykg.loaders.collector_pause import collector_paused
from journeykg.loaders.personal_data import scrub
from journeykg.loaders.quarantine import QuarantineWriter
from journeykg.loaders.source import LooksUpStore, MappedRecord, Source, SourceBatch
from journeykg.loaders.sync.bookmark import SyncRun, add_run_state, bookmark_in
from journeykg.loaders.sync.errors import SyncFailedError
from journeykg.loaders.sync.gate import GateVerdict, gate_batch
from journeykg.loaders.sync.lock import exclusive
from journeykg.loaders.sync.options import SyncHooks, SyncOptions
from journeykg.loaders.sync.plan import BatchPlan, Proposal, plan_batch
from journeykg.loaders.sync.report import (
    MAX_LISTED,
    SyncReport,
    add_seconds,
    count_rejection,
    list_warnings,
    status_of,
)
from journeykg.loaders.sync.retire import owned_elements, plan_retirement
from journeykg.loaders.sync.write import Delta, batch_delta, write_delta
from journeykg.validation.problems import Problem

T = TypeVar("T")

#: The end of a source's batches, when reading one ahead (a batch is never this object).
_END: Any = object()


class SyncEngine:
    """Runs one sync of ``source`` into ``store``; :func:`sync` is the usual way in."""

    def __init__(
        self,
        store: Store,
        source: Source,
        options: SyncOptions | None = None,
        hooks: SyncHooks | None = None,
    ) -> None:
        self.store = store
        self.source = source
        self.options = options or SyncOptions()
        self.hooks = hooks or SyncHooks()
        self.sync_run = SyncRun.start(store, source.name)
        self.report = SyncReport(
            source=source.name,
            mode=self.options.mode,
            dry_run=self.options.dry_run,
            strict=self.options.strict,
            started=self.sync_run.started,
        )
        self.seen: set[URIRef] = set()
        self.owned: set[URIRef] = set()
        """What the source owned before this run wrote anything (a full sync's retirement)."""
        self.to_propose: list[Proposal] = []
        """Records set aside to be proposed, with the texts, until their batch is written."""
        self.unmapped: Counter[str] = Counter()
        self.map_failures = 0
        self.quarantine: QuarantineWriter | None = None
        self.last_batch: tuple[int, Delta] | None = None
        """The run's last batch, planned and gated, when the run's last write writes it."""

    @property
    def whole_run(self) -> bool:
        """Strict and dry runs see the whole run as one batch: nothing is written in between,
        so later records must see earlier ones."""
        return self.options.strict or self.options.dry_run

    # --- the run ------------------------------------------------------------------

    def run(self) -> SyncReport:
        """Run the sync under the source's lock. Raises :class:`SyncFailedError`."""
        clock = time.perf_counter()
        # The source's state is read under its lease (on Neo4j in the lease's statement):
        # the bookmark a run starts from is the one its lease belongs to.
        with exclusive(self.source.name, self.store, [self.sync_run.source]) as state:
            if self.options.quarantine is not None:
                self.quarantine = QuarantineWriter(self.options.quarantine)
                self.report.quarantine = str(self.options.quarantine)
            try:
                self._run(bookmark_in(state, self.sync_run.source))
            except StoreError as exc:
                self.report.status = "failed"
                self.report.error = scrub(str(exc))  # a store's message may quote a value
                raise SyncFailedError(self._finish(clock)) from exc
            finally:
                if self.quarantine is not None:
                    self.quarantine.close()
        return self._finish(clock)

    def _finish(self, clock: float) -> SyncReport:
        self.report.ended = datetime.now(UTC)
        self.report.seconds = round(time.perf_counter() - clock, 3)
        # The sources show only key-like values (loaders/personal_data.py); this is the net.
        unmapped: Counter[str] = Counter()
        for value, count in self.unmapped.items():
            unmapped[scrub(value)] += count
        self.report.unmapped = dict(unmapped.most_common())
        return self.report

    def _run(self, bookmark: str | None) -> None:
        self.report.bookmark_before = self.report.bookmark_after = bookmark
        if self.options.mode == "full":
            # Before the first batch is written: the guard's share is of what the source held,
            # so that a dry run and a real run of the same input decide alike.
            self.owned = owned_elements(self.store, self.sync_run.source)
        use = bookmark if self.options.mode == "incremental" and self.source.incremental else None
        if isinstance(self.source, LooksUpStore):
            self.source.look_up_in(self.store)
        held: list[MappedRecord] = []
        last_bookmark = bookmark
        # The cyclic collector paused: a batch allocates tens of thousands of short-lived
        # rdflib terms, and each collection it set off walked the process's long-lived
        # objects too (ontology, shapes, modules): 0.2-0.3 s of a 1,010-record sync's
        # 0.75 s of CPU (docs/benchmarks.md, "The collector paused during a sync").
        # Only the young generations are collected after each batch, so a long run's
        # cyclic garbage is freed batch by batch without walking the old heap.
        # A source that looks things up in the store while it reads may need what the
        # batch before wrote: it is never read ahead of a write.
        ahead = not self.whole_run and not isinstance(self.source, LooksUpStore)
        with collector_paused():
            for number, (batch, last) in enumerate(_marking_last(self.source.read(use), ahead), 1):
                self._take_in(batch)
                if batch.bookmark is not None:
                    last_bookmark = batch.bookmark
                if self.whole_run:
                    held.extend(batch.records)
                else:
                    self._sync_batch(number, batch, last=last)
                self._notify()
                if not last:
                    # Not after the last: what it leaves is freed by reference counting
                    # when the run ends, and collecting it first only walked it (~0.05 s
                    # of a 1,010-record sync, which is one batch).
                    gc.collect(1)
            self._close(held, last_bookmark)

    def _sync_batch(self, number: int, batch: SourceBatch, *, last: bool = False) -> None:
        """Plan, gate and write one batch with its bookmark; an unchanged batch moves the
        bookmark alone. The ``last`` batch of a run that retires nothing is left to the
        run's last write (:meth:`_close`), which writes it with the run's outcome: one
        write, one transaction and one journal entry less per run."""
        delta = self._delta(batch.records)
        self._propose()
        if last and (self.options.mode != "full" or not self.owned - self.seen):
            self.last_batch = (number, delta)
            return
        if delta.records:
            # The audit takes what the batch replaces from the plan's read, unless the
            # store was written since (a proposal just made): graph/audit_prior.py.
            with prior_read(delta.read):
                self._write(number, delta.graph, delta.retract, "running", batch.bookmark)
        elif batch.bookmark is not None and batch.bookmark != self.report.bookmark_after:
            self._write(number, Graph(), set(), "running", batch.bookmark)
        if batch.bookmark is not None:
            self.report.bookmark_after = batch.bookmark

    def _close(self, held: list[MappedRecord], last_bookmark: str | None) -> None:
        """The run's last write: a strict or dry run's records, retirement, the outcome."""
        number, final = self.report.batches + 1, Delta(graph=Graph())
        if self.whole_run:
            final = self._delta(held)
        elif self.last_batch is not None:
            number, final = self.last_batch
        retire = self._retire() if self.options.mode == "full" else set()
        if self.options.dry_run:
            self.report.status = status_of(self.report)
            return
        if self.options.strict and self.report.rejected:
            self.report.status = "nothing written"
            self.report.written = 0
            self.report.retired = 0
            self.report.proposed = 0
            self.report.bookmark_after = self.report.bookmark_before
            return
        self._propose()
        self.report.status = status_of(self.report)
        retract = final.retract | retire
        with prior_read(final.read):
            self._write(
                number, final.graph, retract, self.report.status, last_bookmark, self.report
            )
        self.report.bookmark_after = last_bookmark

    def _retire(self) -> set[URIRef]:
        """What a full sync retires, within the guard; the report says so either way."""
        retirement = plan_retirement(
            self.store, self.source.name, self.owned, self.seen, self.map_failures, self.options
        )
        retirement.report_into(self.report, self.store)
        return retirement.retire

    # --- one batch --------------------------------------------------------------------

    def _delta(self, records: Sequence[MappedRecord]) -> Delta:
        """Plan and gate ``records``; count the outcome; the delta of what may be written."""
        propose = self.options.proposer is not None
        plan = plan_batch(self.store, self.sync_run, records, propose=propose)
        self.seen |= plan.seen
        self.to_propose += plan.proposed
        self.report.proposed += len(plan.proposed)
        verdict = self._gate(plan)
        delta = batch_delta(plan, verdict.kept, self.sync_run)
        self.report.written += delta.records
        self.report.unchanged += plan.unchanged
        for record, problems in [*plan.rejected, *verdict.rejected]:
            self._reject(record.external_id, record.origin, problems, record.graph)
        list_warnings(self.report, verdict.warnings)
        return delta

    def _gate(self, plan: BatchPlan) -> GateVerdict:
        if not plan.candidates:
            return GateVerdict(kept=plan.candidates)
        clock = time.perf_counter()
        try:
            return gate_batch(
                self.store,
                plan.candidates,
                replaced=plan.replaced,
                subjects=plan.subjects,
                triples=plan.triples,
                stored=plan.stored,
            )
        finally:
            elapsed = time.perf_counter() - clock
            self.report.validate_seconds = add_seconds(self.report.validate_seconds, elapsed)

    def _write(
        self,
        number: int,
        graph: Graph,
        retract: set[URIRef],
        status: str,
        bookmark: str | None,
        outcome: SyncReport | None = None,
    ) -> None:
        """Write batch ``number`` with the run's state and the source's ``bookmark``;
        ``outcome``: the report of the finished run, for its last write."""
        # From the batch itself, which states each of its subjects whole: the loop after
        # the run needs no read of its own to know where to look.
        self.report.add_touched(touched_in(graph))
        add_run_state(graph, self.sync_run, status, bookmark, outcome=outcome)
        if self.hooks.before_write is not None:
            self.hooks.before_write(number)
        seconds = write_delta(self.store, graph, retract, self.hooks.write_progress)
        self.report.write_seconds = add_seconds(self.report.write_seconds, seconds)
        self.report.run = self.store.ids.key(str(self.sync_run.iri))

    def _propose(self) -> None:
        """Put the texts set aside to the board; a refused proposal refuses its record."""
        proposer, pending = self.options.proposer, self.to_propose
        self.to_propose = []
        if proposer is None:
            return
        for record, texts in pending:
            try:
                made = make_proposals(texts, proposer)
            except GovernedWriteError as exc:
                self.report.proposed -= 1
                self._reject(record.external_id, record.origin, exc.problems, record.graph)
                continue
            room = max(MAX_LISTED - len(self.report.proposals), 0)
            self.report.proposals += made[:room]

    # --- counting -----------------------------------------------------------------

    def _notify(self) -> None:
        if self.hooks.batch_done is not None:
            self.hooks.batch_done(self.report)

    def _take_in(self, batch: SourceBatch) -> None:
        self.report.batches += 1
        self.report.read += batch.read
        self.report.records += len(batch.records)
        self.unmapped.update(batch.unmapped)
        list_warnings(self.report, batch.warnings)
        for problem in batch.rejected:
            self.map_failures += 1
            origin = f"{problem.file}:{problem.line}" if problem.line else problem.file
            self._reject(None, origin, [problem], None)

    def _reject(
        self, external_id: str | None, origin: str, problems: list[Problem], graph: Graph | None
    ) -> None:
        """Count a refused record in the report and put it in the quarantine, if any."""
        count_rejection(self.report, external_id, origin, problems)
        if self.quarantine is not None:
            self.quarantine.write(
                source=self.source.name,
                external_id=external_id,
                origin=origin,
                # A dry run writes no run, and a strict run with a refusal neither.
                run=None if self.whole_run else self.store.ids.key(str(self.sync_run.iri)),
                problems=problems,
                graph=graph,
            )


def _marking_last(batches: Iterable[T], ahead: bool) -> Iterator[tuple[T, bool]]:
    """Each batch, and whether it is the last: known by reading the next one first
    (``ahead``), else never said."""
    if not ahead:
        for batch in batches:
            yield batch, False
        return
    iterator = iter(batches)
    current = next(iterator, _END)
    while current is not _END:
        following = next(iterator, _END)
        yield current, following is _END
        current = following


def sync(
    store: Store,
    source: Source,
    options: SyncOptions | None = None,
    hooks: SyncHooks | None = None,
) -> SyncReport:
    """Sync ``source`` into ``store``. Raises :class:`SyncBusyError`, :class:`SyncFailedError`."""
    return SyncEngine(store, source, options, hooks).run()
