"""The sync engine: source batches -> governance check -> SHACL gate -> one transaction each.

For every batch a :class:`~journeykg.loaders.source.Source` yields, the engine

1. refuses records that would overwrite governed data (approved definitions,
   the lifecycle framework) or an element another source owns;
2. skips records the store already holds exactly (so a re-run writes nothing);
3. validates the changed records against the shapes, on the store as it
   would be after the write, and only around what the batch touches;
4. writes the records that conform, their provenance and the source's
   bookmark with ONE :meth:`Store.apply`: all of it, or (on any failure)
   nothing, so the bookmark can never run ahead of the data;
5. quarantines the refused records (JSON Lines, see :mod:`.quarantine`).

A full sync then retires the elements the source owns but no longer
delivered, unless that is more than ``retire_max_share`` of them (then only
``force`` does it). ``strict`` makes the whole run one transaction that is
written only when no record is refused; ``dry_run`` writes nothing at all.
Guarantees, formats and the report: docs/sync.md.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict, Field
from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from journeykg.graph.canonical import canonical_term
from journeykg.graph.errors import LeaseHeldError, StoreError
from journeykg.graph.store import Progress, Store
from journeykg.loaders.provenance import describe_activity, time_literal
from journeykg.loaders.quarantine import QuarantineWriter, problem_json
from journeykg.loaders.source import MappedRecord, Source, SourceBatch, Triple
from journeykg.loaders.sync_gate import check_records
from journeykg.namespaces import JKG, PROV, RDF, RDFS, REG, SKOS, XSD
from journeykg.validation.gate import curie
from journeykg.validation.problems import Problem

#: Classes whose instances change only through the governance workflow: the
#: lifecycle framework and its schemes (glossaries are schemes too).
GOVERNED_TYPES = frozenset({JKG.LifecycleStage, JKG.Phase, JKG.ContactReason, SKOS.ConceptScheme})
#: Statuses only the governance board gives; a sync may not assert them.
DECIDED_STATUSES = frozenset(
    {JKG.statusApproved, JKG.statusSuperseded, JKG.statusRetired, JKG.statusRejected}
)
GOVERNED_RULE = "governed data"
# Looked up once: rdflib's Namespace attribute access builds and checks a new URIRef each time,
# and planning a batch asks for these once per record or per triple.
_SYNCED_FROM, _EXTERNAL_ID, _GENERATED_BY = JKG.syncedFrom, JKG.externalId, PROV.wasGeneratedBy
_TYPE, _STATUS, _APPROVED = RDF.type, REG.status, JKG.statusApproved
OWNED_RULE = "owned by another source"
#: At most this many rejections and warnings are listed in a report (all are counted).
MAX_LISTED = 100

Mode = Literal["full", "incremental"]
Status = Literal["ok", "rejected", "retirement refused", "nothing written", "failed"]


# --- options, report ------------------------------------------------------------------


@dataclass
class SyncOptions:
    """How to run a sync (the CLI flags and the REST query parameters)."""

    mode: Mode = "full"
    dry_run: bool = False
    strict: bool = False
    force: bool = False
    retire_max_share: float = 0.05
    quarantine: Path | None = None


class ProblemOut(BaseModel):
    """One problem: where (file or record origin, node, property) and which rule."""

    file: str
    rule: str
    message: str
    line: int | None = None
    node: str | None = None
    property: str | None = None
    value: str | None = None
    severity: str = "Violation"

    @classmethod
    def of(cls, problem: Problem) -> ProblemOut:
        return cls(**problem_json(problem))


class RejectedRecord(BaseModel):
    """A record that was not written, and why."""

    source: str
    external_id: str | None
    origin: str
    problems: list[ProblemOut]


class SyncReport(BaseModel):
    """What a sync did: counts, what was refused and why, the bookmark, the run."""

    model_config = ConfigDict(extra="forbid")

    source: str
    run: str | None = Field(
        None, description="Key of the run's prov:Activity (none when nothing was written)."
    )
    mode: Mode
    dry_run: bool = False
    strict: bool = False
    status: Status = "ok"
    started: datetime
    ended: datetime | None = None
    seconds: float = 0.0
    validate_seconds: float = Field(0.0, description="Time spent in the SHACL gate.")
    write_seconds: float = Field(0.0, description="Time spent writing (Store.apply).")
    batches: int = 0
    read: int = Field(0, description="Input records read (CRM cases, CSV rows), before mapping.")
    records: int = Field(0, description="Mapped records (aggregates) the source delivered.")
    written: int = Field(0, description="Records written because they were new or changed.")
    unchanged: int = Field(0, description="Records the store already held exactly.")
    rejected: int = Field(0, description="Records refused (not mapped, governed, not conforming).")
    retired: int = Field(0, description="Elements removed because the source no longer has them.")
    retire_candidates: int = Field(
        0, description="Elements the source owns but did not deliver in this full sync."
    )
    owned_before: int = Field(0, description="Elements the source owned before the run.")
    retire_refused: str | None = Field(None, description="Why nothing was retired, if so.")
    retired_ids: list[str] = Field(default_factory=list, description="Retired elements (capped).")
    kept: list[ProblemOut] = Field(
        default_factory=list, description="Candidates not retired: governed or still referenced."
    )
    unmapped: dict[str, int] = Field(default_factory=dict)
    rejections: list[RejectedRecord] = Field(default_factory=list)
    warnings: list[ProblemOut] = Field(default_factory=list)
    bookmark_before: str | None = None
    bookmark_after: str | None = None
    quarantine: str | None = None
    error: str | None = None

    @property
    def exit_code(self) -> int:
        """0 all written; 1 records refused (or strict: nothing written); 2 retirement refused;
        3 the store failed."""
        return {
            "ok": 0,
            "rejected": 1,
            "nothing written": 1,
            "retirement refused": 2,
            "failed": 3,
        }[self.status]


class SyncBusyError(RuntimeError):
    """Another sync of the same source is running, in this process or another one."""

    def __init__(self, source: str, where: str = "") -> None:
        self.source = source
        super().__init__(
            f"a sync of {source!r} is already running{where}; try again when it is done"
        )


class SyncFailedError(Exception):
    """The store failed mid-run. Written batches stay (each was atomic); the report says which."""

    def __init__(self, report: SyncReport) -> None:
        self.report = report
        super().__init__(report.error or "the sync failed")


@dataclass
class SyncHooks:
    """Callbacks for progress bars (and for the crash test, which kills mid-write)."""

    batch_done: Callable[[SyncReport], None] | None = None
    before_write: Callable[[int], None] | None = None
    """Called with the number of the batch about to be written."""
    write_progress: Progress | None = None


# --- one process, one sync per source -------------------------------------------------

_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@contextmanager
def exclusive(source: str, store: Store | None = None) -> Iterator[None]:
    """Hold the source's lock, or raise :class:`SyncBusyError` at once (never wait).

    With ``store``, also its lease on the source, which keeps out a sync of
    the same source in another process sharing the store (Neo4j).
    """
    with _locks_guard:
        lock = _locks.setdefault(source, threading.Lock())
    if not lock.acquire(blocking=False):
        raise SyncBusyError(source)
    try:
        with ExitStack() as held:
            if store is not None:
                try:
                    held.enter_context(store.sync_lease(source))
                except LeaseHeldError as exc:
                    raise SyncBusyError(source, " in another process") from exc
            yield
    finally:
        lock.release()


# --- identities -----------------------------------------------------------------------


def source_iri(store: Store, name: str) -> URIRef:
    """The resource that stands for a source: its bookmark, last run and last-seen time."""
    return store.ids.iri(f"source/{quote(name, safe='')}")


def read_bookmark(store: Store, name: str) -> str | None:
    """The stored bookmark of a source (None before its first incremental write)."""
    value = store.describe([source_iri(store, name)]).value(source_iri(store, name), JKG.bookmark)
    return str(value) if value is not None else None


def _norm(term: Node) -> Node:
    """A term as compared for change detection: canonical numbers, plain = xsd:string."""
    term = canonical_term(term)
    if isinstance(term, RDFLiteral) and term.language is None and term.datatype == XSD.string:
        return RDFLiteral(str(term))
    return term


# --- planning one batch ---------------------------------------------------------------


@dataclass
class _Plan:
    """What one batch will write."""

    delta: Graph = field(default_factory=lambda: Graph(store=SimpleMemory()))
    replaced: set[URIRef] = field(default_factory=set)
    written: int = 0
    unchanged: int = 0
    rejected: list[tuple[MappedRecord, list[Problem]]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


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
        self.src = source_iri(store, source.name)
        self.started = datetime.now(UTC)
        stamp = f"{self.started:%Y%m%dT%H%M%S%fZ}"
        self.run_iri = store.ids.iri(f"run/sync-{quote(source.name, safe='')}-{stamp}")
        self.report = SyncReport(
            source=source.name,
            mode=self.options.mode,
            dry_run=self.options.dry_run,
            strict=self.options.strict,
            started=self.started,
        )
        self.seen: set[URIRef] = set()
        self.owned: set[URIRef] = set()
        """What the source owned before this run wrote anything (a full sync's retirement)."""
        self.unmapped: Counter[str] = Counter()
        self.map_failures = 0
        self.quarantine: QuarantineWriter | None = None

    # --- the run ------------------------------------------------------------------

    def run(self) -> SyncReport:
        clock = time.perf_counter()
        with exclusive(self.source.name, self.store):
            if self.options.quarantine is not None:
                self.quarantine = QuarantineWriter(self.options.quarantine)
                self.report.quarantine = str(self.options.quarantine)
            try:
                self._run()
            except StoreError as exc:
                self.report.status = "failed"
                self.report.error = str(exc)
                raise SyncFailedError(self._finish(clock)) from exc
            finally:
                if self.quarantine is not None:
                    self.quarantine.close()
        return self._finish(clock)

    def _finish(self, clock: float) -> SyncReport:
        self.report.ended = datetime.now(UTC)
        self.report.seconds = round(time.perf_counter() - clock, 3)
        self.report.unmapped = dict(self.unmapped.most_common())
        return self.report

    def _run(self) -> None:
        bookmark = read_bookmark(self.store, self.source.name)
        self.report.bookmark_before = self.report.bookmark_after = bookmark
        if self.options.mode == "full":
            # Before the first batch is written: the guard's share is of what the source held,
            # so that a dry run and a real run of the same input decide alike.
            self.owned = {s for _, s in self.store.follow(JKG.syncedFrom, [self.src], inverse=True)}
        use = bookmark if self.options.mode == "incremental" and self.source.incremental else None
        whole_run = self.options.strict or self.options.dry_run
        held: list[MappedRecord] = []
        last_bookmark = bookmark
        for number, batch in enumerate(self.source.read(use), start=1):
            self._take_in(batch)
            if batch.bookmark is not None:
                last_bookmark = batch.bookmark
            if whole_run:
                # Strict and dry runs see the whole run as one batch: nothing is
                # written in between, so later records must see earlier ones.
                held.extend(batch.records)
                self._notify()
                continue
            plan = self._plan(batch.records)
            self._account(plan)
            if plan.written:
                delta = plan.delta
                self._run_state(delta, "running", batch.bookmark)
                self._write(number, delta, plan.replaced)
            elif batch.bookmark is not None and batch.bookmark != self.report.bookmark_after:
                delta = Graph()
                self._run_state(delta, "running", batch.bookmark)
                self._write(number, delta, set())
            if batch.bookmark is not None:
                self.report.bookmark_after = batch.bookmark
            self._notify()
        final = Graph()
        replaced: set[URIRef] = set()
        if whole_run:
            plan = self._plan(held)
            self._account(plan)
            final = plan.delta
            replaced = plan.replaced
        retire = self._retirement() if self.options.mode == "full" else set()
        if self.options.dry_run:
            self.report.status = self._status()
            return
        if self.options.strict and self.report.rejected:
            self.report.status = "nothing written"
            self.report.written = 0
            self.report.retired = 0
            self.report.bookmark_after = self.report.bookmark_before
            return
        self.report.status = self._status()
        self._run_state(final, self.report.status, last_bookmark, done=True)
        self._write(self.report.batches + 1, final, replaced | retire)
        self.report.run = self.store.ids.key(str(self.run_iri))
        self.report.bookmark_after = last_bookmark

    def _status(self) -> Status:
        if self.report.rejected:
            return "rejected"
        if self.report.retire_refused:
            return "retirement refused"
        return "ok"

    def _notify(self) -> None:
        if self.hooks.batch_done is not None:
            self.hooks.batch_done(self.report)

    def _write(self, number: int, delta: Graph, retract: set[URIRef]) -> None:
        if self.hooks.before_write is not None:
            self.hooks.before_write(number)
        clock = time.perf_counter()
        self.store.apply(delta, retract, progress=self.hooks.write_progress)
        self.report.write_seconds = round(
            self.report.write_seconds + time.perf_counter() - clock, 3
        )
        self.report.run = self.store.ids.key(str(self.run_iri))

    def _take_in(self, batch: SourceBatch) -> None:
        self.report.batches += 1
        self.report.read += batch.read
        self.report.records += len(batch.records)
        self.unmapped.update(batch.unmapped)
        for problem in batch.rejected:
            self.map_failures += 1
            origin = f"{problem.file}:{problem.line}" if problem.line else problem.file
            self._reject(None, origin, [problem], None)

    def _account(self, plan: _Plan) -> None:
        self.report.written += plan.written
        self.report.unchanged += plan.unchanged
        for record, problems in plan.rejected:
            self._reject(record.external_id, record.origin, problems, record.graph)
        room = MAX_LISTED - len(self.report.warnings)
        self.report.warnings.extend(ProblemOut.of(p) for p in plan.warnings[: max(room, 0)])

    def _reject(
        self, external_id: str | None, origin: str, problems: list[Problem], graph: Graph | None
    ) -> None:
        self.report.rejected += 1
        if len(self.report.rejections) < MAX_LISTED:
            self.report.rejections.append(
                RejectedRecord(
                    source=self.source.name,
                    external_id=external_id,
                    origin=origin,
                    problems=[ProblemOut.of(p) for p in problems],
                )
            )
        if self.quarantine is not None:
            self.quarantine.write(
                source=self.source.name,
                external_id=external_id,
                origin=origin,
                # A dry run writes no run, and a strict run with a refusal neither.
                run=None
                if self.options.dry_run or self.options.strict
                else self.store.ids.key(str(self.run_iri)),
                problems=problems,
                graph=graph,
            )

    # --- provenance of the run and state of the source -----------------------------------

    def _run_state(
        self, delta: Graph, status: str, bookmark: str | None, *, done: bool = False
    ) -> None:
        now = datetime.now(UTC)
        run, src = self.run_iri, self.src
        describe_activity(
            delta, run, f"sync of {self.source.name}", self.source.name, self.started, now
        )
        delta.add((run, RDF.type, JKG.SyncRun))
        delta.add((run, PROV.used, src))
        delta.add((run, JKG.runStatus, RDFLiteral(status)))
        delta.add((src, RDF.type, JKG.SyncSource))
        delta.add((src, RDFS.label, RDFLiteral(self.source.name)))
        delta.add((src, JKG.lastRun, run))
        if bookmark is not None:
            delta.add((src, JKG.bookmark, RDFLiteral(bookmark)))
        if done:
            delta.add((run, JKG.recordsWritten, RDFLiteral(self.report.written)))
            delta.add((run, JKG.recordsRejected, RDFLiteral(self.report.rejected)))
            delta.add((run, JKG.recordsRetired, RDFLiteral(self.report.retired)))
            if self.options.mode == "full":
                delta.add((src, JKG.lastSeen, time_literal(now)))

    # --- one batch --------------------------------------------------------------------

    def _plan(self, records: Sequence[MappedRecord]) -> _Plan:
        plan = _Plan()
        # The same key twice in a batch: the later record wins.
        latest = {r.key: r for r in records if r.source == self.source.name}
        for record in records:
            if record.source != self.source.name:
                plan.rejected.append((record, [_foreign_key(record, self.source.name)]))
        batch = list(latest.values())
        # Each record's triples read once, as tuples: rdflib's graph lookups (objects,
        # predicate_objects) cost microseconds each, and a batch asks for them per record.
        triples = {r.key: r.triples() for r in batch}
        subjects = {
            key: {s for s, _, _ in own if isinstance(s, URIRef)} for key, own in triples.items()
        }
        everything: set[URIRef] = set().union(*subjects.values()) if subjects else set()
        self.seen |= everything
        stored = self.store.describe(everything)
        # What the store holds nothing about (all of a first sync) needs no lookups in it.
        present = {s for s in stored.subjects() if isinstance(s, URIRef) and s in everything}
        owner = {s: stored.value(s, _SYNCED_FROM) if s in present else None for s in everything}
        exists = present

        accepted: list[MappedRecord] = []
        claimed: dict[tuple[str, str], set[URIRef]] = {}
        for record in batch:
            key = record.key
            problems = self._governance(record, triples[key], subjects[key], stored, present, owner)
            if problems:
                plan.rejected.append((record, problems))
                continue
            mine = {s for s in subjects[key] if s not in exists or owner[s] == self.src}
            claimed[key] = mine
            if self._unchanged(record, triples[key], subjects[key], mine, stored, exists):
                plan.unchanged += 1
            else:
                accepted.append(record)
        replaced = {s for s in everything if owner.get(s) == self.src}

        accepted = self._gate(accepted, replaced, subjects, triples, plan)
        delta = plan.delta
        # Straight into the delta's store: Graph.add only checks that each term is an rdflib
        # term, and these come from the records (checked when their graphs were built, or
        # made by a source's mapping function) or from the engine itself.
        add = delta.store.add
        for record in accepted:
            plan.written += 1
            for triple in triples[record.key]:
                add(triple, delta)
            external_id = RDFLiteral(record.external_id)
            for subject in claimed[record.key]:
                add((subject, _SYNCED_FROM, self.src), delta)
                add((subject, _EXTERNAL_ID, external_id), delta)
            for subject in subjects[record.key]:
                add((subject, _GENERATED_BY, self.run_iri), delta)
                if subject in replaced:
                    plan.replaced.add(subject)
        return plan

    def _governance(
        self,
        record: MappedRecord,
        triples: Sequence[Triple],
        subjects: set[URIRef],
        stored: Graph,
        present: set[URIRef],
        owner: dict[URIRef, Node | None],
    ) -> list[Problem]:
        problems: list[Problem] = []
        key = self.store.ids.key
        for subject in sorted(subjects):
            types = {o for s, p, o in triples if p == _TYPE and s == subject}
            if subject in present:
                types |= set(stored.objects(subject, _TYPE))
            governed = [curie(URIRef(t)) for t in sorted(str(t) for t in types & GOVERNED_TYPES)]
            if governed:
                problems.append(
                    Problem(
                        file=record.origin,
                        node=key(str(subject)),
                        property="rdf:type",
                        value=governed[0],
                        rule=GOVERNED_RULE,
                        message=(
                            f"{key(str(subject))} is part of the lifecycle framework "
                            f"({governed[0]}); it changes only through the governance "
                            "workflow, never by a sync"
                        ),
                    )
                )
            elif subject in present and (subject, _STATUS, _APPROVED) in stored:
                problems.append(
                    Problem(
                        file=record.origin,
                        node=key(str(subject)),
                        property="reg:status",
                        value="jkg:statusApproved",
                        rule=GOVERNED_RULE,
                        message=(
                            f"{key(str(subject))} is an approved definition; it changes only "
                            "through the governance workflow, never by a sync"
                        ),
                    )
                )
            other = owner.get(subject)
            if other is not None and other != self.src:
                problems.append(
                    Problem(
                        file=record.origin,
                        node=key(str(subject)),
                        property="jkg:syncedFrom",
                        value=key(str(other)),
                        rule=OWNED_RULE,
                        message=(
                            f"{key(str(subject))} belongs to {key(str(other))}; one element has "
                            "one owning source, or retirement could not be exact"
                        ),
                    )
                )
        if any(p == _STATUS for _, p, _ in triples):
            # rare: the record's graph, for the order in which it lists them
            for node, status in record.graph.subject_objects(_STATUS):
                if status in DECIDED_STATUSES:
                    problems.append(
                        Problem(
                            file=record.origin,
                            node=key(str(node)),
                            property="reg:status",
                            value=curie(status),
                            rule=GOVERNED_RULE,
                            message="only the governance board decides a status; a sync cannot",
                        )
                    )
        return problems

    def _unchanged(
        self,
        record: MappedRecord,
        triples: Sequence[Triple],
        subjects: set[URIRef],
        mine: set[URIRef],
        stored: Graph,
        exists: set[URIRef],
    ) -> bool:
        for subject in subjects:
            if subject not in exists:
                return False
            want = {(p, _norm(o)) for s, p, o in triples if s == subject}
            if subject in mine:
                want.add((_SYNCED_FROM, self.src))
                want.add((_EXTERNAL_ID, _norm(RDFLiteral(record.external_id))))
            have = {
                (p, _norm(o)) for p, o in stored.predicate_objects(subject) if p != _GENERATED_BY
            }
            if subject not in mine:  # another loader's element: only what the record says counts
                said = {p for p, _ in want}
                have = {(p, o) for p, o in have if p in said}
            if want != have:
                return False
        return True

    def _gate(
        self,
        records: list[MappedRecord],
        replaced: set[URIRef],
        subjects: dict[tuple[str, str], set[URIRef]],
        triples: dict[tuple[str, str], Sequence[Triple]],
        plan: _Plan,
    ) -> list[MappedRecord]:
        """Validate; drop refused records; again if the rest pointed at what was dropped."""
        if not records:
            return records
        clock = time.perf_counter()
        try:
            return self._gate_loop(records, replaced, subjects, triples, plan)
        finally:
            self.report.validate_seconds = round(
                self.report.validate_seconds + time.perf_counter() - clock, 3
            )

    def _gate_loop(
        self,
        records: list[MappedRecord],
        replaced: set[URIRef],
        subjects: dict[tuple[str, str], set[URIRef]],
        triples: dict[tuple[str, str], Sequence[Triple]],
        plan: _Plan,
    ) -> list[MappedRecord]:
        touched = set().union(*(subjects[r.key] for r in records))
        referrers = self.store.referrers(touched)
        pending = records
        while pending:
            gate = check_records(
                pending,
                self.store,
                self.store.ids,
                replaced=replaced,
                referrers=referrers,
                record_triples=triples,
            )
            bad = gate.rejected()
            plan.rejected.extend((r, gate.problems[r.key]) for r in pending if r.key in bad)
            kept = [r for r in pending if r.key not in bad]
            gone = set().union(*(subjects[k] for k in bad)) if bad else set()
            if not gone or not any(o in gone for r in kept for _, _, o in triples[r.key]):
                for record in kept:
                    plan.warnings.extend(gate.problems.get(record.key, []))
                plan.warnings.extend(gate.unattributed)
                return kept
            # Some records pointed at what was refused: their verdict may change.
            pending = kept
        return pending

    # --- retirement --------------------------------------------------------------------

    def _retirement(self) -> set[URIRef]:
        """The elements to retire after a full sync, within the guard; reported either way."""
        owned = self.owned
        stale = owned - self.seen
        self.report.owned_before = len(owned)
        self.report.retire_candidates = len(stale)
        if not stale:
            return set()
        share = len(stale) / len(owned)
        limit = self.options.retire_max_share
        if self.map_failures and not self.options.force:
            self.report.retire_refused = (
                f"{self.map_failures} input record(s) could not be mapped, so their keys are "
                f"unknown; retiring the {len(stale)} element(s) not seen could remove what they "
                "still hold. Fix the input, or run with --force"
            )
            return set()
        if share > limit and not self.options.force:
            self.report.retire_refused = (
                f"{len(stale)} of the {len(owned)} elements of {self.source.name} "
                f"({share:.1%}) are no longer in the source, more than the {limit:.0%} a sync "
                "retires on its own; check the source, then run with --force to retire them"
            )
            return set()
        described = self.store.describe(stale)
        keep: dict[URIRef, Problem] = {}
        for subject in sorted(stale):
            types = set(described.objects(subject, RDF.type))
            if types & GOVERNED_TYPES or (subject, REG.status, JKG.statusApproved) in described:
                keep[subject] = Problem(
                    file=self.source.name,
                    node=self.store.ids.key(str(subject)),
                    rule=GOVERNED_RULE,
                    message="governed since it was synced; the governance workflow retires it",
                    severity="Warning",
                )
        for s, p, o in self.store.referrers(stale - keep.keys()):
            if s not in stale and isinstance(o, URIRef) and o not in keep:
                keep[o] = Problem(
                    file=self.source.name,
                    node=self.store.ids.key(str(o)),
                    property=curie(p),
                    value=self.store.ids.key(str(s)),
                    rule="still referenced",
                    message=(
                        f"not retired: {self.store.ids.key(str(s))} still points at it ({curie(p)})"
                    ),
                    severity="Warning",
                )
        retire = stale - keep.keys()
        self.report.kept = [ProblemOut.of(p) for p in list(keep.values())[:MAX_LISTED]]
        self.report.retired = len(retire)
        self.report.retired_ids = sorted(self.store.ids.key(str(s)) for s in retire)[:MAX_LISTED]
        return retire


def sync(
    store: Store,
    source: Source,
    options: SyncOptions | None = None,
    hooks: SyncHooks | None = None,
) -> SyncReport:
    """Sync ``source`` into ``store``. Raises :class:`SyncBusyError`, :class:`SyncFailedError`."""
    return SyncEngine(store, source, options, hooks).run()


def _foreign_key(record: MappedRecord, name: str) -> Problem:
    return Problem(
        file=record.origin,
        rule="record of this source",
        message=f"the record is keyed on source {record.source!r}, not {name!r}",
    )
