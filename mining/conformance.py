"""Conformance of a trace to the designed step order: fitness and deviations.

Fitness is alignment-based with unit costs (the measure process-mining tools call
alignment fitness, here against one designed sequence instead of a Petri net):

    D' = the designed steps up to the furthest one the trace reaches
    cost(σ) = |σ| + |D'| - 2·LCS(σ, D')     (moves on log + moves on model)
    fitness(σ) = 1 - cost(σ) / (|σ| + |D'|)  (1 when both are empty)

An optimal alignment of σ with D' using only synchronous moves, log moves (an event the
design does not expect there) and model moves (a designed step the customer skipped)
synchronises exactly a longest common subsequence, so its cost is the formula above; the
worst alignment synchronises nothing and costs |σ| + |D'|. The design is cut at the
furthest step reached because where a customer stops is drop-off (:mod:`.dropoff`), not
a deviation: a customer who did the first two steps as designed and left fits 1.0.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


def furthest(steps: Sequence[str], position: Mapping[str, int]) -> int:
    """The highest designed position any of ``steps`` has; -1 when none is designed."""
    return max((position[s] for s in steps if s in position), default=-1)


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    # Two rows of the textbook dynamic programme: traces and designs are short (tens of
    # steps), and fitness is computed once per variant, not per case.
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def alignment_cost(steps: Sequence[str], design: Sequence[str]) -> int:
    """Moves on log plus moves on model of an optimal alignment of ``steps`` with ``design``."""
    return len(steps) + len(design) - 2 * _lcs(steps, design)


def fitness(steps: Sequence[str], design: Sequence[str]) -> float:
    """The alignment fitness of ``steps`` against ``design`` (module docstring)."""
    position = {s: i for i, s in enumerate(design)}
    reached = design[: furthest(steps, position) + 1]
    worst = len(steps) + len(reached)
    if worst == 0:
        return 1.0
    return 1.0 - alignment_cost(steps, reached) / worst


@dataclass(frozen=True)
class Deviations:
    """What one trace did other than the design; each a tuple of step keys (with repeats).

    - ``skipped``: designed steps before the furthest one reached that never happen;
    - ``repeats``: a step done again immediately after itself;
    - ``loops``: a step done again after a different step (going back);
    - ``out_of_order``: a step first done after a step designed later than it;
    - ``undesigned``: events on steps the design does not have.
    """

    skipped: tuple[str, ...] = ()
    repeats: tuple[str, ...] = ()
    loops: tuple[str, ...] = ()
    out_of_order: tuple[str, ...] = ()
    undesigned: tuple[str, ...] = ()

    KINDS = ("skipped", "repeats", "loops", "out_of_order", "undesigned")

    def of(self, kind: str) -> tuple[str, ...]:
        value: tuple[str, ...] = getattr(self, kind)
        return value


def deviations(steps: Sequence[str], design: Sequence[str]) -> Deviations:
    """The deviations of ``steps`` from ``design`` (see :class:`Deviations`)."""
    position = {s: i for i, s in enumerate(design)}
    top = furthest(steps, position)
    seen: set[str] = set()
    repeats: list[str] = []
    loops: list[str] = []
    late: list[str] = []
    undesigned: list[str] = []
    highest = -1
    previous: str | None = None
    for step in steps:
        if step not in position:
            undesigned.append(step)
        if step == previous:
            repeats.append(step)
        elif step in seen:
            loops.append(step)
        elif step in position:
            if position[step] < highest:
                late.append(step)
            highest = max(highest, position[step])
        seen.add(step)
        previous = step
    skipped = tuple(s for s in design[: top + 1] if s not in seen)
    return Deviations(skipped, tuple(repeats), tuple(loops), tuple(late), tuple(undesigned))


def channel_switches(channels: Sequence[str | None]) -> int:
    """How often consecutive events of a trace are in different (known) channels."""
    known = [c for c in channels if c is not None]
    return sum(1 for a, b in itertools.pairwise(known) if a != b)


def off_channel(
    events: Sequence[tuple[str, str | None]], designed: Mapping[str, frozenset[str]]
) -> int:
    """How many (step, channel) events are in a channel the design has no touchpoint in
    for that step: the customer switched away from the designed channels. Steps the
    design gives no channels for, and events without a channel, do not count."""
    return sum(
        1
        for step, channel in events
        if channel is not None and designed.get(step) and channel not in designed[step]
    )
