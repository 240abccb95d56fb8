"""A large write in batches of whole subjects: each batch atomic, audited, and resumable.

A load or restore of an organisation (a million elements, millions of
triples) into Neo4j is too large for one transaction on a modest server,
and one failure near the end would throw all of it away. A store that
declares :attr:`~journeykg.graph.store.Capability.BATCHED_WRITE` (Neo4j)
therefore takes it here in batches of :data:`BATCH_SUBJECTS` subjects, in
IRI order:

- each batch is one :meth:`Store.apply` on the store it is given, which for
  every entry point is the audited store: the governance guard and the
  audit journal see each batch as any write, the batch commits in one
  transaction with the graph's new generation, or not at all;
- the gate has already passed the *whole* delta (the caller's job, as
  before): batching changes where the commits fall, never what is checked;
- after each committed batch the last subject written is recorded in the
  store's state directory (:class:`BulkJournal`, ``bulk-writes/`` beside
  the audit trail, graph/state.py). A re-run of the same write skips every
  subject up to it. Writes replace the values of each (subject, predicate)
  they name, so a batch that committed just before a crash (and was not yet
  recorded) is written again to the same result: nothing is duplicated.

A failed batch raises :class:`BatchWriteError`, naming the batch, its first
and last subject, and the store's reason; the batches before it stay.

A batch is a read-only view of the delta's entries for its subjects, not a
copy. With ``ahead`` above 0 the caller's thread prepares the next batches
(governance check, audit lines) while one writer thread commits, in order;
by default (:data:`PREPARED_AHEAD`, by measurement) one after the other.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
import logging
import queue
import threading
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from rdflib import Graph

from journeykg.graph.errors import StoreError
from journeykg.graph.model import WriteSummary
from journeykg.graph.store import Capability, Progress, Store
from journeykg.graph.subject_index import sliced, subject_index
from journeykg.private_files import private_directory, private_file

log = logging.getLogger(__name__)

#: Subjects per batch (one transaction each). Chosen by measurement:
#: ``python -m bench.neo4j_product_load --batch-sizes ...`` prints the
#: figures per size (docs/benchmarks.md, "Neo4j product load").
BATCH_SUBJECTS = 20_000
#: Prepared batches that may wait while one commits in the writer thread
#: (write_in_batches's ``ahead``); 0: each batch prepared and committed in the
#: caller's thread, one after the other. 0 by measurement: with the client and
#: the server on this 2-core machine, preparing ahead gained nothing at 100k or
#: 1M (the writer's own path is the longer one, and slowed as much as the
#: preparation it hides; docs/benchmarks.md, "Batches as views; the next batch
#: prepared while one commits"). Worth measuring again with Neo4j on a host of its own.
PREPARED_AHEAD = 0
#: Where a state directory keeps the progress of batched writes under way.
BULK_DIR = "bulk-writes"

#: Called after each committed batch with (batch number from 1, batches in all).
BatchHook = Callable[[int, int], None]


class BatchWriteError(StoreError):
    """A batch of a batched write failed; the batches before it are written, it is not."""

    def __init__(self, number: int, total: int, first: str, last: str, reason: Exception) -> None:
        self.number = number
        self.first = first
        self.last = last
        super().__init__(
            f"batch {number} of {total} (subjects {first} to {last}) was not written: {reason}. "
            f"Batches 1 to {number - 1} are written; run the same command again to resume "
            f"at batch {number} (nothing is written twice)"
        )


@dataclass
class Resume:
    """Where a batched write under way stands: enough to repeat its delta and skip what is done."""

    key: str
    """The write's identity: what it writes (a file's digest) and how (load, restore)."""
    after: str | None = None
    """The last subject (IRI) of the last committed batch."""
    batches: int = 0
    """Batches committed so far."""
    activity: str | None = None
    """The load's provenance activity, reused so that the re-run's delta is the same."""
    started: str | None = None
    """When the first attempt started (ISO 8601), for the same reason."""


class BulkJournal:
    """The progress of batched writes, one small JSON file each, in a store's state directory."""

    def __init__(self, state_dir: Path) -> None:
        self.directory = state_dir / BULK_DIR

    def _file(self, key: str) -> Path:
        return self.directory / f"{key}.json"

    def find(self, key: str) -> Resume | None:
        """The progress of the write ``key``, or None if none is under way."""
        path = self._file(key)
        if not path.exists():
            return None
        try:
            return Resume(**json.loads(path.read_text()))
        except (OSError, ValueError, TypeError) as exc:
            raise StoreError(
                f"{path} is unreadable ({exc}); it records a batched write under way: "
                "remove it to start that write from the beginning (nothing is duplicated)"
            ) from exc

    def save(self, resume: Resume) -> None:
        """Record ``resume`` (atomically: a crash leaves the old record or the new one)."""
        private_directory(self.directory)
        path = self._file(resume.key)
        partial = private_file(path.with_name(path.name + ".partial"))
        partial.write_text(json.dumps(asdict(resume)))
        partial.replace(path)

    def finish(self, key: str) -> None:
        """Forget the write ``key``: it is complete."""
        self._file(key).unlink(missing_ok=True)


@dataclass
class _Cut:
    """One batch's whole subjects: its graph, how many triples it holds, its first and last IRI."""

    graph: Graph
    triples: int
    first: str
    last: str


def _cuts(delta: Graph, size: int, after: str | None) -> tuple[int, Iterator[_Cut]]:
    """How many batches ``delta`` makes from after ``after``, and the batches, each made when asked.

    Made one by one, when written (or prepared ahead, :func:`write_in_batches`),
    so that the load holds no second copy of the delta; each is a read-only
    view of the delta's own entries for its subjects
    (:func:`~journeykg.graph.subject_index.sliced`).
    """
    # The subjects sorted by their text (a string key compares in C, where rdflib
    # compares terms in Python), each subject's triples read from the delta's own
    # index (graph/subject_index.py): no sort of every triple, no grouping again.
    # rdflib keeps the emptied entries of removed triples (the compiled gate adds the
    # ontology to a first load's delta and takes it out again): they are no subjects.
    index = subject_index(delta)
    subjects = sorted((s for s, held in index.items() if any(held.values())), key=str)
    names = [str(s) for s in subjects]
    start = bisect_right(names, after) if after is not None else 0
    starts = range(start, len(subjects), size)

    def made() -> Iterator[_Cut]:
        for begin in starts:
            chosen = subjects[begin : begin + size]
            # A view of the delta's own entries for these subjects, not a copy
            # (graph/subject_index.py); its triples counted per predicate, since
            # len() of an rdflib graph walks every triple.
            triples = sum(len(objects) for s in chosen for objects in index[s].values())
            yield _Cut(
                sliced(delta, chosen, index), triples, names[begin], names[begin + len(chosen) - 1]
            )

    return len(starts), made()


def subject_batches(delta: Graph, size: int, after: str | None = None) -> list[Graph]:
    """``delta`` as graphs of ``size`` whole subjects each, in IRI order, from after ``after``.

    Whole subjects, because a write replaces the values of each (subject,
    predicate) it names: a subject split over two batches would lose the
    first batch's values of a predicate the second also writes.
    """
    return [cut.graph for cut in _cuts(delta, size, after)[1]]


@dataclass
class _Ready:
    """A batch prepared by the caller's thread, for the writer thread to commit."""

    number: int
    cut: _Cut
    commit: Callable[[], WriteSummary]
    context: contextvars.Context
    """The caller's context (the audit's actor, the load's new subjects) as it prepared it."""


class _Writer(threading.Thread):
    """Commits prepared batches one after the other, in the order given, in a thread of its own.

    Neo4j's driver waits on its socket without holding the GIL, so while a
    batch's transaction runs in the server the caller's thread prepares the
    next one (its graph, governance check, audit lines): the client's Python
    and the server's work overlap instead of taking turns
    (docs/benchmarks.md, "Neo4j product load"). After the first failure it
    commits nothing more and only empties the queue, so that the caller never
    waits on a full one.
    """

    def __init__(self, on_done: Callable[[_Ready, WriteSummary], None], total: int, ahead: int):
        super().__init__(name="journeykg-batch-writer", daemon=True)
        self.queue: queue.Queue[_Ready | None] = queue.Queue(maxsize=ahead)
        self.on_done = on_done
        self.total = total
        self.error: BaseException | None = None
        self.idle = 0.0
        """Seconds this thread waited for a prepared batch (the preparing thread was slower)."""

    def run(self) -> None:
        while True:
            waiting = time.perf_counter()
            ready = self.queue.get()
            self.idle += time.perf_counter() - waiting
            if ready is None:
                return
            if self.error is None:
                self.error = _commit(ready, self.total, self.on_done)


def _commit(
    ready: _Ready, total: int, on_done: Callable[[_Ready, WriteSummary], None]
) -> BaseException | None:
    """Commit one prepared batch, then note it done; the error that stopped it, if any."""
    try:
        try:
            summary = ready.context.run(ready.commit)
        except StoreError as exc:
            cut = ready.cut
            raise BatchWriteError(ready.number, total, cut.first, cut.last, exc) from exc
        # Only a committed batch is noted (the resume marker, the progress), in order.
        on_done(ready, summary)
    except BaseException as exc:  # handed to the caller's thread, which raises it
        return exc
    return None


def write_in_batches(
    store: Store,
    delta: Graph,
    *,
    journal: BulkJournal | None,
    resume: Resume,
    size: int | None = None,
    progress: Progress | None = None,
    on_batch: BatchHook | None = None,
    ahead: int | None = None,
) -> WriteSummary:
    """Write ``delta`` into ``store`` in batches of ``size`` subjects, resuming after ``resume``.

    Each batch is one :meth:`Store.apply` (through the audited store when
    ``store`` is one). With ``journal`` the progress is recorded after each
    batch and forgotten when the last one is written; without it nothing is
    recorded (a re-run then writes every batch again, to the same result).

    ``ahead`` (default :data:`PREPARED_AHEAD`): how many prepared batches may
    wait while one commits in the writer thread; 0 prepares and commits each
    batch in the caller's thread, one after the other. The commits, the
    records of progress and ``progress``/``on_batch`` come in batch order
    either way, each only after its batch committed.
    """
    started = time.perf_counter()
    # Read when called, so that a benchmark can try other sizes.
    count, cuts = _cuts(delta, size or BATCH_SUBJECTS, resume.after)
    total = resume.batches + count
    written = [0, 0]  # subjects, triples

    def done(ready: _Ready, summary: WriteSummary) -> None:
        written[0] += summary.subjects
        written[1] += ready.cut.triples
        resume.after, resume.batches = ready.cut.last, ready.number
        if journal is not None:
            journal.save(resume)
        if progress is not None:
            progress(ready.number, total)
        if on_batch is not None:
            on_batch(ready.number, total)

    from journeykg.graph.audited import prepared_write

    def prepared(number: int, cut: _Cut) -> _Ready:
        commit = prepared_write(store, cut.graph)
        return _Ready(number, cut, commit, contextvars.copy_context())

    numbered = enumerate(cuts, start=resume.batches + 1)
    waiting = PREPARED_AHEAD if ahead is None else ahead
    if waiting <= 0:
        for number, cut in numbered:
            error = _commit(prepared(number, cut), total, done)
            if error is not None:
                raise error
    else:
        _overlapped(numbered, prepared, _Writer(done, total, waiting))
    if journal is not None:
        journal.finish(resume.key)
    return WriteSummary(
        subjects=written[0], triples=written[1], seconds=time.perf_counter() - started
    )


def _overlapped(
    numbered: Iterator[tuple[int, _Cut]],
    prepared: Callable[[int, _Cut], _Ready],
    writer: _Writer,
) -> None:
    """Prepare each batch in this thread while ``writer`` commits the ones before it."""
    writer.start()
    refused: BaseException | None = None
    blocked = 0.0  # seconds this thread waited for room (the writer was slower)
    try:
        for number, cut in numbered:
            if writer.error is not None:
                break  # a batch failed: prepare no more
            ready = prepared(number, cut)
            waiting = time.perf_counter()
            writer.queue.put(ready)
            blocked += time.perf_counter() - waiting
    except BaseException as exc:  # raised below, once the batches before it are committed
        refused = exc
    # Also when preparing failed (a refused batch): the batches before it are
    # committed first, as one after the other would have left them.
    writer.queue.put(None)
    writer.join()
    # Which side held the other up: what to make faster next (docs/neo4j-bulk.md).
    log.info(
        "batched write: the preparing thread waited %.1f s for the writer, "
        "the writer %.1f s for prepared batches",
        blocked,
        writer.idle,
    )
    # An earlier batch's failure first: one after the other, it would have come first.
    if writer.error is not None:
        raise writer.error
    if refused is not None:
        raise refused


def file_key(kind: str, path: Path) -> str:
    """The identity of writing the file ``path`` as ``kind`` (``load``, ``restore``): its digest."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return f"{kind}-{digest.hexdigest()[:32]}"


def journal_of(store: Store) -> BulkJournal | None:
    """Where ``store`` records batched writes: its state directory, if it was opened with one."""
    from journeykg.graph.audited import AuditedStore

    if isinstance(store, AuditedStore) and store.state is not None:
        return BulkJournal(store.state.path)
    return None


def pending(store: Store, key: str) -> Resume:
    """The write ``key`` as far as ``store`` got with it before (or from the start)."""
    if Capability.BATCHED_WRITE not in store.capabilities:
        return Resume(key)
    journal = journal_of(store)
    found = journal.find(key) if journal is not None else None
    return found if found is not None else Resume(key)


def write(
    store: Store, delta: Graph, resume: Resume, progress: Progress | None = None
) -> WriteSummary:
    """Write ``delta``: in batches where the store can (resuming), else in one transaction.

    The embedded store writes as it always did, all or nothing.
    """
    if Capability.BATCHED_WRITE not in store.capabilities:
        return store.upsert(delta, progress=progress)
    journal = journal_of(store)
    if journal is not None:
        journal.save(resume)  # from the first batch on, a re-run finds the same activity
    return write_in_batches(store, delta, journal=journal, resume=resume, progress=progress)
