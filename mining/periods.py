"""The period a case falls in: the month or quarter of its first event."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

Granularity = Literal["month", "quarter", "year"]


def period_of(moment: datetime, granularity: Granularity) -> str:
    """``2026-03`` (month), ``2026-Q1`` (quarter) or ``2026`` (year) of ``moment``."""
    if granularity == "month":
        return f"{moment.year:04d}-{moment.month:02d}"
    if granularity == "quarter":
        return f"{moment.year:04d}-Q{(moment.month - 1) // 3 + 1}"
    return f"{moment.year:04d}"
