"""Planning one batch: what changed against the store, and what may not be written.

For each record of the source (the later of two with the same key) the plan
reads what the store holds about the record's subjects, refuses records
that would touch governed data or an element its source did not create
(:mod:`.governance`), and sets aside those the store already holds exactly,
so that a re-run writes nothing. With ``propose``, a record whose only fault
is a changed text of a governed element is set aside to be proposed instead
(``--propose``). What is left are the candidates for the shapes gate
(:mod:`.gate`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib import Literal as RDFLiteral
from rdflib.term import Node

from journeykg.graph.audit_prior import PriorRead
from journeykg.graph.governed import governance_of, value_of, with_record_parents
from journeykg.graph.governed_steps import ProposedText, proposed_texts
from journeykg.graph.store import Store
from journeykg.graph.subject_index import SubjectIndex, subject_index
from journeykg.loaders.source import MappedRecord, Triple
from journeykg.loaders.sync.bookmark import SyncRun
from journeykg.loaders.sync.governance import (
    RecordVerdict,
    brought_in,
    decided_statuses,
    foreign_key,
    governed_subject,
    hand_made,
    owned_elsewhere,
)
from journeykg.namespaces import JKG, PROV, RDF, REG
from journeykg.validation.problems import Problem

# Looked up once: rdflib's Namespace attribute access builds and checks a new URIRef each time,
# and planning a batch asks for these once per record or per triple.
SYNCED_FROM, EXTERNAL_ID, GENERATED_BY = JKG.syncedFrom, JKG.externalId, PROV.wasGeneratedBy
_TYPE, _STATUS = RDF.type, REG.status

#: From this many subjects a batch's read is offered to the audit of its write.
PRIOR_READ_FROM = 100

RecordKey = tuple[str, str]
Rejection = tuple[MappedRecord, list[Problem]]
Proposal = tuple[MappedRecord, list[ProposedText]]


@dataclass
class Stored:
    """What the store holds about a batch's subjects."""

    graph: Graph
    described: frozenset[URIRef]
    """The subjects ``graph`` holds all the stored triples of."""
    present: set[URIRef]
    """The subjects the store holds anything about."""
    owner: dict[URIRef, Node | None]
    """Each subject's owning source (``jkg:syncedFrom``), if any."""
    makers: Graph
    """What the store holds about the runs that made the present subjects no source owns."""
    referrers: list[tuple[URIRef, URIRef, URIRef]] | None = None
    """The stored edges pointing at the subjects, read with ``graph`` where a store reads
    both at once (:attr:`Store.reads_together`) for the gate; None: not read."""
    generation: str | None = None
    """The store's generation just before ``graph`` was read: the audit of the batch's write
    takes its old values from ``graph`` while it is still the store's (graph/audit_prior.py).
    None for a read of fewer than :data:`PRIOR_READ_FROM` subjects, which is not offered."""

    def prior(self) -> PriorRead | None:
        """This read, offered to the audit of the write that follows it (if it is worth it)."""
        if self.generation is None:
            return None
        return PriorRead(self.graph, self.described, self.generation)


@dataclass
class BatchPlan:
    """What one batch would change, before the shapes gate."""

    triples: dict[RecordKey, Sequence[Triple]] = field(default_factory=dict)
    """Each record's triples, read once."""
    subjects: dict[RecordKey, set[URIRef]] = field(default_factory=dict)
    """Each record's subjects."""
    seen: set[URIRef] = field(default_factory=set)
    """Every subject the batch delivered (refused records' too): not stale."""
    replaced: set[URIRef] = field(default_factory=set)
    """Subjects the source owns already: rewritten whole, not merged."""
    candidates: list[MappedRecord] = field(default_factory=list)
    """Records that changed and may be written, if they pass the gate."""
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    proposed: list[Proposal] = field(default_factory=list)
    """Records whose changed governed texts are to be proposed instead (``--propose``)."""
    stored: Stored | None = None
    """What the plan read from the store about the batch's subjects (the gate reads it again
    from here rather than from the store)."""


def plan_batch(
    store: Store, run: SyncRun, records: Sequence[MappedRecord], *, propose: bool = False
) -> BatchPlan:
    """Sort ``records`` into refused, unchanged, to be proposed and candidates for the gate."""
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
    # What the records link to is read with them: the gate's view needs it next (sh:class
    # sees the types of a record's reason and channel), and in the same statement it costs
    # no round trip of its own.
    linked = {o for own in plan.triples.values() for _, _, o in own if isinstance(o, URIRef)}
    # The run and its source are written with the batch (bookmark.add_run_state): read
    # with it, the audit of that write finds every subject in this read and reads none.
    also = {run.source, run.iri} - plan.seen
    stored = plan.stored = read_stored(store, plan.seen, linked - plan.seen, also=also)
    for record in batch:
        _classify(store, run, record, stored, plan, propose)
    plan.replaced = {s for s in plan.seen if stored.owner.get(s) == run.source}
    return plan


def read_stored(
    store: Store,
    subjects: set[URIRef],
    linked: Collection[URIRef] = (),
    *,
    also: Collection[URIRef] = (),
) -> Stored:
    """What ``store`` holds about ``subjects``: their statements, owners and makers; and the
    statements about ``linked`` (what the subjects link to, for the gate's view) and about
    ``also`` (what else the batch's write states), in the same read."""
    # With the elements whose governance records any subjects claim to be (graph/governed.py).
    own = with_record_parents(subjects)
    described = frozenset(own | set(linked) | set(also))
    # Before the read: a write after it changes it. For a few subjects the audit's own
    # read costs what reading the generation twice does (a round trip each on Neo4j).
    generation = store.generation() if len(own) >= PRIOR_READ_FROM else None
    # The edges pointing at the subjects, which the gate validates too, in the same read
    # where that spares a round trip (Neo4j); else the gate asks for them if it runs.
    referrers: list[tuple[URIRef, URIRef, URIRef]] | None = None
    if store.reads_together and subjects:
        graph, referrers = store.describe_with_referrers(described, subjects)
    else:
        graph = store.describe(described)
    # What the store holds nothing about (all of a first sync) needs no lookups in it.
    # From the read's subject index: graph.subjects() is a generator step per triple.
    index = subject_index(graph)
    present = present_in(index, subjects)
    owner = {s: _first(index[s].get(SYNCED_FROM)) if s in present else None for s in subjects}
    # Only a collision with a hand-made element reads its maker, to name it.
    runs = {graph.value(s, GENERATED_BY) for s in present if owner[s] is None}
    made_by = {r for r in runs if isinstance(r, URIRef)}
    makers = store.describe(made_by) if made_by else Graph()
    return Stored(
        graph=graph,
        described=described,
        present=present,
        owner=owner,
        makers=makers,
        referrers=referrers,
        generation=generation,
    )


def present_in(index: SubjectIndex, subjects: Collection[URIRef]) -> set[URIRef]:
    """Those of ``subjects`` that ``index`` holds something about (rdflib's index keeps
    the emptied entries of removed triples: they hold nothing)."""
    return {
        s
        for s, held in index.items()
        if isinstance(s, URIRef) and s in subjects and any(held.values())
    }


def _first(objects: Collection[Node] | None) -> Node | None:
    """One of ``objects`` (as ``Graph.value`` picks one), None if there are none."""
    return next(iter(objects), None) if objects else None


def _classify(
    store: Store,
    run: SyncRun,
    record: MappedRecord,
    stored: Stored,
    plan: BatchPlan,
    propose: bool,
) -> None:
    """Put one record among the refused, the proposed, the unchanged or the candidates."""
    key = record.key
    triples, subjects = plan.triples[key], plan.subjects[key]
    verdict = record_verdict(store, run, record, triples, subjects, stored)
    if propose and verdict.proposable:
        plan.proposed.append((record, proposed_texts(verdict.changes)))
        return
    problems = verdict.refusals(store.ids, record.origin)
    if problems:
        plan.rejected.append((record, problems))
        return
    # Every subject left is new, or this source's own: anything else was refused.
    if is_unchanged(run, record, triples, subjects, stored):
        plan.unchanged += 1
    else:
        plan.candidates.append(record)


def record_verdict(
    store: Store,
    run: SyncRun,
    record: MappedRecord,
    triples: Sequence[Triple],
    subjects: set[URIRef],
    stored: Stored,
) -> RecordVerdict:
    """Why ``record`` may not be written by this run: governed data, another origin's element."""
    verdict = RecordVerdict()
    key_of = store.ids.key
    origin = record.origin
    for subject in sorted(subjects):
        governance = governance_of(stored.graph, subject)
        if governance is not None:
            governed_subject(store.ids, origin, subject, governance, stored.graph, triples, verdict)
            continue
        types = {o for s, p, o in triples if p == _TYPE and s == subject}
        verdict.problems += brought_in(key_of, origin, subject, types)
        if subject not in stored.present:
            continue
        owner = stored.owner.get(subject)
        if owner is None:
            made_by = stored.graph.value(subject, GENERATED_BY)
            verdict.problems.append(
                hand_made(key_of, origin, run.name, subject, made_by, stored.makers)
            )
        elif owner != run.source:
            verdict.problems.append(owned_elsewhere(key_of, origin, subject, owner))
    if any(p == _STATUS for _, p, _ in triples):
        verdict.problems += decided_statuses(key_of, record)
    return verdict


def is_unchanged(
    run: SyncRun,
    record: MappedRecord,
    triples: Sequence[Triple],
    subjects: set[URIRef],
    stored: Stored,
) -> bool:
    """Whether the store holds exactly what ``record`` says, as this source's, and no more.

    Compared by value (:func:`value_of`: a number in any spelling, a string with or
    without ``^^xsd:string``), predicate by predicate; a predicate whose terms are the
    same on both sides, in the same order, is equal without spelling its values again
    (most of a batch: turning every literal into its canonical form was most of this
    check's 0.08 s for a 1,000-record batch)."""
    # The read's own subject index: a predicate_objects lookup per subject (a generator
    # and a context check per triple) cost more than the comparison.
    index = subject_index(stored.graph)
    for subject in subjects:
        if subject not in stored.present:
            return False
        want: dict[Node, list[Node]] = defaultdict(list)
        for s, p, o in triples:
            if s == subject:
                want[p].append(o)
        want[SYNCED_FROM].append(run.source)
        want[EXTERNAL_ID].append(RDFLiteral(record.external_id))
        have = index.get(subject, {})
        # rdflib's index keeps emptied entries of removed triples: they hold nothing.
        if want.keys() != {p for p, objects in have.items() if objects and p != GENERATED_BY}:
            return False
        for p, objects in want.items():
            held = list(have[p])
            if objects != held and {value_of(o) for o in objects} != {value_of(o) for o in held}:
                return False
    return True
