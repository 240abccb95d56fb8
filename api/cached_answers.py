"""Impact questions answered from the answer cache while the graph has not changed.

The README's impact question (api/queries/impact.graphql, bench/locustfile.py)
is asked over and over, and each answer took 25-55 ms of CPU to walk,
quantify and serialise: 10-30 answers a second on the 2-core machine. :class:`CachedAnswers`
keeps each answer under the graph's generation
(:meth:`journeykg.graph.store.Store.generation`), read before the answer is
computed, so that a kept answer is never older than the generation it is
kept under, and every write, through whatever path and whichever process,
makes the next request compute afresh (docs/hardening.md, "Answers kept
per graph generation").

Only queries whose every root field is in :data:`CACHEABLE_FIELDS` are
kept: fields whose answers depend on the graph alone. Not the audit trail
(SQLite, not the graph), not mutations. Answers with errors are never kept
(an error carries the request's id). The key holds the caller's role: a hit
skips the permission checks of api/permissions.py, which depend on the role
only, so a role is answered only what it was itself allowed.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import orjson
from graphql import DocumentNode, ExecutionResult, FieldNode, GraphQLError, OperationType
from graphql.utilities import get_operation_ast
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from journeykg.api.answer_cache import AnswerKey
from journeykg.api.context import Context
from journeykg.api.errors import store_unavailable
from journeykg.graph.errors import StoreError, StoreUnavailableError

#: Root fields whose answers depend on nothing but the graph (and the arguments).
CACHEABLE_FIELDS = frozenset({"impact", "journeyMining", "__typename"})


def cacheable(document: DocumentNode | None, operation_name: str | None) -> bool:
    """Whether the operation is a query asking only :data:`CACHEABLE_FIELDS`."""
    if document is None:
        return False
    operation = get_operation_ast(document, operation_name)
    if operation is None or operation.operation != OperationType.QUERY:
        return False
    return all(
        isinstance(s, FieldNode) and s.name.value in CACHEABLE_FIELDS
        for s in operation.selection_set.selections
    )


class CachedAnswers(SchemaExtension):
    """Answers a cacheable query from the context's :class:`AnswerCache`, or keeps its answer.

    Does nothing when the context carries no cache (the command line's, or
    a server whose cache is off).
    """

    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        answers = context.answers if isinstance(context, Context) else None
        key = None
        if answers is not None and cacheable(execution.graphql_document, execution.operation_name):
            key = await _key(execution, context)
        if isinstance(key, GraphQLError):
            # The store did not answer: the question would wait for it as long again.
            execution.result = ExecutionResult(data=None, errors=[key])
            key = None
        elif answers is not None and key is not None:
            kept = answers.get(key)
            if kept is not None:
                execution.result = ExecutionResult(data=orjson.loads(kept))
                key = None  # kept already
        yield
        result = execution.result
        if (
            answers is not None
            and key is not None
            and isinstance(result, ExecutionResult)
            and result.data is not None
            and not result.errors
        ):
            answers.put(key, orjson.dumps(result.data))


async def _key(execution: ExecutionContext, context: Context) -> AnswerKey | GraphQLError | None:
    """The request's key, with the generation read now.

    None when there can be none (the variables hold something JSON cannot
    spell, the store refused the read): answered without the cache. The
    error to answer when the store cannot be reached.
    """
    try:
        variables = orjson.dumps(execution.variables or {}, option=orjson.OPT_SORT_KEYS)
        generation = await asyncio.to_thread(context.store.generation)
    except StoreUnavailableError as exc:
        return store_unavailable(exc)
    except (StoreError, TypeError):
        return None
    return AnswerKey(
        generation, context.role, execution.query or "", variables, execution.operation_name
    )
