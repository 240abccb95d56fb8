"""Planning one batch: what changed against the store, and what may not be written.

For each record of the source (the later of two with the same key) the plan
reads what the store holds about the record's subjects, refuses records
that would touch governed data or another source's element
(:mod:`.governance`), and sets aside those the store already holds exactly,
so that a re-run writes nothing. What is left are the candidates for the
shapes gate (:mod:`.gate`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.term import Node

from journeykg.graph.canonical import canonical_term
from journeykg.graph.store import Store
from journeykg.loaders.source import MappedRecord, Triple
from journeykg.loaders.sync.bookmark import SyncRun
from journeykg.loaders.sync.governance import decided_statuses, foreign_key, subject_problems
from journeykg.namespaces import JKG, PROV, RDF, REG, XSD
from journeykg.validation.problems import Problem

# Looked up once: rdflib's Namespace attribute access builds and checks a new URIRef each time,
# and planning a batch asks for these once per record or per triple.
SYNCED_FROM, EXTERNAL_ID, GENERATED_BY = JKG.syncedFrom, JKG.externalId, PROV.wasGeneratedBy
_TYPE, _STATUS, _APPROVED = RDF.type, REG.status, JKG.statusApproved

RecordKey = tuple[str, str]
Rejection = tuple[MappedRecord, list[Problem]]


@dataclass
class Stored:
    """What the store holds about a batch's subjects."""

    graph: Graph
    present: set[URIRef]
    """The subjects the store holds anything about."""
    owner: dict[URIRef, Node | None]
    """Each subject's owning source (``jkg:syncedFrom``), if any."""


@dataclass
class BatchPlan:
    """What one batch would change, before the shapes gate."""

    triples: dict[RecordKey, Sequence[Triple]] = field(default_factory=dict)
    """Each record's triples, read once."""
    subjects: dict[RecordKey, set[URIRef]] = field(default_factory=dict)
    """Each record's subjects."""
    seen: set[URIRef] = field(default_factory=set)
    """Every subject the batch delivered (refused records' too): not stale."""
    claimed: dict[RecordKey, set[URIRef]] = field(default_factory=dict)
    """Per record, the subjects it will own: new ones and those the source owns already."""
    replaced: set[URIRef] = field(default_factory=set)
    """Subjects the source owns already: rewritten whole, not merged."""
    candidates: list[MappedRecord] = field(default_factory=list)
    """Records that changed and may be written, if they pass the gate."""
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)


def plan_batch(store: Store, run: SyncRun, records: Sequence[MappedRecord]) -> BatchPlan:
    """Sort ``records`` into refused, unchanged and candidates for the gate."""
    plan = BatchPlan()
    # The same key twice in a batch: the later record wins.
    latest = {r.key: r for r in records if r.source == run.name}
    for record in records:
        if record.source != run.name:
            plan.rejected.append((record, [foreign_key(record, run.name)]))
    batch = list(latest.values())
    # Each record's triples read once, as tuples: rdflib's graph lookups (objects,
    # predicate_objects) cost microseconds each, and a batch asks for them per record.
    plan.triples = {r.key: r.triples() for r in batch}
    plan.subjects = {
        key: {s for s, _, _ in own if isinstance(s, URIRef)} for key, own in plan.triples.items()
    }
    plan.seen = set().union(*plan.subjects.values()) if plan.subjects else set()
    stored = read_stored(store, plan.seen)
    for record in batch:
        _classify(store, run, record, stored, plan)
    plan.replaced = {s for s in plan.seen if stored.owner.get(s) == run.source}
    return plan


def read_stored(store: Store, subjects: set[URIRef]) -> Stored:
    """What ``store`` holds about ``subjects``: their statements and owners."""
    graph = store.describe(subjects)
    # What the store holds nothing about (all of a first sync) needs no lookups in it.
    present = {s for s in graph.subjects() if isinstance(s, URIRef) and s in subjects}
    owner = {s: graph.value(s, SYNCED_FROM) if s in present else None for s in subjects}
    return Stored(graph=graph, present=present, owner=owner)


def _classify(
    store: Store, run: SyncRun, record: MappedRecord, stored: Stored, plan: BatchPlan
) -> None:
    """Put one record among the refused, the unchanged or the candidates."""
    key = record.key
    triples, subjects = plan.triples[key], plan.subjects[key]
    problems = governance_problems(store, run, record, triples, subjects, stored)
    if problems:
        plan.rejected.append((record, problems))
        return
    mine = {s for s in subjects if s not in stored.present or stored.owner[s] == run.source}
    plan.claimed[key] = mine
    if is_unchanged(run, record, triples, subjects, mine, stored):
        plan.unchanged += 1
    else:
        plan.candidates.append(record)


def governance_problems(
    store: Store,
    run: SyncRun,
    record: MappedRecord,
    triples: Sequence[Triple],
    subjects: set[URIRef],
    stored: Stored,
) -> list[Problem]:
    """Why ``record`` may not be written by this run: governed data, another source's."""
    problems: list[Problem] = []
    key_of = store.ids.key
    for subject in sorted(subjects):
        types = {o for s, p, o in triples if p == _TYPE and s == subject}
        present = subject in stored.present
        if present:
            types |= set(stored.graph.objects(subject, _TYPE))
        approved = present and (subject, _STATUS, _APPROVED) in stored.graph
        owner = stored.owner.get(subject)
        problems += subject_problems(
            key_of, record.origin, subject, types, approved, owner, run.source
        )
    if any(p == _STATUS for _, p, _ in triples):
        problems += decided_statuses(key_of, record)
    return problems


def is_unchanged(
    run: SyncRun,
    record: MappedRecord,
    triples: Sequence[Triple],
    subjects: set[URIRef],
    mine: set[URIRef],
    stored: Stored,
) -> bool:
    """Whether the store holds exactly what ``record`` says (and, for its own, no more)."""
    for subject in subjects:
        if subject not in stored.present:
            return False
        want = {(p, _norm(o)) for s, p, o in triples if s == subject}
        if subject in mine:
            want.add((SYNCED_FROM, run.source))
            want.add((EXTERNAL_ID, _norm(RDFLiteral(record.external_id))))
        have = {
            (p, _norm(o)) for p, o in stored.graph.predicate_objects(subject) if p != GENERATED_BY
        }
        if subject not in mine:  # another loader's element: only what the record says counts
            said = {p for p, _ in want}
            have = {(p, o) for p, o in have if p in said}
        if want != have:
            return False
    return True


def _norm(term: Node) -> Node:
    """A term as compared for change detection: canonical numbers, plain = xsd:string."""
    term = canonical_term(term)
    if isinstance(term, RDFLiteral) and term.language is None and term.datatype == XSD.string:
        return RDFLiteral(str(term))
    return term
