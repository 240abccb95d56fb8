"""Slow clients cannot hold the server: a body must arrive in time, idle connections close.

On a real uvicorn (tests/api/served.py) configured as ``journeykg serve`` does.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import MutableMapping
from typing import Any

import pytest

from journeykg.access.roles import Role
from journeykg.api.app import create_app
from journeykg.api.middleware import BodyLimitMiddleware
from journeykg.graph.store import Store
from journeykg.settings import Settings
from tests.api.conftest import Bearer
from tests.api.served import served


def raw_request(port: int, head: str, body: bytes = b"") -> socket.socket:
    connection = socket.create_connection(("127.0.0.1", port), timeout=10)
    connection.sendall(head.encode() + b"\r\n" + body)
    return connection


def read_all(connection: socket.socket) -> bytes:
    """What the server sends until it closes the connection."""
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


@pytest.mark.parametrize("path", ["/graphql", "/sync/anything"])
def test_a_body_that_does_not_arrive_in_time_is_a_408(
    embedded_store: Store, api_settings: Settings, bearer: Bearer, path: str
) -> None:
    settings = api_settings.model_copy(update={"body_timeout": 0.5})
    token = bearer(Role.INTEGRATOR)["Authorization"]
    with served(create_app(embedded_store, settings=settings), settings) as port:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            f"Authorization: {token}\r\nContent-Length: 1000\r\n"
        )
        started = time.monotonic()
        connection = raw_request(port, head, b'{"query": "')  # and then nothing more
        answer = read_all(connection)  # the server closes the connection after its answer
        elapsed = time.monotonic() - started
    status, _, rest = answer.partition(b"\r\n")
    assert status == b"HTTP/1.1 408 Request Timeout", answer
    assert b"connection: close" in rest.lower()
    assert b"JOURNEYKG_BODY_TIMEOUT" in rest
    assert elapsed < 3


def test_an_idle_keep_alive_connection_is_closed(
    embedded_store: Store, api_settings: Settings
) -> None:
    settings = api_settings.model_copy(update={"keep_alive_timeout": 1})
    with served(create_app(embedded_store, settings=settings), settings) as port:
        connection = raw_request(port, "GET /health HTTP/1.1\r\nHost: x\r\n")
        answer = b""
        while not answer.endswith(b"}"):  # the whole answer, head and JSON body
            answer += connection.recv(65536)
        assert answer.startswith(b"HTTP/1.1 200 OK")
        started = time.monotonic()
        assert connection.recv(65536) == b""  # closed by the server, not by the 10 s timeout
        assert 0.5 < time.monotonic() - started < 3


def test_the_body_clock_starts_when_the_app_reads() -> None:
    """In the middleware alone: a body trickling in after the deadline is refused with 408."""
    sent: list[MutableMapping[str, Any]] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        while (await receive()).get("more_body"):
            pass
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"read"})

    async def trickle() -> dict[str, Any]:
        await asyncio.sleep(0.15)
        return {"type": "http.request", "body": b"x", "more_body": True}

    async def record(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "path": "/sync/x", "headers": []}
    middleware = BodyLimitMiddleware(app, max_bytes=1000, timeout=0.5)
    asyncio.run(middleware(scope, trickle, record))
    assert sent[0]["status"] == 408
    assert json.loads(sent[1]["body"])["title"] == "Request timeout"
