"""ASGI middleware: a request id for every request, a cap on body size, a last-resort 500.

Pure ASGI rather than Starlette's BaseHTTPMiddleware: the body limit has to
count bytes as they stream in (BaseHTTPMiddleware would only see the request
after the app read it), and the request id has to be current in the same
context the app runs in.
"""

from __future__ import annotations

import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from journeykg.api.problems import PROBLEM, problem_body
from journeykg.api.request_id import (
    HEADER,
    choose_request_id,
    reset_request_id,
    set_request_id,
)

log = logging.getLogger("journeykg.api")


class _BodyTooLargeError(Exception):
    """The request body passed the limit while it was being read."""


async def _send_problem(send: Send, status: int, title: str, detail: str) -> None:
    body = json.dumps(problem_body(status, title, detail)).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
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


class BodyLimitMiddleware:
    """Answers 413 once a request body passes ``max_bytes``, counting as the bytes arrive.

    A declared Content-Length above the limit is refused before anything is
    read; a body without one (chunked) is cut off at the first chunk that
    passes the limit, and whatever the app made of the cut-off is replaced by
    the 413.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        detail = (
            f"the request body is larger than {self.max_bytes} bytes (JOURNEYKG_MAX_BODY_BYTES)"
        )
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _send_problem(send, 413, "Request body too large", detail)
            return
        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise _BodyTooLargeError
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded:  # the app's answer to a cut-off body is not what happened
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await _send_problem(send, 413, "Request body too large", detail)
