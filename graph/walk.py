"""Taking an impact walk: hop by hop on any store, or in the server where one can.

:class:`HopByHop` takes one batched :meth:`Store.edges` per hop, so every
element is reached once, with its shortest hop count, and cycles terminate
by construction. A store with a :attr:`~Capability.SERVER_WALK` takes the
whole walk in one call instead (Neo4j with journeykg's plugin:
:mod:`journeykg.graph.neo4j_walk`); :func:`start_walk` picks, and both reach
the same state (:mod:`journeykg.graph.walk_state`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from journeykg.graph.elements import classes
from journeykg.graph.model import ElementRef
from journeykg.graph.relations import Rule
from journeykg.graph.store import Capability, EdgeRequest, Store
from journeykg.graph.walk_state import Reached, WalkState


def start_walk(
    store: Store, roots: Sequence[ElementRef], rules: Sequence[Rule], max_hops: int | None
) -> WalkState:
    """A breadth-first walk from ``roots`` along ``rules``, not yet taken; in the server if able."""

    def hop_by_hop() -> WalkState:
        return HopByHop(store, roots, rules, max_hops)

    if Capability.SERVER_WALK in store.capabilities:
        return store.server_walk(roots, rules, max_hops, fallback=hop_by_hop)
    return hop_by_hop()


class HopByHop(WalkState):
    """The walk as one batched :meth:`Store.edges` per hop, on any store."""

    def __init__(
        self,
        store: Store,
        roots: Sequence[ElementRef],
        rules: Sequence[Rule],
        max_hops: int | None,
    ) -> None:
        self.store = store
        self._frontier: list[str] = []
        self._depth = 0
        super().__init__(roots, rules, max_hops)

    def restart(self) -> None:
        super().restart()
        self._frontier = sorted(self.reached)
        self._depth = 0

    def advance(self, stop_after: int | None = None) -> None:
        while not self.done and (stop_after is None or self.count <= stop_after):
            self._step()

    def _step(self) -> None:
        """Take one hop: reach the next level (or find that the hop limit cuts it)."""
        store, reached, depth = self.store, self.reached, self._depth
        proposals, typed = _expand(store, self.rules, self._frontier, reached)
        if self.max_hops is not None and depth + 1 > self.max_hops:
            for source, target, _name, _rule in proposals:
                if target not in reached:
                    self.cut[source] += 1
            self._frontier = []
            self.done = True
            return
        fresh: list[str] = []
        edges = self.edges
        rules = self.rules
        for source, target, name, index in proposals:
            edges.append((source, name, target))
            rule = rules[index]
            known = reached.get(target)
            if known is None:
                reached[target] = Reached(depth + 1, source, name, rule.entry)
                fresh.append(target)
            elif known.hops == depth + 1 and rule.entry:
                known.entry = True
        found = classes(store, fresh, typed)
        key = store.ids.key
        frontier: list[str] = []
        for iri in fresh:
            kind = found.get(iri)
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
        self.done = not frontier
        if frontier:
            self.levels.append(self.level_order(frontier))
            self.count += len(frontier)


def _expand(
    store: Store,
    rules: Sequence[Rule],
    frontier: list[str],
    reached: dict[str, Reached],
) -> tuple[list[tuple[str, str, str, int]], dict[str, tuple[str, ...]]]:
    """Every (source, target, relation name, rule index) one edge from the frontier, sorted.

    The rule index breaks ties in rule order, as a stable sort by the first
    three would; plain tuples sort without a key function. Also the types
    of the targets the store learned on the way (see :meth:`Store.edges`).
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
    requests: list[EdgeRequest] = []
    for index, rule in enumerate(rules):
        groups = entries if rule.entry else by_type
        # In any order: the proposals are sorted below.
        nodes = [n for kind in rule.sources for n in groups.get(kind, ())]
        if nodes:
            asked.append(index)
            requests.append(EdgeRequest(rule.relation.predicate, nodes, rule.inverse))
    proposals: list[tuple[str, str, str, int]] = []
    edges, known = store.edges(requests)
    for index, found in zip(asked, edges, strict=True):
        name = rules[index].relation.name
        proposals.extend((source, target, name, index) for source, target in found)
    proposals.sort()
    return proposals, known
