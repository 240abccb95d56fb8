"""The impact explorer's picture: an impact answer laid out as a layered graph, hops as columns.

Two views of one :class:`~journeykg.graph.impact.Traversal`:

- an answer of at most :data:`DETAIL_LIMIT` elements is drawn element by
  element (:class:`DetailView`): one column per hop, every edge the walk
  followed, and the paths to a chosen element highlighted;
- a larger one (a hub) is drawn as clusters (:class:`ClusterView`): per hop,
  one box per class with its count, whose elements come a page at a time.
  Counting needs the walk but no label, edge or path, so a hub's first view
  stays fast however many elements it reaches.

Positions are worked out here, on the server, because the page may not
carry inline style (web/content_policy.py) and needs no layout library for
columns of fixed-size boxes: a node's place follows from its hop and its
rank in the answer's order.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from itertools import pairwise

from journeykg.graph.impact import Traversal, start_impact
from journeykg.graph.model import Affected, ImpactAnswer
from journeykg.graph.owners import OwnerGroup, owners_to_notify
from journeykg.graph.paths import PathPage, paths_to
from journeykg.graph.quantify import BlastRadius, blast_radius
from journeykg.graph.relations import Direction, Relation
from journeykg.graph.store import Store

#: Answers up to this many elements are drawn element by element; larger ones as clusters.
DETAIL_LIMIT = 300
#: Elements of a cluster shown per page.
CLUSTER_PAGE = 50
#: Paths to the chosen element listed and highlighted.
PATHS_SHOWN = 20

#: Walks kept for reuse: a user pages a hub's clusters and chooses elements in one answer.
KEPT_WALKS = 4

#: Layout of the layered graph, in SVG user units.
COLUMN_WIDTH = 250
NODE_WIDTH = 200
NODE_HEIGHT = 44
ROW_HEIGHT = 54
TOP = 34
CLUSTER_HEIGHT = 52

#: The shape and colour family (a CSS class) and the marker glyph of each class of element;
#: colour is never the only sign: the glyph and the class's name are drawn too.
KINDS: dict[str, tuple[str, str]] = {
    "Journey": ("k-journey", "◆"),
    "Step": ("k-step", "▸"),
    "Touchpoint": ("k-touchpoint", "●"),
    "BackofficeProcess": ("k-process", "■"),
    "ITSystem": ("k-system", "▣"),
    "Role": ("k-role", "☺"),
    "ContactReason": ("k-reason", "✉"),
    "Phase": ("k-phase", "▤"),
    "LifecycleStage": ("k-stage", "▥"),
    "KPI": ("k-kpi", "▲"),
    "KPIType": ("k-kpitype", "△"),
    "Owner": ("k-owner", "★"),
    "Channel": ("k-channel", "◎"),
    "Concept": ("k-concept", "¶"),
}
OTHER_KIND = ("k-other", "○")


def kind_of(element_type: str) -> tuple[str, str]:
    """The CSS class and glyph of an element's class."""
    return KINDS.get(element_type, OTHER_KIND)


@dataclass(frozen=True)
class Node:
    """One element drawn in the layered graph."""

    affected: Affected
    x: int
    y: int
    on_path: bool

    @property
    def id(self) -> str:
        return self.affected.element.id


@dataclass(frozen=True)
class Line:
    """One followed edge drawn between two nodes."""

    source: str
    relation: str
    target: str
    path: str
    """The SVG path's ``d``."""
    on_path: bool


@dataclass
class DetailView:
    """A whole answer drawn element by element, with its blast radius and owners."""

    answer: ImpactAnswer
    nodes: list[Node]
    lines: list[Line]
    hops: int
    width: int
    height: int
    radius: BlastRadius | None
    owners: list[OwnerGroup]
    focus: Affected | None = None
    paths: PathPage | None = None
    shortest: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per element id, the ids on one shortest path to it (the answer's parents)."""

    @property
    def columns(self) -> list[list[Node]]:
        found: list[list[Node]] = [[] for _ in range(self.hops + 1)]
        for node in self.nodes:
            found[node.affected.hops].append(node)
        return found


@dataclass(frozen=True)
class Cluster:
    """The elements of one class at one hop, counted."""

    hops: int
    type: str
    count: int
    x: int
    y: int


@dataclass
class ClusterView:
    """A large answer as counts per hop and class, and one cluster's page of elements."""

    total: int
    clusters: list[Cluster]
    hops: int
    width: int
    height: int
    complete: bool
    cut_edges: int
    chosen: Cluster | None = None
    members: list[Affected] = field(default_factory=list)
    offset: int = 0
    owners: list[Affected] = field(default_factory=list)
    """The first :data:`CLUSTER_PAGE` owners reached, nearest first: whom to notify."""
    owner_count: int = 0

    def per_class(self) -> list[tuple[str, int]]:
        """The answer's count per class, over every hop, largest first."""
        totals: dict[str, int] = {}
        for c in self.clusters:
            totals[c.type] = totals.get(c.type, 0) + c.count
        return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))


def _curve(x1: int, y1: int, x2: int, y2: int) -> str:
    bend = max(40, abs(x2 - x1) // 2)
    return f"M{x1},{y1} C{x1 + bend},{y1} {x2 - bend},{y2} {x2},{y2}"


def detail_view(
    store: Store, traversal: Traversal, focus: str | None = None, *, quantify: bool = True
) -> DetailView:
    """The whole answer of ``traversal`` laid out in columns; ``focus``'s paths highlighted.

    ``quantify`` adds the blast radius (downstream only: it is the cost of a
    change) and the owners to notify, as GraphQL's ``blastRadius`` and
    ``ownersToNotify`` answer them.
    """
    answer = traversal.answer()
    rows: list[int] = []
    placed: dict[str, tuple[int, int]] = {}
    items: list[Affected] = [Affected(root, 0) for root in answer.roots]
    items += list(answer.affected)
    for item in items:
        hops = item.hops
        while len(rows) <= hops:
            rows.append(0)
        placed[item.element.id] = (hops * COLUMN_WIDTH + 10, TOP + rows[hops] * ROW_HEIGHT)
        rows[hops] += 1
    chosen = next((a for a in answer.affected if a.element.id == focus), None)
    page = paths_to(answer, chosen.element.id, first=PATHS_SHOWN) if chosen else None
    on_nodes: set[str] = set()
    on_edges: set[tuple[str, str]] = set()
    for path in page.paths if page else ():
        on_nodes.update(path)
        on_edges.update(pairwise(path))
    nodes = [
        Node(item, *placed[item.element.id], on_path=item.element.id in on_nodes) for item in items
    ]
    lines = []
    for edge in answer.edges:
        if edge.source not in placed or edge.target not in placed:
            continue
        (x1, y1), (x2, y2) = placed[edge.source], placed[edge.target]
        half = NODE_HEIGHT // 2
        lines.append(
            Line(
                edge.source,
                edge.relation,
                edge.target,
                _curve(x1 + NODE_WIDTH, y1 + half, x2, y2 + half),
                (edge.source, edge.target) in on_edges,
            )
        )
    lines.sort(key=lambda line: line.on_path)  # highlighted edges drawn last, on top
    hops = len(rows) - 1
    downstream = answer.direction == "DOWNSTREAM"
    return DetailView(
        answer=answer,
        nodes=nodes,
        lines=lines,
        hops=hops,
        width=(hops + 1) * COLUMN_WIDTH,
        height=TOP + max(rows) * ROW_HEIGHT,
        radius=blast_radius(store, answer) if quantify and downstream else None,
        owners=owners_to_notify(store, answer) if quantify else [],
        focus=chosen,
        paths=page,
        shortest={a.element.id: answer.shortest_path(a.element.id) for a in answer.affected},
    )


def cluster_view(
    traversal: Traversal,
    *,
    hops: int | None = None,
    kind: str | None = None,
    offset: int = 0,
) -> ClusterView:
    """Counts per hop and class of ``traversal``'s answer; the elements of one cluster, paged."""
    counts = traversal.clusters()
    rows: list[int] = [1]  # hop 0 holds the element asked about
    clusters: list[Cluster] = []
    for (at, type_), count in counts.items():
        while len(rows) <= at:
            rows.append(0)
        x, y = at * COLUMN_WIDTH + 10, TOP + rows[at] * (CLUSTER_HEIGHT + 10)
        clusters.append(Cluster(at, type_, count, x, y))
        rows[at] += 1
    cut = traversal.cut_count()
    view = ClusterView(
        total=sum(counts.values()),
        clusters=clusters,
        hops=len(rows) - 1,
        width=len(rows) * COLUMN_WIDTH,
        height=TOP + max(rows) * (CLUSTER_HEIGHT + 10),
        complete=cut == 0,
        cut_edges=cut,
    )
    for c in clusters:
        if c.type == "Owner":
            view.owner_count += c.count
            room = CLUSTER_PAGE - len(view.owners)
            if room > 0:
                view.owners += traversal.cluster(c.hops, c.type, 0, room)[0]
    chosen = next((c for c in clusters if c.hops == hops and c.type == kind), None)
    if chosen is not None:
        view.chosen = chosen
        view.offset = max(0, min(offset, chosen.count - 1))
        view.members, _ = traversal.cluster(chosen.hops, chosen.type, view.offset, CLUSTER_PAGE)
    return view


def is_large(traversal: Traversal) -> bool:
    """Whether the answer holds more than :data:`DETAIL_LIMIT` elements (walked only that far)."""
    _, more = traversal.first(DETAIL_LIMIT)
    return more


def element_ids(items: Sequence[Affected]) -> list[str]:
    """The ids of ``items``, in order."""
    return [a.element.id for a in items]


class KeptWalks:
    """The last few impact walks, kept under the graph's generation and the question's arguments.

    Paging a hub's cluster, or choosing an element to highlight, asks the
    same question again: the finished walk is reused instead of walking
    hundreds of thousands of elements once more. The generation is read
    *before* walking (as the coverage page's report is kept), and every write
    changes it, so a kept walk is never older than the graph it answers for.
    """

    def __init__(self, store: Store, size: int = KEPT_WALKS) -> None:
        self.store = store
        self.size = size
        self._kept: OrderedDict[tuple[object, ...], Traversal] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(
        self,
        of: str,
        *,
        direction: Direction,
        max_hops: int | None,
        via: Collection[Relation] | None,
    ) -> Traversal:
        """The walk of ``impact(of, direction, max_hops, via)``, kept or new (not yet taken)."""
        relations = tuple(sorted(r.name for r in via)) if via is not None else None
        key = (self.store.generation(), of, direction, max_hops, relations)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
                return kept
        walk = start_impact(self.store, of, direction=direction, max_hops=max_hops, via=via)
        with self._lock:
            self._kept[key] = walk
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return walk
