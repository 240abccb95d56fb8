"""The audit trail (/audit) and the decision log (/decisions), for roles with Permission.AUDIT.

The trail is :func:`journeykg.services.audit.trail`, with ``journeykg audit``'s
filters (element, actor, period) as a GET form and pages of :data:`PAGE_SIZE`;
the decision log is the governance's own record of its decisions
(:func:`journeykg.services.governance.history.decisions`). Both show only
what those already hold: no personal data is added.
"""

# No `from __future__ import annotations`: FastAPI must see the handlers' parameter types.

from collections.abc import Callable
from datetime import datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from journeykg.access.roles import Permission
from journeykg.graph.store import Store
from journeykg.services.audit import BadMomentError, NoAuditTrailError, parse_moment, trail
from journeykg.services.governance.history import decisions
from journeykg.web.session import Visitor

PAGE_SIZE = 50


def _moment(text: str) -> datetime | None:
    return parse_moment(text) if text.strip() else None


def install_audit_pages(
    router: APIRouter,
    store: Store,
    *,
    page: Callable[..., HTMLResponse],
    answered: Callable[[Request, Callable[[], Response]], Response],
    allowed: Callable[[Request, Permission], Visitor],
) -> None:
    """Add /audit and /decisions to ``router``; others get the 403 page."""

    @router.get("/audit", response_class=HTMLResponse)
    def audit(
        request: Request,
        element: Annotated[str, Query(max_length=2000)] = "",
        actor: Annotated[str, Query(max_length=200)] = "",
        since: Annotated[str, Query(max_length=40)] = "",
        until: Annotated[str, Query(max_length=40)] = "",
        number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    ) -> Response:
        visitor = allowed(request, Permission.AUDIT)
        filters = {"element": element, "actor": actor, "since": since, "until": until}

        def ask() -> Response:
            try:
                start, end = _moment(since), _moment(until)
            except BadMomentError as exc:
                return page(request, "audit.html", visitor, status=400, filters=filters, error=exc)
            try:
                found = trail(
                    store,
                    actor=actor.strip() or None,
                    element=element.strip() or None,
                    since=start,
                    until=end,
                    offset=(number - 1) * PAGE_SIZE,
                    limit=PAGE_SIZE,
                    # The page shows counts and five elements an entry (templates/audit.html).
                    texts=False,
                    elements=5,
                )
            except NoAuditTrailError:
                return page(request, "audit.html", visitor, status=404, filters=filters)
            pages = max(1, -(-found.total // PAGE_SIZE))
            return page(
                request,
                "audit.html",
                visitor,
                filters=filters,
                found=found,
                number=number,
                pages=pages,
                page_url=lambda n: "/audit?" + urlencode({**filters, "page": n}),
            )

        return answered(request, ask)

    @router.get("/decisions", response_class=HTMLResponse)
    def decision_log(request: Request) -> Response:
        visitor = allowed(request, Permission.AUDIT)
        return answered(
            request,
            lambda: page(request, "decisions.html", visitor, decisions=decisions(store)),
        )
