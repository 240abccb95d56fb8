"""Impact traversal: what a change to an element affects, or what it depends on.

Breadth-first over the rules of :mod:`journeykg.graph.relations` (the walk
itself: :func:`journeykg.graph.walk.start_walk`, hop by hop or in the
server), so every element is reported once with its
shortest hop count and cycles terminate by construction. Every edge
followed within the hop limit is kept, so that all distinct paths can be
enumerated afterwards (:mod:`journeykg.graph.paths`), and every edge the
limit cut is counted, so that the answer can say what it left out.
"""

from __future__ import annotations

import threading
from collections.abc import Collection, Iterable, Sequence
from itertools import islice

from journeykg.graph.elements import labels, resolve
from journeykg.graph.errors import UnsupportedElementError
from journeykg.graph.model import Affected, CutPoint, Edge, ElementRef, ImpactAnswer
from journeykg.graph.relations import IMPACT_ROOTS, RULES, Direction, Relation
from journeykg.graph.store import Store
from journeykg.graph.walk import start_walk


class Traversal:
    """An impact question whose breadth-first walk is taken as far as the answer needs.

    The first page of a large answer (a hub that reaches most of the graph)
    needs only the first hops: :meth:`first` expands just enough levels,
    :meth:`answer` finishes the walk. Both give the same order: by hops,
    then class, then id. The walk is :func:`~journeykg.graph.walk.start_walk`'s.

    The walk itself fetches only each element's class (rules and order
    depend on it); labels are fetched for the elements actually returned,
    the first page's or, once, the whole answer's, unless the walk brought
    them along. Elements are plain IRI strings until then: a hub's answer
    holds hundreds of thousands.
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
        rules = [r for r in RULES[direction] if via is None or r.relation in via]
        self._root_refs: dict[str, ElementRef] = {r.iri: r for r in roots}
        self._labels: dict[str, str | None] = {r.iri: r.label for r in roots}
        # The roots once each, in order: the walk's own numbering may depend on it.
        self._walk = start_walk(store, list(self._root_refs.values()), rules, max_hops)
        self._answer: ImpactAnswer | None = None
        # GraphQL resolves sibling fields in worker threads at once.
        self._lock = threading.Lock()

    @property
    def done(self) -> bool:
        """True once no hop is left to take."""
        return self._walk.done

    def _fetch_labels(self, iris: Iterable[str]) -> None:
        known = self._labels
        learned = self._walk.labels  # a walk in the server brings labels along
        missing: list[str] = []
        for iri in iris:
            if iri not in known:
                if iri in learned:
                    known[iri] = learned[iri]
                else:
                    missing.append(iri)
        if missing:
            known.update(labels(self.store, missing))

    def _ref(self, iri: str) -> ElementRef:
        root = self._root_refs.get(iri)
        if root is not None:
            return root
        state = self._walk.reached[iri]
        return ElementRef(id=state.key, iri=iri, type=state.type, label=self._labels[iri])

    def _affected(self, iri: str) -> Affected:
        reached = self._walk.reached
        state = reached[iri]
        return Affected(
            element=self._ref(iri),
            hops=state.hops,
            relation=state.relation,
            parent=reached[state.parent].key if state.parent is not None else None,
        )

    def first(self, count: int) -> tuple[list[Affected], bool]:
        """The first ``count`` affected elements, and whether there are more."""
        with self._lock:
            return self._first(count)

    def _first(self, count: int) -> tuple[list[Affected], bool]:
        walk = self._walk
        walk.advance(count)
        page = list(islice((i for level in walk.levels for i in level), count))
        self._fetch_labels(page)
        return [self._affected(i) for i in page], walk.count > count

    def clusters(self) -> dict[tuple[int, str], int]:
        """How many elements of each class each hop reaches, by (hops, class), in answer order.

        The walk is finished, but no label is read and no edge or answer is
        built: a hub's hundreds of thousands of elements are only counted
        (the impact explorer's first view of a hub).
        """
        with self._lock:
            walk = self._walk
            walk.advance()
            reached = walk.reached
            counts: dict[tuple[int, str], int] = {}
            for level in walk.levels:
                for iri in level:
                    state = reached[iri]
                    cluster = (state.hops, state.type)
                    counts[cluster] = counts.get(cluster, 0) + 1
            return counts

    def cut_count(self) -> int:
        """How many edges the hop limit kept the finished walk from following."""
        with self._lock:
            self._walk.advance()
            return sum(self._walk.cut.values())

    def cluster(self, hops: int, kind: str, offset: int, count: int) -> tuple[list[Affected], int]:
        """One page of the elements of class ``kind`` at ``hops``, and how many there are.

        In answer order; labels are read for the page's elements only.
        """
        if offset < 0 or count < 0:
            raise ValueError("offset and count must be 0 or more")
        with self._lock:
            walk = self._walk
            walk.advance()
            reached = walk.reached
            members = [
                iri
                for level in walk.levels
                for iri in level
                if reached[iri].hops == hops and reached[iri].type == kind
            ]
            window = members[offset : offset + count]
            self._fetch_labels(window)
            return [self._affected(i) for i in window], len(members)

    def answer(self) -> ImpactAnswer:
        """The whole answer (the walk is finished first)."""
        with self._lock:
            if self._answer is None:
                self._walk.advance()
                self._answer = self._build()
            return self._answer

    def _build(self) -> ImpactAnswer:
        walk = self._walk
        reached = walk.reached
        self._fetch_labels(reached)
        keys = {iri: state.key for iri, state in reached.items()}
        # Tuples first: deduplicating and sorting them is much cheaper than Edge objects.
        kept = {(keys[s], name, keys[t]) for s, name, t in walk.edges if t in keys}
        cut_points = [
            CutPoint(self._ref(iri), reached[iri].hops, count) for iri, count in walk.cut.items()
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
            affected=tuple(self._affected(i) for level in walk.levels for i in level),
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


def start_impact(
    store: Store,
    of: str,
    *,
    direction: Direction = Direction.DOWNSTREAM,
    max_hops: int | None = None,
    via: Collection[Relation] | None = None,
) -> Traversal:
    """The impact question for one element given by key or IRI, not yet walked."""
    root = resolve(store, of)
    if root.type not in IMPACT_ROOTS:
        raise UnsupportedElementError(of, root.type, "one of " + ", ".join(sorted(IMPACT_ROOTS)))
    return Traversal(store, [root], direction=direction, max_hops=max_hops, via=via)


def impact(
    store: Store,
    of: str,
    max_hops: int | None = None,
    *,
    direction: Direction = Direction.DOWNSTREAM,
    via: Collection[Relation] | None = None,
) -> ImpactAnswer:
    """What a change to ``of`` (a key or IRI) affects (downstream), or what it needs (upstream)."""
    return start_impact(store, of, direction=direction, max_hops=max_hops, via=via).answer()
