"""Impact traversal: what a change to an element affects, or what it depends on.

Breadth-first over the rules of :mod:`journeykg.graph.relations`, one
batched store round trip per rule and hop, so every element is reported once
with its shortest hop count and cycles terminate by construction. Every edge
followed within the hop limit is kept, so that all distinct paths can be
enumerated afterwards (:mod:`journeykg.graph.paths`), and every edge the
limit cut is counted, so that the answer can say what it left out.
"""

from __future__ import annotations

import threading
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


class Traversal:
    """A breadth-first walk that can be taken one hop at a time.

    The first page of a large answer (a hub that reaches most of the graph)
    needs only the first hops: :meth:`first` expands just enough levels,
    :meth:`answer` finishes the walk. Both give the same order: by hops,
    then class, then id.
    """

    def __init__(
        self,
        store: Store,
        roots: Sequence[ElementRef],
        *,
        direction: Direction = Direction.DOWNSTREAM,
        max_hops: int | None = None,
        via: Collection[Relation] | None = None,
    ) -> None:
        if max_hops is not None and max_hops < 0:
            raise ValueError(f"maxHops must be 0 or more, got {max_hops}")
        self.store = store
        self.roots = tuple(roots)
        self.direction = direction
        self.max_hops = max_hops
        self.via = via
        self._rules = [r for r in RULES[direction] if via is None or r.relation in via]
        self._refs: dict[URIRef, ElementRef] = {URIRef(r.iri): r for r in roots}
        self._reached = {URIRef(r.iri): _Reached(0, None, None, entry=True) for r in roots}
        self._edges: list[Edge] = []
        self._cut: dict[URIRef, int] = defaultdict(int)
        self._frontier = sorted(self._reached)
        self._depth = 0
        self._levels: list[list[Affected]] = []
        self._answer: ImpactAnswer | None = None
        # GraphQL resolves sibling fields in worker threads at once.
        self._lock = threading.Lock()

    @property
    def done(self) -> bool:
        """True once no hop is left to take."""
        return not self._frontier

    def _step(self) -> None:
        """Take one hop: reach the next level (or find that the hop limit cuts it)."""
        store, reached, depth = self.store, self._reached, self._depth
        proposals = _expand(store, self._rules, self._frontier, self._refs, reached)
        if self.max_hops is not None and depth + 1 > self.max_hops:
            for source, _rule, target in proposals:
                if target not in reached:
                    self._cut[source] += 1
            self._frontier = []
            return
        fresh: list[URIRef] = []
        for source, rule, target in proposals:
            self._edges.append(Edge(str(source), rule.relation.name, str(target)))
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
        self._refs.update(found)
        self._frontier = sorted(iri for iri in fresh if iri in found)
        self._depth = depth + 1
        level = [self._affected(iri) for iri in self._frontier]
        if level:
            self._levels.append(sorted(level, key=lambda a: (a.element.type, a.element.id)))

    def _affected(self, iri: URIRef) -> Affected:
        state = self._reached[iri]
        return Affected(
            element=self._refs[iri],
            hops=state.hops,
            relation=state.relation.name if state.relation else None,
            parent=self._refs[state.parent].id if state.parent is not None else None,
        )

    def first(self, count: int) -> tuple[list[Affected], bool]:
        """The first ``count`` affected elements, and whether there are more."""
        with self._lock:
            return self._first(count)

    def _first(self, count: int) -> tuple[list[Affected], bool]:
        while not self.done and sum(len(level) for level in self._levels) <= count:
            self._step()
        found = [a for level in self._levels for a in level]
        return found[:count], len(found) > count

    def answer(self) -> ImpactAnswer:
        """The whole answer (the walk is finished first)."""
        with self._lock:
            if self._answer is None:
                while not self.done:
                    self._step()
                self._answer = self._build()
            return self._answer

    def _build(self) -> ImpactAnswer:
        refs, reached = self._refs, self._reached
        kept = [e for e in self._edges if URIRef(e.target) in reached]
        cut_points = [
            CutPoint(refs[iri], reached[iri].hops, count) for iri, count in self._cut.items()
        ]
        via = self.via
        return ImpactAnswer(
            of=self.roots[0],
            roots=self.roots,
            direction=self.direction.value,
            max_hops=self.max_hops,
            via=tuple(sorted(r.name for r in via)) if via is not None else None,
            is_complete=not cut_points,
            truncated_at_hop=self.max_hops if cut_points else None,
            affected=tuple(a for level in self._levels for a in level),
            cut=tuple(sorted(cut_points, key=lambda c: c.element.id)),
            edges=tuple(sorted(set(_ids(kept, refs)))),
        )


class FinishedWalk:
    """An answer already complete, offered through the same two methods as a Traversal."""

    def __init__(self, answer: ImpactAnswer) -> None:
        self._answer = answer

    def first(self, count: int) -> tuple[list[Affected], bool]:
        """The first ``count`` affected elements, and whether there are more."""
        return list(self._answer.affected[:count]), len(self._answer.affected) > count

    def answer(self) -> ImpactAnswer:
        """The whole answer."""
        return self._answer


#: Either kind of walk: one under way, or one already finished.
Walk = Traversal | FinishedWalk


def traverse(
    store: Store,
    roots: Sequence[ElementRef],
    *,
    direction: Direction = Direction.DOWNSTREAM,
    max_hops: int | None = None,
    via: Collection[Relation] | None = None,
) -> ImpactAnswer:
    """Walk from ``roots`` along the ``direction``'s rules; see the module docstring."""
    return Traversal(store, roots, direction=direction, max_hops=max_hops, via=via).answer()


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


def start_impact(
    store: Store,
    of: str,
    *,
    direction: Direction = Direction.DOWNSTREAM,
    max_hops: int | None = None,
    via: Collection[Relation] | None = None,
) -> Traversal:
    """The impact question for one element given by key or IRI, not yet walked."""
    root = store.resolve(of)
    if root.type not in IMPACT_ROOTS:
        raise UnsupportedElementError(of, root.type, "one of " + ", ".join(sorted(IMPACT_ROOTS)))
    return Traversal(store, [root], direction=direction, max_hops=max_hops, via=via)


def compute_impact(
    store: Store,
    of: str,
    *,
    direction: Direction = Direction.DOWNSTREAM,
    max_hops: int | None = None,
    via: Collection[Relation] | None = None,
) -> ImpactAnswer:
    """The impact question for one element given by key or IRI."""
    return start_impact(store, of, direction=direction, max_hops=max_hops, via=via).answer()
