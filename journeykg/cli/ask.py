"""Asking the GraphQL schema in-process: the command line answers exactly as the API does.

Imported by the commands that ask (impact, priorities, demo) when they run:
the schema brings strawberry, graphql-core and rdflib with it.
"""

from __future__ import annotations

import asyncio
from typing import Any

from strawberry.types import ExecutionResult

from journeykg.api.context import Context
from journeykg.api.schema import build_schema
from journeykg.graph.store import Store


def ask_graphql(store: Store, document: str, variables: dict[str, Any]) -> dict[str, Any]:
    """Run a GraphQL document against ``store`` in-process: the CLI answers as the API does."""

    async def execute() -> ExecutionResult:
        # The context (and its DataLoaders) must be made inside the running loop.
        return await build_schema().execute(
            document, variable_values=variables, context_value=Context(store=store, operator=True)
        )

    result = asyncio.run(execute())
    if result.errors:
        raise CliQueryError("; ".join(_told(e) for e in result.errors), result.errors)
    assert result.data is not None
    return result.data


def _told(error: Any) -> str:
    # The operator is told the cause of a store failure (extensions.detail) too.
    detail = (error.extensions or {}).get("detail")
    return f"{error.message} ({detail})" if detail else str(error.message)


class CliQueryError(Exception):
    """A GraphQL error surfaced to the command line."""

    def __init__(self, message: str, errors: list[Any]) -> None:
        super().__init__(message)
        codes = {(e.extensions or {}).get("code") for e in errors}
        self.exit_code = 2 if codes & {"NOT_FOUND", "BAD_REQUEST"} else 3
