"""GraphQL ``journeyMining``: what journey mining measured on a journey, per period.

The answer is :func:`journeykg.services.mining_runs.journey_mining`'s (the stored
measurements, docs/mining.md); this maps it to types.
"""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from journeykg.api.context import Context
from journeykg.api.errors import store_call
from journeykg.api.types import Element
from journeykg.graph.mining import Measurement, MinedPeriod
from journeykg.services.mining_runs import journey_mining


@strawberry.type(
    description=(
        "What customers actually did at a journey, step or touchpoint in one period, mined "
        "from an event log (aggregates over at least k customers; docs/mining.md). A figure "
        "the measurement does not hold is null."
    )
)
class MiningFigures:
    element: Element
    cases: int | None = strawberry.field(description="Cases (runs through the journey).")
    customers: int | None = strawberry.field(description="Distinct (pseudonymised) customers.")
    completed: int | None = strawberry.field(description="Journey: cases that completed it.")
    reached: int | None = strawberry.field(description="Step, touchpoint: cases that got here.")
    stopped: int | None = strawberry.field(
        description="Step, touchpoint: cases that dropped off here (went no further)."
    )
    drop_off_rate: float | None = strawberry.field(description="stopped / reached, 0..1.")
    fitness: float | None = strawberry.field(
        description="Journey: mean alignment fitness against the designed step order, 0..1."
    )
    skipped: int | None = strawberry.field(description="Cases that skipped a designed step.")
    looped: int | None = strawberry.field(description="Cases that went back to a step.")
    repeated: int | None = strawberry.field(description="Cases that did a step twice in a row.")
    out_of_order: int | None = strawberry.field(
        description="Cases that did a step after one designed later."
    )
    channel_switches: int | None = strawberry.field(
        description="Cases with an event in a channel the step has no designed touchpoint in."
    )
    contacts: int | None = strawberry.field(description="Events with a contact reason.")
    repeat_contacts: int | None = strawberry.field(
        description="Contacts followed by another for the same reason within the window."
    )
    median_seconds_to_next: float | None = strawberry.field(
        description="Step: median time from its first event to the next designed step's."
    )
    generated_by: strawberry.ID | None = strawberry.field(
        description="The mining run (a prov:Activity) that wrote the measurement."
    )

    @classmethod
    def of(cls, m: Measurement) -> MiningFigures:
        c, s = m.counts, m.shares
        return cls(
            element=Element.of(m.element),
            cases=c.get("cases"),
            customers=c.get("customers"),
            completed=c.get("completed"),
            reached=c.get("reached"),
            stopped=c.get("stopped"),
            drop_off_rate=s.get("drop_off_rate"),
            fitness=s.get("fitness"),
            skipped=c.get("skipped"),
            looped=c.get("looped"),
            repeated=c.get("repeated"),
            out_of_order=c.get("out_of_order"),
            channel_switches=c.get("channel_switches"),
            contacts=c.get("contacts"),
            repeat_contacts=c.get("repeat_contacts"),
            median_seconds_to_next=s.get("median_seconds_to_next"),
            generated_by=strawberry.ID(m.generated_by) if m.generated_by else None,
        )


@strawberry.type(description="A journey's mining in one period, its steps in designed order.")
class JourneyMining:
    period_start: date
    period_end: date
    journey: MiningFigures
    steps: list[MiningFigures]
    touchpoints: list[MiningFigures]

    @classmethod
    def of(cls, p: MinedPeriod) -> JourneyMining:
        return cls(
            period_start=p.journey.start,
            period_end=p.journey.end,
            journey=MiningFigures.of(p.journey),
            steps=[MiningFigures.of(m) for m in p.steps],
            touchpoints=[MiningFigures.of(m) for m in p.touchpoints],
        )


@strawberry.type
class MiningQuery:
    @strawberry.field(
        description=(
            "What journey mining measured on `journey` (a key or IRI): per period, the "
            "journey's fitness, deviations and completion, and the drop-off per step and "
            "touchpoint (`journeykg mine` writes them). `period` (2026, 2026-03 or 2026-Q1) "
            "keeps one period; an empty list when nothing was mined."
        )
    )
    async def journey_mining(
        self, info: Info[Context, None], journey: strawberry.ID, period: str | None = None
    ) -> list[JourneyMining]:
        store = info.context.store
        found = await store_call(lambda: journey_mining(store, str(journey), period))
        return [JourneyMining.of(p) for p in found]
