"""Quantified blast radius: contacts, complaints, first-contact resolution, cost, KPI gaps.

Definitions (also in docs/impact.md):

- A journey's **contacts**, **complaints** and **FCR** are those of the
  contact reasons it is placed on, in the latest year recorded for each
  reason, summed over channels (FCR weighted by contacts). Within a channel,
  the figures of parts of the year (a sync's months, with ``jkg:periodStart``)
  replace a whole-year figure of the same year, so no contact counts twice.
- A journey's **cost at stake** is the annual cost (latest period) attached
  to the journey, to its touchpoints in the answer, and to the processes in
  the answer that directly support those touchpoints.
- A KPI's **gap** is how far its current value falls short of its target, as
  a share of the target: ``max(0, target - current) / |target|`` when higher
  is better, ``max(0, current - target) / |target|`` otherwise. The current
  value is the latest measured ``jkg:KPIValue`` (by period end), else the
  baseline.
- A journey's **impact score** is ``sum(w_f * x_f / max_j x_f)`` over the
  factors f = contacts, complaints, cost, kpiGap (the journey's summed KPI
  gaps), each normalised by its largest value among the ranked journeys, so
  that every factor lies in [0, 1] and the weights (default 1) say how much
  each counts. Ties are broken by journey id.
- **Totals** count each contact reason and each cost once, however many
  journeys share it; the total cost is that of the changed element and of
  every element in the answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace

from rdflib import Graph, Literal, URIRef

from journeykg.graph.model import ElementRef, ImpactAnswer
from journeykg.graph.store import Store
from journeykg.namespaces import JKG
from journeykg.ontology_graph import load_ontology

FACTORS = ("contacts", "complaints", "cost", "kpiGap")
DEFAULT_WEIGHTS: Mapping[str, float] = {f: 1.0 for f in FACTORS}


@dataclass(frozen=True)
class KpiStatus:
    """A KPI with its baseline against its target."""

    kpi: ElementRef
    kpi_type: str | None
    measures: str
    baseline: float | None
    target: float | None
    gap: float
    """Share of the target not yet reached (0 when on or above target)."""
    measured: float | None = None
    """The latest measured value (a ``jkg:KPIValue``, e.g. from a survey sync), if any."""
    measured_until: str | None = None
    """The end of the period that value was measured over (ISO date)."""


@dataclass(frozen=True)
class JourneyFigures:
    """What is at stake in one journey."""

    journey: ElementRef
    hops: int | None
    contacts: int
    complaints: int
    first_contact_resolution: float | None
    cost_eur: float
    kpis: tuple[KpiStatus, ...]
    kpi_gap: float
    score: float = 0.0
    stage_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class BlastRadius:
    """Totals over an impact answer and its journeys, ranked by score."""

    contacts: int
    complaints: int
    first_contact_resolution: float | None
    cost_eur: float
    journeys: tuple[JourneyFigures, ...]
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))


@dataclass
class _Facts:
    """Literal facts of a set of nodes, read in batches."""

    graph: Graph

    def number(self, node: URIRef, predicate: URIRef) -> float | None:
        value = self.graph.value(node, predicate)
        return float(value) if isinstance(value, Literal) else None

    def text(self, node: URIRef, predicate: URIRef) -> str | None:
        value = self.graph.value(node, predicate)
        return str(value) if value is not None else None


def _attached(
    store: Store, predicate: URIRef, targets: Collection[URIRef]
) -> tuple[dict[URIRef, list[URIRef]], _Facts]:
    """Nodes pointing at ``targets`` via ``predicate`` (costs, volumes, KPIs), and their facts."""
    by_target: dict[URIRef, list[URIRef]] = defaultdict(list)
    for target, node in store.follow(predicate, targets, inverse=True):
        by_target[target].append(node)
    nodes = {n for ns in by_target.values() for n in ns}
    return by_target, _Facts(store.describe(nodes))


def _latest(nodes: Iterable[URIRef], facts: _Facts) -> list[URIRef]:
    """The nodes of the latest period among ``nodes`` (all of them if none has a period)."""
    nodes = list(nodes)
    periods = {n: facts.text(n, JKG.period) or "" for n in nodes}
    newest = max(periods.values(), default="")
    return [n for n in nodes if periods[n] == newest]


def _one_count_per_channel(volumes: list[URIRef], facts: _Facts) -> list[URIRef]:
    """Of one year's volumes, those that count each contact once per channel.

    A channel may hold both a whole-year figure (typed in, or from a CSV
    bundle) and the months a CRM sync aggregated: they count the same
    contacts, so the months (measured, and fresh) win and the year figure is
    left out. Volumes of different channels, or of several months, add up.
    """
    by_channel: dict[str | None, list[URIRef]] = defaultdict(list)
    for volume in volumes:
        by_channel[facts.text(volume, JKG.viaChannel)].append(volume)
    counted: list[URIRef] = []
    for same_channel in by_channel.values():
        months = [v for v in same_channel if facts.text(v, JKG.periodStart) is not None]
        counted.extend(months or same_channel)
    return counted


def _latest_values(
    store: Store, kpis: Collection[URIRef]
) -> dict[URIRef, tuple[float | None, str | None]]:
    """Per KPI, its latest measured value and the end of that value's period.

    "Latest" is by the period's end (``jkg:periodEnd``, else the last day of
    the ``jkg:period`` year); values without a number are ignored.
    """
    values_of, facts = _attached(store, JKG.valueOf, kpis)
    latest: dict[URIRef, tuple[float | None, str | None]] = {}
    for kpi, values in values_of.items():
        dated = [
            (_period_end(v, facts), str(v), number)
            for v in values
            if (number := facts.number(v, JKG.value)) is not None
        ]
        if dated:
            until, _, number = max(dated)
            latest[kpi] = (number, until or None)
    return latest


def _period_end(node: URIRef, facts: _Facts) -> str:
    """The ISO date a fact's period ends on ('' when it has no period)."""
    end = facts.text(node, JKG.periodEnd)
    if end:
        return end
    year = facts.text(node, JKG.period)
    return f"{year}-12-31" if year else ""


def _higher_is_better(store: Store, kpi_types: Collection[URIRef]) -> dict[URIRef, bool]:
    ontology = load_ontology()
    stored = store.describe(kpi_types)
    result = {}
    for kpi_type in kpi_types:
        value = stored.value(kpi_type, JKG.higherIsBetter) or ontology.value(
            kpi_type, JKG.higherIsBetter
        )
        result[kpi_type] = not isinstance(value, Literal) or bool(value.toPython())
    return result


def quantify(
    store: Store,
    journeys: Mapping[URIRef, int | None],
    touchpoints_in_scope: Mapping[URIRef, Collection[URIRef]] | None,
    processes_in_scope: Collection[URIRef] | None,
    weights: Mapping[str, float] | None = None,
    total_cost_holders: Collection[URIRef] | None = None,
) -> BlastRadius:
    """Figures per journey and in total.

    ``touchpoints_in_scope`` maps a journey to the touchpoints that count for
    it (None: all its touchpoints); ``processes_in_scope`` limits the processes
    whose cost counts (None: every process supporting those touchpoints);
    ``total_cost_holders`` are the elements whose costs make the total (None:
    the journeys, their touchpoints and those processes).
    """
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    unknown = set(weights) - set(FACTORS)
    if unknown:
        raise ValueError(f"unknown weight(s) {sorted(unknown)}; use {', '.join(FACTORS)}")
    journey_iris = sorted(journeys)
    refs = store.refs(journey_iris)

    if touchpoints_in_scope is None:
        steps = store.follow(JKG.stepOf, journey_iris, inverse=True)
        step_journey = {step: journey for journey, step in steps}
        touchpoints: dict[URIRef, set[URIRef]] = defaultdict(set)
        for step, tp in store.follow(JKG.atStep, list(step_journey), inverse=True):
            touchpoints[step_journey[step]].add(tp)
    else:
        touchpoints = {j: set(tps) for j, tps in touchpoints_in_scope.items()}
    all_touchpoints = sorted({t for ts in touchpoints.values() for t in ts})
    supporters: dict[URIRef, set[URIRef]] = defaultdict(set)
    for tp, process in store.follow(JKG.supportedBy, all_touchpoints):
        if processes_in_scope is None or process in processes_in_scope:
            supporters[tp].add(process)

    reasons: dict[URIRef, list[URIRef]] = defaultdict(list)
    for journey, reason in store.follow(JKG.placedOn, journey_iris):
        reasons[journey].append(reason)
    all_reasons = sorted({r for rs in reasons.values() for r in rs})
    volumes_of, volume_facts = _attached(store, JKG.volumeOf, all_reasons)
    reason_volume: dict[URIRef, tuple[int, int, float]] = {}
    for reason in all_reasons:
        latest = _one_count_per_channel(
            _latest(volumes_of.get(reason, []), volume_facts), volume_facts
        )
        contacts = sum(int(volume_facts.number(v, JKG.contacts) or 0) for v in latest)
        complaints = sum(int(volume_facts.number(v, JKG.complaints) or 0) for v in latest)
        resolved = sum(
            (volume_facts.number(v, JKG.firstContactResolution) or 0.0)
            * (volume_facts.number(v, JKG.contacts) or 0)
            for v in latest
            if volume_facts.number(v, JKG.firstContactResolution) is not None
        )
        reason_volume[reason] = (contacts, complaints, resolved)

    journey_holders = (
        set(journey_iris) | set(all_touchpoints) | {p for ps in supporters.values() for p in ps}
    )
    total_holders = set(total_cost_holders) if total_cost_holders is not None else journey_holders
    cost_holders = journey_holders | total_holders
    costs_of, cost_facts = _attached(store, JKG.costOf, sorted(cost_holders))
    annual_cost = {
        holder: sum(cost_facts.number(c, JKG.amountEur) or 0.0 for c in _latest(cs, cost_facts))
        for holder, cs in costs_of.items()
    }

    measured = sorted(set(journey_iris) | set(all_touchpoints))
    kpis_of, kpi_facts = _attached(store, JKG.measures, measured)
    kpi_types = {
        k: URIRef(str(t)) for ks in kpis_of.values() for k in ks
        if (t := kpi_facts.graph.value(k, JKG.kpiType)) is not None
    }  # fmt: skip
    better = _higher_is_better(store, set(kpi_types.values()))
    all_kpis = sorted({k for ks in kpis_of.values() for k in ks})
    latest_value = _latest_values(store, all_kpis)
    kpi_refs = store.refs(all_kpis)
    type_refs = store.refs(set(kpi_types.values()))

    def kpi_status(kpi: URIRef, measured_element: URIRef) -> KpiStatus:
        baseline = kpi_facts.number(kpi, JKG.baseline)
        target = kpi_facts.number(kpi, JKG.target)
        measured, measured_until = latest_value.get(kpi, (None, None))
        current = measured if measured is not None else baseline
        kind = kpi_types.get(kpi)
        gap = 0.0
        if current is not None and target:
            shortfall = target - current if better.get(kind, True) else current - target  # type: ignore[arg-type]
            gap = max(0.0, shortfall) / abs(target)
        return KpiStatus(
            kpi=kpi_refs[kpi],
            kpi_type=type_refs[kind].id if kind in type_refs else (str(kind) if kind else None),
            measures=store.ids.key(str(measured_element)),
            baseline=baseline,
            target=target,
            gap=round(gap, 6),
            measured=measured,
            measured_until=measured_until,
        )

    stages = _stages(store, reasons)
    figures: list[JourneyFigures] = []
    for journey in journey_iris:
        contacts = sum(reason_volume[r][0] for r in reasons.get(journey, []))
        complaints = sum(reason_volume[r][1] for r in reasons.get(journey, []))
        resolved = sum(reason_volume[r][2] for r in reasons.get(journey, []))
        tps = touchpoints.get(journey, set())
        holders = {journey} | tps | {p for t in tps for p in supporters.get(t, set())}
        statuses = tuple(
            sorted(
                (kpi_status(k, m) for m in [journey, *sorted(tps)] for k in kpis_of.get(m, [])),
                key=lambda s: s.kpi.id,
            )
        )
        figures.append(
            JourneyFigures(
                journey=refs[journey],
                hops=journeys[journey],
                contacts=contacts,
                complaints=complaints,
                first_contact_resolution=round(resolved / contacts, 4) if contacts else None,
                cost_eur=round(sum(annual_cost.get(h, 0.0) for h in holders), 2),
                kpis=statuses,
                kpi_gap=round(sum(s.gap for s in statuses), 6),
                stage_ids=tuple(sorted(stages.get(journey, set()))),
            )
        )
    ranked = _rank(figures, weights)
    used_reasons = {r for j in journey_iris for r in reasons.get(j, [])}
    total_contacts = sum(reason_volume[r][0] for r in used_reasons)
    total_resolved = sum(reason_volume[r][2] for r in used_reasons)
    return BlastRadius(
        contacts=total_contacts,
        complaints=sum(reason_volume[r][1] for r in used_reasons),
        first_contact_resolution=(
            round(total_resolved / total_contacts, 4) if total_contacts else None
        ),
        cost_eur=round(sum(annual_cost.get(h, 0.0) for h in total_holders), 2),
        journeys=tuple(ranked),
        weights=weights,
    )


def _stages(store: Store, reasons: Mapping[URIRef, list[URIRef]]) -> dict[URIRef, set[str]]:
    all_reasons = sorted({r for rs in reasons.values() for r in rs})
    phase_of = dict(store.follow(JKG.inPhase, all_reasons))
    stage_of = dict(store.follow(JKG.inStage, sorted(set(phase_of.values()))))
    result: dict[URIRef, set[str]] = defaultdict(set)
    for journey, rs in reasons.items():
        for reason in rs:
            stage = stage_of.get(phase_of.get(reason))  # type: ignore[arg-type]
            if stage is not None:
                result[journey].add(store.ids.key(str(stage)))
    return result


def _rank(figures: list[JourneyFigures], weights: Mapping[str, float]) -> list[JourneyFigures]:
    def values(f: JourneyFigures) -> dict[str, float]:
        return {
            "contacts": f.contacts,
            "complaints": f.complaints,
            "cost": f.cost_eur,
            "kpiGap": f.kpi_gap,
        }

    maxima = {k: max((values(f)[k] for f in figures), default=0.0) for k in FACTORS}
    scored = []
    for f in figures:
        v = values(f)
        score = sum(weights[k] * (v[k] / maxima[k] if maxima[k] else 0.0) for k in FACTORS)
        scored.append(replace(f, score=round(score, 6)))
    return sorted(scored, key=lambda f: (-f.score, f.journey.id))


def blast_radius(
    store: Store, answer: ImpactAnswer, weights: Mapping[str, float] | None = None
) -> BlastRadius:
    """The quantified blast radius of an impact answer (downstream)."""
    iri = {a.element.id: URIRef(a.element.iri) for a in answer.affected}
    for root in answer.roots:
        iri[root.id] = URIRef(root.iri)
    journeys: dict[URIRef, int | None] = {iri[a.element.id]: a.hops for a in answer.journeys}
    for root in answer.roots:
        if root.type == "Journey":
            journeys[URIRef(root.iri)] = 0
    step_journey = {e.source: e.target for e in answer.edges if e.relation == "STEP_OF"}
    scope: dict[URIRef, set[URIRef]] = defaultdict(set)
    for edge in answer.edges:
        if edge.relation == "AT_STEP" and edge.target in step_journey:
            scope[iri[step_journey[edge.target]]].add(iri[edge.source])
    processes = {iri[a.element.id] for a in answer.processes} | {
        URIRef(r.iri) for r in answer.roots if r.type == "BackofficeProcess"
    }
    everything = set(iri.values())
    return quantify(store, journeys, scope, processes, weights, total_cost_holders=everything)


def prioritise(store: Store, weights: Mapping[str, float] | None = None) -> BlastRadius:
    """Every journey, ranked for improvement by the weighted score (all touchpoints count)."""
    journeys = store.instances(JKG.Journey)
    return quantify(store, dict.fromkeys(journeys), None, None, weights)
