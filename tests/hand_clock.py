"""A clock the test moves by hand (token expiry, last use)."""

from __future__ import annotations

from datetime import datetime


class HandClock:
    """Returns ``now``, which the test sets."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now
