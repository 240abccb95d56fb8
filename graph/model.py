"""Plain, backend-independent answers of the store layer.

Both backends return these very objects, which is what lets the conformance
suite demand identical answers with a plain ``==``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
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


@dataclass(frozen=True)
class JourneyPaths:
    """The paths (lists of element ids, from the changed element) that explain a journey."""

    journey: ElementRef
    paths: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ImpactAnswer:
    """What a change to one element affects, downstream, and why."""

    of: ElementRef
    max_hops: int | None
    is_complete: bool
    """False when the hop limit cut the traversal: more would be affected without it."""
    processes: tuple[Affected, ...] = ()
    touchpoints: tuple[Affected, ...] = ()
    steps: tuple[Affected, ...] = ()
    journeys: tuple[Affected, ...] = ()
    contact_reasons: tuple[Affected, ...] = ()
    phases: tuple[Affected, ...] = ()
    lifecycle_stages: tuple[Affected, ...] = ()
    owners: tuple[Affected, ...] = ()
    paths: tuple[JourneyPaths, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The answer as JSON-ready data, with the same field names as the GraphQL API."""
        data: dict[str, Any] = _camel(asdict(self))
        return data


@dataclass
class WriteSummary:
    """What one atomic write did."""

    subjects: int = 0
    triples: int = 0
    seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def _camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {_camel_key(k): _camel(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_camel(v) for v in value]
    return value


def _camel_key(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part.title() for part in rest)
