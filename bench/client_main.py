"""The client side of ``journeykg load`` as main had it before the compiled load gate (a1acef8).

``bench/neo4j_product_load.py --paths embedded-mainclient,embedded`` (or
``batched-mainclient,batched``) loads the same file with this client and with
the product's, so that the figures before and after the compiled load gate
come from one run on one machine state (docs/benchmarks.md, "The client of a
1M load"). Only the bench uses it. Inside :func:`main_client`:

- the gate is pySHACL on the whole merged view (validation/gate.py ``check``),
  not validation/compiled_gate.py;
- the governance check and the gate each read the store's triples about the
  file's subjects (two ``describe`` calls), and every pass over the delta's
  subjects goes through ``Graph.subjects`` instead of rdflib's own index;
- the provenance links are added with ``Graph.add``;
- the audit spells each triple's object value again for every triple
  (graph/audit_change.py's ``_Lines`` as it was) and reads every batch's
  subjects back from the store (no ``writing_new``).

The functions below are main's, copied verbatim but for their names.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.serializers.nt import _quoteLiteral
from rdflib.term import Node

from journeykg.graph import audit_change, audited, governed
from journeykg.graph import neo4j_bulk as bulk
from journeykg.graph.audit_change import Triple, value
from journeykg.graph.gate_view import GateView
from journeykg.graph.governed import Describes, GovernedWrite, without_subjects
from journeykg.graph.governed_steps import Proposer, make_proposals, proposals_or_refuse
from journeykg.graph.store import Capability, Progress, Store
from journeykg.ids import Identifiers
from journeykg.loaders import pipeline, provenance
from journeykg.loaders.pipeline import LoadReport, StageHook
from journeykg.loaders.rdf_fast_read import read_large_rdf
from journeykg.namespaces import PROV
from journeykg.validation.gate import check
from journeykg.validation.problems import ValidationError


def _subjects(delta: Graph) -> set[URIRef]:
    return {s for s in delta.subjects(unique=True) if isinstance(s, URIRef)}


def _inspect_write(
    store: Describes,
    delta: Graph,
    retract: Collection[URIRef] = (),
    *,
    stored: Graph | None = None,
) -> GovernedWrite:
    gone = set(retract)
    subjects = {s for s in delta.subjects() if isinstance(s, URIRef)} | gone
    wanted = governed.with_record_parents(subjects)
    if stored is None:
        view = store.describe(wanted) if wanted else Graph()
    else:
        view = stored
        parents = wanted - subjects
        if parents:
            view = Graph()
            for graph in (stored, store.describe(parents)):
                for triple in graph:
                    view.add(triple)
    write = GovernedWrite()
    if next(iter(view), None) is None:
        return write
    for subject in sorted(subjects):
        governance = governed.governance_of(view, subject)
        if governance is None:
            continue
        changes = governed.changes_of(view, delta, subject, governance, retracted=subject in gone)
        if changes:
            write.changes += changes
        else:
            write.repeated.add(subject)
    return write


def _stamp(
    delta: Graph,
    ids: Identifiers,
    source: str,
    started: datetime,
    *,
    activity: URIRef | None = None,
) -> URIRef:
    ended = datetime.now(UTC)
    activity = activity if activity is not None else provenance.load_activity(ids, ended)
    for subject in {s for s in delta.subjects() if isinstance(s, URIRef)}:
        delta.add((subject, PROV.wasGeneratedBy, activity))
    provenance.describe_activity(delta, activity, f"load of {source}", source, started, ended)
    return activity


class _Lines:
    def __init__(self) -> None:
        self._spelled: dict[int, tuple[Node, str, str]] = {}

    def _spell(self, term: Node) -> tuple[str, str]:
        known = self._spelled.get(id(term))
        if known is None:
            if isinstance(term, Literal):
                text = _quoteLiteral(term)
                language = term.language
                key = text
                if language and language != language.lower():
                    key = _quoteLiteral(Literal(str(term), lang=language.lower()))
            else:
                text = key = term.n3()
            known = self._spelled[id(term)] = (term, text, key)
        return known[1], known[2]

    def add(self, into: dict[str, tuple[str, str | None]], triple: Triple) -> None:
        s, p, o = value(triple)
        subject = self._spell(s)[0]
        predicate = self._spell(p)[0]
        text, key = self._spell(o)
        line = f"{subject} {predicate} {text} .\n"
        keyed = line if key is text else f"{subject} {predicate} {key} .\n"
        if keyed not in into:
            into[keyed] = (line, str(s) if isinstance(s, URIRef) else None)

    def add_all(self, into: dict[str, tuple[str, str | None]], triples: Iterable[Triple]) -> None:
        # main's change_of: one add per triple, the triples read through the API.
        for triple in triples:
            self.add(into, triple)


def _load_file(
    store: Store,
    path: Path,
    rdf_format: str | None,
    on_stage: StageHook | None,
    progress: Progress | None,
    proposer: Proposer | None,
) -> LoadReport:
    stage = on_stage or (lambda _name: None)
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    stage("parse")
    read = read_large_rdf(path, rdf_format)
    batched = Capability.BATCHED_WRITE in store.capabilities
    resume = bulk.pending(store, bulk.file_key("load", path)) if batched else bulk.Resume("")
    if resume.started:
        started = datetime.fromisoformat(resume.started)
    t1 = time.perf_counter()
    stage("validate")
    found = _inspect_write(store, read)
    texts = proposals_or_refuse(
        found, store.ids, str(path), str(path), propose=proposer is not None
    )
    delta = without_subjects(read, found.changed | found.repeated)
    gate = check(delta, GateView(store), str(path), store.ids)
    if gate.violations:
        raise ValidationError(
            f"{path} does not conform to the shapes: {len(gate.violations)} violation(s); "
            "nothing was written",
            gate.violations,
        )
    t2 = time.perf_counter()
    stage("write")
    proposals = make_proposals(texts, proposer) if proposer is not None else []
    triples = len(delta)
    activity = URIRef(resume.activity) if resume.activity else None
    resume.activity = str(_stamp(delta, store.ids, path.name, started, activity=activity))
    resume.started = started.isoformat()
    summary = bulk.write(store, delta, resume, progress=progress)
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


#: Each module's names that main's client replaces, with main's function.
_MAIN: tuple[tuple[object, str, object], ...] = (
    (pipeline, "_load_file", _load_file),
    (audited, "inspect_write", _inspect_write),
    (audited, "subjects_of", _subjects),
    (audit_change, "_Lines", _Lines),
    (audited, "_known_new", lambda _store: frozenset()),
)


@contextmanager
def main_client() -> Iterator[None]:
    """``load_file`` runs main's client inside the block (the write itself is untouched)."""
    product = [(module, name, getattr(module, name)) for module, name, _ in _MAIN]
    for module, name, old in _MAIN:
        setattr(module, name, old)
    try:
        yield
    finally:
        for module, name, new in product:
            setattr(module, name, new)
