"""The size of a GraphQL request, checked before anything in it is parsed or run.

Three limits, each a setting: the query text's UTF-8 bytes, the variables'
bytes (of their compact JSON) and the items of any one list in the variables.
A request beyond one is refused with 413 and a problem+json body naming the
setting (``limit``), its value (``max``) and what was sent (``actual``, where
counting it stayed cheap): nothing is parsed, validated or run.

The variables are walked without recursion and the walk stops at the first
limit passed, so however large or deeply nested they are, checking them
costs no more than the limits allow. The body of a GraphQL request is capped
too (:func:`graphql_body_limit`), so that decoding its JSON, which happens on
the event loop, stays short.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from journeykg.api.problems import problem
from journeykg.settings import Settings

#: JSON escapes can make a text up to three times longer in the body (``é`` is
#: ``\u00e9``); the body of a GraphQL request may be this many times the two limits.
BODY_FACTOR = 4


@dataclass(frozen=True)
class RequestSize:
    """The size limits of a GraphQL request."""

    max_query_bytes: int
    max_variables_bytes: int
    max_list_items: int

    @classmethod
    def of(cls, settings: Settings) -> RequestSize:
        """The limits the settings ask for."""
        return cls(settings.max_query_bytes, settings.max_variables_bytes, settings.max_list_items)


class RequestTooLargeError(Exception):
    """A GraphQL request passes one of its size limits: answered with 413."""

    def __init__(self, detail: str, setting: str, limit: int, actual: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.setting = setting
        self.limit = limit
        self.actual = actual


def graphql_body_limit(settings: Settings) -> int:
    """The largest body a GraphQL request may have: room for both limits and JSON escapes."""
    allowed = BODY_FACTOR * (settings.max_query_bytes + settings.max_variables_bytes)
    return min(settings.max_body_bytes, allowed)


def check_request(query: object, variables: object, limits: RequestSize) -> None:
    """Raise :class:`RequestTooLargeError` if the query or the variables pass a limit."""
    if isinstance(query, str) and len(query) * 4 > limits.max_query_bytes:
        # Encoded only when it might pass: UTF-8 takes at most 4 bytes a character.
        size = len(query.encode("utf-8", "surrogatepass"))
        if size > limits.max_query_bytes:
            raise RequestTooLargeError(
                f"the GraphQL query is {size} bytes, more than the limit of "
                f"{limits.max_query_bytes} (JOURNEYKG_MAX_QUERY_BYTES)",
                "JOURNEYKG_MAX_QUERY_BYTES",
                limits.max_query_bytes,
                size,
            )
    if isinstance(variables, Mapping):
        _check_variables(variables, limits)


def _check_variables(variables: Mapping[str, Any], limits: RequestSize) -> None:
    size = 0
    pending: list[Any] = [variables]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            size += len(value.encode("utf-8", "surrogatepass")) + 2
        elif isinstance(value, Mapping):
            size += 1 + max(len(value), 1)  # braces and commas
            for key, member in value.items():
                size += len(str(key).encode("utf-8", "surrogatepass")) + 3  # quotes, colon
                pending.append(member)
        elif isinstance(value, list):
            if len(value) > limits.max_list_items:
                raise RequestTooLargeError(
                    f"a list in the GraphQL variables has {len(value)} items, more than the "
                    f"limit of {limits.max_list_items} (JOURNEYKG_MAX_LIST_ITEMS)",
                    "JOURNEYKG_MAX_LIST_ITEMS",
                    limits.max_list_items,
                    len(value),
                )
            size += 1 + max(len(value), 1)
            pending.extend(value)
        else:  # numbers, true, false, null
            size += len(str(value))
        if size > limits.max_variables_bytes:
            # Counting stops here: the actual size could be far larger.
            raise RequestTooLargeError(
                f"the GraphQL variables are more than {limits.max_variables_bytes} bytes of "
                "JSON (JOURNEYKG_MAX_VARIABLES_BYTES)",
                "JOURNEYKG_MAX_VARIABLES_BYTES",
                limits.max_variables_bytes,
            )


def too_large(request: Request, exc: Exception) -> JSONResponse:
    """The 413 answer: a problem naming the limit that was passed."""
    assert isinstance(exc, RequestTooLargeError)
    extra: dict[str, Any] = {"limit": exc.setting, "max": exc.limit}
    if exc.actual is not None:
        extra["actual"] = exc.actual
    return problem(413, "GraphQL request too large", exc.detail, **extra)
