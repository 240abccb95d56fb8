"""The journey-mining page (/mining?id=journey/...): the designed path with the actual flow
drawn over it and the drop-off per step, as server-rendered SVG and as a table.

The figures are :func:`journeykg.services.mining_runs.journey_mining`'s, the answer
GraphQL ``journeyMining`` gives, so the page and the API cannot disagree; the page only
lays them out (:func:`flow_picture`).
"""

# No `from __future__ import annotations`: FastAPI must see the handlers' parameter types.

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from journeykg.access.roles import Permission
from journeykg.graph.mining import Measurement, MinedPeriod
from journeykg.graph.store import Store
from journeykg.services.mining_runs import journey_mining
from journeykg.web.session import Visitor

#: The picture's geometry, in SVG user units.
STEP_WIDTH = 170
BOX_WIDTH = 130
BOX_TOP = 30
BOX_HEIGHT = 70
MAX_ARROW = 28
"""The width of an arrow carrying every case of the period; the others in proportion."""


@dataclass(frozen=True)
class StepFigure:
    """One designed step as drawn: its box, the flow on to the next step, the drop below."""

    step: Measurement
    x: int
    onward: int | None
    """Cases that went on to the next step (None after the last)."""
    onward_width: float
    stopped_width: float


def _width(count: int | None, total: int) -> float:
    if not count or not total:
        return 0.0
    return round(max(1.5, MAX_ARROW * count / total), 1)


def flow_picture(period: MinedPeriod) -> list[StepFigure]:
    """The steps of ``period`` laid out left to right in designed order."""
    total = period.journey.counts.get("cases", 0)
    steps = list(period.steps)
    figures = []
    for i, step in enumerate(steps):
        onward = steps[i + 1].counts.get("reached") if i + 1 < len(steps) else None
        figures.append(
            StepFigure(
                step,
                10 + i * STEP_WIDTH,
                onward,
                _width(onward, total),
                _width(step.counts.get("stopped"), total),
            )
        )
    return figures


def install_mining_page(
    router: APIRouter,
    store: Store,
    *,
    page: Callable[..., HTMLResponse],
    answered: Callable[[Request, Callable[[], Response]], Response],
    allowed: Callable[[Request, Permission], Visitor],
    problem: Callable[..., HTMLResponse],
) -> None:
    """Add /mining to ``router``: anyone who may read the graph may read its mining."""

    @router.get("/mining", response_class=HTMLResponse)
    def mining(
        request: Request,
        id: Annotated[str, Query(max_length=2000)] = "",
        period: Annotated[str | None, Query(max_length=20)] = None,
    ) -> Response:
        visitor = allowed(request, Permission.READ)

        def ask() -> Response:
            try:
                periods = journey_mining(store, id, period or None)
                every = periods if period is None else journey_mining(store, id)
            except ValueError as exc:
                return problem(request, 404, str(exc))
            shown: dict[str, Any] = {
                "journey_id": id,
                "periods": periods,
                "every_period": every,
                "pictures": [(p, flow_picture(p)) for p in periods],
                "dims": {
                    "step": STEP_WIDTH,
                    "box": BOX_WIDTH,
                    "top": BOX_TOP,
                    "height": BOX_HEIGHT,
                    "arrow": MAX_ARROW,
                },
            }
            return page(request, "mining.html", visitor, **shown)

        return answered(request, ask)
