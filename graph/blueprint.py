"""A journey as a service blueprint: its steps in order, and per step the customer's
touchpoints per channel, the processes behind them and the IT systems those use.

Also the journey's moments of truth, its emotion scores per step (the
touchpoints' ``jkg:emotionScore``, averaged per step), its KPIs against
target (:func:`.factors.kpi_statuses`, as ``priorities`` reads them) with
their history (every ``jkg:KPIValue`` of the KPI, by the end of its period)
and its owners. A question over the store port, for the web workspace's journey page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from journeykg.graph.edges import follow
from journeykg.graph.factors import KpiStatus, kpi_statuses
from journeykg.graph.lifecycle import Named, named_elements
from journeykg.graph.store import Store
from journeykg.namespaces import JKG


@dataclass(frozen=True)
class BlueprintTouchpoint:
    touchpoint: Named
    channel: Named | None
    moment_of_truth: bool
    emotion: float | None
    processes: tuple[Named, ...]


@dataclass(frozen=True)
class BlueprintStep:
    step: Named
    sequence: int | None
    touchpoints: tuple[BlueprintTouchpoint, ...]

    @property
    def emotion(self) -> float | None:
        """The mean emotion score of the step's touchpoints that have one."""
        scores = [t.emotion for t in self.touchpoints if t.emotion is not None]
        return round(sum(scores) / len(scores), 2) if scores else None


@dataclass(frozen=True)
class KpiPoint:
    """One measured value of a KPI, over the period it was measured in."""

    value: float
    period_start: str | None
    """ISO date, or None when the value names only its year."""
    period_end: str | None
    """ISO date (the last day of ``jkg:period``'s year when no end is given)."""


@dataclass(frozen=True)
class Blueprint:
    journey: Named
    steps: tuple[BlueprintStep, ...]
    systems: dict[str, tuple[Named, ...]]
    """Per process id, the IT systems it uses."""
    kpis: tuple[KpiStatus, ...]
    owners: tuple[Named, ...]
    history: dict[str, tuple[KpiPoint, ...]] = field(default_factory=dict)
    """Per KPI id, its measured values, oldest first (the latest is the KPI's ``measured``)."""

    def step_systems(self, step: BlueprintStep) -> tuple[Named, ...]:
        """The systems used by the processes behind ``step``'s touchpoints, once each."""
        seen: dict[str, Named] = {}
        for tp in step.touchpoints:
            for process in tp.processes:
                for system in self.systems.get(process.id, ()):
                    seen.setdefault(system.id, system)
        return tuple(sorted(seen.values(), key=lambda s: s.id))


def blueprint(store: Store, journey: URIRef) -> Blueprint:
    """The service blueprint of ``journey`` (an IRI the caller has resolved)."""
    steps = [s for _, s in follow(store, JKG.stepOf, [journey], inverse=True)]
    touchpoints = follow(store, JKG.atStep, steps, inverse=True)
    tps = [t for _, t in touchpoints]
    channels = dict(follow(store, JKG.viaChannel, tps))
    supporters = follow(store, JKG.supportedBy, tps)
    processes = sorted({p for _, p in supporters})
    uses = follow(store, JKG.usesSystem, processes)
    owners = [o for _, o in follow(store, JKG.ownedBy, [journey])]
    facts = store.describe([*steps, *tps])
    named = named_elements(
        store,
        [journey, *steps, *tps, *channels.values(), *processes, *(s for _, s in uses), *owners],
    )
    processes_of: dict[URIRef, list[URIRef]] = defaultdict(list)
    for tp, process in supporters:
        processes_of[tp].append(process)
    systems_of: dict[str, list[Named]] = defaultdict(list)
    for process, system in uses:
        systems_of[named[process].id].append(named[system])
    tps_of: dict[URIRef, list[URIRef]] = defaultdict(list)
    for step, tp in touchpoints:
        tps_of[step].append(tp)
    built = []
    for step in steps:
        built.append(
            BlueprintStep(
                named[step],
                _integer(facts, step, JKG.sequence),
                tuple(
                    BlueprintTouchpoint(
                        named[tp],
                        named[channels[tp]] if tp in channels else None,
                        _boolean(facts, tp, JKG.momentOfTruth),
                        _number(facts, tp, JKG.emotionScore),
                        tuple(named[p] for p in sorted(processes_of[tp])),
                    )
                    for tp in sorted(tps_of[step], key=lambda t: named[t].id)
                ),
            )
        )
    built.sort(key=lambda s: (s.sequence is None, s.sequence or 0, s.step.id))
    statuses = kpi_statuses(store, [journey, *tps])
    kpis = sorted({URIRef(s.kpi.iri) for ss in statuses.values() for s in ss})
    return Blueprint(
        journey=named[journey],
        steps=tuple(built),
        systems={p: tuple(sorted(s, key=lambda n: n.id)) for p, s in systems_of.items()},
        kpis=tuple(sorted((s for ss in statuses.values() for s in ss), key=lambda s: s.kpi.id)),
        owners=tuple(named[o] for o in sorted(owners)),
        history=kpi_history(store, kpis),
    )


def kpi_history(store: Store, kpis: list[URIRef]) -> dict[str, tuple[KpiPoint, ...]]:
    """Per KPI (by id), its ``jkg:KPIValue``s with a number, oldest period end first.

    Two round trips for any number of KPIs: the values' edges, then their facts.
    A value without ``jkg:periodEnd`` ends with its ``jkg:period`` year, as
    :func:`.factors.kpi_statuses` reads the latest one.
    """
    values = follow(store, JKG.valueOf, kpis, inverse=True)
    facts = store.describe([v for _, v in values])
    points: dict[str, list[tuple[str, str, KpiPoint]]] = defaultdict(list)
    for kpi, value in values:
        number = _number(facts, value, JKG.value)
        if number is None:
            continue
        start = facts.value(value, JKG.periodStart)
        end = facts.value(value, JKG.periodEnd)
        year = facts.value(value, JKG.period)
        until = str(end) if end is not None else f"{year}-12-31" if year is not None else ""
        point = KpiPoint(number, str(start) if start is not None else None, until or None)
        points[store.ids.key(str(kpi))].append((until, str(value), point))
    return {kpi: tuple(p for _, _, p in sorted(found)) for kpi, found in points.items()}


def _value(facts: Graph, node: URIRef, predicate: URIRef) -> object:
    value = facts.value(node, predicate)
    return value.toPython() if isinstance(value, Literal) else None


def _integer(facts: Graph, node: URIRef, predicate: URIRef) -> int | None:
    value = _value(facts, node, predicate)
    return int(value) if isinstance(value, int | float) else None


def _number(facts: Graph, node: URIRef, predicate: URIRef) -> float | None:
    value = _value(facts, node, predicate)
    if isinstance(value, bool):
        return None
    # jkg:value is an xsd:decimal, which rdflib gives as a Decimal.
    return float(value) if isinstance(value, int | float | Decimal) else None


def _boolean(facts: Graph, node: URIRef, predicate: URIRef) -> bool:
    return _value(facts, node, predicate) is True
