"""Event logs of known truth, generated from a designed journey with injected deviations.

Each case follows the designed steps, and independently, with the given probabilities:
drops off after a step before the last, skips one middle step, loops back one step and
does it again, or does one step in another channel; some customers come back with a
second case (a repeat contact for the first step's contact reason) within the window.
:class:`Truth` counts what was actually injected (an injected skip after the case has
dropped off has no effect and is not counted), so mining can be checked against it. The
demo's event logs (``journeykg/demo/mining/``) and bench/journey_mining.py use it too.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from journeykg.loaders.event_logs.writers import LogRow


@dataclass(frozen=True)
class DesignedStep:
    activity: str
    step: str
    channel: str


@dataclass(frozen=True)
class Injection:
    drop: float = 0.2
    skip: float = 0.1
    loop: float = 0.05
    switch: float = 0.15
    repeat: float = 0.05


@dataclass
class Truth:
    cases: int = 0
    customers: int = 0
    events: int = 0
    dropped_at: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    looped: int = 0
    switched: int = 0
    repeat_contacts: int = 0


def generate(
    design: Sequence[DesignedStep],
    cases: int,
    injection: Injection,
    *,
    seed: int = 19,
    start: datetime = datetime(2026, 1, 1, tzinfo=UTC),
    days: int = 28,
    reason: str | None = "contact",
    repeat_days: int = 7,
    other_channel: str = "telefoon",
    customer_ids: Sequence[str] = (),
) -> tuple[list[LogRow], Truth]:
    """``cases`` cases of ``design`` with ``injection``'s deviations, and the truth.

    Customers are named ``klant-000001``..., or taken in turn from ``customer_ids`` (the
    personal-data tests plant e-mail addresses and names there)."""
    rng = random.Random(seed)
    truth = Truth()
    rows: list[LogRow] = []
    n = len(design)
    number = 0
    customer_no = 0
    pending: list[tuple[str, datetime]] = []
    while truth.cases < cases:
        if pending:
            customer, begin = pending.pop()
        else:
            customer_no += 1
            customer = (
                customer_ids[(customer_no - 1) % len(customer_ids)]
                if customer_ids
                else f"klant-{customer_no:06d}"
            )
            begin = start + timedelta(seconds=rng.uniform(0, days * 86400))
            truth.customers += 1
            if rng.random() < injection.repeat:
                pending.append((customer, begin + timedelta(days=rng.uniform(1, repeat_days - 1))))
                truth.repeat_contacts += 1
        truth.cases += 1
        case = f"zaak-{truth.cases:07d}"
        indices = list(range(n))
        if rng.random() < injection.drop:
            last = rng.randrange(0, n - 1)
            indices = indices[: last + 1]
        if rng.random() < injection.skip and n > 2:
            skip = rng.randrange(1, n - 1)
            if skip < indices[-1]:
                indices.remove(skip)
                truth.skipped[design[skip].step] += 1
        truth.dropped_at[design[indices[-1]].step] += indices[-1] < n - 1
        if rng.random() < injection.loop and len(indices) >= 3:
            at = rng.randrange(2, len(indices))
            indices = indices[: at + 1] + indices[at - 1 :]
            truth.looped += 1
        switch_at = -1
        if rng.random() < injection.switch and len(indices) >= 2:
            switch_at = rng.randrange(1, len(indices))
            truth.switched += 1
        moment = begin
        for position, index in enumerate(indices):
            step = design[index]
            number += 1
            rows.append(
                LogRow(
                    f"ev-{number:08d}",
                    case,
                    customer,
                    step.activity,
                    moment.isoformat().replace("+00:00", "Z"),
                    other_channel if position == switch_at else step.channel,
                    reason if index == 0 else None,
                )
            )
            moment += timedelta(hours=rng.uniform(1, 48))
    truth.events = len(rows)
    truth.dropped_at = Counter({k: v for k, v in truth.dropped_at.items() if v})
    return rows, truth
