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
from itertools import islice

from rdflib import URIRef

from journeykg.graph.errors import UnsupportedElementError
from journeykg.graph.model import Affected, CutPoint, Edge, ElementRef, ImpactAnswer
from journeykg.graph.relations import IMPACT_ROOTS, RULES, Direction, Relation, Rule
from journeykg.graph.store import Store


@dataclass(slots=True)
class _Reached:
    hops: int
    parent: str | None
    #: The relation's name (``DEPENDS_ON``): an Enum's ``.name`` costs a call per element.
    relation: str | None
    entry: bool
    type: str = ""
    key: str = ""


class Traversal:
    """A breadth-first walk that can be taken one hop at a time.

    The first page of a large answer (a hub that reaches most of the graph)
    needs only the first hops: :meth:`first` expands just enough levels,
    :meth:`answer` finishes the walk. Both give the same order: by hops,
    then class, then id.

    The walk itself fetches only each element's class (rules and order
    depend on it); labels are fetched for the elements actually returned,
    the first page's or, once, the whole answer's. Elements are plain IRI
    strings until then: a hub's answer holds hundreds of thousands.
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
        self._root_refs: dict[str, ElementRef] = {r.iri: r for r in roots}
        self._labels: dict[str, str | None] = {r.iri: r.label for r in roots}
        self._reached = {
            r.iri: _Reached(0, None, None, entry=True, type=r.type, key=r.id) for r in roots
        }
        # (source, relation name, target) for every edge followed within the limit.
        self._edges: list[tuple[str, str, str]] = []
        self._cut: dict[str, int] = defaultdict(int)
        self._frontier = sorted(self._reached)
        self._depth = 0
        self._levels: list[list[str]] = []
        self._count = 0
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
        proposals, typed = _expand(store, self._rules, self._frontier, reached)
        if self.max_hops is not None and depth + 1 > self.max_hops:
            for source, target, _name, _rule in proposals:
                if target not in reached:
                    self._cut[source] += 1
            self._frontier = []
            return
        fresh: list[str] = []
        edges = self._edges
        rules = self._rules
        for source, target, name, index in proposals:
            edges.append((source, name, target))
            rule = rules[index]
            known = reached.get(target)
            if known is None:
                reached[target] = _Reached(depth + 1, source, name, rule.entry)
                fresh.append(target)
            elif known.hops == depth + 1 and rule.entry:
                known.entry = True
        classes = store.classes(fresh, typed)
        key = store.ids.key
        frontier: list[str] = []
        for iri in fresh:
            kind = classes.get(iri)
            if kind is None:  # an IRI that is only ever an object: nothing stored about it
                del reached[iri]
                continue
            state = reached[iri]
            state.type = kind
            state.key = key(iri)
            frontier.append(iri)
        frontier.sort()
        self._frontier = frontier
        self._depth = depth + 1
        if frontier:
            self._levels.append(sorted(frontier, key=lambda i: (reached[i].type, reached[i].key)))
            self._count += len(frontier)

    def _fetch_labels(self, iris: Iterable[str]) -> None:
        labels = self._labels
        missing = [i for i in iris if i not in labels]
        if missing:
            labels.update(self.store.labels(missing))

    def _ref(self, iri: str) -> ElementRef:
        root = self._root_refs.get(iri)
        if root is not None:
            return root
        state = self._reached[iri]
        return ElementRef(id=state.key, iri=iri, type=state.type, label=self._labels[iri])

    def _affected(self, iri: str) -> Affected:
        state = self._reached[iri]
        return Affected(
            element=self._ref(iri),
            hops=state.hops,
            relation=state.relation,
            parent=self._reached[state.parent].key if state.parent is not None else None,
        )

    def first(self, count: int) -> tuple[list[Affected], bool]:
        """The first ``count`` affected elements, and whether there are more."""
        with self._lock:
            return self._first(count)

    def _first(self, count: int) -> tuple[list[Affected], bool]:
        while not self.done and self._count <= count:
            self._step()
        page = list(islice((i for level in self._levels for i in level), count))
        self._fetch_labels(page)
        return [self._affected(i) for i in page], self._count > count

    def answer(self) -> ImpactAnswer:
        """The whole answer (the walk is finished first)."""
        with self._lock:
            if self._answer is None:
                while not self.done:
                    self._step()
                self._answer = self._build()
            return self._answer

    def _build(self) -> ImpactAnswer:
        reached = self._reached
        self._fetch_labels(reached)
        keys = {iri: state.key for iri, state in reached.items()}
        # Tuples first: deduplicating and sorting them is much cheaper than Edge objects.
        kept = {(keys[s], name, keys[t]) for s, name, t in self._edges if t in keys}
        cut_points = [
            CutPoint(self._ref(iri), reached[iri].hops, count) for iri, count in self._cut.items()
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
            affected=tuple(self._affected(i) for level in self._levels for i in level),
            cut=tuple(sorted(cut_points, key=lambda c: c.element.id)),
            edges=tuple(Edge(*edge) for edge in sorted(kept)),
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
    rules: Sequence[Rule],
    frontier: list[str],
    reached: dict[str, _Reached],
) -> tuple[list[tuple[str, str, str, int]], dict[str, list[str]]]:
    """Every (source, target, relation name, rule index) one edge from the frontier, sorted.

    The rule index breaks ties in rule order, as a stable sort by the first
    three would; plain tuples sort without a key function. Also the types
    of the targets the store learned on the way (see :meth:`Store.hop`).
    """
    # Grouped by class once, not filtered once per rule: a hop has ~20 rules.
    by_type: dict[str, list[str]] = defaultdict(list)
    entries: dict[str, list[str]] = defaultdict(list)
    for node in frontier:
        state = reached[node]
        by_type[state.type].append(node)
        if state.entry:
            entries[state.type].append(node)
    asked: list[int] = []
    requests: list[tuple[URIRef, Collection[str], bool]] = []
    for index, rule in enumerate(rules):
        groups = entries if rule.entry else by_type
        # In any order: the proposals are sorted below.
        nodes = [n for kind in rule.sources for n in groups.get(kind, ())]
        if nodes:
            asked.append(index)
            requests.append((rule.relation.predicate, nodes, rule.inverse))
    proposals: list[tuple[str, str, str, int]] = []
    edges, known = store.hop(requests)
    for index, found in zip(asked, edges, strict=True):
        name = rules[index].relation.name
        proposals.extend((source, target, name, index) for source, target in found)
    proposals.sort()
    return proposals, known


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
