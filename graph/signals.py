"""The signal rules: what in the dated facts deserves an insight (docs/insights.md).

Each rule is a question over the port; it writes nothing. The service
(:mod:`journeykg.services.insights.loop`) turns what they find into signals
and draft insights after every sync. Every rule looks at the newest period of
each series, because that is what a sync just brought in, and states its
test and threshold:

- **complaint spike / contact spike**: the newest count ``x`` of a contact
  reason (per channel) against its own baseline, the mean ``λ`` of the up to
  :data:`BASELINE_PERIODS` periods before it (at least :data:`MIN_BASELINE`).
  One-sided test: ``p = P(X ≥ x)`` with X Poisson(λ), or, when the baseline
  varies more than a Poisson count does (its variance ``s² > λ``), negative
  binomial with the same mean and variance ``s²`` (real complaint counts are
  often overdispersed, and the Poisson test then cries wolf); a signal when
  ``p <`` :data:`SPIKE_ALPHA` and ``x ≥`` :data:`MIN_SPIKE_COUNT`.
- **KPI below target**: the newest :data:`BELOW_TARGET_PERIODS` values of a
  KPI all on the wrong side of its target (``jkg:higherIsBetter``).
- **score drop** (NPS, CES, CSAT): the newest value's robust z-score against
  the periods before it, ``z = (x − median) / (1.4826 · MAD)``; a signal when
  ``z ≤ −``:data:`DROP_Z` (Iglewicz and Hoaglin's 3.5).

A series too short for its rule is not a signal; :func:`kpi_below_target`
asked about one KPI says why (:class:`RuleNotApplicableError`).

Asked with what a sync wrote (:class:`~journeykg.graph.series.Touched`), the
rules look only at the series and KPIs it wrote into, and of a count series
only at its newest ``BASELINE_PERIODS + 1`` points, read in the store: what
the rules can find anew after that sync, without reading every fact in the
store. A series the sync did not write into is not judged again then (its
newest period was judged by the sync that wrote it); asked without, they look
at everything (``journeykg insights signals``).
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from rdflib import Literal, URIRef

from journeykg.graph.edges import follow
from journeykg.graph.elements import resolve
from journeykg.graph.errors import UnsupportedElementError
from journeykg.graph.series import (
    CountSeries,
    Point,
    Touched,
    count_series,
    kpi_series,
    newest_count_series,
)
from journeykg.graph.store import EdgeRequest, Store
from journeykg.graph.stored_terms import stored_iri
from journeykg.namespaces import JKG
from journeykg.ontology_graph import load_ontology

#: Periods before the newest one that make a count's baseline.
BASELINE_PERIODS = 6
#: Fewer periods before the newest one: no baseline, no spike test.
MIN_BASELINE = 3
#: The Poisson test's one-sided significance level.
SPIKE_ALPHA = 0.001
#: A spike needs at least this many complaints (or contacts) in its period.
MIN_SPIKE_COUNT = 5
#: A KPI below target for this many newest periods in a row raises a signal.
BELOW_TARGET_PERIODS = 3
#: The robust z-score at or below minus this is a drop.
DROP_Z = 3.5
#: A drop is tested against at least this many periods before the newest.
MIN_DROP_HISTORY = 4
#: The KPI types whose drop is a signal.
SCORE_TYPES = (JKG.NPS, JKG.CES, JKG.CSAT)


class RuleNotApplicableError(ValueError):
    """A rule was asked about an element it cannot judge: names the record, field and rule."""

    def __init__(self, record: str, field: str, rule: str, reason: str) -> None:
        self.record, self.field, self.rule = record, field, rule
        super().__init__(f"{record}: {field}: rule {rule}: {reason}")


@dataclass(frozen=True)
class Found:
    """What a rule found: the cause (rule, element, channel), the period and the test's figures."""

    rule: str
    """``complaint-spike``, ``contact-spike``, ``kpi-below-target`` or ``score-drop``."""
    element: str
    """The IRI of what it concerns: a contact reason or a KPI."""
    channel: str | None
    period_start: str
    observed: float
    expected: float
    statistic: float
    """The Poisson p-value, the periods below target, or the robust z-score."""
    threshold: float
    evidence: tuple[str, ...]
    """The facts (IRIs) the rule read: the newest one first."""

    @property
    def key(self) -> str:
        """The cause, the same on every run: ``rule|element|channel``."""
        return "|".join((self.rule, self.element, self.channel or ""))


# --- complaint and contact spikes ---------------------------------------------------------


def poisson_tail(count: float, mean: float) -> float:
    """``P(X ≥ count)`` for X Poisson with ``mean``: scipy's survival function, not hand-made."""
    from scipy.stats import poisson  # heavy: imported where the test runs

    return float(poisson.sf(count - 1, mean))


def count_tail(count: float, mean: float, variance: float) -> float:
    """``P(X ≥ count)``: Poisson, or negative binomial when ``variance`` exceeds ``mean``."""
    if variance <= mean:
        return poisson_tail(count, mean)
    from scipy.stats import nbinom  # heavy: imported where the test runs

    # Method of moments: mean = r(1-p)/p, variance = r(1-p)/p², so p = mean / variance.
    size = mean * mean / (variance - mean)
    return float(nbinom.sf(count - 1, size, mean / variance))


def spike(series: CountSeries) -> Found | None:
    """The newest period of ``series`` if it is a spike against its own baseline, else None."""
    if len(series.points) < MIN_BASELINE + 1:
        return None
    newest = series.points[-1]
    before = series.points[-1 - BASELINE_PERIODS : -1]
    # A baseline of zero would make any single complaint "infinitely" unlikely:
    # the expected count is at least one.
    mean = max(statistics.fmean(p.value for p in before), 1.0)
    if newest.value < MIN_SPIKE_COUNT or newest.value <= mean:
        return None
    p_value = count_tail(newest.value, mean, statistics.variance(p.value for p in before))
    if p_value >= SPIKE_ALPHA:
        return None
    rule = "complaint-spike" if series.measure == "complaints" else "contact-spike"
    return Found(
        rule,
        series.reason,
        series.channel,
        newest.start,
        newest.value,
        round(mean, 4),
        p_value,
        SPIKE_ALPHA,
        (newest.node, *(p.node for p in reversed(before))),
    )


def spikes(
    store: Store, series: Collection[tuple[URIRef, URIRef | None]] | None = None
) -> list[Found]:
    """Every complaint and contact spike in the newest period of its series.

    With ``series`` (contact reason, channel), only theirs, from the newest
    ``BASELINE_PERIODS + 1`` points of each, all that :func:`spike` reads.
    """
    counted = (
        count_series(store)
        if series is None
        else newest_count_series(store, series, BASELINE_PERIODS + 1)
    )
    return [found for each in counted if (found := spike(each)) is not None]


# --- KPIs: below target, score drops -----------------------------------------------------


@dataclass(frozen=True)
class _Kpi:
    iri: URIRef
    kind: URIRef | None
    target: float | None
    higher_is_better: bool
    points: tuple[Point, ...]


def _kpis(store: Store, kpis: Collection[URIRef]) -> list[_Kpi]:
    facts = store.describe(kpis)
    ontology = load_ontology()
    series = kpi_series(store, kpis)
    found = []
    for kpi in sorted(kpis):
        kind = facts.value(kpi, JKG.kpiType)
        target = facts.value(kpi, JKG.target)
        better = ontology.value(kind, JKG.higherIsBetter) if kind is not None else None
        found.append(
            _Kpi(
                kpi,
                URIRef(str(kind)) if kind is not None else None,
                float(target) if isinstance(target, Literal) else None,
                not isinstance(better, Literal) or bool(better.toPython()),
                series[kpi],
            )
        )
    return found


def _worse(value: float, target: float, higher_is_better: bool) -> bool:
    return value < target if higher_is_better else value > target


def _below_target(kpi: _Kpi) -> Found | None:
    if kpi.target is None or len(kpi.points) < BELOW_TARGET_PERIODS:
        return None
    newest = kpi.points[-BELOW_TARGET_PERIODS:]
    if not all(_worse(p.value, kpi.target, kpi.higher_is_better) for p in newest):
        return None
    return Found(
        "kpi-below-target",
        str(kpi.iri),
        None,
        newest[-1].start,
        newest[-1].value,
        kpi.target,
        float(BELOW_TARGET_PERIODS),
        float(BELOW_TARGET_PERIODS),
        tuple(p.node for p in reversed(newest)),
    )


def kpi_below_target(store: Store, ident: str) -> Found | None:
    """The below-target rule on one KPI; :class:`RuleNotApplicableError` if it cannot be judged."""
    ref = resolve(store, ident)
    if ref.type != "KPI":
        raise UnsupportedElementError(ident, ref.type, "KPI")
    (kpi,) = _kpis(store, [URIRef(ref.iri)])
    rule = "kpi-below-target"
    if kpi.target is None:
        raise RuleNotApplicableError(ref.id, "jkg:target", rule, "the KPI has no target")
    if len(kpi.points) < BELOW_TARGET_PERIODS:
        raise RuleNotApplicableError(
            ref.id,
            "jkg:valueOf",
            rule,
            f"the KPI has {len(kpi.points)} dated value(s) (jkg:KPIValue with jkg:periodStart); "
            f"the rule needs at least {BELOW_TARGET_PERIODS}",
        )
    return _below_target(kpi)


def robust_z(value: float, history: Iterable[float]) -> float | None:
    """``(value − median) / (1.4826 · MAD)`` over ``history``; None when the spread is 0.

    When the MAD is 0 (more than half the history equal) the mean absolute
    deviation times 1.2533 stands in (the usual modified z-score fallback).
    """
    past = list(history)
    median = statistics.median(past)
    mad = statistics.median(abs(v - median) for v in past) * 1.4826
    if mad == 0:
        mad = statistics.fmean(abs(v - median) for v in past) * 1.2533
    if mad == 0:
        return None
    return (value - median) / mad


def _drop(kpi: _Kpi) -> Found | None:
    if kpi.kind not in SCORE_TYPES or len(kpi.points) < MIN_DROP_HISTORY + 1:
        return None
    newest, before = kpi.points[-1], kpi.points[:-1]
    z = robust_z(newest.value, (p.value for p in before))
    if z is None:
        return None
    worse = -z if kpi.higher_is_better else z
    if worse < DROP_Z:
        return None
    return Found(
        "score-drop",
        str(kpi.iri),
        None,
        newest.start,
        newest.value,
        statistics.median(p.value for p in before),
        round(z, 4),
        -DROP_Z if kpi.higher_is_better else DROP_Z,
        (newest.node, *(p.node for p in reversed(before))),
    )


def kpi_signals(store: Store, kpis: Collection[URIRef] | None = None) -> list[Found]:
    """KPIs below target for :data:`BELOW_TARGET_PERIODS` periods, and drops in NPS, CES, CSAT.

    With ``kpis``, only those of them the store holds as KPIs.
    """
    if kpis is not None and not kpis:
        return []  # nothing to ask about: not even the KPIs are read
    every = store.instances(JKG.KPI)
    asked = every if kpis is None else sorted(set(kpis) & set(every))
    found = []
    for kpi in _kpis(store, asked):
        for rule in (_below_target, _drop):
            if (hit := rule(kpi)) is not None:
                found.append(hit)
    return found


def all_signals(store: Store, touched: Touched | None = None) -> list[Found]:
    """What every rule finds now, by key; with ``touched``, in what a write touched only."""
    if touched is None:
        return sorted([*spikes(store), *kpi_signals(store)], key=lambda f: f.key)
    found = [*spikes(store, touched.series), *kpi_signals(store, touched.kpis)]
    return sorted(found, key=lambda f: f.key)


# --- whose it is -------------------------------------------------------------------------


def owner_of(store: Store, element: URIRef) -> URIRef | None:
    """The post a signal about ``element`` goes to: the owner of what it concerns.

    A KPI: its owner (the KPI owner). A journey: its owner. A step or a
    touchpoint: its journey's owner. A contact reason: the owner of the first
    journey (by key) placed on it that has one. None when nobody owns it.
    """
    own = follow(store, JKG.ownedBy, [element])
    if own:
        return min(o for _, o in own)
    journeys = [j for _, j in follow(store, JKG.placedOn, [element], inverse=True)]
    steps = [s for _, s in follow(store, JKG.atStep, [element])] or [element]
    journeys += [j for _, j in follow(store, JKG.stepOf, steps)]
    owners = follow(store, JKG.ownedBy, journeys)
    return min(owners)[1] if owners else None


def owners_of(store: Store, elements: Collection[URIRef]) -> dict[URIRef, URIRef | None]:
    """:func:`owner_of` of each of ``elements``, in three reads for all of them at once
    (the loop drafts for several findings; on Neo4j each read is a round trip)."""
    wanted = sorted(set(elements))
    if not wanted:
        return {}
    nodes = [str(e) for e in wanted]
    own, placed, at = (
        _grouped(found)
        for found in store.edges(
            [
                EdgeRequest(str(JKG.ownedBy), nodes),
                EdgeRequest(str(JKG.placedOn), nodes, inverse=True),
                EdgeRequest(str(JKG.atStep), nodes),
            ]
        ).found
    )
    rest = [e for e in wanted if e not in own]
    steps = {e: at.get(e) or [e] for e in rest}
    step_journeys = _grouped(follow(store, JKG.stepOf, {s for ss in steps.values() for s in ss}))
    journeys = {
        e: [*placed.get(e, []), *(j for s in steps[e] for j in step_journeys.get(s, []))]
        for e in rest
    }
    every_journey = {j for js in journeys.values() for j in js}
    journey_owners = _grouped(follow(store, JKG.ownedBy, every_journey))
    found: dict[URIRef, URIRef | None] = {e: min(own[e]) for e in wanted if e in own}
    for element in rest:
        pairs = [(j, o) for j in journeys[element] for o in journey_owners.get(j, [])]
        found[element] = min(pairs)[1] if pairs else None
    return found


def _grouped(
    edges: Iterable[tuple[URIRef, URIRef] | tuple[str, str]],
) -> dict[URIRef, list[URIRef]]:
    grouped: dict[URIRef, list[URIRef]] = {}
    for node, other in edges:
        grouped.setdefault(stored_iri(str(node)), []).append(stored_iri(str(other)))
    return grouped
