"""Liveness and readiness for orchestrators and load balancers.

Both routes are open, so they say nothing internal: why the store cannot be
reached (a driver's message, the server's URI) is in the readiness answer
only for a caller who sends an admin token.
"""

# No `from __future__ import annotations`: FastAPI must see the closures' Depends(...).

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Depends

from journeykg.access.roles import Permission, Principal
from journeykg.api.auth import Authenticator
from journeykg.api.errors import RETRY_AFTER_SECONDS
from journeykg.api.problems import problem, problem_response, unavailable
from journeykg.graph.errors import StoreUnavailableError
from journeykg.graph.store import Store
from journeykg.services.readiness import NotReadyError, Readiness


def health_router(store: Store, auth: Authenticator) -> APIRouter:
    """``/health`` (the process answers) and ``/health/ready`` (the store answers too)."""
    router = APIRouter(tags=["operations"])
    readiness = Readiness(store)

    @router.get("/health")
    def health() -> dict[str, str]:
        """Liveness: the process answers and knows its backend."""
        return {"status": "ok", "backend": store.name}

    @router.get(
        "/health/ready",
        responses={503: problem_response("The store cannot be reached or written; retry later.")},
    )
    async def ready(
        caller: Annotated[Principal | None, Depends(auth.optional_principal)],
    ) -> Any:
        """Readiness: the store answers and takes writes (503 with Retry-After while not).

        With an admin token, a 503 for an unreachable store also gives the reason (`reason`).
        """
        try:
            await asyncio.to_thread(readiness.check)
        except StoreUnavailableError as exc:
            admin = caller is not None and caller.may(Permission.ADMINISTER)
            return unavailable(exc, disclose=admin)
        except NotReadyError as exc:
            return problem(
                503, "Not ready", str(exc), headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
            )
        return {"status": "ready", "backend": store.name}

    return router
