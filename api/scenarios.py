"""GraphQL for what-if scenarios: evaluate, save, compare, discard.

Evaluating is :mod:`journeykg.graph.scenario`'s; keeping change sets under a
name is the scenario service's (:mod:`journeykg.services.scenarios`).

The mutations return ``Success | ScenarioRefusal`` unions: a change set the
graph refuses, or an unknown scenario, is data with a code and a message, and
nothing is written. Queries keep raising coded errors (BAD_REQUEST, NOT_FOUND).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from journeykg.api.budget import costed_per_item
from journeykg.api.context import Context
from journeykg.api.errors import store_call
from journeykg.api.types import BlastRadius, Element, Impact, WeightsInput
from journeykg.graph import scenario
from journeykg.services import scenarios

T = TypeVar("T")


@strawberry.enum(description="What a change does.")
class ChangeOp(enum.Enum):
    RETIRE = "retire"
    MOVE_TOUCHPOINTS = "moveTouchpoints"
    SET_COST = "setCost"
    ADD_DEPENDENCY = "addDependency"
    REMOVE_DEPENDENCY = "removeDependency"


@strawberry.input(
    description=(
        "One change. RETIRE: element. MOVE_TOUCHPOINTS: fromProcess, toProcess. "
        "SET_COST: element, amountEur, period (a year). ADD_DEPENDENCY / REMOVE_DEPENDENCY: "
        "process, dependsOn."
    )
)
class ChangeInput:
    op: ChangeOp
    element: strawberry.ID | None = None
    from_process: strawberry.ID | None = None
    to_process: strawberry.ID | None = None
    process: strawberry.ID | None = None
    depends_on: strawberry.ID | None = None
    amount_eur: float | None = None
    period: str | None = None

    def as_dict(self) -> dict[str, Any]:
        names = {
            "element": self.element,
            "fromProcess": self.from_process,
            "toProcess": self.to_process,
            "process": self.process,
            "dependsOn": self.depends_on,
            "amountEur": self.amount_eur,
            "period": self.period,
        }
        return {"op": self.op.value, **{k: v for k, v in names.items() if v is not None}}


def _changes(changes: list[ChangeInput]) -> list[scenario.Change]:
    try:
        return scenario.parse_changes([c.as_dict() for c in changes])
    except scenario.ScenarioError as exc:
        raise GraphQLError(str(exc), extensions={"code": "BAD_REQUEST"}) from exc


@strawberry.type(description="How the reach of one touched element would change.")
class RootDifference:
    root: Element
    newly_affected: list[Element]
    no_longer_affected: list[Element]


@strawberry.type(description="The impact of a change set today and as it would be.")
class Scenario:
    touched: list[Element] = strawberry.field(description="Elements the changes touch directly.")
    retired: list[Element]
    today: Impact | None = strawberry.field(description="What the touched elements affect today.")
    after: Impact | None = strawberry.field(description="What they would affect after the changes.")
    blast_radius_today: BlastRadius | None
    blast_radius_after: BlastRadius | None
    differences: list[RootDifference]
    newly_affected: list[Element]
    no_longer_affected: list[Element]

    @classmethod
    def of(cls, result: scenario.ScenarioResult) -> Scenario:
        return cls(
            touched=[Element.of(r) for r in result.touched],
            retired=[Element.of(r) for r in result.retired],
            today=Impact.of_answer(result.today) if result.today else None,
            after=Impact.of_answer(result.after) if result.after else None,
            blast_radius_today=BlastRadius.of(result.radius_today) if result.radius_today else None,
            blast_radius_after=BlastRadius.of(result.radius_after) if result.radius_after else None,
            differences=[
                RootDifference(
                    root=Element.of(d.root),
                    newly_affected=[Element.of(r) for r in d.newly_affected],
                    no_longer_affected=[Element.of(r) for r in d.no_longer_affected],
                )
                for d in result.differences
            ],
            newly_affected=[Element.of(r) for r in result.newly_affected],
            no_longer_affected=[Element.of(r) for r in result.no_longer_affected],
        )


@strawberry.type(description="A change set kept under a name.")
class SavedScenario:
    id: strawberry.ID
    name: str
    created: str
    changes: strawberry.scalars.JSON

    @classmethod
    def of(cls, saved: scenarios.SavedScenario) -> SavedScenario:
        return cls(
            id=strawberry.ID(saved.id),
            name=saved.name,
            created=saved.created,
            changes=[c.model_dump(mode="json", by_alias=True) for c in saved.changes],  # type: ignore[arg-type]
        )


@strawberry.type(description="Two saved scenarios side by side.")
class ScenarioComparison:
    a: Scenario
    b: Scenario
    only_in_a: list[Element] = strawberry.field(description="Affected after A but not after B.")
    only_in_b: list[Element] = strawberry.field(description="Affected after B but not after A.")
    cost_eur_difference: float | None = strawberry.field(
        description="Cost at stake after B minus after A."
    )


@strawberry.type
class ScenarioQuery:
    @strawberry.field(
        description="Evaluate a change set without writing anything.",
        # Every change adds elements to walk, today and after: the cost counts each.
        metadata=costed_per_item("changes"),
    )
    async def what_if(
        self,
        info: Info[Context, None],
        changes: list[ChangeInput],
        max_hops: int | None = None,
        weights: WeightsInput | None = None,
    ) -> Scenario:
        result = await store_call(
            scenario.evaluate,
            info.context.store,
            _changes(changes),
            max_hops=max_hops,
            weights=weights.as_dict() if weights else None,
        )
        return Scenario.of(result)

    @strawberry.field(description="Saved scenarios.")
    async def scenarios(self, info: Info[Context, None]) -> list[SavedScenario]:
        return [SavedScenario.of(s) for s in await store_call(scenarios.saved, info.context.store)]

    @strawberry.field(description="Two saved scenarios evaluated and compared.")
    async def compare_scenarios(
        self, info: Info[Context, None], a: strawberry.ID, b: strawberry.ID
    ) -> ScenarioComparison:
        result = await store_call(scenarios.compare_saved, info.context.store, str(a), str(b))
        return ScenarioComparison(
            a=Scenario.of(result.a),
            b=Scenario.of(result.b),
            only_in_a=[Element.of(r) for r in result.only_in_a],
            only_in_b=[Element.of(r) for r in result.only_in_b],
            cost_eur_difference=result.cost_eur_difference,
        )


@strawberry.enum(description="Why a scenario mutation was refused.")
class ScenarioRefusalCode(enum.Enum):
    BAD_REQUEST = "BAD_REQUEST"
    NOT_FOUND = "NOT_FOUND"


@strawberry.type(description="A refused scenario mutation: nothing was written. Says why.")
class ScenarioRefusal:
    code: ScenarioRefusalCode
    message: str


@strawberry.type(description="A saved scenario was forgotten.")
class ScenarioDiscarded:
    id: strawberry.ID


SaveScenarioOutcome = Annotated[
    SavedScenario | ScenarioRefusal, strawberry.union("SaveScenarioOutcome")
]
DiscardScenarioOutcome = Annotated[
    ScenarioDiscarded | ScenarioRefusal, strawberry.union("DiscardScenarioOutcome")
]


async def _refusable(fn: Callable[[], T]) -> T | ScenarioRefusal:
    """``fn``'s result, or its expected failure as a refusal (store failures still raise)."""
    try:
        return await store_call(fn)
    except GraphQLError as exc:
        code = (exc.extensions or {}).get("code")
        if code in ScenarioRefusalCode.__members__:
            return ScenarioRefusal(code=ScenarioRefusalCode(code), message=exc.message)
        raise


@strawberry.type
class ScenarioMutation:
    @strawberry.mutation(
        description="Check a change set against the graph and keep it by name.",
        metadata=costed_per_item("changes"),
    )
    async def save_scenario(
        self, info: Info[Context, None], name: str, changes: list[ChangeInput]
    ) -> SaveScenarioOutcome:
        store = info.context.store
        saved = await _refusable(
            lambda: scenarios.save(
                store, name, scenario.parse_changes([c.as_dict() for c in changes])
            )
        )
        return SavedScenario.of(saved) if isinstance(saved, scenarios.SavedScenario) else saved

    @strawberry.mutation(
        description="Forget a saved scenario; the audit trail keeps it, with who and `rationale`."
    )
    async def discard_scenario(
        self, info: Info[Context, None], id: strawberry.ID, rationale: str | None = None
    ) -> DiscardScenarioOutcome:
        store = info.context.store
        outcome = await _refusable(lambda: scenarios.discard(store, str(id), rationale=rationale))
        return outcome if isinstance(outcome, ScenarioRefusal) else ScenarioDiscarded(id=id)
