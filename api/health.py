"""Liveness and readiness for orchestrators and load balancers."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter

from journeykg.api.problems import problem_response
from journeykg.graph.store import Store


def health_router(store: Store) -> APIRouter:
    """``/health`` (the process answers) and ``/health/ready`` (the store answers too)."""
    router = APIRouter(tags=["operations"])

    @router.get("/health")
    def health() -> dict[str, str]:
        """Liveness: the process answers and knows its backend."""
        return {"status": "ok", "backend": store.name}

    @router.get(
        "/health/ready",
        responses={503: problem_response("The store cannot be reached; retry later.")},
    )
    async def ready() -> Any:
        """Readiness: the store answers (503 with Retry-After while it does not)."""
        # StoreUnavailableError becomes the 503 problem (api/problems.py).
        await asyncio.to_thread(store.check_ready)
        return {"status": "ready", "backend": store.name}

    return router
