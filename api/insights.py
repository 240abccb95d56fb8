"""GraphQL for insights, improvement initiatives and the closed loop (docs/insights.md).

Resolvers call the insight services (:mod:`journeykg.services.insights`) and
the graph's questions (:mod:`journeykg.graph.initiative_ranking`), as the
command line does, so both give the same answers and refusal codes. Who may
do what (api/permissions.py, docs/security.md): reading is READ; recording an
insight, proposing an initiative and running the signal rules is INSIGHT
(architect, steward); validating, rejecting or closing an insight and
planning, starting, finishing or dropping an initiative is STEER (steward).

Mutations return ``Success | InsightRefusal``: a refusal names the record,
the field and the rule, and nothing was written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

import strawberry
from strawberry.types import Info

from journeykg.api.context import Context
from journeykg.api.errors import store_call
from journeykg.api.types import BlastRadius
from journeykg.graph import before_after, initiative_ranking
from journeykg.graph.errors import UnknownElementError, UnsupportedElementError
from journeykg.services.insights import initiatives, insights, loop, records
from journeykg.services.insights.errors import InsightError

T = TypeVar("T")


@strawberry.type(description="An owned statement about customers' experience, with evidence.")
class Insight:
    id: strawberry.ID
    statement: str
    status: str = strawberry.field(description="new, validated, addressed, closed or rejected.")
    owner: strawberry.ID
    confidence: float | None
    concerns: list[strawberry.ID]
    evidence: list[strawberry.ID]
    signal: str | None = strawberry.field(description="The key of the signal that drafted it.")

    @classmethod
    def of(cls, found: records.Insight) -> Insight:
        return cls(
            id=strawberry.ID(found.id),
            statement=found.statement,
            status=found.status,
            owner=strawberry.ID(found.owner),
            confidence=found.confidence,
            concerns=[strawberry.ID(c) for c in found.concerns],
            evidence=[strawberry.ID(e) for e in found.evidence],
            signal=found.signal,
        )


@strawberry.type(description="The change an initiative expects on one KPI, on its own scale.")
class ExpectedEffect:
    kpi: strawberry.ID
    change: float


@strawberry.type(description="An improvement initiative.")
class Initiative:
    id: strawberry.ID
    name: str
    status: str = strawberry.field(description="idea, planned, in-progress, done or dropped.")
    owner: strawberry.ID
    addresses: list[strawberry.ID]
    cost_eur: float | None
    target_date: str | None
    done_on: str | None
    changes: list[strawberry.ID]
    effects: list[ExpectedEffect]

    @classmethod
    def of(cls, found: records.Initiative) -> Initiative:
        return cls(
            id=strawberry.ID(found.id),
            name=found.name,
            status=found.status,
            owner=strawberry.ID(found.owner),
            addresses=[strawberry.ID(a) for a in found.addresses],
            cost_eur=found.cost,
            target_date=found.target_date,
            done_on=found.done_on,
            changes=[strawberry.ID(c) for c in found.changes],
            effects=[
                ExpectedEffect(kpi=strawberry.ID(e.kpi), change=e.change) for e in found.effects
            ],
        )


@strawberry.type(description="One side of a before/after: its periods, values and responses.")
class MeasuredSide:
    periods: list[str]
    values: list[float]
    responses: int | None
    mean: float | None


@strawberry.type(description="A KPI before and after an initiative was done (Welch's t-test).")
class BeforeAfter:
    kpi: strawberry.ID
    day: str
    before: MeasuredSide
    after: MeasuredSide
    difference: float | None
    t: float | None
    p_value: float | None
    beyond_noise: bool
    test: str
    why_not: str | None = strawberry.field(description="Why no test was made, if so.")

    @classmethod
    def of(cls, m: before_after.BeforeAfter) -> BeforeAfter:
        def side(s: before_after.Side) -> MeasuredSide:
            return MeasuredSide(
                periods=list(s.periods), values=list(s.values), responses=s.responses, mean=s.mean
            )

        return cls(
            kpi=strawberry.ID(m.kpi),
            day=m.day,
            before=side(m.before),
            after=side(m.after),
            difference=m.difference,
            t=m.t,
            p_value=m.p_value,
            beyond_noise=m.beyond_noise,
            test=m.test,
            why_not=m.why_not,
        )


@strawberry.type(description="An open initiative's expected effect per euro.")
class RankedInitiative:
    id: strawberry.ID
    label: str | None
    cost_eur: float | None
    contacts: int
    complaints: int
    cost_at_stake_eur: float
    kpi_gap_closed: float
    effect: float
    per_euro: float | None
    note: str | None


@strawberry.type(description="Factor weights of the initiative ranking, as used.")
class InitiativeWeights:
    contacts: float
    complaints: float
    cost: float
    kpi_gap: float


@strawberry.type(description="Open initiatives, best expected effect per euro first.")
class InitiativeRanking:
    weights: InitiativeWeights
    initiatives: list[RankedInitiative]


@strawberry.input(description="Weights of the initiative ranking; each defaults to 1.")
class InitiativeWeightsInput:
    contacts: float = 1.0
    complaints: float = 1.0
    cost: float = 1.0
    kpi_gap: float = 1.0


@strawberry.type(description="What the signal rules did: drafted, updated, kept without a draft.")
class LoopOutcome:
    drafted: list[strawberry.ID]
    updated: list[strawberry.ID]
    unchanged: list[str]
    unowned: list[str]
    refused: list[str]


@strawberry.type(description="A refused insight or initiative request: nothing was written.")
class InsightRefusal:
    code: str = strawberry.field(description="TRANSITION, OWNER_REQUIRED, NOT_FOUND, SHAPES, ...")
    record: str
    field: str
    rule: str
    message: str


InsightOutcome = Annotated[Insight | InsightRefusal, strawberry.union("InsightOutcome")]
InitiativeOutcome = Annotated[Initiative | InsightRefusal, strawberry.union("InitiativeOutcome")]


async def _refusable(fn: Callable[[], T]) -> T | InsightRefusal:
    """``fn``'s result, or its refusal as data (store failures still raise)."""

    def run() -> T | InsightRefusal:
        try:
            return fn()
        except InsightError as exc:
            return InsightRefusal(
                code=exc.code, record=exc.record, field=exc.field, rule=exc.rule, message=str(exc)
            )
        except (UnknownElementError, UnsupportedElementError) as exc:
            ident = getattr(exc, "ident", "")
            return InsightRefusal(
                code="NOT_FOUND", record=ident, field="id", rule="a known element", message=str(exc)
            )

    return await store_call(run)


@strawberry.type
class InsightQuery:
    @strawberry.field(description="Insights, optionally one owner's or about one element.")
    async def insights(
        self,
        info: Info[Context, None],
        owner: strawberry.ID | None = None,
        concerning: strawberry.ID | None = None,
    ) -> list[Insight]:
        store = info.context.store
        found = await store_call(records.insights, store)
        owner_id = store.ids.key(str(store.ids.iri(str(owner)))) if owner else None
        about = store.ids.key(str(store.ids.iri(str(concerning)))) if concerning else None
        return [
            Insight.of(i)
            for i in found
            if (owner_id is None or i.owner == owner_id) and (about is None or about in i.concerns)
        ]

    @strawberry.field(description="Improvement initiatives, by id.")
    async def initiatives(self, info: Info[Context, None]) -> list[Initiative]:
        return [Initiative.of(i) for i in await store_call(records.initiatives, info.context.store)]

    @strawberry.field(description="What the processes and systems an initiative changes reach.")
    async def initiative_impact(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> BlastRadius | None:
        shown = await store_call(initiatives.initiative_impact, info.context.store, str(id))
        return BlastRadius.of(shown.radius) if shown.radius else None

    @strawberry.field(description="A done initiative's KPIs before and after (Welch's t-test).")
    async def measure_initiative(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> list[BeforeAfter]:
        found = await _refusable(lambda: initiatives.measure(info.context.store, str(id)))
        if isinstance(found, InsightRefusal):
            from graphql import GraphQLError

            raise GraphQLError(found.message, extensions={"code": "BAD_REQUEST"})
        return [BeforeAfter.of(m) for m in found]

    @strawberry.field(description="Open initiatives ranked by expected effect per euro.")
    async def initiative_ranking(
        self, info: Info[Context, None], weights: InitiativeWeightsInput | None = None
    ) -> InitiativeRanking:
        chosen = weights or InitiativeWeightsInput()
        asked = {
            "contacts": chosen.contacts,
            "complaints": chosen.complaints,
            "cost": chosen.cost,
            "kpiGap": chosen.kpi_gap,
        }
        ranking = await store_call(initiative_ranking.rank_initiatives, info.context.store, asked)
        w = ranking.weights
        return InitiativeRanking(
            weights=InitiativeWeights(
                contacts=w["contacts"],
                complaints=w["complaints"],
                cost=w["cost"],
                kpi_gap=w["kpiGap"],
            ),
            initiatives=[RankedInitiative(**vars(r)) for r in ranking.initiatives],
        )


@strawberry.input(description="An expected effect: a KPI and its change on the KPI's scale.")
class ExpectedEffectInput:
    kpi: strawberry.ID
    change: float


@strawberry.type
class InsightMutation:
    @strawberry.mutation(description="Record an insight (status new).")
    async def record_insight(
        self,
        info: Info[Context, None],
        statement: str,
        owner: strawberry.ID,
        concerns: list[strawberry.ID],
        evidence: list[strawberry.ID] | None = None,
        confidence: float | None = None,
        language: str = "en",
    ) -> InsightOutcome:
        store = info.context.store
        made = await _refusable(
            lambda: insights.create_insight(
                store,
                statement,
                owner=str(owner),
                concerns=[str(c) for c in concerns],
                evidence=[str(e) for e in evidence or []],
                confidence=confidence,
                lang=language,
            )
        )
        return made if isinstance(made, InsightRefusal) else Insight.of(made)

    @strawberry.mutation(description="Move an insight one step: validated, addressed, closed, ...")
    async def set_insight_status(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        status: str,
        rationale: str | None = None,
    ) -> InsightOutcome:
        store = info.context.store
        moved = await _refusable(
            lambda: insights.set_insight_status(store, str(id), status, why=rationale)
        )
        return moved if isinstance(moved, InsightRefusal) else Insight.of(moved)

    @strawberry.mutation(description="Propose an initiative (status idea) for validated insights.")
    async def propose_initiative(
        self,
        info: Info[Context, None],
        name: str,
        addresses: list[strawberry.ID],
        owner: strawberry.ID | None = None,
        cost_eur: float | None = None,
        target_date: str | None = None,
        changes: list[strawberry.ID] | None = None,
        effects: list[ExpectedEffectInput] | None = None,
        language: str = "en",
    ) -> InitiativeOutcome:
        store = info.context.store
        made = await _refusable(
            lambda: initiatives.create_initiative(
                store,
                name,
                owner=str(owner) if owner is not None else None,
                addresses=[str(a) for a in addresses],
                cost=cost_eur,
                target_date=target_date,
                changes=[str(c) for c in changes or []],
                effects=[initiatives.PlannedEffect(str(e.kpi), e.change) for e in effects or []],
                lang=language,
            )
        )
        return made if isinstance(made, InsightRefusal) else Initiative.of(made)

    @strawberry.mutation(description="Move an initiative one step: planned, in-progress, done, ...")
    async def set_initiative_status(
        self,
        info: Info[Context, None],
        id: strawberry.ID,
        status: str,
        done_on: str | None = None,
        rationale: str | None = None,
    ) -> InitiativeOutcome:
        store = info.context.store
        moved = await _refusable(
            lambda: initiatives.set_initiative_status(
                store, str(id), status, done_on=done_on, why=rationale
            )
        )
        return moved if isinstance(moved, InsightRefusal) else Initiative.of(moved)

    @strawberry.mutation(
        description=(
            "Run the signal rules now over the whole graph (a sync judges only the series "
            "and KPIs it wrote into)."
        )
    )
    async def run_signals(self, info: Info[Context, None]) -> LoopOutcome:
        report = await store_call(loop.close_loop, info.context.store)
        return LoopOutcome(
            drafted=[strawberry.ID(i) for i in report.drafted],
            updated=[strawberry.ID(i) for i in report.updated],
            unchanged=report.unchanged,
            unowned=report.unowned,
            refused=report.refused,
        )
