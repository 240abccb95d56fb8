"""The breadth-first walk under an impact question, and its state.

:class:`~journeykg.graph.impact.Traversal` turns a walk's state into
answers (pages, paths, cut points); a walk only reaches elements. Every
store can walk :class:`HopByHop`: one batched :meth:`Store.hop` per hop, so
every element is reached once, with its shortest hop count, and cycles
terminate by construction. A backend with costly round trips may walk in
one call instead (Neo4j with journeykg's plugin:
:mod:`journeykg.graph.neo4j_walk`); it must reach exactly the same state.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import URIRef

from journeykg.graph.model import ElementRef
from journeykg.graph.relations import Rule

if TYPE_CHECKING:
    from journeykg.graph.store import Store


@dataclass(slots=True)
class Reached:
    """How the walk reached an element."""

    hops: int
    parent: str | None
    #: The relation's name (``DEPENDS_ON``): an Enum's ``.name`` costs a call per element.
    relation: str | None
    #: Entry rules go on from this element (see :mod:`journeykg.graph.relations`).
    entry: bool
    type: str = ""
    key: str = ""


class WalkState(ABC):
    """What a walk from ``roots`` along ``rules`` has reached so far.

    - ``reached``: every element reached (the roots too), by IRI;
    - ``levels``: the elements of each hop, sorted by class, then key;
    - ``count``: how many elements the levels hold;
    - ``edges``: (source, relation name, target) of every edge followed
      within the hop limit (duplicates and edges to elements not reached
      are allowed: the reader drops them);
    - ``cut``: per element, the edges the hop limit kept it from following;
    - ``labels``: display labels learned on the way (may be none);
    - ``done``: no hop is left to take.
    """

    def __init__(
        self, roots: Sequence[ElementRef], rules: Sequence[Rule], max_hops: int | None
    ) -> None:
        self.roots = tuple(roots)
        self.rules = tuple(rules)
        self.max_hops = max_hops
        self.reached: dict[str, Reached] = {}
        self.levels: list[list[str]] = []
        self.count = 0
        self.edges: list[tuple[str, str, str]] = []
        self.cut: dict[str, int] = {}
        self.labels: dict[str, str | None] = {}
        self.done = False
        self.restart()

    def restart(self) -> None:
        """Forget everything but the roots."""
        self.reached = {
            r.iri: Reached(0, None, None, entry=True, type=r.type, key=r.id) for r in self.roots
        }
        self.levels = []
        self.count = 0
        self.edges = []
        self.cut = defaultdict(int)
        self.labels = {}
        self.done = not self.reached

    def level_order(self, level: list[str]) -> list[str]:
        """A level in the answer's order: by class, then key."""
        reached = self.reached
        return sorted(level, key=lambda i: (reached[i].type, reached[i].key))

    @abstractmethod
    def advance(self, stop_after: int | None = None) -> None:
        """Walk on until ``count`` exceeds ``stop_after`` (None: to the end), or until done.

        Only whole hops are taken: the answer's order needs each level complete.
        """


class HopByHop(WalkState):
    """The walk as one batched :meth:`Store.hop` per rule and hop, on any store."""

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
        self.done = not frontier
        if frontier:
            self.levels.append(self.level_order(frontier))
            self.count += len(frontier)


def _expand(
    store: Store,
    rules: Sequence[Rule],
    frontier: list[str],
    reached: dict[str, Reached],
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
