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

from fastapi import APIRouter, Depends, Request

from journeykg.access.roles import Permission, Principal
from journeykg.api.auth import Authenticator
from journeykg.api.errors import RETRY_AFTER_SECONDS
from journeykg.api.problems import log_store_failure, problem, problem_response, unavailable
from journeykg.api.request_id import current_request_id
from journeykg.graph.errors import StorageFaultError, StoreError, StoreUnavailableError
from journeykg.graph.store import Store
from journeykg.loaders.quarantine import problem_json
from journeykg.loaders.recipe import RecipeError
from journeykg.loaders.sync import SyncBusyError, SyncFailedError, SyncReport
from journeykg.services import sync_runs
from journeykg.services.sync_runs import Requester, RunFlags, UnknownSourceError
from journeykg.settings import Settings
from journeykg.validation.problems import LoadError

#: What a caller is told of a store failure; the cause goes to the log under the request id.
STORE_FAILED = (
    "the graph store failed during the sync; the batches written before it stay (see the report)"
)


def sync_router(store: Store, settings: Settings, auth: Authenticator) -> APIRouter:
    """The sync endpoint over ``store``; it needs the sync permission (an integrator token)."""
    router = APIRouter(tags=["sync"])
    caller = auth.requiring(Permission.SYNC)

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
            401: problem_response("No valid token (WWW-Authenticate says why)."),
            403: problem_response("The token's role lacks the sync permission."),
            404: problem_response("No recipe has this source name."),
            409: problem_response("A sync of this source is already running; retry later."),
            422: problem_response("The payload cannot be read (problems)."),
            500: problem_response("The source's recipe is broken; an administrator must fix it."),
            503: problem_response("The store failed; the partial run report is included."),
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
        # A default, not Annotated: with postponed annotations FastAPI could not
        # see ``caller``, a local of this function.
        principal: Principal = Depends(caller),  # noqa: B008
        dry_run: bool = False,
        strict: bool = False,
        force: bool = False,
    ) -> Any:
        payload = await request.body()
        requester = Requester(
            name=principal.name,
            role=principal.role.value if principal.role else None,
            via="rest",
            request_id=current_request_id(),
        )
        try:
            located = sync_runs.recipe_named(settings.recipes_dir, source)
            return await asyncio.to_thread(
                sync_runs.run_recipe,
                store,
                located,
                requester,
                RunFlags(dry_run=dry_run, strict=strict, force=force),
                payload=payload or None,
            )
        except UnknownSourceError as exc:
            # The recipes directory is the server's business: the answer names the source only.
            return problem(
                404,
                "Unknown source",
                f"no recipe named {exc.source!r}: a recipe's `name` is the source name "
                "(an administrator adds recipes to JOURNEYKG_RECIPES_DIR)",
            )
        except SyncBusyError as exc:
            return problem(409, "Sync already running", str(exc))
        except RecipeError as exc:
            # The recipe file is broken: the server's to fix, and its problems name its path.
            log_store_failure(exc)
            return problem(
                500,
                "Recipe unusable",
                f"the recipe of source {source!r} cannot be used; an administrator must fix it "
                f"(quote request id {current_request_id()})",
            )
        except LoadError as exc:
            problems = [problem_json(p) for p in exc.problems]
            return problem(422, "Unreadable input", str(exc).splitlines()[0], problems=problems)
        except SyncFailedError as exc:
            log_store_failure(exc)
            cause = exc.__cause__
            # A fault of the server's disk is said as it is (no path); other causes are internal.
            told = (
                f"{cause}; {STORE_FAILED}" if isinstance(cause, StorageFaultError) else STORE_FAILED
            )
            report = exc.report.model_copy(update={"error": told}).model_dump(mode="json")
            retry = (
                {"Retry-After": str(RETRY_AFTER_SECONDS)}
                if isinstance(cause, StoreUnavailableError)
                else None
            )
            fault = {"fault": cause.fault.value} if isinstance(cause, StorageFaultError) else {}
            return problem(503, "Store failed", told, headers=retry, report=report, **fault)
        except StoreUnavailableError as exc:
            return unavailable(exc)
        except StoreError as exc:
            log_store_failure(exc)
            return problem(503, "Store failed", STORE_FAILED)

    return router
