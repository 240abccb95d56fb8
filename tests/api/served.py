"""The app served by a real uvicorn on 127.0.0.1, as ``journeykg serve`` configures it.

For what only a real server shows: connection timeouts, the event loop's
responsiveness under load.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from fastapi import FastAPI

from journeykg.api.serving import uvicorn_options
from journeykg.settings import Settings


@contextmanager
def served(app: FastAPI, settings: Settings) -> Iterator[int]:
    """Serve ``app`` on a free port of 127.0.0.1 while the block runs; yields the port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port: int = listener.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", **uvicorn_options(settings))
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        listener.close()
