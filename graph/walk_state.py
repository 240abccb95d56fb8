"""What an impact walk has reached so far, however it is taken.

Every walk, hop by hop in Python (:mod:`journeykg.graph.walk`) or in one
call to a server (:mod:`journeykg.graph.neo4j_walk`), fills the same state;
:class:`~journeykg.graph.impact.Traversal` turns it into answers (pages,
paths, cut points). Two walks from the same roots along the same rules must
reach exactly the same state.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from journeykg.graph.model import ElementRef
from journeykg.graph.relations import Rule


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
