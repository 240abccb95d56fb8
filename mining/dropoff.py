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

    @property
    def rate(self) -> float:
        """The share of the cases that reached the step and stopped there."""
        return self.stopped / self.reached if self.reached else 0.0


def drop_off(traces: Iterable[Trace], design: Sequence[str]) -> list[StepDropOff]:
    """Per designed step, in design order: cases that reached it and cases that stopped there."""
    position = {s: i for i, s in enumerate(design)}
    reached = [0] * len(design)
    stopped = [0] * len(design)
    last = len(design) - 1
    for trace in traces:
        seen = {position[s] for s in trace.steps if s in position}
        for i in seen:
            reached[i] += 1
        top = furthest(trace.steps, position)
        if 0 <= top < last:
            stopped[top] += 1
    return [StepDropOff(s, reached[i], stopped[i]) for i, s in enumerate(design)]
