"""RFC 9457 problem details (``application/problem+json``): every REST error's body."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi.responses import JSONResponse

PROBLEM = "application/problem+json"
_PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "problems": {"type": "array", "items": {"type": "object"}},
        "report": {"type": "object"},
    },
    "required": ["type", "title", "status", "detail"],
}


def problem_response(description: str) -> dict[str, Any]:
    """An OpenAPI ``responses`` entry for a problem details answer."""
    return {"description": description, "content": {PROBLEM: {"schema": _PROBLEM_SCHEMA}}}


def problem(
    status: int,
    title: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """An RFC 9457 problem details response."""
    slug = title.lower().replace(" ", "-")
    body = {
        "type": f"https://w3id.org/journeykg/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)
