"""An event as mining sees it, and a customer's trace: events already pseudonymised and mapped.

A reader (``journeykg.loaders.event_logs``) maps the log's activity to a step of the
designed journey (and its touchpoint), the log's channel value to a channel, and replaces
the case and customer identifiers with pseudonyms before an :class:`Event` exists, so
nothing in this package ever holds an identifier in clear.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Event:
    """One thing a customer did, mapped onto the designed journey."""

    case: str
    """The pseudonym of the case (one run through the journey)."""
    customer: str
    """The pseudonym of the customer."""
    step: str
    """The key of the designed step the event is mapped to."""
    time: datetime
    channel: str | None = None
    """The key of the channel, when the log says one."""
    touchpoint: str | None = None
    reason: str | None = None
    """The key of the contact reason, for counting repeat contacts."""


@dataclass(frozen=True, slots=True)
class Trace:
    """One case's events in time order."""

    case: str
    customer: str
    events: tuple[Event, ...]

    @property
    def steps(self) -> tuple[str, ...]:
        return tuple(e.step for e in self.events)

    @property
    def start(self) -> datetime:
        return self.events[0].time


def traces(events: Iterable[Event]) -> list[Trace]:
    """Group events by case, each case's events in time order (stable for equal times).

    The readers refuse a log whose events are out of time order within a case where the
    format promises an order; this sort only orders formats that promise none (OCEL)."""
    by_case: dict[str, list[Event]] = {}
    for event in events:
        by_case.setdefault(event.case, []).append(event)
    built = []
    for case, evs in by_case.items():
        evs.sort(key=lambda e: e.time)
        built.append(Trace(case, evs[0].customer, tuple(evs)))
    built.sort(key=lambda t: (t.start, t.case))
    return built
