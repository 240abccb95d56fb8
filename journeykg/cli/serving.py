"""Serving the API from the command line: what ``serve`` and ``demo`` announce, and several workers.

One worker serves the store the command opened. Several workers are
separate processes that uvicorn starts (:data:`journeykg.api.factory.WORKER_APP`),
each opening its own store through :mod:`journeykg.bootstrap`; that needs a
store the processes can share (:attr:`Capability.SHARED`: Neo4j). The
embedded store admits one process, so it is refused with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from journeykg.cli.common import err, fail, out, store_for

if TYPE_CHECKING:
    from journeykg.graph.store import Store
    from journeykg.settings import Settings

#: Addresses only this machine can reach.
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})

#: Why a store that is not shared cannot have several workers, by backend.
NOT_SHARED_BECAUSE = {
    "embedded": (
        "Oxigraph locks the store's directory for the one process that opens it, and "
        "pyoxigraph's read-only open beside a process that writes is undefined behaviour, "
        "so a second worker could neither write nor safely read"
    ),
}


def announce(settings: Settings, host: str | None, port: int | None) -> tuple[str, int]:
    """Print how to reach the server and who may; the host and port it binds to."""
    host, port = host or settings.host, port or settings.port
    if settings.anonymous_read:
        out.print(
            "[yellow]Anonymous read access is ON:[/yellow] anyone who can reach this server may "
            "query the graph without a token (changes still need one; docs/security.md)."
        )
        if host not in LOOPBACK:
            err.print(f"[yellow]warning:[/yellow] anonymous read on a public address ({host})")
    else:
        out.print(
            "Every request needs 'Authorization: Bearer <token>' "
            "(`journeykg token create --role reader --name you --reason ...`; docs/security.md)."
        )
    where = "GraphiQL" if settings.graphql_ide else "GraphQL"
    out.print(f"Workspace (the lifecycle picture): http://{host}:{port}/")
    out.print(f"{where}: http://{host}:{port}/graphql   (Ctrl+C stops)")
    return host, port


def refusal(store: Store, workers: int) -> str | None:
    """Why ``store`` cannot be served by ``workers`` processes, or None when it can."""
    from journeykg.graph.store import Capability  # rdflib: not for `journeykg --help`

    if workers == 1 or Capability.SHARED in store.capabilities:
        return None
    because = NOT_SHARED_BECAUSE.get(
        store.name, f"the {store.name} store is not shared between processes"
    )
    return (
        f"cannot serve the {store.name} store with {workers} workers: {because}. Serve it "
        "with one worker (--workers 1), or keep the graph in Neo4j (JOURNEYKG_NEO4J_URI), "
        "which any number of workers share (README, Running in production)."
    )


def serve_workers(
    settings: Settings, store_dir: Path | None, host: str | None, port: int | None, workers: int
) -> None:
    """Serve with ``workers`` processes, each opening its own store; refuse a store not shared."""
    import uvicorn

    from journeykg.api.factory import WORKER_APP
    from journeykg.api.serving import uvicorn_options

    # The store is opened here once, before any worker starts: a store that
    # cannot be opened, or cannot be shared, ends the command with its reason
    # instead of every worker failing on its own.
    with store_for(store_dir) as store:
        reason, backend = refusal(store, workers), store.name
    if reason is not None:
        raise fail(ValueError(reason), 2)
    host, port = announce(settings, host, port)
    out.print(f"{workers} worker processes, each with its own connection to the {backend} store")
    if store_dir is not None:
        # Workers read their settings as this command did: the environment is
        # the channel they share, and the command line's option outranks it.
        os.environ["JOURNEYKG_STORE_DIR"] = str(store_dir.resolve())
    uvicorn.run(
        WORKER_APP,
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        **uvicorn_options(settings),
    )
