"""Drop-off per designed step: of the cases that reached a step, how many went no further.

A case stops at the furthest designed step it reached (going back to an earlier step
later is a loop, not a stop); a case that reached the last designed step completed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from journeykg.mining.conformance import furthest
from journeykg.mining.events import Trace


@dataclass(frozen=True)
class StepDropOff:
    step: str
    reached: int
    stopped: int
    customers: int
    """Distinct customers of the cases that reached the step (the k-threshold counts them)."""

    @property
    def rate(self) -> float:
        """The share of the cases that reached the step and stopped there."""
        return self.stopped / self.reached if self.reached else 0.0


def drop_off(traces: Iterable[Trace], design: Sequence[str]) -> list[StepDropOff]:
    """Per designed step, in design order: cases that reached it and cases that stopped there."""
    position = {s: i for i, s in enumerate(design)}
    reached = [0] * len(design)
    stopped = [0] * len(design)
    customers: list[set[str]] = [set() for _ in design]
    last = len(design) - 1
    for trace in traces:
        seen = {position[s] for s in trace.steps if s in position}
        for i in seen:
            reached[i] += 1
            customers[i].add(trace.customer)
        top = furthest(trace.steps, position)
        if 0 <= top < last:
            stopped[top] += 1
    return [StepDropOff(s, reached[i], stopped[i], len(customers[i])) for i, s in enumerate(design)]


@dataclass(frozen=True)
class TouchpointDropOff:
    touchpoint: str
    step: str
    reached: int
    stopped: int
    customers: int

    @property
    def rate(self) -> float:
        return self.stopped / self.reached if self.reached else 0.0


def touchpoint_drop_off(traces: Iterable[Trace], design: Sequence[str]) -> list[TouchpointDropOff]:
    """Per touchpoint the recipe maps events to: cases that used it, and cases that stopped
    there (their last event at the furthest designed step they reached was at it)."""
    position = {s: i for i, s in enumerate(design)}
    last = len(design) - 1
    reached: dict[str, int] = {}
    stopped: dict[str, int] = {}
    customers: dict[str, set[str]] = {}
    step_of: dict[str, str] = {}
    for trace in traces:
        used = {(e.touchpoint, e.step) for e in trace.events if e.touchpoint is not None}
        for touchpoint, step in used:
            reached[touchpoint] = reached.get(touchpoint, 0) + 1
            customers.setdefault(touchpoint, set()).add(trace.customer)
            step_of.setdefault(touchpoint, step)
        top = furthest(trace.steps, position)
        if 0 <= top < last:
            at = [e for e in trace.events if position.get(e.step) == top]
            if at[-1].touchpoint is not None:
                stopped[at[-1].touchpoint] = stopped.get(at[-1].touchpoint, 0) + 1
    return [
        TouchpointDropOff(t, step_of[t], reached[t], stopped.get(t, 0), len(customers[t]))
        for t in sorted(reached)
    ]
