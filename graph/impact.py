"""Impact traversal: what a change to an element affects, or what it depends on.

Breadth-first over the rules of :mod:`journeykg.graph.relations`, one
batched store round trip per rule and hop, so every element is reported once
with its shortest hop count and cycles terminate by construction. Every edge
followed within the hop limit is kept, so that all distinct paths can be
enumerated afterwards (:mod:`journeykg.graph.paths`), and every edge the
limit cut is counted, so that the answer can say what it left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from rdflib import URIRef

from journeykg.graph.errors import UnsupportedElementError
from journeykg.graph.model import Affected, CutPoint, Edge, ElementRef, ImpactAnswer
from journeykg.graph.relations import IMPACT_ROOTS, RULES, Direction, Relation, Rule
from journeykg.graph.store import Store


@dataclass
class _Reached:
    hops: int
    parent: URIRef | None
    relation: Relation | None
    entry: bool


def traverse(
    store: Store,
    roots: Sequence[ElementRef],
    *,
    direction: Direction = Direction.DOWNSTREAM,
    max_hops: int | None = None,
    via: Collection[Relation] | None = None,
) -> ImpactAnswer:
    """Walk from ``roots`` along the ``direction``'s rules; see the module docstring."""
    if max_hops is not None and max_hops < 0:
        raise ValueError(f"maxHops must be 0 or more, got {max_hops}")
    rules = [r for r in RULES[direction] if via is None or r.relation in via]
    refs: dict[URIRef, ElementRef] = {URIRef(r.iri): r for r in roots}
    reached = {URIRef(r.iri): _Reached(0, None, None, entry=True) for r in roots}
    edges: list[Edge] = []
    cut: dict[URIRef, int] = defaultdict(int)
    frontier = sorted(reached)
    depth = 0
    while frontier:
        proposals = _expand(store, rules, frontier, refs, reached)
        if max_hops is not None and depth + 1 > max_hops:
            for source, _rule, target in proposals:
                if target not in reached:
                    cut[source] += 1
            break
        fresh: list[URIRef] = []
        for source, rule, target in proposals:
            edges.append(Edge(str(source), rule.relation.name, str(target)))
            known = reached.get(target)
            if known is None:
                reached[target] = _Reached(depth + 1, source, rule.relation, rule.entry)
                fresh.append(target)
            elif known.hops == depth + 1 and rule.entry:
                known.entry = True
        found = store.refs(fresh)
        for iri in fresh:
            if iri not in found:  # an IRI that is only ever an object: nothing stored about it
                del reached[iri]
        refs.update(found)
        frontier = sorted(iri for iri in fresh if iri in found)
        depth += 1

    root_iris = {URIRef(r.iri) for r in roots}
    kept = [e for e in edges if URIRef(e.target) in reached]
    affected = [
        Affected(
            element=refs[iri],
            hops=state.hops,
            relation=state.relation.name if state.relation else None,
            parent=refs[state.parent].id if state.parent is not None else None,
        )
        for iri, state in reached.items()
        if iri not in root_iris
    ]
    cut_points = [CutPoint(refs[iri], reached[iri].hops, count) for iri, count in cut.items()]
    return ImpactAnswer(
        of=roots[0],
        roots=tuple(roots),
        direction=direction.value,
        max_hops=max_hops,
        via=tuple(sorted(r.name for r in via)) if via is not None else None,
        is_complete=not cut_points,
        truncated_at_hop=max_hops if cut_points else None,
        affected=tuple(sorted(affected, key=lambda a: (a.hops, a.element.type, a.element.id))),
        cut=tuple(sorted(cut_points, key=lambda c: c.element.id)),
        edges=tuple(sorted(set(_ids(kept, refs)))),
    )


def _expand(
    store: Store,
    rules: Iterable[Rule],
    frontier: list[URIRef],
    refs: dict[URIRef, ElementRef],
    reached: dict[URIRef, _Reached],
) -> list[tuple[URIRef, Rule, URIRef]]:
    """Every (source, rule, target) one edge away from the frontier, in a stable order."""
    asked: list[Rule] = []
    requests: list[tuple[URIRef, Collection[URIRef], bool]] = []
    for rule in rules:
        nodes = [
            n
            for n in frontier
            if refs[n].type in rule.sources and (not rule.entry or reached[n].entry)
        ]
        if nodes:
            asked.append(rule)
            requests.append((rule.relation.predicate, nodes, rule.inverse))
    proposals: list[tuple[URIRef, Rule, URIRef]] = []
    for rule, found in zip(asked, store.follow_many(requests), strict=True):
        proposals.extend((source, rule, target) for source, target in found)
    proposals.sort(key=lambda p: (p[0], p[2], p[1].relation.name))
    return proposals


def _ids(edges: Iterable[Edge], refs: dict[URIRef, ElementRef]) -> Iterable[Edge]:
    for edge in edges:
        yield Edge(refs[URIRef(edge.source)].id, edge.relation, refs[URIRef(edge.target)].id)


def compute_impact(
    store: Store,
    of: str,
    *,
    direction: Direction = Direction.DOWNSTREAM,
    max_hops: int | None = None,
    via: Collection[Relation] | None = None,
) -> ImpactAnswer:
    """The impact question for one element given by key or IRI."""
    root = store.resolve(of)
    if root.type not in IMPACT_ROOTS:
        raise UnsupportedElementError(of, root.type, "one of " + ", ".join(sorted(IMPACT_ROOTS)))
    return traverse(store, [root], direction=direction, max_hops=max_hops, via=via)
