"""GraphQL errors: expected failures as coded errors, unexpected ones masked and logged.

Codes a client can act on: NOT_FOUND, BAD_REQUEST, STORE_UNAVAILABLE (retry
after ``retryAfter`` seconds; the HTTP status is then 503), STORE_ERROR (the
store refused the request), QUERY_TOO_COMPLEX (api/limits.py), and INTERNAL
for anything unexpected: its message says only that, with the request id; the
exception and its traceback go to the log under that id.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from journeykg.api.request_id import current_request_id
from journeykg.graph.errors import StoreError, StoreUnavailableError, UnknownElementError

P = ParamSpec("P")
T = TypeVar("T")

log = logging.getLogger("journeykg.api")

STORE_UNAVAILABLE = "STORE_UNAVAILABLE"

#: Seconds a client is told to wait when the store is unreachable: about the
#: time the Neo4j driver needs to notice that the server is back.
RETRY_AFTER_SECONDS = 5


async def store_call(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``fn`` in a worker thread; NOT_FOUND, BAD_REQUEST or STORE_* on failure."""
    try:
        return await asyncio.to_thread(fn, *args, **kwargs)
    except UnknownElementError as exc:
        raise GraphQLError(str(exc), extensions={"code": "NOT_FOUND"}) from exc
    except ValueError as exc:  # includes UnsupportedElementError and ScenarioError
        raise GraphQLError(str(exc), extensions={"code": "BAD_REQUEST"}) from exc
    except StoreUnavailableError as exc:
        raise store_unavailable(exc) from exc
    except StoreError as exc:
        raise GraphQLError(str(exc), extensions={"code": "STORE_ERROR"}) from exc


def store_unavailable(exc: StoreUnavailableError) -> GraphQLError:
    """The GraphQL error for an unreachable store, with retry advice."""
    return GraphQLError(
        f"the graph store is unavailable; retry in {RETRY_AFTER_SECONDS} s ({exc})",
        extensions={"code": STORE_UNAVAILABLE, "retryAfter": RETRY_AFTER_SECONDS},
    )


def is_unexpected(error: GraphQLError) -> bool:
    """True for an error raised by a bug rather than by the request or the store.

    Expected failures reach graphql-core as GraphQLErrors (with a code);
    validation and syntax errors have no original error at all.
    """
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def log_unexpected(errors: list[GraphQLError]) -> None:
    """Log each unexpected error with the request id and its traceback."""
    for error in errors:
        if is_unexpected(error):
            original = error.original_error
            assert original is not None
            log.error(
                "unexpected error in GraphQL field %s (request %s): %r",
                ".".join(str(p) for p in error.path or ()),
                current_request_id(),
                original,
                exc_info=(type(original), original, original.__traceback__),
            )


class MaskUnexpectedErrors(SchemaExtension):
    """Replaces unexpected errors by "Unexpected error" with code INTERNAL and the request id.

    Hand-written rather than strawberry's MaskErrors because the masked error
    has to carry the request id and keep the error's path.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        result.errors = [self._mask(e) if is_unexpected(e) else e for e in result.errors]

    @staticmethod
    def _mask(error: GraphQLError) -> GraphQLError:
        request_id = current_request_id()
        return GraphQLError(
            f"Unexpected error; quote request id {request_id} when reporting it",
            nodes=error.nodes,
            path=error.path,
            extensions={"code": "INTERNAL", "requestId": request_id},
        )
