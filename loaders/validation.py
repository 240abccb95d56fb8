"""The SHACL gate: a delta is checked against the shapes before anything is written.

Only the delta's own subjects are validated (pySHACL's focus nodes), against
the delta merged over what the store already holds about them and about the
nodes they point to. That is what the write would produce, so the answer is
the same as validating the whole graph for those nodes, at a fraction of the
cost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from journeykg.graph.ids import Identifiers
from journeykg.graph.store import Store
from journeykg.loaders.errors import Problem
from journeykg.loaders.source import MappedRecord
from journeykg.namespaces import PREFIXES, SH
from journeykg.ontology_graph import load_ontology, load_shapes

MESSAGE_LANGUAGES = ("en", "nl", None)


@dataclass
class GateResult:
    """The outcome of the SHACL gate for one delta."""

    conforms: bool
    problems: list[Problem] = field(default_factory=list)

    @property
    def violations(self) -> list[Problem]:
        """The problems that block a write (Warnings and Infos only advise)."""
        return [p for p in self.problems if p.severity == "Violation"]


def merged_view(
    delta: Graph,
    store: Store | None,
    *,
    replaced: Collection[URIRef] = (),
    stored: Graph | None = None,
) -> Graph:
    """What the store would hold about the delta's subjects (and their neighbours) after writing.

    ``replaced`` subjects lose every stored triple (a sync replacing a record
    it owns); the others keep what the delta does not mention (upsert).
    ``stored`` is the store's description of those nodes when the caller has
    already fetched it.
    """
    data = Graph()
    subjects = {s for s in delta.subjects() if isinstance(s, URIRef)}
    neighbours = {o for o in delta.objects() if isinstance(o, URIRef)}
    if stored is None and store is not None:
        stored = store.describe(subjects | neighbours)
    if stored is not None:
        gone = set(replaced)
        pairs = {(s, p) for s, p, _ in delta}
        for s, p, o in stored:
            if s not in gone and (s, p) not in pairs:
                data.add((s, p, o))
    for triple in delta:
        data.add(triple)
    return data


def run_shacl(data: Graph, focus_nodes: list[URIRef] | None = None) -> tuple[bool, Graph]:
    """pySHACL exactly as journeykg runs it: (conforms, results graph).

    No RDFS inference: it would type every value by its property's
    ``rdfs:range`` and so make every ``sh:class`` check pass. The whole
    ontology is added to the data instead, so that ``sh:class`` sees
    ``rdfs:subClassOf`` and the model's own individuals (``jkg:NPS``,
    ``jkg:JourneyOwner``); pySHACL's ``ont_graph`` would copy only the axioms.
    """
    combined = Graph()
    combined += data
    combined += load_ontology()
    focus: list[str | URIRef] | None = list(focus_nodes) if focus_nodes is not None else None
    conforms, results, _ = pyshacl.validate(
        combined,
        shacl_graph=load_shapes(),
        inference="none",
        advanced=True,
        focus_nodes=focus,
        allow_warnings=True,
        inplace=True,  # combined is ours to change; spares pySHACL a copy
    )
    return bool(conforms), results


def check(delta: Graph, store: Store | None, source: str, ids: Identifiers) -> GateResult:
    """Validate ``delta`` (as it would be stored) against the shapes."""
    data = merged_view(delta, store)
    focus = sorted({s for s in delta.subjects() if isinstance(s, URIRef)})
    if not focus:
        return GateResult(conforms=True)
    conforms, results = run_shacl(data, focus)
    problems = sorted(_problems(results, source, ids), key=_order)
    return GateResult(conforms=conforms, problems=problems)


def _problems(results: Graph, source: str, ids: Identifiers) -> Iterable[Problem]:
    for _, _, problem in _results(results, source, ids):
        yield problem


def _results(
    results: Graph, source: str, ids: Identifiers
) -> Iterable[tuple[Node | None, Node | None, Problem]]:
    """(focus node, value node, problem) for every result of a pySHACL report."""
    for result in results.subjects(predicate=SH.sourceConstraintComponent):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        component = results.value(result, SH.sourceConstraintComponent)
        shape = results.value(result, SH.sourceShape)
        severity = results.value(result, SH.resultSeverity)
        messages = list(results.objects(result, SH.resultMessage))
        yield (
            focus,
            value,
            Problem(
                file=source,
                node=ids.key(str(focus)) if focus is not None else None,
                property=curie(path) if path is not None else None,
                value=_show(value) if value is not None else None,
                rule=f"{_curie_or(shape)} ({_curie_or(component).removeprefix('sh:')})",
                message=_message(messages) or f"violates {_curie_or(shape)}",
                severity=curie(severity).removeprefix("sh:")
                if severity is not None
                else "Violation",
            ),
        )


# --- records: the gate of a sync, with every result traced to its record -------------


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
    store: Store | None,
    ids: Identifiers,
    *,
    replaced: Collection[URIRef] = (),
    stored: Graph | None = None,
    referrers: Graph | None = None,
) -> RecordGate:
    """Validate a batch of records as they would be stored; blame each result on a record.

    Focus nodes are the records' subjects plus the stored nodes that point
    at them (``referrers``: a record that changes what a node is can break
    the nodes referring to it). A result on a record's subject is that
    record's; a result on a referrer goes to the records whose subjects it
    points at (its value, when that is one of them). ``Problem.file`` is the
    record's origin.
    """
    gate = RecordGate()
    if not records:
        return gate
    delta = Graph()
    owners: dict[Node, list[MappedRecord]] = defaultdict(list)
    for record in records:
        for triple in record.graph:
            delta.add(triple)
        for subject in set(record.graph.subjects()):
            owners[subject].append(record)
    data = merged_view(delta, store, replaced=replaced, stored=stored)
    points_at: dict[Node, set[Node]] = defaultdict(set)
    if referrers is not None:
        for s, _, o in referrers:
            if s not in owners and o in owners:
                points_at[s].add(o)
        if points_at and store is not None:
            # The referrers as stored (the batch does not rewrite them), and what
            # they point at, so that their sh:class checks see the targets' types.
            described = store.describe([r for r in points_at if isinstance(r, URIRef)])
            known = set(data.subjects())
            further = {o for o in described.objects() if isinstance(o, URIRef)} - known
            for triple in described + store.describe(further):
                data.add(triple)
    focus = sorted(n for n in (*owners, *points_at) if isinstance(n, URIRef))
    _, results = run_shacl(data, focus)
    for focus_node, value, problem in _results(results, "", ids):
        blamed: list[MappedRecord] = []
        if focus_node in owners:
            blamed = owners[focus_node]
        elif value is not None and value in owners:
            blamed = owners[value]
        elif focus_node is not None:
            blamed = [r for target in points_at.get(focus_node, ()) for r in owners[target]]
        if not blamed:
            gate.unattributed.append(problem)
        for record in {r.key: r for r in blamed}.values():
            gate.problems.setdefault(record.key, []).append(replace(problem, file=record.origin))
    for key in gate.problems:
        gate.problems[key].sort(key=_order)
    return gate


def curie(term: Node) -> str:
    """``jkg:ownedBy`` for a term in a known namespace, else the IRI itself."""
    text = str(term)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text


def _curie_or(term: Node | None) -> str:
    return curie(term) if term is not None else "unnamed shape"


def _show(value: Node) -> str:
    return str(value) if isinstance(value, Literal) else curie(value)


def _message(messages: list[Node]) -> str | None:
    by_lang = {m.language if isinstance(m, Literal) else None: str(m) for m in messages}
    for lang in MESSAGE_LANGUAGES:
        if lang in by_lang:
            return by_lang[lang]
    return None


def _order(problem: Problem) -> tuple[str, str, str]:
    return (problem.node or "", problem.property or "", problem.rule)


def check_store(store: Store) -> GateResult:
    """Validate the whole graph against the shapes (``journeykg validate --all``).

    Never on the request path: on a large graph this takes minutes (see
    docs/benchmarks.md); syncs validate only what each batch touches.
    """
    conforms, results = run_shacl(store.export())
    problems = sorted(_problems(results, f"the {store.name} store", store.ids), key=_order)
    return GateResult(conforms=conforms, problems=problems)
