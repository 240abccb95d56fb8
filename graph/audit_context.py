"""Who is writing, and why: the actor and action the audit trail records for a write.

The API sets it per request (each GraphQL mutation, each ``POST /sync``), the
CLI per command. It lives in a context variable so that it follows the
write into the worker thread the API runs store calls in
(``asyncio.to_thread`` copies the context) without every layer between the
entry point and the store passing it along.
"""

from __future__ import annotations

import dataclasses
import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class AuditActor:
    """The caller and the operation a write is done for."""

    name: str
    """The principal's name (a token's name; the OS user for the CLI)."""
    role: str | None
    action: str
    """What was asked, e.g. ``graphql:approve``, ``rest:sync:crm-salesforce``, ``cli:demo``."""
    request_id: str | None = None
    by: str | None = None
    """The post a governance step is taken for (``owner/lead-cx-office``), when there is one."""
    reason: str | None = None
    """Why, as the caller gave it (a decision's rationale, a deletion's reason)."""


UNATTRIBUTED = AuditActor(name="unattributed", role=None, action="unattributed")
"""Recorded for a write made outside any audit context (a bug at an entry point, made visible)."""

_current: ContextVar[AuditActor] = ContextVar("journeykg_audit_actor", default=UNATTRIBUTED)


def current_actor() -> AuditActor:
    """The actor of the write under way: the innermost :func:`audit_context`, or UNATTRIBUTED."""
    return _current.get()


@contextmanager
def audit_context(
    *, actor: str, role: str | None, action: str, request_id: str | None = None
) -> Iterator[AuditActor]:
    """Attribute every store write inside the block to ``actor`` doing ``action``."""
    who = AuditActor(name=actor, role=role, action=action, request_id=request_id)
    token = _current.set(who)
    try:
        yield who
    finally:
        _current.reset(token)


@contextmanager
def audit_reason(*, by: str | None = None, reason: str | None = None) -> Iterator[AuditActor]:
    """Record, with every write inside the block, the post it is made for and why.

    The services call it for the requests that carry a reason (governance
    steps, deletions, token changes), so that the trail holds the reason
    whichever entry point asked.
    """
    who = dataclasses.replace(current_actor(), by=by, reason=reason)
    token = _current.set(who)
    try:
        yield who
    finally:
        _current.reset(token)


def os_user() -> str:
    """The name the CLI records as actor: the operating-system user running it."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "unknown-os-user"
