"""The GraphQL schema: queries for impact and elements."""

from __future__ import annotations

import asyncio

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from journeykg.api.context import Context
from journeykg.api.types import Element, Impact
from journeykg.graph.errors import StoreError, UnknownElementError, UnsupportedElementError


def _client_error(exc: Exception, code: str) -> GraphQLError:
    return GraphQLError(str(exc), extensions={"code": code})


@strawberry.type
class Query:
    @strawberry.field(
        description=(
            "What a change to back-office process `of` (a key such as process/facturatie, "
            "or an IRI) affects downstream: processes that depend on it, touchpoints, steps, "
            "journeys, contact reasons, phases, lifecycle stages and journey owners, with the "
            "paths that explain each journey. `maxHops` limits the distance; `isComplete` "
            "tells whether it cut anything."
        )
    )
    async def impact(
        self, info: Info[Context, None], of: strawberry.ID, max_hops: int | None = None
    ) -> Impact:
        store = info.context.store
        try:
            answer = await asyncio.to_thread(store.impact, str(of), max_hops)
        except UnknownElementError as exc:
            raise _client_error(exc, "NOT_FOUND") from exc
        except (UnsupportedElementError, ValueError) as exc:
            raise _client_error(exc, "BAD_REQUEST") from exc
        except StoreError as exc:
            raise _client_error(exc, "STORE_UNAVAILABLE") from exc
        return Impact.of_answer(answer)

    @strawberry.field(description="One element by key or IRI; an error if there is none.")
    async def element(self, info: Info[Context, None], id: strawberry.ID) -> Element:
        try:
            ref = await asyncio.to_thread(info.context.store.resolve, str(id))
        except UnknownElementError as exc:
            raise _client_error(exc, "NOT_FOUND") from exc
        return Element.of(ref)


def build_schema() -> strawberry.Schema:
    """The journeykg GraphQL schema."""
    return strawberry.Schema(query=Query)
