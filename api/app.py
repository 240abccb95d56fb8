"""The FastAPI application; the only place where the HTTP layer is wired."""

from __future__ import annotations

from functools import cached_property
from typing import Annotated

from fastapi import FastAPI, Header
from strawberry.fastapi import GraphQLRouter

import journeykg
from journeykg.api.context import Context, interim_principal
from journeykg.api.queries import query
from journeykg.api.schema import build_schema
from journeykg.api.sync_routes import sync_router
from journeykg.graph.governance.workflow import Clock, system_clock
from journeykg.graph.store import Store


class _Router(GraphQLRouter[Context, None]):
    """Strawberry's GraphiQL page, opening on journeykg's example questions."""

    @cached_property
    def graphql_ide_html(self) -> str:
        html = super().graphql_ide_html
        start = html.index("const EXAMPLE_QUERY = `") + len("const EXAMPLE_QUERY = `")
        end = html.index("`;", start)
        examples = query("examples").replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
        return html[:start] + examples + html[end:]


def create_app(store: Store, clock: Clock = system_clock) -> FastAPI:
    """An app serving ``store``: GraphQL (with GraphiQL) at /graphql, health at /health.

    ``clock`` is the governance workflow's clock (tests pass a fixed one).
    """
    app = FastAPI(
        title="journeykg",
        version=journeykg.__version__,
        description="A governed knowledge graph for customer-journey management.",
    )

    async def context(
        x_journeykg_role: Annotated[
            str | None, Header(description="Governance role, e.g. steward (no auth yet).")
        ] = None,
    ) -> Context:
        return Context(store=store, principal=interim_principal(x_journeykg_role), clock=clock)

    app.include_router(
        _Router(build_schema(), context_getter=context, graphql_ide="graphiql"),
        prefix="/graphql",
    )

    app.include_router(sync_router(store))

    @app.get("/health", tags=["operations"])
    def health() -> dict[str, str]:
        """Liveness: the process answers and knows its backend."""
        return {"status": "ok", "backend": store.name}

    return app
