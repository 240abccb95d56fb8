"""Time between consecutive designed steps: from a step's first event to the next step's."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from journeykg.mining.events import Trace


@dataclass(frozen=True)
class StepGap:
    source: str
    target: str
    cases: int
    customers: int
    median_seconds: float
    p90_seconds: float


def step_gaps(traces: Iterable[Trace], design: Sequence[str]) -> list[StepGap]:
    """For each pair of consecutive designed steps, the time cases took from one to the next.

    Only cases that did both, the earlier one first, count."""
    pairs = list(itertools.pairwise(design))
    seconds: dict[tuple[str, str], list[float]] = {p: [] for p in pairs}
    customers: dict[tuple[str, str], set[str]] = {p: set() for p in pairs}
    for trace in traces:
        first: dict[str, float] = {}
        for event in trace.events:
            first.setdefault(event.step, event.time.timestamp())
        for pair in pairs:
            a, b = first.get(pair[0]), first.get(pair[1])
            if a is not None and b is not None and b >= a:
                seconds[pair].append(b - a)
                customers[pair].add(trace.customer)
    gaps = []
    for pair in pairs:
        values = seconds[pair]
        if not values:
            continue
        p90 = statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]
        gaps.append(
            StepGap(
                pair[0], pair[1], len(values), len(customers[pair]), statistics.median(values), p90
            )
        )
    return gaps
