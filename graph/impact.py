"""Downstream impact of a change to a back-office process.

``A dependsOn B`` means A needs B, so a change to B affects A. The traversal
is breadth-first, one batched store round trip per hop, so every element is
reported once with its shortest hop count and cycles terminate by
construction. From the affected processes it walks the fixed chain
process -> touchpoint -> step -> journey -> contact reason -> phase -> stage,
and journey -> owner, counting one hop per edge.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from rdflib import URIRef

from journeykg.graph.errors import UnsupportedElementError
from journeykg.graph.model import Affected, ElementRef, ImpactAnswer, JourneyPaths
from journeykg.graph.store import Store
from journeykg.namespaces import JKG

PROCESS_TYPE = "BackofficeProcess"


@dataclass
class _Layer:
    """Elements reached at one level of the chain: hop count and the parent that reached them."""

    hops: dict[URIRef, int] = field(default_factory=dict)
    parent: dict[URIRef, URIRef] = field(default_factory=dict)
    edges: list[tuple[URIRef, URIRef]] = field(default_factory=list)
    """Every (source, reached) edge within the hop limit, also the non-shortest ones."""


class _Traversal:
    def __init__(self, store: Store, max_hops: int | None) -> None:
        self.store = store
        self.max_hops = max_hops
        self.cut = False

    def within(self, hops: int) -> bool:
        return self.max_hops is None or hops <= self.max_hops

    def dependants(self, root: URIRef) -> _Layer:
        """Processes that transitively depend on ``root`` (root included, at hop 0)."""
        layer = _Layer(hops={root: 0})
        frontier = [root]
        depth = 0
        while frontier:
            if not self.within(depth + 1):
                # One more look only to tell the caller whether the limit cut anything.
                if self.store.follow(JKG.dependsOn, frontier, inverse=True):
                    self.cut = True
                break
            reached: list[URIRef] = []
            for dependency, dependant in sorted(
                self.store.follow(JKG.dependsOn, frontier, inverse=True)
            ):
                layer.edges.append((dependency, dependant))
                if dependant not in layer.hops:
                    layer.hops[dependant] = depth + 1
                    layer.parent[dependant] = dependency
                    reached.append(dependant)
            frontier = reached
            depth += 1
        return layer

    def step(self, source: _Layer, predicate: URIRef, *, inverse: bool = False) -> _Layer:
        """The elements one ``predicate`` edge away from ``source``, each at its shortest hop."""
        layer = _Layer()
        if not source.hops:
            return layer
        edges = self.store.follow(predicate, list(source.hops), inverse=inverse)
        for origin, reached in sorted(edges, key=lambda e: (source.hops[e[0]], e[0], e[1])):
            hops = source.hops[origin] + 1
            if not self.within(hops):
                self.cut = True
                continue
            layer.edges.append((origin, reached))
            if reached not in layer.hops:
                layer.hops[reached] = hops
                layer.parent[reached] = origin
        return layer


def compute_impact(store: Store, of: str, max_hops: int | None = None) -> ImpactAnswer:
    """Everything downstream of a change to the back-office process ``of``."""
    if max_hops is not None and max_hops < 0:
        raise ValueError(f"maxHops must be 0 or more, got {max_hops}")
    root = store.resolve(of)
    if root.type != PROCESS_TYPE:
        raise UnsupportedElementError(of, root.type, PROCESS_TYPE)
    root_iri = URIRef(root.iri)

    walk = _Traversal(store, max_hops)
    processes = walk.dependants(root_iri)
    touchpoints = walk.step(processes, JKG.supportedBy, inverse=True)
    steps = walk.step(touchpoints, JKG.atStep)
    journeys = walk.step(steps, JKG.stepOf)
    reasons = walk.step(journeys, JKG.placedOn)
    phases = walk.step(reasons, JKG.inPhase)
    stages = walk.step(phases, JKG.inStage)
    owners = walk.step(journeys, JKG.ownedBy)

    layers = (processes, touchpoints, steps, journeys, reasons, phases, stages, owners)
    refs = store.refs(iri for layer in layers for iri in layer.hops)

    def affected(layer: _Layer, skip: Collection[URIRef] = ()) -> tuple[Affected, ...]:
        found = [Affected(refs[iri], hops) for iri, hops in layer.hops.items() if iri not in skip]
        return tuple(sorted(found, key=lambda a: (a.hops, a.element.id)))

    return ImpactAnswer(
        of=root,
        max_hops=max_hops,
        is_complete=not walk.cut,
        processes=affected(processes, skip=[root_iri]),
        touchpoints=affected(touchpoints),
        steps=affected(steps),
        journeys=affected(journeys),
        contact_reasons=affected(reasons),
        phases=affected(phases),
        lifecycle_stages=affected(stages),
        owners=affected(owners),
        paths=_journey_paths(refs, processes, touchpoints, steps, journeys, max_hops),
    )


def _journey_paths(
    refs: dict[URIRef, ElementRef],
    processes: _Layer,
    touchpoints: _Layer,
    steps: _Layer,
    journeys: _Layer,
    max_hops: int | None,
) -> tuple[JourneyPaths, ...]:
    """One path per (supporting process, touchpoint) edge that leads into each journey.

    The process part of a path is the shortest dependency chain back to the
    changed element; every touchpoint that brings the change into the
    journey is shown, not only the nearest.
    """
    step_of = dict(journeys.edges)
    touchpoint_step = dict(steps.edges)

    def chain(process: URIRef) -> list[URIRef]:
        path = [process]
        while path[-1] in processes.parent:
            path.append(processes.parent[path[-1]])
        return path[::-1]

    by_journey: dict[URIRef, set[tuple[str, ...]]] = {}
    for process, touchpoint in touchpoints.edges:
        step = touchpoint_step.get(touchpoint)
        if step is None or step not in step_of:
            continue
        journey = step_of[step]
        full = [*chain(process), touchpoint, step, journey]
        if max_hops is not None and len(full) - 1 > max_hops:
            continue
        by_journey.setdefault(journey, set()).add(tuple(refs[iri].id for iri in full))

    return tuple(
        JourneyPaths(journey=refs[journey], paths=_ordered(paths))
        for journey, paths in sorted(by_journey.items(), key=lambda kv: refs[kv[0]].id)
    )


def _ordered(paths: Iterable[tuple[str, ...]]) -> tuple[tuple[str, ...], ...]:
    return tuple(sorted(paths, key=lambda p: (len(p), p)))
