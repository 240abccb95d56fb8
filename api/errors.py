"""GraphQL errors: every one coded, unexpected ones masked, internal details for admins only.

Codes a client can act on: NOT_FOUND, BAD_REQUEST, STORE_UNAVAILABLE (retry
after ``retryAfter`` seconds; the HTTP status is then 503), STORE_ERROR (the
store refused the request), QUERY_TOO_COMPLEX (api/budget.py),
GRAPHQL_PARSE_FAILED and GRAPHQL_VALIDATION_FAILED (api/documents.py),
FORBIDDEN and UNAUTHENTICATED (api/permissions.py), and INTERNAL for anything
unexpected: its message says only that, with the request id; the exception
and its traceback go to the log under that id.

What a store failure says about its cause (a driver's message, the Neo4j
URI, a directory) is internal: the message says only what failed, the cause
goes to the log, and a caller who administers the server (or the server's own
command line) also gets it as ``extensions.detail``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from journeykg.api.request_id import current_request_id
from journeykg.graph.errors import (
    StorageFaultError,
    StoreError,
    StoreUnavailableError,
    UnknownElementError,
)

P = ParamSpec("P")
T = TypeVar("T")

log = logging.getLogger("journeykg.api")

STORE_UNAVAILABLE = "STORE_UNAVAILABLE"

#: Seconds a client is told to wait when the store is unreachable: about the
#: time the Neo4j driver needs to notice that the server is back.
RETRY_AFTER_SECONDS = 5


class DetailedError(GraphQLError):
    """A coded error whose ``detail`` (a driver's message, a URI, a path) only admins see."""

    def __init__(self, message: str, detail: str, extensions: dict[str, Any]) -> None:
        super().__init__(message, extensions=extensions)
        self.detail = detail


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
        request_id = current_request_id()
        quote = f"; quote request id {request_id} when reporting it" if request_id else ""
        raise DetailedError(
            f"the graph store failed{quote}", str(exc), {"code": "STORE_ERROR"}
        ) from exc


def store_unavailable(exc: StoreUnavailableError) -> GraphQLError:
    """The GraphQL error for an unreachable store, with retry advice.

    A fault of the server's own disk (:class:`StorageFaultError`) says which
    files and what makes it pass (no path: that is in the detail), and names
    the fault in ``extensions.fault`` (DISK_FULL, NOT_WRITABLE, IO_ERROR).
    """
    if isinstance(exc, StorageFaultError):
        return DetailedError(
            f"{exc}; retry in {RETRY_AFTER_SECONDS} s",
            str(exc.__cause__ or exc),
            {
                "code": STORE_UNAVAILABLE,
                "retryAfter": RETRY_AFTER_SECONDS,
                "fault": exc.fault.value,
            },
        )
    return DetailedError(
        f"the graph store is unavailable; retry in {RETRY_AFTER_SECONDS} s",
        str(exc),
        {"code": STORE_UNAVAILABLE, "retryAfter": RETRY_AFTER_SECONDS},
    )


def is_unexpected(error: GraphQLError) -> bool:
    """True for an error raised by a bug rather than by the request or the store.

    Expected failures reach graphql-core as GraphQLErrors (with a code);
    validation and syntax errors have no original error at all.
    """
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)


def _detailed(error: GraphQLError) -> DetailedError | None:
    # graphql-core wraps the error a resolver raised (to add the path): the
    # DetailedError is then the original error.
    for candidate in (error, error.original_error):
        if isinstance(candidate, DetailedError):
            return candidate
    return None


def log_errors(errors: list[GraphQLError]) -> None:
    """Log each unexpected error with its traceback, and each internal detail, by request id."""
    for error in errors:
        field = ".".join(str(p) for p in error.path or ())
        if is_unexpected(error):
            original = error.original_error
            assert original is not None
            log.error(
                "unexpected error in GraphQL field %s (request %s): %r",
                field,
                current_request_id(),
                original,
                exc_info=(type(original), original, original.__traceback__),
            )
        elif detailed := _detailed(error):
            log.warning(
                "GraphQL field %s (request %s): %s: %s",
                field,
                current_request_id(),
                error.message,
                detailed.detail,
            )


def masked(nodes: Any = None, path: Any = None) -> GraphQLError:
    """The error a caller sees for a bug: INTERNAL and the request id, nothing of the bug."""
    request_id = current_request_id()
    return GraphQLError(
        f"Unexpected error; quote request id {request_id} when reporting it",
        nodes=nodes,
        path=path,
        extensions={"code": "INTERNAL", "requestId": request_id},
    )


class PublicErrors(SchemaExtension):
    """What a caller sees of errors: a code on each, bugs masked, internal details for admins.

    Unexpected errors become "Unexpected error" with code INTERNAL and the
    request id (hand-written rather than strawberry's MaskErrors because the
    masked error has to carry the request id and keep the error's path). An
    error without a code by now was raised while running without one, such as
    a variable's value graphql-core could not coerce: BAD_REQUEST.
    """

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        context = self.execution_context.context
        sees_internals = bool(getattr(context, "sees_internals", False))
        result.errors = [self._public(e, sees_internals) for e in result.errors]

    @staticmethod
    def _public(error: GraphQLError, sees_internals: bool) -> GraphQLError:
        if is_unexpected(error):
            return masked(error.nodes, error.path)
        extensions = dict(error.extensions or {})
        extensions.setdefault("code", "BAD_REQUEST")
        detailed = _detailed(error)
        if detailed is not None and sees_internals:
            extensions["detail"] = detailed.detail
        if extensions == error.extensions:
            return error
        return GraphQLError(
            error.message,
            error.nodes,
            error.source,
            error.positions,
            error.path,
            error.original_error,
            extensions,
        )
