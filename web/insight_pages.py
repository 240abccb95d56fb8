"""The insight board (/insights, per journey and per owner) and an initiative's page
(/initiative?id=..., with its impact and its KPIs before and after).

Each page asks the same service or question the CLI and GraphQL ask
(:mod:`journeykg.services.insights`), so none of them can disagree; the pages
only read (recording and steering are the CLI's and GraphQL's, with their roles).
"""

# No `from __future__ import annotations`: FastAPI must see the handlers' parameter types.

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from journeykg.access.roles import Permission
from journeykg.graph.store import Store
from journeykg.web.session import Visitor

#: The statuses of the board's columns, in lifecycle order.
BOARD_COLUMNS = ("new", "validated", "addressed", "closed", "rejected")


def install_insight_pages(
    router: APIRouter,
    store: Store,
    *,
    page: Callable[..., HTMLResponse],
    answered: Callable[[Request, Callable[[], Response]], Response],
    allowed: Callable[[Request, Permission], Visitor],
) -> None:
    """Add /insights and /initiative to ``router``: anyone who may read the graph may read them."""

    @router.get("/insights", response_class=HTMLResponse)
    def board(
        request: Request,
        owner: Annotated[str | None, Query(max_length=500)] = None,
        journey: Annotated[str | None, Query(max_length=500)] = None,
    ) -> Response:
        visitor = allowed(request, Permission.READ)

        def ask() -> Response:
            from journeykg.services.insights.records import initiatives, insights

            found = insights(store)
            owners = sorted({i.owner for i in found})
            journeys = sorted({j for i in found for j in i.journeys})
            shown = [
                i
                for i in found
                if (not owner or i.owner == owner) and (not journey or journey in i.journeys)
            ]
            columns = {s: [i for i in shown if i.status == s] for s in BOARD_COLUMNS}
            return page(
                request,
                "insights.html",
                visitor,
                columns=columns,
                owners=owners,
                journeys=journeys,
                owner=owner or "",
                journey=journey or "",
                initiatives=initiatives(store),
            )

        return answered(request, ask)

    @router.get("/initiative", response_class=HTMLResponse)
    def initiative(request: Request, id: Annotated[str, Query(max_length=500)]) -> Response:
        visitor = allowed(request, Permission.READ)

        def ask() -> Response:
            from journeykg.graph.before_after import ALPHA
            from journeykg.services.insights.initiatives import (
                initiative_impact,
                measure,
            )
            from journeykg.services.insights.records import read_initiative

            found = read_initiative(store, id)
            measured = measure(store, id) if found.status == "done" and found.effects else []
            return page(
                request,
                "initiative.html",
                visitor,
                initiative=found,
                impact=initiative_impact(store, id),
                measured=measured,
                alpha=ALPHA,
            )

        return answered(request, ask)
