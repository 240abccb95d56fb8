"""The SHACL gate of a sync: each batch validated around what it touches, results traced to records.

Built on :mod:`journeykg.validation.gate` (the merged view of delta and
store, pySHACL as journeykg runs it), with what a sync adds:

- a record that the sync owns is *replaced*, not merged: its old stored
  triples are out of the view;
- the stored nodes that point at the batch's subjects are validated too
  (a record that changes what a node is can break the nodes referring to it);
- every result is blamed on the record whose triples caused it, so that only
  that record is refused;
- shapes are evaluated by a compiled subset of SHACL where they can be
  (:mod:`.fast_shacl`, checked against pySHACL), by pySHACL otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from rdflib import Graph, URIRef
from rdflib.term import Node

from journeykg.graph.gate_view import GateView
from journeykg.graph.store import Store
from journeykg.ids import Identifiers
from journeykg.loaders.mapping_keys import UnknownKeys
from journeykg.loaders.source import MappedRecord
from journeykg.loaders.sync.plan import Stored
from journeykg.validation.focused import validate_focus
from journeykg.validation.gate import (
    GateResult,
    Triple,
    _problems,
    merged_view_of,
    run_shacl,
)
from journeykg.validation.problems import Problem


@dataclass
class RecordGate:
    """The SHACL gate's verdict on a batch of mapped records."""

    problems: dict[tuple[str, str], list[Problem]] = field(default_factory=dict)
    """Per record key, every result its triples caused (Violations and Warnings)."""
    unattributed: list[Problem] = field(default_factory=list)
    """Results no record of the batch can be blamed for (none, when the store conformed)."""

    def rejected(self) -> set[tuple[str, str]]:
        """Keys of the records with at least one Violation: they must not be written."""
        return {
            key
            for key, problems in self.problems.items()
            if any(p.severity == "Violation" for p in problems)
        }


def check_records(
    records: Sequence[MappedRecord],
    store: Store,
    ids: Identifiers,
    *,
    replaced: Collection[URIRef] = (),
    referrers: Collection[tuple[URIRef, URIRef, URIRef]] | None = None,
    record_triples: Mapping[tuple[str, str], Sequence[Triple]] | None = None,
    stored: Stored | None = None,
) -> RecordGate:
    """Validate a batch of records as they would be stored; blame each result on a record.

    Focus nodes are the records' subjects plus the stored nodes that point
    at them (``referrers``). A result on a record's subject is that record's;
    a result on a referrer goes to the records whose subjects it points at
    (its value, when that is one of them). ``Problem.file`` is the record's
    origin. ``record_triples``: the records' triples by key, when the caller has read them already;
    ``stored``: what the caller has read about the records' subjects (the plan's read, made
    just before: the gate does not ask the store for it again).
    """
    gate = RecordGate()
    if not records:
        return gate
    triples, owners = _triples_and_owners(records, record_triples)
    view = GateView(store) if stored is None else GateView(store, stored.graph, stored.described)
    # Replaced, not merged: what a record no longer says of its subject is gone, so the
    # view holds the record's triples alone for it (nothing stored of it is read).
    data = merged_view_of(triples, view, set(replaced) & set(owners))
    points_at = _points_at(referrers, owners)
    if points_at:
        _add_referrers(data, store, points_at)
    focus = sorted(n for n in (*owners, *points_at) if isinstance(n, URIRef))
    for problem in _problems(validate_focus(data, focus), "", ids):
        blamed = _blamed(problem, ids, owners, points_at)
        if not blamed:
            gate.unattributed.append(problem)
        for record in {r.key: r for r in blamed}.values():
            gate.problems.setdefault(record.key, []).append(replace(problem, file=record.origin))
    return gate


def _triples_and_owners(
    records: Sequence[MappedRecord],
    record_triples: Mapping[tuple[str, str], Sequence[Triple]] | None,
) -> tuple[list[Triple], dict[Node, list[MappedRecord]]]:
    """All the records' triples, and the records that state something about each subject."""
    # The records' triples as tuples: copying them into an rdflib graph first (and again
    # into the merged view) cost more than validating them.
    triples: list[Triple] = []
    owners: dict[Node, list[MappedRecord]] = defaultdict(list)
    for record in records:
        own = record_triples[record.key] if record_triples is not None else record.triples()
        triples.extend(own)
        for subject in {s for s, _, _ in own}:
            owners[subject].append(record)
    return triples, owners


def _points_at(
    referrers: Collection[tuple[URIRef, URIRef, URIRef]] | None,
    owners: Mapping[Node, list[MappedRecord]],
) -> dict[Node, set[Node]]:
    """The stored nodes outside the batch that point at its subjects, and at which."""
    points_at: dict[Node, set[Node]] = defaultdict(set)
    for s, _, o in referrers if referrers is not None else ():
        if s not in owners and o in owners:
            points_at[s].add(o)
    return points_at


def _add_referrers(data: Graph, store: Store, points_at: Mapping[Node, set[Node]]) -> None:
    """The referrers as stored (the batch does not rewrite them), and what they point at,
    so that their sh:class checks see the targets' types."""
    described = store.describe([r for r in points_at if isinstance(r, URIRef)])
    known = set(data.subjects())
    further = {o for o in described.objects() if isinstance(o, URIRef)} - known
    for graph in (described, store.describe(further)):
        for triple in graph:
            data.add(triple)


def _blamed(
    problem: Problem,
    ids: Identifiers,
    owners: Mapping[Node, list[MappedRecord]],
    points_at: Mapping[Node, set[Node]],
) -> list[MappedRecord]:
    """The records a result is blamed on: by its focus node, else by its value, else the
    records whose subjects the (referring) focus node points at."""
    focus_node = ids.iri(problem.node) if problem.node is not None else None
    value = ids.iri(problem.value) if problem.value is not None else None
    if focus_node is not None and focus_node in owners:
        return owners[focus_node]
    if value is not None and value in owners:
        return owners[value]
    if focus_node is not None:
        return [r for target in points_at.get(focus_node, ()) for r in owners[target]]
    return []


@dataclass
class GateVerdict:
    """The gate's verdict on a batch's candidates: kept, refused (with why), warnings."""

    kept: list[MappedRecord]
    rejected: list[tuple[MappedRecord, list[Problem]]] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def gate_batch(
    store: Store,
    records: list[MappedRecord],
    *,
    replaced: set[URIRef],
    subjects: Mapping[tuple[str, str], set[URIRef]],
    triples: Mapping[tuple[str, str], Sequence[Triple]],
    stored: Stored | None = None,
) -> GateVerdict:
    """Validate ``records``; drop the refused; again if the rest pointed at what was dropped."""
    verdict = GateVerdict(kept=records)
    if not records:
        return verdict
    touched = set().union(*(subjects[r.key] for r in records))
    # The plan's read holds the referrers of every subject of the batch where the store
    # read them with it; those of the records' subjects are among them (and only the
    # edges into the records' subjects are used, see _points_at).
    if stored is not None and stored.referrers is not None:
        referrers = [t for t in stored.referrers if t[2] in touched]
    else:
        referrers = store.referrers(touched)
    unknown = UnknownKeys(store)
    pending = records
    while pending:
        gate = check_records(
            pending,
            store,
            store.ids,
            replaced=replaced,
            referrers=referrers,
            record_triples=triples,
            stored=stored,
        )
        bad = gate.rejected()
        verdict.rejected.extend(
            (r, unknown.explained(gate.problems[r.key])) for r in pending if r.key in bad
        )
        kept = [r for r in pending if r.key not in bad]
        gone = set().union(*(subjects[k] for k in bad)) if bad else set()
        if not gone or not any(o in gone for r in kept for _, _, o in triples[r.key]):
            for record in kept:
                verdict.warnings.extend(gate.problems.get(record.key, []))
            verdict.warnings.extend(gate.unattributed)
            verdict.kept = kept
            return verdict
        # Some records pointed at what was refused: their verdict may change.
        pending = kept
    verdict.kept = pending
    return verdict


def check_store(store: Store) -> GateResult:
    """Validate the whole graph against the shapes (``journeykg validate --all``).

    Never on the request path: on a large graph this takes minutes (see
    docs/benchmarks.md); syncs validate only what each batch touches.
    """
    conforms, results = run_shacl(store.export())
    problems = list(_problems(results, f"the {store.name} store", store.ids))
    problems.sort(key=lambda p: (p.node or "", p.property or "", p.rule))
    return GateResult(conforms=conforms, problems=problems)
