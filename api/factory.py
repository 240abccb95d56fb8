"""The app factory uvicorn calls in each worker process of ``journeykg serve --workers N``.

Every worker is a fresh process (uvicorn spawns them), so each reads the
settings and opens its own store through :mod:`journeykg.bootstrap`, as the
command line does for one process. The command line passes its own options
to the workers through the environment (``JOURNEYKG_*``), the settings' own
channel, so that a worker sees exactly the settings the command saw.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from journeykg import bootstrap

if TYPE_CHECKING:
    from fastapi import FastAPI

#: What ``uvicorn.run`` is given (with ``factory=True``) to start a worker.
WORKER_APP = "journeykg.api.factory:worker_app"


def worker_app() -> FastAPI:
    """This worker's app over its own store, closed when the worker stops."""
    from journeykg.api.app import create_app

    settings = bootstrap.load_settings()
    store = bootstrap.open_store(settings)
    try:
        app = create_app(store, settings=settings, warm=True)
    except Exception:
        store.close()
        raise
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app_: FastAPI) -> AsyncIterator[None]:
        # A worker that stops (Ctrl+C, SIGTERM, a restart by uvicorn) lets go of
        # its Neo4j connections instead of leaving them to the server to time out.
        try:
            async with inner(app_):
                yield
        finally:
            store.close()

    app.router.lifespan_context = lifespan
    return app
