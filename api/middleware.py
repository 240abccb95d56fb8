"""ASGI middleware: a request id for every request, a cap on body size and time, a last 500.

Pure ASGI rather than Starlette's BaseHTTPMiddleware: the body limit has to
count bytes as they stream in (BaseHTTPMiddleware would only see the request
after the app read it), and the request id has to be current in the same
context the app runs in.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from journeykg.api.problems import PROBLEM, problem_body
from journeykg.api.request_id import (
    HEADER,
    choose_request_id,
    reset_request_id,
    set_request_id,
)

log = logging.getLogger("journeykg.api")


class _BodyRefusedError(Exception):
    """The request body passed its limit, or its time, while it was being read."""


async def _send_problem(
    send: Send, status: int, title: str, detail: str, *, close: bool = False
) -> None:
    body = json.dumps(problem_body(status, title, detail)).encode()
    headers = [
        (b"content-type", PROBLEM.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class RequestIdMiddleware:
    """Takes a sane ``X-Request-ID`` or makes one, echoes it, and answers 500 for a crash.

    An exception that reaches this far is logged with the request id and its
    traceback, and the client gets a problem+json 500 that names the id but
    nothing of the exception.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        offered = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), None
        )
        request_id = choose_request_id(offered)
        token = set_request_id(request_id)
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = [h for h in message.get("headers", []) if h[0] != b"x-request-id"]
                headers.append((HEADER.lower().encode(), request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            log.exception(
                "unexpected error serving %s %s (request %s)",
                scope.get("method"),
                scope.get("path"),
                request_id,
            )
            if not started:
                await _send_problem(
                    send_with_id,
                    500,
                    "Internal error",
                    f"unexpected error; quote request id {request_id} when reporting it",
                )
        finally:
            reset_request_id(token)


@dataclass(frozen=True)
class BodyLimit:
    """How large a body may be (bytes) and the setting that says so, for the problem's detail."""

    max_bytes: int
    setting: str = "JOURNEYKG_MAX_BODY_BYTES"


class BodyLimitMiddleware:
    """Answers 413 once a request body passes its limit, and 408 if it takes too long to arrive.

    A declared Content-Length above the limit is refused before anything is
    read; a body without one (chunked) is cut off at the first chunk that
    passes the limit, and whatever the app made of the cut-off is replaced by
    the 413. ``paths`` gives a path (and what lies under it) a limit of its own.

    A client has ``timeout`` seconds, from when the app starts reading, to send the
    whole body: a client trickling bytes (or none) would otherwise hold a
    connection and the request's memory for as long as it likes. The 408 asks
    to close the connection.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        timeout: float,
        paths: Mapping[str, BodyLimit] | None = None,
    ) -> None:
        self.app = app
        self.default = BodyLimit(max_bytes)
        self.timeout = timeout
        self.paths = dict(paths or {})

    def limit_for(self, path: str) -> BodyLimit:
        """The limit of the body of a request to ``path``."""
        for prefix, limit in self.paths.items():
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                return limit
        return self.default

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        detail = f"the request body is larger than {limit.max_bytes} bytes ({limit.setting})"
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) > limit.max_bytes:
            await _send_problem(send, 413, "Request body too large", detail)
            return
        deadline: float | None = None
        received = 0
        refused: int | None = None  # the status that replaces the app's answer
        started = False
        body_done = False

        async def guarded_receive() -> Message:
            nonlocal deadline, received, refused, body_done
            if body_done:  # after the body, the app only waits for a disconnect
                return await receive()
            if deadline is None:  # the clock runs from when the app first asks for the body
                deadline = asyncio.get_running_loop().time() + self.timeout
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                refused = 408
                raise _BodyRefusedError from None
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                body_done = not message.get("more_body", False)
                if received > limit.max_bytes:
                    refused = 413
                    raise _BodyRefusedError
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if refused is not None:  # the app's answer to a cut-off body is not what happened
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, guarded_receive, guarded_send)
        except Exception:
            if refused is None:
                raise
        if refused is not None and not started:
            if refused == 413:
                await _send_problem(send, 413, "Request body too large", detail)
            else:
                await _send_problem(
                    send,
                    408,
                    "Request timeout",
                    f"the request body did not arrive within {self.timeout:g} s "
                    "(JOURNEYKG_BODY_TIMEOUT)",
                    close=True,
                )
