"""What a reader reports about a log it cannot use: file, place, field and rule."""

from __future__ import annotations

from journeykg.validation.problems import LoadError


class EventLogError(LoadError):
    """The event log cannot be mined; nothing was written. ``problems`` say where and why."""
