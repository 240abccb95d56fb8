"""The GraphQL schema: impact questions, elements and priorities."""

from __future__ import annotations

from functools import cache
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.tools import merge_types
from strawberry.types import ExecutionContext, Info

from journeykg.api.audit import AuditExtension, AuditQuery
from journeykg.api.cached_answers import CachedAnswers
from journeykg.api.context import Context
from journeykg.api.errors import PublicErrors, log_errors, store_call
from journeykg.api.governance import GovernanceMutation, GovernanceQuery
from journeykg.api.id_arguments import CheckIdArguments
from journeykg.api.insights import InsightMutation, InsightQuery
from journeykg.api.limits import QueryLimits
from journeykg.api.mining import MiningQuery
from journeykg.api.pagination import Connection
from journeykg.api.permissions import guard
from journeykg.api.provenance import ProvenanceQuery
from journeykg.api.scenarios import ScenarioMutation, ScenarioQuery
from journeykg.api.types import Element, Impact, JourneyFigures, WeightsInput
from journeykg.graph import quantify
from journeykg.graph.elements import resolve
from journeykg.graph.impact import start_impact
from journeykg.graph.relations import Direction, Relation


@strawberry.type
class ImpactQuery:
    @strawberry.field(
        description=(
            "What a change to `of` (a key such as process/facturatie, or an IRI) affects "
            "(DOWNSTREAM), or what it depends on (UPSTREAM): every element reached, with its "
            "shortest hop count and all paths that explain it. `maxHops` limits the distance "
            "(`isComplete` and `cut` say what it left out); `via` limits the relations followed. "
            "Works for processes, IT systems, roles, channels, contact reasons, phases, "
            "lifecycle stages, KPI types, touchpoints, steps, journeys, KPIs, owners and "
            "glossary concepts (via what their definition explains)."
        )
    )
    async def impact(
        self,
        info: Info[Context, None],
        of: strawberry.ID,
        direction: Direction = Direction.DOWNSTREAM,
        max_hops: int | None = None,
        via: list[Relation] | None = None,
    ) -> Impact:
        store = info.context.store
        traversal = await store_call(
            lambda: start_impact(store, str(of), direction=direction, max_hops=max_hops, via=via)
        )
        return Impact.of_traversal(traversal)

    @strawberry.field(description="One element by key or IRI; an error if there is none.")
    async def element(self, info: Info[Context, None], id: strawberry.ID) -> Element:
        ref = await store_call(lambda: resolve(info.context.store, str(id)))
        return Element.of(ref)

    @strawberry.field(
        description=(
            "Every journey ranked for improvement by the weighted score of contact volume, "
            "complaints, cost and KPI gap to target (docs/impact.md); `stage` keeps the journeys "
            "of one lifecycle stage."
        )
    )
    async def priorities(
        self,
        info: Info[Context, None],
        weights: WeightsInput | None = None,
        stage: strawberry.ID | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[JourneyFigures]:
        store = info.context.store
        picture = info.context.picture
        chosen = weights.as_dict() if weights else None

        def ask() -> list[quantify.JourneyFigures]:
            if picture is None:
                return list(quantify.prioritise(store, chosen).journeys)
            # The server keeps every journey's figures with its lifecycle picture and
            # updates them after each write (graph/lifecycle_kept.py): ranked again with
            # these weights, they are prioritise's answer without a read of every journey.
            kept = picture.current().parts.figures.values()
            return quantify.rank(list(kept), quantify.checked_weights(chosen))

        ranked = [
            JourneyFigures.of(f)
            for f in await store_call(ask)
            if stage is None or str(stage) in f.stage_ids
        ]
        return Connection[JourneyFigures].of(ranked, first, after)


Query = guard(
    merge_types(
        "Query",
        (
            ImpactQuery,
            ScenarioQuery,
            GovernanceQuery,
            ProvenanceQuery,
            AuditQuery,
            MiningQuery,
            InsightQuery,
        ),
    ),
    "Query",
)
Mutation = guard(
    merge_types("Mutation", (ScenarioMutation, GovernanceMutation, InsightMutation)), "Mutation"
)


class _Schema(strawberry.Schema):
    #: Whether graphql-core leaves "Did you mean ...?" out of its errors (with
    #: introspection off: suggestions would spell out the schema it keeps closed).
    hide_suggestions = True

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        # Expected errors are answers, not incidents; unexpected ones and internal
        # details are logged once, with the request id, before PublicErrors hides them.
        log_errors(errors)

    def _get_custom_context_kwargs(
        self, operation_extensions: dict[str, Any] | None = None, *, sync: bool = False
    ) -> dict[str, Any]:
        # The keywords strawberry passes to graphql-core's execute: the one place
        # to ask it to hide suggestions when it coerces variables
        # (tests/api/test_errors.py fails if strawberry stops calling this).
        kwargs = super()._get_custom_context_kwargs(operation_extensions, sync=sync)
        return {**kwargs, "hide_suggestions": self.hide_suggestions}


@cache
def build_schema(limits: QueryLimits = QueryLimits()) -> strawberry.Schema:  # noqa: B008 - frozen
    """The journeykg GraphQL schema enforcing ``limits`` (built once per set of limits).

    ``build_schema().as_str()`` prints the schema (``make schema``); the limits
    do not change it.
    """
    schema = _Schema(
        query=Query,
        mutation=Mutation,
        extensions=[
            *limits.extensions(),
            CheckIdArguments,
            PublicErrors,
            AuditExtension,
            # Last: every check before it has passed when a kept answer is given.
            CachedAnswers,
        ],
    )
    schema.hide_suggestions = not limits.introspection
    return schema
