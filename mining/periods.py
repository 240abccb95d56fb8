"""The period a case falls in: the month or quarter of its first event."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime
from typing import Literal

Granularity = Literal["month", "quarter", "year"]


def period_of(moment: datetime, granularity: Granularity) -> str:
    """``2026-03`` (month), ``2026-Q1`` (quarter) or ``2026`` (year) of ``moment``."""
    if granularity == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if granularity == "quarter":
        return f"{moment.year:04d}-Q{(moment.month - 1) // 3 + 1}"
    return f"{moment.year:04d}"


_PERIOD = re.compile(r"^(\d{4})(?:-(?:(\d{2})|Q([1-4])))?$")


def period_bounds(period: str) -> tuple[date, date]:
    """The first and last day of a period written as :func:`period_of` writes it.

    ValueError for anything else (``2026-13``, ``2026-Q5``, ``maart``)."""
    match = _PERIOD.match(period)
    if match is None:
        raise ValueError(f"a period is 2026, 2026-03 or 2026-Q1, not {period!r}")
    year = int(match[1])
    if match[2] is not None:
        first = last = int(match[2])
        if not 1 <= first <= 12:
            raise ValueError(f"a month is 01 to 12, not {match[2]!r}")
    elif match[3] is not None:
        first = (int(match[3]) - 1) * 3 + 1
        last = first + 2
    else:
        first, last = 1, 12
    return date(year, first, 1), date(year, last, calendar.monthrange(year, last)[1])
