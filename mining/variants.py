"""Actual variants (distinct step sequences) and the directly-follows graph of a set of traces."""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

from journeykg.mining.events import Trace

#: The directly-follows graph's start and end, as pm4py and Celonis draw them.
START = "▶"
END = "■"


@dataclass(frozen=True)
class Variant:
    steps: tuple[str, ...]
    cases: int
    customers: int


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    cases: int
    """How often ``target`` directly follows ``source`` (every occurrence counts)."""
    customers: int


def variants(traces: Iterable[Trace]) -> list[Variant]:
    """Every variant with its cases and distinct customers, most frequent first."""
    cases: dict[tuple[str, ...], int] = {}
    customers: dict[tuple[str, ...], set[str]] = {}
    for trace in traces:
        steps = trace.steps
        cases[steps] = cases.get(steps, 0) + 1
        customers.setdefault(steps, set()).add(trace.customer)
    return sorted(
        (Variant(s, n, len(customers[s])) for s, n in cases.items()),
        key=lambda v: (-v.cases, v.steps),
    )


def directly_follows(traces: Iterable[Trace]) -> list[Edge]:
    """The directly-follows graph, with the start and end of each case as nodes."""
    counts: dict[tuple[str, str], int] = {}
    customers: dict[tuple[str, str], set[str]] = {}
    for trace in traces:
        path = (START, *trace.steps, END)
        for pair in itertools.pairwise(path):
            counts[pair] = counts.get(pair, 0) + 1
            customers.setdefault(pair, set()).add(trace.customer)
    return sorted(
        (Edge(a, b, n, len(customers[(a, b)])) for (a, b), n in counts.items()),
        key=lambda e: (-e.cases, e.source, e.target),
    )
