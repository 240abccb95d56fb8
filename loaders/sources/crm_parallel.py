"""CRM pages parsed and counted on every core: the per-case work of a large export.

Parsing JSON, building cases and counting them is ~90 % of a 1M-case sync and is the
same work per input file, so the files are handed to a pool of worker processes (the
GIL keeps threads on one core). Each worker returns a COMPACT tally per file: counts
keyed by (mapped reason, mapped channel, period label), unmapped counts and the latest
modification per period, the rejected records' problems, the case ids; never cases.
The parent merges the tallies in file order, so problems come out in the order the
serial read reports them, and the result equals the serial count's
(:meth:`journeykg.loaders.sources.crm.CrmSource.count_serially`).

Hand-written because no library does this: multiprocessing gives the pool, but the
partial aggregation (counts that can be summed across files, and the incremental
read's "periods touched after the bookmark", which must be decided over all files
before any tally is kept) is specific to contact volumes.

Exactness: counts per (reason, channel, period) can be summed across files only if
every case appears once. A case read twice (it changed while the export was paged)
must count once, in its latest version, which needs all its versions side by side:
when any case id repeats, the tallies are dropped and the input is read serially.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar, Protocol
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from rdflib import URIRef

from journeykg.ids import Identifiers
from journeykg.loaders.recipe import Recipe
from journeykg.loaders.sources._common import (
    READABLE_RULE,
    InputFile,
    InputPath,
    PeriodSpan,
    SourceError,
    period_of,
    validated_pages,
)
from journeykg.loaders.sources.crm_cases import (
    Aggregate,
    CaseBuilder,
    CaseSet,
    Counted,
    iri_and_key,
    mapped_reason_and_channel,
    resolved_on_first_contact,
)
from journeykg.loaders.sources.crm_config import CrmConfig
from journeykg.validation.problems import Problem

#: A pool pays for itself from a few files of some megabytes: starting a worker (spawn:
#: a fresh interpreter importing journeykg) costs ~0.5 s, as much as parsing ~8 MB
#: (~10k Salesforce cases). Smaller inputs, and the tests' fixtures, are read serially.
MIN_FILES = 4
MIN_BYTES = 8_000_000

#: (mapped reason value, mapped channel value, period label)
TallyKey = tuple[str, str, str]


class PagedCases(Protocol):
    """What the parallel read needs of a CRM source whose input is JSON pages (a
    :class:`~journeykg.loaders.sources.crm.CrmSource`): its recipe, how to build and check
    its pages and cases. Workers make their own from ``(recipe, ids)``."""

    recipe: Recipe
    ids: Identifiers
    config: CrmConfig
    builder: CaseBuilder
    page_model: ClassVar[type[BaseModel]]
    records_field: ClassVar[str]

    def __init__(self, recipe: Recipe, ids: Identifiers) -> None: ...

    def check_pages(self, pages: list[tuple[str, Any]]) -> list[Problem]:
        """Raise SourceError unless ``pages`` are one complete answer; notices if explained."""
        ...

    def placeholder(self, record: Any) -> tuple[str | None]:
        """What the chain check needs of a record (its id)."""
        ...

    def check_fields(self, pages: list[tuple[str, Any]]) -> None:
        """Raise SourceError if the pages' records lack a field the recipe needs."""
        ...

    def add_page(self, found: CaseSet, name: str, page: Any) -> None:
        """Every record of one validated page, as a Case or a rejected Problem, into ``found``."""
        ...


@dataclass
class FileTally:
    """What a worker returns for a run of input files (at most one entry per aggregate and
    period, plus the case ids, whatever the files' size)."""

    envelopes: list[tuple[str, Any]]
    """The file's pages with placeholder records (the chain check counts them)."""
    read: int = 0
    rejected: list[Problem] = field(default_factory=list)
    excluded: Counter[str] = field(default_factory=Counter)
    case_ids: list[str] = field(default_factory=list)
    newest: datetime | None = None
    counts: dict[TallyKey, list[int]] = field(default_factory=dict)
    """contacts, complaints, escalations, resolved on first contact."""
    files: dict[TallyKey, set[str]] = field(default_factory=dict)
    spans: dict[str, PeriodSpan] = field(default_factory=dict)
    unmapped: dict[str, Counter[str]] = field(default_factory=dict)
    """Per period label: unmapped or excluded values (only touched periods count)."""
    latest: dict[str, datetime] = field(default_factory=dict)
    """Per period label: the latest modification of a case created in it."""


def worth_a_pool(files: Sequence[InputFile | InputPath]) -> bool:
    """Whether ``files`` are enough work to pay for starting worker processes."""
    return (
        len(files) >= MIN_FILES
        and sum(_size(f) for f in files) >= MIN_BYTES
        and _workers(len(files)) > 1
    )


def _size(file: InputFile | InputPath) -> int:
    if isinstance(file, InputFile):
        return len(file.data)
    try:
        return file.path.stat().st_size
    except OSError:
        return 0  # the read says why (in the worker, or serially)


def _workers(files: int) -> int:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(files, cores or 1)


def read_in_parallel(
    source: PagedCases, files: Sequence[InputFile | InputPath], since: datetime | None
) -> Counted | None:
    """The aggregates of ``files`` counted by worker processes; None if a case id repeats
    (then only the serial read can pick each case's latest version).

    Files given as :class:`InputPath` are read by the workers. The error raised is the one
    the serial read raises: that read reads every file before it parses any, so a file
    that cannot be read wins over a page that does not parse, wherever they are."""
    # spawn, not fork: the parent may run threads (the API server, a Neo4j driver), and a
    # forked child of a threaded process can inherit a lock held by another thread.
    workers = _workers(len(files))
    with ProcessPoolExecutor(
        workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(type(source), source.recipe, source.ids),
    ) as pool:
        # Results in file order. A worker's SourceError pickles with its problems; a worker
        # that dies (out of memory) raises BrokenProcessPool instead of hanging.
        futures = [pool.submit(_tally_files, run) for run in _runs(list(files), workers)]
        tallies: list[FileTally] = []
        first: SourceError | None = None
        for future in futures:
            try:
                tallies.append(future.result())
            except SourceError as exc:
                if any(p.rule == READABLE_RULE for p in exc.problems):
                    raise  # the first unreadable file (runs are in file order)
                first = first or exc
        if first is not None:
            raise first  # the first page that does not parse, as the serial read has it
    notices = source.check_pages([envelope for tally in tallies for envelope in tally.envelopes])
    seen = sum(len(t.case_ids) for t in tallies)
    if len({case_id for t in tallies for case_id in t.case_ids}) != seen:
        return None
    counted = _merge(source, tallies, since)
    counted.notices = notices
    return counted


def _runs(files: list[InputFile | InputPath], workers: int) -> list[list[InputFile | InputPath]]:
    """``files`` cut into consecutive runs, about eight per worker: few enough that merging
    costs little (a tally has up to one entry per aggregate, ~11k at 1M cases, so one
    tally per file made the merge ~10 s at 1M), enough that a slow run does not leave the
    other workers idle."""
    size = max(1, -(-len(files) // (workers * 8)))
    return [files[i : i + size] for i in range(0, len(files), size)]


def _merge(source: PagedCases, tallies: list[FileTally], since: datetime | None) -> Counted:
    touched: set[str] | None = None
    if since is not None:
        touched = {
            label for t in tallies for label, modified in t.latest.items() if modified > since
        }
    groups: dict[tuple[str, str, str], Aggregate] = {}
    unmapped: Counter[str] = Counter()
    iris: dict[str, tuple[URIRef, str]] = {}
    ids = source.ids
    for tally in tallies:
        for (reason, channel, label), counts in tally.counts.items():
            if touched is not None and label not in touched:
                continue
            reason_iri, reason_key = iris.get(reason) or iri_and_key(iris, ids, reason)
            channel_iri, channel_key = iris.get(channel) or iri_and_key(iris, ids, channel)
            key = (reason_key, channel_key, label)
            group = groups.get(key)
            if group is None:
                group = groups[key] = Aggregate(reason_iri, channel_iri, tally.spans[label])
            group.contacts += counts[0]
            group.complaints += counts[1]
            group.escalations += counts[2]
            group.resolved_first_contact += counts[3]
            group.files |= tally.files[(reason, channel, label)]
        for label, values in tally.unmapped.items():
            if touched is None or label in touched:
                unmapped.update(values)
        unmapped.update(tally.excluded)
    newest = max((t.newest for t in tallies if t.newest is not None), default=None)
    rejected = [problem for t in tallies for problem in t.rejected]
    return Counted(groups, unmapped, rejected, sum(t.read for t in tallies), newest)


#: The worker's source, made once per process by ``_start_worker``.
_SOURCE: PagedCases | None = None


def _start_worker(kind: type[PagedCases], recipe: Recipe, ids: Identifiers) -> None:
    # a pool initializer can only leave its state in the module
    global _SOURCE
    _SOURCE = kind(recipe, ids)


def _tally_files(run: list[InputFile | InputPath]) -> FileTally:
    """Read and parse a run of files' pages and count their cases (runs in a worker)."""
    source = _SOURCE
    if source is None:  # the pool always starts workers with _start_worker
        raise RuntimeError("worker started without its source")
    # Every file of the run read before any is parsed, as the serial read does.
    files = [f.read() if isinstance(f, InputPath) else f for f in run]
    pages = validated_pages(files, source.page_model)
    source.check_fields(pages)
    placeholders = source.records_field
    tally = FileTally(
        envelopes=[
            # the chain check reads the envelope and the records' ids, not the records
            (
                name,
                page.model_copy(
                    update={
                        placeholders: [source.placeholder(r) for r in getattr(page, placeholders)]
                    }
                ),
            )
            for name, page in pages
        ]
    )
    found = CaseSet()
    for name, page in pages:
        source.add_page(found, name, page)
    tally.read, tally.rejected, tally.excluded = found.read, found.rejected, found.excluded
    _count(source, found, tally)
    return tally


def _count(source: PagedCases, found: CaseSet, tally: FileTally) -> None:
    # The same rules as crm.aggregate, keyed by period label so that the parent can keep
    # only the periods an incremental read touched.
    config = source.config
    zone = ZoneInfo(config.timezone)
    reason_field, channel_field = source.builder.reason_field, source.builder.channel_field
    for case in found.cases:
        tally.case_ids.append(case.case_id)
        if tally.newest is None or case.modified > tally.newest:
            tally.newest = case.modified
        span = period_of(case.created, config.period, zone)
        label = span.label
        seen = tally.latest.get(label)
        if seen is None or case.modified > seen:
            tally.latest[label] = case.modified
        unmapped = tally.unmapped.get(label)
        if unmapped is None:
            unmapped = tally.unmapped[label] = Counter()
        mapped = mapped_reason_and_channel(case, config, reason_field, channel_field, unmapped)
        if mapped is None:
            continue
        reason, channel = mapped
        key = (reason, channel, label)
        counts = tally.counts.get(key)
        if counts is None:
            counts = tally.counts[key] = [0, 0, 0, 0]
            tally.files[key] = set()
            tally.spans[label] = span
        counts[0] += 1
        tally.files[key].add(case.file)
        counts[1] += case.matches(config.complaint)
        counts[2] += case.matches(config.escalation)
        counts[3] += resolved_on_first_contact(case, config, zone)
