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
- A journey's **drop-off** is the share of its cases in the latest period
  journey mining measured that did not complete it (``1 - completed / cases``,
  docs/mining.md); 0 for a journey never mined.
- A journey's **impact score** is ``sum(w_f * x_f / max_j x_f)`` over the
  factors f = contacts, complaints, cost, kpiGap (the journey's summed KPI
  gaps), dropOff, openInsights, each normalised by its largest value among the
  ranked journeys, so that every factor lies in [0, 1] and the weights (default 1)
  say how much each counts. Ties are broken by journey id.
- A journey's **open insights** are the insights still asking for work
  (new, validated, addressed) about the journey, its touchpoints in scope,
  its contact reasons or the KPIs on them; a factor of the score like the
  others (``openInsights``), 0 for every journey until insights are recorded.
- **Totals** count each contact reason and each cost once, however many
  journeys share it; the total cost is that of the changed element and of
  every element in the answer.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from rdflib import URIRef

from journeykg.graph.edges import follow
from journeykg.graph.elements import refs
from journeykg.graph.factors import (
    KpiStatus,
    ReasonVolume,
    annual_costs,
    first_contact_resolution,
    kpi_statuses,
    open_insights,
    reason_volumes,
    sum_volumes,
)
from journeykg.graph.mining_drop_off import drop_off_by_journey
from journeykg.graph.model import ElementRef, ImpactAnswer
from journeykg.graph.store import EdgeRequest, Hop, Store
from journeykg.graph.stored_terms import stored_iri
from journeykg.namespaces import JKG

#: The elements whose costs count for a journey besides itself: its touchpoints (the
#: touchpoints at its steps) and the processes that directly support them.
COST_PATHS = (
    (Hop(JKG.stepOf, inverse=True), Hop(JKG.atStep, inverse=True)),
    (Hop(JKG.stepOf, inverse=True), Hop(JKG.atStep, inverse=True), Hop(JKG.supportedBy)),
)
FACTORS = ("contacts", "complaints", "cost", "kpiGap", "dropOff", "openInsights")
DEFAULT_WEIGHTS: Mapping[str, float] = {f: 1.0 for f in FACTORS}


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
    drop_off: float = 0.0
    """Share of the journey's cases that did not complete it, latest mined period."""
    open_insights: int = 0
    """Open insights (new, validated, addressed) about the journey, its touchpoints in
    scope, its contact reasons or the KPIs on them (docs/insights.md)."""


@dataclass(frozen=True)
class BlastRadius:
    """Totals over an impact answer and its journeys, ranked by score."""

    contacts: int
    complaints: int
    first_contact_resolution: float | None
    cost_eur: float
    journeys: tuple[JourneyFigures, ...]
    weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))


@dataclass(frozen=True)
class JourneyScope:
    """What counts for each journey: its touchpoints, their supporters, its contact reasons."""

    touchpoints: Mapping[URIRef, set[URIRef]]
    """Per journey, the touchpoints that count for it."""
    supporters: Mapping[URIRef, set[URIRef]]
    """Per touchpoint, the processes in scope that directly support it."""
    reasons: Mapping[URIRef, list[URIRef]]
    """Per journey, the contact reasons it is placed on."""

    def all_touchpoints(self) -> list[URIRef]:
        return sorted({t for ts in self.touchpoints.values() for t in ts}, key=str)

    def all_reasons(self) -> list[URIRef]:
        return sorted({r for rs in self.reasons.values() for r in rs}, key=str)

    def cost_holders(self, journey: URIRef) -> set[URIRef]:
        """The elements whose costs count for ``journey``: it, its touchpoints, their supporters."""
        tps = self.touchpoints.get(journey, set())
        return {journey} | tps | {p for t in tps for p in self.supporters.get(t, set())}


@dataclass(frozen=True)
class KnownJourneys:
    """What a caller has read already of every journey, so that :func:`prioritise` does not
    read it again (the lifecycle picture reads the journeys' names and placements for
    itself: at 30,000 journeys each of those round trips costs 0.3–0.9 s on Neo4j)."""

    journeys: list[URIRef]
    """Every ``jkg:Journey`` (:meth:`.Store.instances`)."""
    refs: Mapping[URIRef, ElementRef]
    """Their refs, as :func:`.elements.refs` gives them."""
    placed: Sequence[tuple[str, str]]
    """Their ``jkg:placedOn`` edges (journey, reason), as :meth:`.Store.edges` finds them."""


@dataclass(frozen=True)
class Factors:
    """The factor tables the figures are summed from (see :mod:`.factors`)."""

    volumes: Mapping[URIRef, ReasonVolume]
    """Per contact reason."""
    costs: Mapping[URIRef, float]
    """Per element with costs, its latest annual cost."""
    kpis: Mapping[URIRef, list[KpiStatus]]
    """Per measured element (journey, touchpoint), its KPIs."""
    stages: Mapping[URIRef, set[str]]
    """Per journey, the lifecycle stages (ids) its contact reasons sit in."""
    drop_off: Mapping[URIRef, float] = field(default_factory=dict)
    """Per mined journey, its drop-off in the latest mined period (graph/mining.py)."""
    insights: Mapping[URIRef, set[URIRef]] = field(default_factory=dict)
    """Per journey, touchpoint, contact reason or KPI, the open insights about it."""
    journey_costs: Mapping[URIRef, float] | None = None
    """Per journey, its cost at stake summed in the store (:meth:`.Store.reached_totals`);
    None: summed here from ``costs`` over the journey's cost holders."""


def quantify(
    store: Store,
    journeys: Mapping[URIRef, int | None],
    touchpoints_in_scope: Mapping[URIRef, Collection[URIRef]] | None,
    processes_in_scope: Collection[URIRef] | None,
    weights: Mapping[str, float] | None = None,
    total_cost_holders: Collection[URIRef] | None = None,
    volumes: Mapping[URIRef, ReasonVolume] | None = None,
    *,
    sum_in_store: bool = True,
    known: KnownJourneys | None = None,
) -> BlastRadius:
    """Figures per journey and in total.

    ``touchpoints_in_scope`` maps a journey to the touchpoints that count for
    it (None: all its touchpoints); ``processes_in_scope`` limits the processes
    whose cost counts (None: every process supporting those touchpoints);
    ``total_cost_holders`` are the elements whose costs make the total (None:
    the journeys, their touchpoints and those processes). ``volumes`` are the
    reasons' volumes when the caller has read them already (:func:`.factors.reason_volumes`
    of at least the journeys' reasons); read here otherwise. ``sum_in_store``: for every
    journey with all its touchpoints and processes (no scope given), the costs are
    followed and summed in the store (:meth:`.Store.reached_totals`); False sums them
    here, as before (the benchmark's baseline; the same answer). ``known``: what
    :func:`prioritise`'s caller read already of every journey (``journeys`` is all of them).
    """
    weights = checked_weights(weights)
    # key=str: the same order as rdflib's own comparison of IRIs, without its
    # Python-level __lt__ per comparison (a tenth of the question at 8k nodes).
    journey_iris = sorted(journeys, key=str)
    # Every journey with all its touchpoints and every supporting process (priorities,
    # the lifecycle picture): the costs are followed and summed in the store, and the
    # processes never cross into Python. An impact answer's scope is its own.
    whole = (
        sum_in_store
        and touchpoints_in_scope is None
        and processes_in_scope is None
        and total_cost_holders is None
    )
    scope = (
        _measured_scope(store, journey_iris, known.placed if known is not None else None)
        if whole
        else journey_scope(store, journey_iris, touchpoints_in_scope, processes_in_scope)
    )
    all_touchpoints = scope.all_touchpoints()
    reached = (
        store.reached_totals(journey_iris, COST_PATHS, JKG.costOf, JKG.amountEur, JKG.period)
        if whole
        else None
    )
    journey_holders = (
        set(journey_iris)
        | set(all_touchpoints)
        | {p for ps in scope.supporters.values() for p in ps}
    )
    total_holders = set(total_cost_holders) if total_cost_holders is not None else journey_holders
    factors = Factors(
        volumes=_volumes(store, scope.all_reasons(), volumes or {}),
        costs=annual_costs(store, journey_holders | total_holders) if reached is None else {},
        kpis=kpi_statuses(store, sorted(set(journey_iris) | set(all_touchpoints), key=str)),
        stages=_stages(store, scope.reasons),
        drop_off=drop_off_by_journey(store, journey_iris),
        journey_costs=reached.per_root if reached is not None else None,
    )
    kpi_iris = {URIRef(k.kpi.iri) for ks in factors.kpis.values() for k in ks}
    subjects = set(journey_iris) | set(all_touchpoints) | set(scope.all_reasons()) | kpi_iris
    factors = replace(factors, insights=open_insights(store, sorted(subjects, key=str)))
    found = known.refs if known is not None else refs(store, journey_iris)
    figures = [journey_figures(found[j], journeys[j], j, scope, factors) for j in journey_iris]
    used_reasons = {r for j in journey_iris for r in scope.reasons.get(j, [])}
    total = _sum_volumes(factors.volumes, used_reasons)
    return BlastRadius(
        contacts=total.contacts,
        complaints=total.complaints,
        first_contact_resolution=first_contact_resolution(total),
        cost_eur=round(
            reached.overall
            if reached is not None
            else sum(factors.costs.get(h, 0.0) for h in total_holders),
            2,
        ),
        journeys=tuple(rank(figures, weights)),
        weights=weights,
    )


def _volumes(
    store: Store, reasons: list[URIRef], known: Mapping[URIRef, ReasonVolume]
) -> Mapping[URIRef, ReasonVolume]:
    """The volumes of ``reasons``: those ``known``, the others read."""
    missing = [r for r in reasons if r not in known]
    return {**known, **reason_volumes(store, missing)} if missing else known


def checked_weights(weights: Mapping[str, float] | None) -> dict[str, float]:
    """``weights`` over the defaults; a weight for no factor is refused (ValueError)."""
    checked = {**DEFAULT_WEIGHTS, **(weights or {})}
    unknown = set(checked) - set(FACTORS)
    if unknown:
        raise ValueError(f"unknown weight(s) {sorted(unknown)}; use {', '.join(FACTORS)}")
    return checked


def journey_scope(
    store: Store,
    journeys: list[URIRef],
    touchpoints_in_scope: Mapping[URIRef, Collection[URIRef]] | None,
    processes_in_scope: Collection[URIRef] | None,
    *,
    supporters: bool = True,
) -> JourneyScope:
    """The touchpoints (given, or all of each journey's steps), their supporting processes
    (those in scope, or all; none read with ``supporters`` False, where the costs are
    summed in the store) and the contact reasons of ``journeys``."""
    reasons: dict[URIRef, list[URIRef]] = defaultdict(list)
    if touchpoints_in_scope is None:
        # The journeys' steps and their contact reasons in one round trip.
        nodes = [str(j) for j in journeys]
        steps, placed = (
            store.edges(
                [
                    EdgeRequest(str(JKG.stepOf), nodes, inverse=True),
                    EdgeRequest(str(JKG.placedOn), nodes),
                ]
            ).found
            if nodes
            else ([], [])
        )
        for journey, reason in placed:
            reasons[URIRef(journey)].append(URIRef(reason))
        step_journey = {URIRef(step): URIRef(journey) for journey, step in steps}
        touchpoints: dict[URIRef, set[URIRef]] = defaultdict(set)
        for step, tp in follow(store, JKG.atStep, list(step_journey), inverse=True):
            touchpoints[step_journey[step]].add(tp)
    else:
        touchpoints = {j: set(tps) for j, tps in touchpoints_in_scope.items()}
    all_touchpoints = sorted({t for ts in touchpoints.values() for t in ts}, key=str)
    supported: dict[URIRef, set[URIRef]] = defaultdict(set)
    for tp, process in follow(store, JKG.supportedBy, all_touchpoints if supporters else []):
        if processes_in_scope is None or process in processes_in_scope:
            supported[tp].add(process)
    if touchpoints_in_scope is not None:
        for journey, reason in follow(store, JKG.placedOn, journeys):
            reasons[journey].append(reason)
    return JourneyScope(touchpoints=touchpoints, supporters=supported, reasons=reasons)


def _measured_scope(
    store: Store, journeys: list[URIRef], placed: Sequence[tuple[str, str]] | None = None
) -> JourneyScope:
    """The scope of every journey with all its touchpoints, where costs are summed in the store.

    Beyond its cost (:meth:`.Store.reached_totals`), a touchpoint only counts
    for a journey by the KPIs measured on it and the insights about it
    (:func:`journey_figures`): so the touchpoints are found from the KPIs'
    and insights' side (a few) and led back to their journeys, instead of
    reading out every step and touchpoint of the organisation (240k at 1M
    nodes) only to find those few. Touchpoints without either are left out:
    they add nothing to any figure here. ``placed``: the journeys' ``placedOn`` edges,
    when the caller has read them.
    """
    nodes = [str(j) for j in journeys]
    if placed is None:
        (placed,) = store.edges([EdgeRequest(str(JKG.placedOn), nodes)]).found if nodes else ([],)
    reasons: dict[URIRef, list[URIRef]] = defaultdict(list)
    for journey, reason in placed:
        reasons[stored_iri(journey)].append(stored_iri(reason))
    kpis, insights = store.instances(JKG.KPI), store.instances(JKG.Insight)
    measured, concerned = (
        store.edges(
            [
                EdgeRequest(str(JKG.measures), [str(k) for k in kpis]),
                EdgeRequest(str(JKG.concerns), [str(i) for i in insights]),
            ]
        ).found
        if kpis or insights
        else ([], [])
    )
    candidates = sorted(({n for _, n in measured} | {n for _, n in concerned}) - set(nodes))
    at_steps = follow(store, JKG.atStep, [stored_iri(c) for c in candidates])
    journey_of = _grouped_edges(
        follow(store, JKG.stepOf, sorted({s for _, s in at_steps}, key=str))
    )
    wanted = set(journeys)
    touchpoints: dict[URIRef, set[URIRef]] = defaultdict(set)
    for tp, step in at_steps:
        for journey in journey_of.get(step, []):
            if journey in wanted:
                touchpoints[journey].add(tp)
    return JourneyScope(touchpoints=touchpoints, supporters={}, reasons=reasons)


def _grouped_edges(edges: Iterable[tuple[URIRef, URIRef]]) -> dict[URIRef, list[URIRef]]:
    grouped: dict[URIRef, list[URIRef]] = defaultdict(list)
    for node, other in edges:
        grouped[node].append(other)
    return grouped


def journey_figures(
    ref: ElementRef, hops: int | None, journey: URIRef, scope: JourneyScope, factors: Factors
) -> JourneyFigures:
    """One journey's figures: its reasons' volumes, its cost holders' costs, its KPIs."""
    volume = _sum_volumes(factors.volumes, scope.reasons.get(journey, []))
    tps = scope.touchpoints.get(journey, set())
    statuses = tuple(
        sorted(
            (s for m in [journey, *sorted(tps, key=str)] for s in factors.kpis.get(m, [])),
            key=lambda s: s.kpi.id,
        )
    )
    return JourneyFigures(
        journey=ref,
        hops=hops,
        **_volume_fields(volume),
        cost_eur=round(
            factors.journey_costs.get(journey, 0.0)
            if factors.journey_costs is not None
            else sum(factors.costs.get(h, 0.0) for h in scope.cost_holders(journey)),
            2,
        ),
        kpis=statuses,
        kpi_gap=round(sum(s.gap for s in statuses), 6),
        stage_ids=tuple(sorted(factors.stages.get(journey, set()))),
        drop_off=factors.drop_off.get(journey, 0.0),
        open_insights=len(
            {
                i
                for about in [journey, *tps, *scope.reasons.get(journey, [])]
                + [URIRef(k.kpi.iri) for k in statuses]
                for i in factors.insights.get(about, set())
            }
        ),
    )


def _sum_volumes(volumes: Mapping[URIRef, ReasonVolume], reasons: Iterable[URIRef]) -> ReasonVolume:
    return sum_volumes(volumes[r] for r in reasons)


def _volume_fields(volume: ReasonVolume) -> dict[str, Any]:
    """The figures a journey takes from its reasons' volumes (summed in ``volume``)."""
    return {
        "contacts": volume.contacts,
        "complaints": volume.complaints,
        "first_contact_resolution": first_contact_resolution(volume),
    }


def volume_figures(
    volumes: Mapping[URIRef, ReasonVolume], reasons: Iterable[URIRef]
) -> dict[str, Any]:
    """The figures a journey placed on ``reasons`` takes from their ``volumes``, by field.

    A journey's contacts, complaints and first-contact resolution are its reasons'
    volumes summed (:func:`journey_figures`) and no other figure reads a volume: so
    after a write that moved only volumes, the picture kept between generations
    (:mod:`.lifecycle_kept`) makes these three again without reading the store.
    """
    return _volume_fields(_sum_volumes(volumes, reasons))


def _stages(store: Store, reasons: Mapping[URIRef, list[URIRef]]) -> dict[URIRef, set[str]]:
    all_reasons = sorted({r for rs in reasons.values() for r in rs}, key=str)
    phase_of = dict(follow(store, JKG.inPhase, all_reasons))
    stage_of = dict(follow(store, JKG.inStage, sorted(set(phase_of.values()), key=str)))
    result: dict[URIRef, set[str]] = defaultdict(set)
    for journey, rs in reasons.items():
        for reason in rs:
            stage = stage_of.get(phase_of.get(reason))  # type: ignore[arg-type]
            if stage is not None:
                result[journey].add(store.ids.key(str(stage)))
    return result


def factor_values(figures: JourneyFigures) -> dict[str, float]:
    """A journey's value of each factor of the score."""
    return {
        "contacts": figures.contacts,
        "complaints": figures.complaints,
        "cost": figures.cost_eur,
        "kpiGap": figures.kpi_gap,
        "dropOff": figures.drop_off,
        "openInsights": figures.open_insights,
    }


def rank(figures: list[JourneyFigures], weights: Mapping[str, float]) -> list[JourneyFigures]:
    """Score each journey (each factor over its largest value, weighted) and rank them."""
    values = [factor_values(f) for f in figures]
    maxima = factor_maxima(values)
    scored = [scored_figures(f, v, maxima, weights) for f, v in zip(figures, values, strict=True)]
    return sorted(scored, key=lambda f: (-f.score, f.journey.id))


def factor_maxima(values: Sequence[Mapping[str, float]]) -> dict[str, float]:
    """Each factor's largest value among ``values`` (0 among none): what scores are relative to."""
    return {k: max((v[k] for v in values), default=0.0) for k in FACTORS}


def scored_figures(
    figures: JourneyFigures,
    values: Mapping[str, float],
    maxima: Mapping[str, float],
    weights: Mapping[str, float],
) -> JourneyFigures:
    """``figures`` with their score: each factor over its largest value, weighted."""
    return replace(figures, score=score_of(values, maxima, weights))


def score_of(
    values: Mapping[str, float], maxima: Mapping[str, float], weights: Mapping[str, float]
) -> float:
    """A journey's score: each factor's value over its largest value, weighted, summed."""
    score = sum(weights[k] * (values[k] / maxima[k] if maxima[k] else 0.0) for k in FACTORS)
    return round(score, 6)


def figures_of(
    store: Store,
    journeys: Collection[URIRef],
    refs_of: Mapping[URIRef, ElementRef],
    volumes: Mapping[URIRef, ReasonVolume],
) -> dict[URIRef, JourneyFigures]:
    """The figures of some of the journeys, unscored, as :func:`prioritise` gives them.

    What the lifecycle picture kept between generations recomputes for the journeys
    a write may have changed (:mod:`.lifecycle_kept`): a journey's figures depend on
    its own reasons, touchpoints, processes, KPIs, insights and mining alone, only
    its score on every other journey's (:func:`factor_maxima`). The costs are summed
    in the store (:meth:`.Store.reached_totals` of these journeys); the touchpoints
    are all those of the journeys' steps (few here), of which only those with KPIs
    or insights add to a figure, as in :func:`_measured_scope`. ``volumes``: the
    reasons' volumes read already (the others are read here).
    """
    journey_iris = sorted(journeys, key=str)
    if not journey_iris:
        return {}
    scope = journey_scope(store, journey_iris, None, None, supporters=False)
    all_touchpoints = scope.all_touchpoints()
    reached = store.reached_totals(journey_iris, COST_PATHS, JKG.costOf, JKG.amountEur, JKG.period)
    factors = Factors(
        volumes=_volumes(store, scope.all_reasons(), volumes),
        costs={},
        kpis=kpi_statuses(store, sorted(set(journey_iris) | set(all_touchpoints), key=str)),
        stages=_stages(store, scope.reasons),
        drop_off=drop_off_by_journey(store, journey_iris),
        journey_costs=reached.per_root,
    )
    kpi_iris = {URIRef(k.kpi.iri) for ks in factors.kpis.values() for k in ks}
    subjects = set(journey_iris) | set(all_touchpoints) | set(scope.all_reasons()) | kpi_iris
    factors = replace(factors, insights=open_insights(store, sorted(subjects, key=str)))
    return {j: journey_figures(refs_of[j], None, j, scope, factors) for j in journey_iris}


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


def prioritise(
    store: Store,
    weights: Mapping[str, float] | None = None,
    volumes: Mapping[URIRef, ReasonVolume] | None = None,
    *,
    sum_in_store: bool = True,
    known: KnownJourneys | None = None,
) -> BlastRadius:
    """Every journey, ranked for improvement by the weighted score (all touchpoints count).

    ``volumes``: every contact reason's, when the caller has read them already;
    ``sum_in_store``: as :func:`quantify`'s; ``known``: every journey with its refs and
    placements, when the caller has read them already (the lifecycle picture).
    """
    journeys = known.journeys if known is not None else store.instances(JKG.Journey)
    return quantify(
        store, dict.fromkeys(journeys), None, None, weights, volumes=volumes,
        sum_in_store=sum_in_store, known=known,
    )  # fmt: skip
