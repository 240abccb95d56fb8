"""Which journeys the picture's journeys × stages table shows: all of them, or a page of them.

A table of 30,000 journeys can neither be rendered in a second nor read by
anyone; past :data:`PAGE_SIZE` journeys the table shows one page of them,
ranked by the measure the user picked (most first, so the journeys that
matter most for it come first), with the count and links to page on. An
organisation that fits on one page (the demo) keeps its table as it was: every
journey, in the order of the first stage it sits in.

The gap lists (journeys without an owner, without a KPI) are cut the same way:
their count is always the whole count; the names listed are at most
:data:`GAP_LIST_SIZE`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from journeykg.graph.lifecycle import LifecyclePicture, PlacedJourney
from journeykg.web.lifecycle_view import KPI_MEASURES

#: Journeys per page of the table; an organisation with no more shows them all, unranked.
PAGE_SIZE = 100
#: Names listed under a gap heading at most (the heading counts them all).
GAP_LIST_SIZE = 100


@dataclass(frozen=True)
class JourneyPage:
    """One page of the journeys table."""

    rows: tuple[PlacedJourney, ...]
    number: int
    """This page's number, from 1."""
    pages: int
    total: int
    first: int
    """The position of the first row among all journeys, from 1 (0 without rows)."""
    ranked: bool
    """True when the rows are ranked by the measure (the table has more than one page)."""

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


def journey_page(
    picture: LifecyclePicture, measure: str, number: int, size: int = PAGE_SIZE
) -> JourneyPage:
    """Page ``number`` (clamped to the pages there are) of the picture's journeys."""
    journeys = picture.journeys
    total = len(journeys)
    if total <= size:
        return JourneyPage(journeys, 1, 1, total, 1 if journeys else 0, ranked=False)
    pages = math.ceil(total / size)
    number = min(max(1, number), pages)
    ranked = sorted(journeys, key=lambda j: (-measure_value(j, measure), j.journey.id))
    start = (number - 1) * size
    return JourneyPage(tuple(ranked[start : start + size]), number, pages, total, start + 1, True)


def measure_value(placed: PlacedJourney, measure: str) -> float:
    """How much ``placed`` weighs on ``measure``: its count, its cost, or its KPI's worst gap."""
    figures = placed.figures
    if measure in KPI_MEASURES:
        kpi_type = KPI_MEASURES[measure]
        return max((s.gap for s in figures.kpis if s.kpi_type == kpi_type), default=-1.0)
    if measure == "complaints":
        return figures.complaints
    if measure == "cost":
        return figures.cost_eur
    return figures.contacts


def first_of(
    journeys: Sequence[PlacedJourney], size: int = GAP_LIST_SIZE
) -> Sequence[PlacedJourney]:
    """The first ``size`` of a gap list (its heading counts them all)."""
    return journeys[:size]
