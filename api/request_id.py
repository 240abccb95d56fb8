"""The id of the request being served, for logs, problem details and masked errors."""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar, Token

HEADER = "X-Request-ID"

#: Ids a client may choose: short, printable, no spaces (they end up in logs).
_SANE = re.compile(r"[A-Za-z0-9._:\-]{1,128}")

_current: ContextVar[str | None] = ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request this code serves (None outside a request)."""
    return _current.get()


def choose_request_id(offered: str | None) -> str:
    """The client's id when it is sane, else a fresh one."""
    if offered and _SANE.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


def set_request_id(request_id: str) -> Token[str | None]:
    """Make ``request_id`` current; returns the token that :func:`reset_request_id` takes."""
    return _current.set(request_id)


def reset_request_id(token: Token[str | None]) -> None:
    """Restore the request id that was current before :func:`set_request_id`."""
    _current.reset(token)
