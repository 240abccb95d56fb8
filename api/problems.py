"""RFC 9457 problem details (``application/problem+json``): every REST error has this shape.

Each problem carries the request id (also in the ``X-Request-ID`` header), so
that a client can quote it and an operator can find the request in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from journeykg.api.errors import RETRY_AFTER_SECONDS
from journeykg.api.request_id import current_request_id
from journeykg.graph.errors import StorageFaultError, StoreUnavailableError

PROBLEM = "application/problem+json"

log = logging.getLogger("journeykg.api")

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "requestId": {"type": "string"},
        "problems": {"type": "array", "items": {"type": "object"}},
        "report": {"type": "object"},
        "reason": {"type": "string"},
        "limit": {"type": "string"},
        "max": {"type": "integer"},
        "actual": {"type": "integer"},
    },
    "required": ["type", "title", "status", "detail"],
}


def problem_response(description: str) -> dict[str, Any]:
    """An OpenAPI ``responses`` entry for a problem+json answer."""
    return {"description": description, "content": {PROBLEM: {"schema": PROBLEM_SCHEMA}}}


def problem_body(status: int, title: str, detail: str, **extra: Any) -> dict[str, Any]:
    """The JSON members of a problem: type, title, status, detail, requestId and ``extra``."""
    slug = title.lower().replace(" ", "-")
    body: dict[str, Any] = {
        "type": f"https://w3id.org/journeykg/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
    }
    request_id = current_request_id()
    if request_id:
        body["requestId"] = request_id
    return {**body, **extra}


def problem(
    status: int, title: str, detail: str, headers: Mapping[str, str] | None = None, **extra: Any
) -> JSONResponse:
    """An RFC 9457 problem details response."""
    return JSONResponse(
        problem_body(status, title, detail, **extra),
        status_code=status,
        media_type=PROBLEM,
        headers=headers,
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Make FastAPI's own errors (404, 405, 422, ...) and an unreachable store problem+json."""

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        title = HTTPStatus(exc.status_code).phrase
        detail = exc.detail if isinstance(exc.detail, str) else title
        return problem(exc.status_code, title, detail, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {
                "field": ".".join(str(p) for p in e.get("loc", ())),
                "rule": e.get("type"),
                "message": e.get("msg"),
            }
            for e in exc.errors()
        ]
        return problem(
            422, "Invalid request", "the request does not match the API", problems=problems
        )

    @app.exception_handler(StoreUnavailableError)
    async def store_unavailable(request: Request, exc: StoreUnavailableError) -> Response:
        return unavailable(exc)


def unavailable(exc: StoreUnavailableError, *, disclose: bool = False) -> JSONResponse:
    """503 with Retry-After for an unreachable store.

    Why the store is unreachable (the driver's message, the server's URI) is
    logged; it is in the answer (``reason``) only when ``disclose`` is true, for
    a caller who administers the server.
    """
    log_store_failure(exc)
    extra = {"reason": str(exc)} if disclose else {}
    if isinstance(exc, StorageFaultError):
        # Says which files and what makes it pass, never a path: a public message;
        # the cause (the OS's words, with the path) is the reason admins get.
        extra = {"reason": str(exc.__cause__ or exc)} if disclose else {}
        return problem(
            503,
            "Storage unavailable",
            f"{exc}; retry in {RETRY_AFTER_SECONDS} s",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            fault=exc.fault.value,
            **extra,
        )
    return problem(
        503,
        "Store unavailable",
        f"the graph store is unavailable; retry in {RETRY_AFTER_SECONDS} s",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        **extra,
    )


def log_store_failure(exc: Exception) -> None:
    """Log a store failure's cause under the request id: the answer leaves it out."""
    log.warning("store failure (request %s): %s", current_request_id(), exc)
