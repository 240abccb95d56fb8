"""Mining one journey in one period: everything docs/mining.md lists, from its traces."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from journeykg.mining.conformance import channel_switches, deviations, fitness, off_channel
from journeykg.mining.dropoff import (
    StepDropOff,
    TouchpointDropOff,
    drop_off,
    touchpoint_drop_off,
)
from journeykg.mining.durations import StepGap, step_gaps
from journeykg.mining.events import Trace
from journeykg.mining.periods import Granularity, period_of
from journeykg.mining.privacy import at_least_k
from journeykg.mining.repeat_contacts import RepeatContacts, repeat_contacts
from journeykg.mining.variants import Edge, Variant, directly_follows, variants


@dataclass(frozen=True)
class Deviation:
    """Cases with one kind of deviation at one step; with ``step`` None, the cases with at
    least one deviation of that kind anywhere (channel switches have only that total)."""

    kind: str
    step: str | None
    cases: int


@dataclass(frozen=True)
class JourneyMining:
    journey: str
    period: str
    design: tuple[str, ...]
    cases: int
    customers: int
    events: int
    fitness: float
    """The mean alignment fitness of the cases (mining/conformance.py)."""
    completed: int
    """Cases that reached the last designed step."""
    variants: list[Variant]
    variants_hidden: int
    """Variants followed by fewer than k customers: counted, not shown."""
    edges: list[Edge]
    edges_hidden: int
    deviations: list[Deviation]
    drop_off: list[StepDropOff]
    touchpoints: list[TouchpointDropOff]
    gaps: list[StepGap]
    repeats: list[RepeatContacts]
    k: int = field(default=10)

    def deviation_cases(self, kind: str, step: str | None = None) -> int:
        """Cases with a deviation of ``kind`` (at ``step``; anywhere when None)."""
        return next((d.cases for d in self.deviations if (d.kind, d.step) == (kind, step)), 0)


def mine_journey(
    journey: str,
    period: str,
    traces: Sequence[Trace],
    design: Sequence[str],
    *,
    k: int,
    repeat_days: int,
    channels: Mapping[str, frozenset[str]] | None = None,
) -> JourneyMining:
    """Mine ``traces`` (one journey, one period) against the designed step order.

    ``channels``: per step, the channels of its designed touchpoints. With them, a case
    switches channel when an event is in a channel its step has no touchpoint in;
    without, when consecutive events are in different channels."""
    all_variants = variants(traces)
    # Fitness and deviations depend on the step sequence alone: once per variant.
    fit = {v.steps: fitness(v.steps, design) for v in all_variants}
    devs = {v.steps: deviations(v.steps, design) for v in all_variants}
    counts: dict[tuple[str, str | None], int] = {}
    total_fit = 0.0
    for variant in all_variants:
        total_fit += fit[variant.steps] * variant.cases
        found = devs[variant.steps]
        for kind in found.KINDS:
            at = set(found.of(kind))
            if at:  # the total of cases with this kind (step None), then per step
                counts[(kind, None)] = counts.get((kind, None), 0) + variant.cases
            for step in sorted(at):
                counts[(kind, step)] = counts.get((kind, step), 0) + variant.cases
    if channels:
        switching = sum(
            1 for t in traces if off_channel([(e.step, e.channel) for e in t.events], channels)
        )
    else:
        switching = sum(1 for t in traces if channel_switches([e.channel for e in t.events]) > 0)
    if switching:
        counts[("channel_switch", None)] = switching
    shown_variants, hidden_variants = at_least_k(all_variants, lambda v: v.customers, k)
    shown_edges, hidden_edges = at_least_k(directly_follows(traces), lambda e: e.customers, k)
    gaps, _ = at_least_k(step_gaps(traces, design), lambda g: g.customers, k)
    repeats, _ = at_least_k(repeat_contacts(traces, repeat_days), lambda r: r.customers, k)
    steps_dropped = drop_off(traces, design)
    completed = steps_dropped[-1].reached if steps_dropped else 0
    return JourneyMining(
        journey=journey,
        period=period,
        design=tuple(design),
        cases=len(traces),
        customers=len({t.customer for t in traces}),
        events=sum(len(t.events) for t in traces),
        fitness=total_fit / len(traces) if traces else 1.0,
        completed=completed,
        variants=shown_variants,
        variants_hidden=hidden_variants,
        edges=shown_edges,
        edges_hidden=hidden_edges,
        deviations=[
            Deviation(kind, step, n)
            for (kind, step), n in sorted(
                counts.items(), key=lambda item: (item[0][0], item[0][1] or "")
            )
        ],
        drop_off=steps_dropped,
        touchpoints=touchpoint_drop_off(traces, design),
        gaps=gaps,
        repeats=repeats,
        k=k,
    )


def mine_periods(
    journey: str,
    traces: Sequence[Trace],
    design: Sequence[str],
    *,
    granularity: Granularity,
    k: int,
    repeat_days: int,
    channels: Mapping[str, frozenset[str]] | None = None,
) -> list[JourneyMining]:
    """One :class:`JourneyMining` per period a case starts in, oldest first."""
    by_period: dict[str, list[Trace]] = {}
    for trace in traces:
        by_period.setdefault(period_of(trace.start, granularity), []).append(trace)
    return [
        mine_journey(
            journey, p, by_period[p], design, k=k, repeat_days=repeat_days, channels=channels
        )
        for p in sorted(by_period)
    ]
