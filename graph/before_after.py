"""A KPI before and after a day (an initiative done): periods, sample sizes, and whether
the difference is beyond noise (docs/insights.md).

The values of one KPI are combined only when they are comparable
(:mod:`journeykg.graph.comparable`): otherwise the answer says why not and
makes no test. The test is Welch's t-test (unequal variances, two-sided) over
the per-period values: up to :data:`WINDOW` periods that ended before the day
against up to :data:`WINDOW` periods that started on or after it; a period
that straddles the day belongs to neither. The difference is beyond noise when
``p <`` :data:`ALPHA` and each side has at least :data:`MIN_PERIODS` periods.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from rdflib import URIRef

from journeykg.graph.comparable import incomparable_values
from journeykg.graph.elements import resolve
from journeykg.graph.errors import UnsupportedElementError
from journeykg.graph.series import Point, kpi_series
from journeykg.graph.store import Store

#: Periods on each side of the day that are compared.
WINDOW = 6
#: Fewer periods on a side: no test.
MIN_PERIODS = 2
#: Welch's t-test's two-sided significance level.
ALPHA = 0.05


@dataclass(frozen=True)
class Side:
    """One side of the comparison: its periods (first days), values and responses."""

    periods: tuple[str, ...]
    values: tuple[float, ...]
    responses: int | None
    """The responses behind the values (None when a value states none)."""

    @property
    def mean(self) -> float | None:
        """The mean of the periods' values."""
        return statistics.fmean(self.values) if self.values else None


@dataclass(frozen=True)
class BeforeAfter:
    """A KPI measured before and after ``day``."""

    kpi: str
    day: str
    before: Side
    after: Side
    difference: float | None
    """after.mean − before.mean, on the KPI's own scale."""
    t: float | None
    p_value: float | None
    beyond_noise: bool
    test: str
    why_not: str | None = None
    """Why no test was made (too few periods, incomparable values); None when it was."""


def _side(points: list[Point]) -> Side:
    samples = [p.sample for p in points]
    responses = None if any(s is None for s in samples) else sum(s or 0 for s in samples)
    return Side(tuple(p.start for p in points), tuple(p.value for p in points), responses)


def welch(before: tuple[float, ...], after: tuple[float, ...]) -> tuple[float, float]:
    """(t, two-sided p) of Welch's t-test: scipy's, with ``equal_var=False``."""
    from scipy.stats import ttest_ind  # heavy: imported where the test runs

    result = ttest_ind(after, before, equal_var=False)
    return float(result.statistic), float(result.pvalue)


def before_after(store: Store, ident: str, day: str) -> BeforeAfter:
    """KPI ``ident`` before and after ``day`` (an ISO date)."""
    ref = resolve(store, ident)
    if ref.type != "KPI":
        raise UnsupportedElementError(ident, ref.type, "KPI")
    kpi = URIRef(ref.iri)
    points = list(kpi_series(store, [kpi])[kpi])
    before = [p for p in points if p.end < day][-WINDOW:]
    after = [p for p in points if p.start >= day][:WINDOW]
    test = f"Welch's t-test, two-sided, alpha {ALPHA}, per-period values"
    sides = _side(before), _side(after)
    problem = incomparable_values(store, [p.node for p in before + after])
    if problem is None and (len(before) < MIN_PERIODS or len(after) < MIN_PERIODS):
        problem = (
            f"{len(before)} period(s) before and {len(after)} after {day}; "
            f"the test needs at least {MIN_PERIODS} on each side"
        )
    mean_before, mean_after = sides[0].mean, sides[1].mean
    difference = (
        round(mean_after - mean_before, 6)
        if mean_before is not None and mean_after is not None and problem is None
        else None
    )
    if problem is not None:
        return BeforeAfter(ref.id, day, *sides, difference, None, None, False, test, problem)
    t, p_value = welch(sides[0].values, sides[1].values)
    if math.isnan(p_value):  # both sides without spread: no evidence either way
        return BeforeAfter(
            ref.id, day, *sides, difference, None, None, False, test,
            "the values do not vary on either side: the test cannot tell",
        )  # fmt: skip
    return BeforeAfter(ref.id, day, *sides, difference, round(t, 6), p_value, p_value < ALPHA, test)
