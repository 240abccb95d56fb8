"""REST for integration scripts: ``POST /sync/{source}`` runs a sync and returns its report.

The body is the payload the source's recipe reads from its files (a CRM
export, a CSV bundle, Turtle, ...), sent as is. The recipe is found by its
``name`` in the recipes directory (``JOURNEYKG_RECIPES_DIR``). A second sync
of a source while one runs is refused at once with 409: a scheduler should
retry later; waiting would pile up requests behind a long run.

Errors are RFC 9457 problem details (``application/problem+json``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from journeykg.access.roles import Principal
from journeykg.api.audit import request_id
from journeykg.api.context import interim_principal
from journeykg.graph.audit_context import audit_context
from journeykg.graph.errors import StoreError
from journeykg.graph.store import Store
from journeykg.loaders.errors import LoadError
from journeykg.loaders.quarantine import problem_json
from journeykg.loaders.sync import SyncBusyError, SyncFailedError, SyncReport, sync
from journeykg.loaders.sync_recipes import (
    UnknownSourceError,
    find_recipe,
    open_source,
    options_for,
)
from journeykg.settings import Settings

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


def _problem_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM: {"schema": _PROBLEM_SCHEMA}}}


def problem(status: int, title: str, detail: str, **extra: Any) -> JSONResponse:
    """An RFC 9457 problem details response."""
    slug = title.lower().replace(" ", "-")
    body = {
        "type": f"https://w3id.org/journeykg/problems/{slug}",
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM)


def _principal(request: Request) -> Principal:
    """The caller: what authentication put on the request, else the interim role header."""
    found = getattr(request.state, "principal", None)
    if isinstance(found, Principal):
        return found
    return interim_principal(request.headers.get("x-journeykg-role"))


def sync_router(store: Store) -> APIRouter:
    """The sync endpoint over ``store``."""
    router = APIRouter(tags=["sync"])

    @router.post(
        "/sync/{source}",
        response_model=SyncReport,
        summary="Sync one source from a payload",
        description=(
            "Runs the sync of the recipe named `source` on the request body (the same bytes "
            "the recipe would read from its files). Each batch is validated before it is "
            "written; refused records are listed in the report and the rest is written "
            "(`strict=true`: all or nothing). 200 means the run finished: its `status` says "
            "whether anything was refused (`rejected`), the retirement guard held back "
            "(`retirement refused`), or nothing was written (`nothing written`)."
        ),
        responses={
            404: _problem_response("No recipe has this source name."),
            409: _problem_response("A sync of this source is already running; retry later."),
            422: _problem_response("The payload or the recipe cannot be read (problems)."),
            503: _problem_response("The store failed; the partial run report is included."),
        },
        openapi_extra={
            "requestBody": {
                "required": False,
                "description": "The payload, as the recipe's files hold it.",
                "content": {
                    "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}
                },
            }
        },
    )
    async def run_sync(
        source: str,
        request: Request,
        dry_run: bool = False,
        strict: bool = False,
        force: bool = False,
    ) -> Any:
        payload = await request.body()
        settings = Settings()
        try:
            recipe, path = find_recipe(settings.recipes_dir, source)
            opened = open_source(recipe, store.ids, payload=payload or None, recipe_dir=path.parent)
            options = options_for(recipe, dry_run=dry_run, strict=strict, force=force)
            principal = _principal(request)
            with audit_context(
                actor=principal.name,
                role=principal.role.value if principal.role else None,
                action=f"rest:sync:{source}",
                request_id=request_id(request),
            ):
                # to_thread copies the context: the sync's writes are attributed.
                return await asyncio.to_thread(sync, store, opened, options)
        except UnknownSourceError as exc:
            return problem(404, "Unknown source", str(exc))
        except SyncBusyError as exc:
            return problem(409, "Sync already running", str(exc))
        except LoadError as exc:
            problems = [problem_json(p) for p in exc.problems]
            return problem(422, "Unreadable input", str(exc).splitlines()[0], problems=problems)
        except SyncFailedError as exc:
            report = exc.report.model_dump(mode="json")
            return problem(503, "Store failed", str(exc), report=report)
        except StoreError as exc:
            return problem(503, "Store failed", str(exc))

    return router
