"""Repeat contacts: the same customer again, for the same contact reason, within N days.

First contact resolution from events: a contact is resolved first time when the customer
does not come back for the same reason within N days (``fcr = 1 - repeated / contacts``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from journeykg.mining.events import Trace


@dataclass(frozen=True)
class RepeatContacts:
    reason: str
    contacts: int
    repeated: int
    """Contacts followed by another of the same customer and reason within the window."""
    customers: int

    @property
    def first_contact_resolution(self) -> float:
        return 1.0 - self.repeated / self.contacts if self.contacts else 1.0


def repeat_contacts(traces: Iterable[Trace], days: int) -> list[RepeatContacts]:
    """Per contact reason, contacts and how many were repeated within ``days`` days."""
    window = timedelta(days=days)
    times: dict[tuple[str, str], list[float]] = {}
    for trace in traces:
        for event in trace.events:
            if event.reason is not None:
                times.setdefault((event.reason, trace.customer), []).append(event.time.timestamp())
    limit = window.total_seconds()
    contacts: dict[str, int] = {}
    repeated: dict[str, int] = {}
    customers: dict[str, int] = {}
    for (reason, _customer), moments in times.items():
        moments.sort()
        contacts[reason] = contacts.get(reason, 0) + len(moments)
        customers[reason] = customers.get(reason, 0) + 1
        again = sum(1 for a, b in itertools.pairwise(moments) if b - a <= limit)
        repeated[reason] = repeated.get(reason, 0) + again
    return [RepeatContacts(r, contacts[r], repeated[r], customers[r]) for r in sorted(contacts)]
