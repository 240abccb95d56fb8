"""Every distinct path that explains why an element is affected, page by page.

The traversal keeps each edge it followed within the hop limit; the paths
from the root to a target are the simple paths over those edges no longer
than the limit. Their number can grow exponentially through hubs, so they
are enumerated lazily, depth first in a stable order, and counted up to a
cap: the caller is told when the count stopped at the cap.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from journeykg.graph.model import Edge, ImpactAnswer

#: Paths counted per question before the count is reported as a lower bound.
COUNT_CAP = 10_000


@dataclass(frozen=True)
class PathPage:
    """One page of paths to a target."""

    paths: tuple[tuple[str, ...], ...]
    total: int
    """The number of paths, or COUNT_CAP when ``total_is_exact`` is False."""
    total_is_exact: bool
    offset: int


def paths_to(answer: ImpactAnswer, target: str, *, first: int = 20, offset: int = 0) -> PathPage:
    """Paths (lists of element ids, root first) from the answer's roots to ``target``."""
    if first < 0 or offset < 0:
        raise ValueError("first and offset must be 0 or more")
    found = iter_paths(answer, target)
    total = 0
    page: list[tuple[str, ...]] = []
    for path in islice(found, COUNT_CAP):
        if offset <= total < offset + first:
            page.append(path)
        total += 1
    exact = next(found, None) is None
    return PathPage(tuple(page), total, exact, offset)


def iter_paths(answer: ImpactAnswer, target: str) -> Iterator[tuple[str, ...]]:
    """All simple paths from a root to ``target`` within the hop limit, shortest-first per root."""
    forward: dict[str, list[Edge]] = defaultdict(list)
    backward: dict[str, list[str]] = defaultdict(list)
    for edge in answer.edges:
        forward[edge.source].append(edge)
        backward[edge.target].append(edge.source)
    # Distance to the target, walking edges backwards: prunes branches that cannot arrive.
    to_target = {target: 0}
    queue = deque([target])
    while queue:
        node = queue.popleft()
        for source in backward[node]:
            if source not in to_target:
                to_target[source] = to_target[node] + 1
                queue.append(source)
    limit = answer.max_hops
    for root in answer.roots:
        if root.id not in to_target:
            continue
        yield from _walk(root.id, target, forward, to_target, limit)


def _walk(
    root: str,
    target: str,
    forward: dict[str, list[Edge]],
    to_target: dict[str, int],
    limit: int | None,
) -> Iterator[tuple[str, ...]]:
    path = [root]
    on_path = {root}
    # Explicit stack of edge iterators: recursion would overflow on long chains.
    stack = [iter(sorted(forward[root], key=lambda e: (to_target.get(e.target, 1 << 30), e)))]
    if root == target:
        yield (root,)
        return
    while stack:
        edge = next(stack[-1], None)
        if edge is None:
            stack.pop()
            on_path.discard(path.pop())
            continue
        nxt = edge.target
        remaining = to_target.get(nxt)
        if remaining is None or nxt in on_path:
            continue
        if limit is not None and len(path) + remaining > limit:
            continue
        if nxt == target:
            yield (*path, nxt)
            continue
        path.append(nxt)
        on_path.add(nxt)
        stack.append(
            iter(sorted(forward[nxt], key=lambda e: (to_target.get(e.target, 1 << 30), e)))
        )
