"""Which worker process answers, and how much it has answered: ``GET /health/worker``.

``journeykg serve --workers N`` answers with N processes, each with its own
store connection and counters. An administrator (and a test) can tell them
apart by asking this route on a connection: a keep-alive connection is served
by one process from its first request to its last. The answer names a process
id, which is internal, so it is for the administer permission only.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field
from starlette.types import ASGIApp, Receive, Scope, Send

from journeykg.access.roles import Permission
from journeykg.api.auth import Authenticator
from journeykg.api.problems import problem_response


@dataclass
class WorkerStats:
    """What this process has answered since it started."""

    pid: int = field(default_factory=os.getpid)
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    requests: int = 0
    _guard: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def count(self) -> None:
        """One more HTTP request received (sync routes run on threads, so count under a lock)."""
        with self._guard:
            self.requests += 1


class WorkerView(BaseModel):
    """The process that answered this request, as an administrator sees it."""

    pid: int = Field(description="The operating system's id of the worker process")
    started_at: datetime
    requests: int = Field(description="HTTP requests this process received, this one included")
    backend: str


class CountingMiddleware:
    """Counts every HTTP request the app receives into ``stats`` (pure ASGI)."""

    def __init__(self, app: ASGIApp, stats: WorkerStats) -> None:
        self.app = app
        self.stats = stats

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.stats.count()
        await self.app(scope, receive, send)


def worker_router(stats: WorkerStats, backend: str, auth: Authenticator) -> APIRouter:
    """``GET /health/worker``: this process's id and counters, for the administer permission."""
    router = APIRouter(
        tags=["operations"],
        dependencies=[Depends(auth.requiring(Permission.ADMINISTER))],
        responses={
            401: problem_response("No valid token (WWW-Authenticate says why)."),
            403: problem_response("The token's role lacks the administer permission."),
        },
    )

    @router.get("/health/worker", summary="The worker process answering", response_model=WorkerView)
    def worker() -> Any:
        return WorkerView(
            pid=stats.pid, started_at=stats.started_at, requests=stats.requests, backend=backend
        )

    return router
