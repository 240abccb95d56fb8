"""Load and validate files: parse -> governed data -> SHACL gate -> one atomic write (or batches).

Into a store that writes in batches (Neo4j) the write is a series of atomic, audited
batches that a re-run of the same load resumes (graph/neo4j_bulk.py).

A load never writes a governed element it would change (graph/governed.py):
it is refused, or with a proposer (``--propose``) the changed texts become
change proposals and nothing else about those elements is written. Governed
elements the file repeats exactly are left out of the write, so that a
second load of the same file does not take over their provenance.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef

from journeykg.graph import neo4j_bulk as bulk
from journeykg.graph.audited import writing_new
from journeykg.graph.gate_view import GateView
from journeykg.graph.governed import inspect_write, with_record_parents, without_subjects
from journeykg.graph.governed_steps import Proposer, make_proposals, proposals_or_refuse
from journeykg.graph.model import WriteSummary
from journeykg.graph.store import Capability, Progress, Store, require
from journeykg.ids import Identifiers
from journeykg.loaders.collector_pause import collector_paused
from journeykg.loaders.provenance import load_activity, stamp
from journeykg.loaders.rdf_fast_read import read_large_rdf
from journeykg.validation.compiled_gate import check_compiled
from journeykg.validation.gate import GateResult
from journeykg.validation.graph_index import iri_objects_of, subjects_of, triple_count
from journeykg.validation.problems import ValidationError

if TYPE_CHECKING:
    from journeykg.graph.neo4j_offline_import import Neo4jHome

#: Called when a stage of the load begins ("parse", "validate", "write").
StageHook = Callable[[str], None]


@dataclass
class LoadReport:
    """What a load did and how long each stage took."""

    file: str
    triples: int
    """Data triples written from the file (governed elements it repeats or proposes to change,
    and the provenance added on top, are not counted)."""
    subjects: int
    warnings: int
    parse_seconds: float
    validate_seconds: float
    write_seconds: float
    proposals: list[str] = field(default_factory=list)
    """Change proposals made instead of writing changed governed texts (``--propose``)."""


def validate_file(
    path: Path,
    store: Store | None,
    *,
    ids: Identifiers | None = None,
    rdf_format: str | None = None,
) -> GateResult:
    """Check a file against the shapes (and what ``store`` already holds) without writing.

    Problems name elements by the store's identifiers, or without a store by ``ids``.
    """
    delta = read_large_rdf(path, rdf_format)
    if store is not None:
        ids = store.ids
    if ids is None:
        raise ValueError("validate_file needs a store or the identifiers to name elements by")
    return check_compiled(delta, GateView(store) if store is not None else None, str(path), ids)


def load_file(
    store: Store,
    path: Path,
    *,
    rdf_format: str | None = None,
    on_stage: StageHook | None = None,
    progress: Progress | None = None,
    proposer: Proposer | None = None,
    offline_import: Neo4jHome | None = None,
) -> LoadReport:
    """Load an RDF file into ``store``: all of it, or, if it fails to parse or validate, nothing.

    A store that writes in batches (Neo4j, :mod:`journeykg.graph.neo4j_bulk`)
    commits it batch by batch once the whole file has passed the gate; if a
    batch fails, loading the same file again resumes at that batch.

    With ``offline_import`` (the Neo4j installation's home) an empty Neo4j
    database is written by Neo4j's import tool instead, all or nothing, the
    server stopped and started around it
    (:mod:`journeykg.graph.neo4j_offline_import`); refused unless it is empty.

    A file that would change a governed element is refused
    (:class:`~journeykg.graph.governed_steps.GovernedWriteError`); with ``proposer``
    its changed texts are proposed instead, and the rest is loaded.
    """
    require(store, Capability.WRITABLE, f"load {path}")
    with collector_paused():  # millions of long-lived objects: see loaders/collector_pause.py
        return _load_file(store, path, rdf_format, on_stage, progress, proposer, offline_import)


def _load_file(
    store: Store,
    path: Path,
    rdf_format: str | None,
    on_stage: StageHook | None,
    progress: Progress | None,
    proposer: Proposer | None,
    offline: Neo4jHome | None,
) -> LoadReport:
    stage = on_stage or (lambda _name: None)
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    if offline is not None:
        from journeykg.graph.neo4j_offline_import import neo4j_backend, refuse_unless_empty

        # Refused before the file is even read: the import replaces the database.
        refuse_unless_empty(neo4j_backend(store))
    stage("parse")
    read = read_large_rdf(path, rdf_format)
    # A store that writes in batches (Neo4j) may hold part of this very load from
    # an attempt that failed: it resumes after it, with the same provenance.
    batched = offline is None and Capability.BATCHED_WRITE in store.capabilities
    resume = bulk.pending(store, bulk.file_key("load", path)) if batched else bulk.Resume("")
    if resume.started:
        started = datetime.fromisoformat(resume.started)
    t1 = time.perf_counter()
    stage("validate")
    # What the store holds about the file's subjects and the nodes they point to, read
    # once: the governance check and the gate both need it (one describe of a million
    # IRIs is seconds against Neo4j; a first load reads back nothing).
    subjects = subjects_of(read)
    described = with_record_parents(subjects) | iri_objects_of(read)
    # An offline import has found the database empty: nothing to read back.
    stored = store.describe(described) if offline is None else Graph()
    governed = inspect_write(store, read, stored=stored)
    texts = proposals_or_refuse(
        governed, store.ids, str(path), str(path), propose=proposer is not None
    )
    delta = without_subjects(read, governed.changed | governed.repeated)
    ended: datetime | None = None
    activity = URIRef(resume.activity) if resume.activity else None
    staging = None
    if offline is not None:
        from journeykg.graph.neo4j_offline_import import start_staging

        # The import is staged while the gate runs (a child process, the server
        # untouched), from the child's own copy of the delta, stamped there.
        ended = datetime.now(UTC)
        activity = load_activity(store.ids, ended)
        stamped = partial(
            stamp, ids=store.ids, source=path.name, started=started, activity=activity, ended=ended
        )
        staging = start_staging(store, delta, offline, prepare=stamped)
    try:
        view = GateView(store, read=stored, described=frozenset(described))
        gate = check_compiled(delta, view, str(path), store.ids)
        if gate.violations:
            raise ValidationError(
                f"{path} does not conform to the shapes: {len(gate.violations)} violation(s); "
                "nothing was written",
                gate.violations,
            )
        t2 = time.perf_counter()
        stage("write")
        proposals = make_proposals(texts, proposer) if proposer is not None else []
        triples = triple_count(delta)
        resume.started = started.isoformat()
        if staging is not None:
            from journeykg.graph.neo4j_offline_import import write_offline

            # The staging stamps its own copy and records it for the audit: this
            # copy is never written, and stamping it would cost seconds for nothing.
            summary = write_offline(store, delta, staging)
        else:
            resume.activity = str(
                stamp(delta, store.ids, path.name, started, activity=activity, ended=ended)
            )
            unstored = subjects - subjects_of(stored)
            summary = _write(store, delta, resume, unstored, activity is None, progress)
    except BaseException:
        if staging is not None:
            staging.cancel()
        raise
    return LoadReport(
        file=str(path),
        triples=triples,
        subjects=summary.subjects,
        warnings=len(gate.problems) - len(gate.violations),
        parse_seconds=t1 - t0,
        validate_seconds=t2 - t1,
        write_seconds=summary.seconds,
        proposals=proposals,
    )


def _write(
    store: Store,
    delta: Graph,
    resume: bulk.Resume,
    unstored: set[URIRef],
    minted: bool,
    progress: Progress | None,
) -> WriteSummary:
    """The write of a load by the store's own path: in batches (resumable) or at once.

    ``unstored``: the subjects the store held nothing about when the load read it.
    The audit of each batch need not read them back (a first load reads back
    nothing), and the batched write prepares each batch while the one before it
    commits (graph/neo4j_bulk.py). The load's activity too when this load
    ``minted`` it and the store holds nothing about it (one IRI asked); a resumed load wrote
    it before, and its batch is read back as always.
    """
    activity = URIRef(str(resume.activity))
    if minted and not subjects_of(store.describe([activity])):
        unstored.add(activity)
    with writing_new(store, unstored):
        return bulk.write(store, delta, resume, progress=progress)


@dataclass
class NewElementsReport:
    """What :func:`load_new_elements` did: what it wrote, and what it left as the store had it."""

    written: LoadReport | None
    """The load of the elements the store lacked; None when it lacked none (nothing written)."""
    kept: int
    """Elements of the file the store holds already, left exactly as they are."""


def load_new_elements(store: Store, path: Path) -> NewElementsReport:
    """Load the elements of ``path`` that ``store`` does not hold yet; leave the others alone.

    An element (a subject of the file) the store holds any statement about
    is skipped whole, so that nothing the store says about it (a governance
    decision, a sync, a hand edit) is overwritten. What is left passes the
    gate and is written as :func:`load_file` writes, with its provenance; if
    nothing is left, nothing is written.
    """
    require(store, Capability.WRITABLE, f"load {path}")
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    delta = read_large_rdf(path)
    subjects = {s for s in delta.subjects() if isinstance(s, URIRef)}
    held = {s for s in store.describe(subjects).subjects() if isinstance(s, URIRef)}
    new = Graph()
    for triple in delta:
        if triple[0] not in held:
            new.add(triple)
    if not new:
        return NewElementsReport(written=None, kept=len(held))
    t1 = time.perf_counter()
    gate = check_compiled(new, GateView(store), str(path), store.ids)
    if gate.violations:
        raise ValidationError(
            f"{path}: the elements the store lacks do not conform to the shapes: "
            f"{len(gate.violations)} violation(s); nothing was written",
            gate.violations,
        )
    t2 = time.perf_counter()
    triples = len(new)
    stamp(new, store.ids, path.name, started)
    summary = store.upsert(new)
    report = LoadReport(
        file=str(path),
        triples=triples,
        subjects=summary.subjects,
        warnings=len(gate.problems) - len(gate.violations),
        parse_seconds=t1 - t0,
        validate_seconds=t2 - t1,
        write_seconds=summary.seconds,
    )
    return NewElementsReport(written=report, kept=len(held))
