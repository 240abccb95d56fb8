"""Plain, backend-independent answers of the store layer.

Both backends return these very objects, which is what lets the conformance
suite demand identical answers with a plain ``==``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, order=True)
class ElementRef:
    """An element of the graph as the user knows it."""

    id: str
    """The stable key (``process/facturatie``), or the full IRI outside the base."""
    iri: str
    type: str
    """The journeykg class, e.g. ``BackofficeProcess``; ``Resource`` when untyped."""
    label: str | None = None


@dataclass(frozen=True)
class Affected:
    """An element reached by an impact traversal, with its shortest hop count."""

    element: ElementRef
    hops: int
    relation: str | None = None
    """The relation of the last edge on a shortest path (``DEPENDS_ON``, ...)."""
    parent: str | None = None
    """The id of the element before it on that shortest path."""


@dataclass(frozen=True, order=True)
class Edge:
    """One edge the traversal followed, in the direction of travel, by element id."""

    source: str
    relation: str
    target: str


@dataclass(frozen=True)
class CutPoint:
    """An element at the hop limit from which ``edges_beyond`` edges were not followed."""

    element: ElementRef
    hops: int
    edges_beyond: int


@dataclass(frozen=True)
class ImpactAnswer:
    """What a change to an element affects (or, upstream, what it depends on), and why."""

    of: ElementRef
    roots: tuple[ElementRef, ...]
    direction: str
    max_hops: int | None
    via: tuple[str, ...] | None
    is_complete: bool
    """False when the hop limit cut the traversal: more would be reached without it."""
    truncated_at_hop: int | None
    affected: tuple[Affected, ...] = ()
    cut: tuple[CutPoint, ...] = ()
    edges: tuple[Edge, ...] = field(default=(), repr=False)

    def of_type(self, *types: str) -> tuple[Affected, ...]:
        """The affected elements of the given journeykg classes, in answer order."""
        return tuple(a for a in self.affected if a.element.type in types)

    @property
    def processes(self) -> tuple[Affected, ...]:
        return self.of_type("BackofficeProcess")

    @property
    def touchpoints(self) -> tuple[Affected, ...]:
        return self.of_type("Touchpoint")

    @property
    def steps(self) -> tuple[Affected, ...]:
        return self.of_type("Step")

    @property
    def journeys(self) -> tuple[Affected, ...]:
        return self.of_type("Journey")

    @property
    def contact_reasons(self) -> tuple[Affected, ...]:
        return self.of_type("ContactReason")

    @property
    def phases(self) -> tuple[Affected, ...]:
        return self.of_type("Phase")

    @property
    def lifecycle_stages(self) -> tuple[Affected, ...]:
        return self.of_type("LifecycleStage")

    @property
    def kpis(self) -> tuple[Affected, ...]:
        return self.of_type("KPI")

    @property
    def owners(self) -> tuple[Affected, ...]:
        return self.of_type("Owner")

    def shortest_path(self, element_id: str) -> tuple[str, ...]:
        """The ids on one shortest path from the root to ``element_id``."""
        parents = {a.element.id: a.parent for a in self.affected}
        path = [element_id]
        while (parent := parents.get(path[-1])) is not None:
            path.append(parent)
        return tuple(reversed(path))


@dataclass
class WriteSummary:
    """What one atomic write did."""

    subjects: int = 0
    triples: int = 0
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
