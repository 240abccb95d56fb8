"""An event as a log holds it, before mapping: identifiers still in clear.

A :class:`LogEvent` lives only between a reader and :mod:`.mapping`, which replaces the
identifiers with pseudonyms at once; it is never stored, logged or shown (its ``where``
and ``activity`` are, since neither is personal).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class LogEvent:
    where: str
    """Where the event is in its file, for errors: ``line 12`` or ``event 7``."""
    case: str | None
    customer: str | None
    activity: str | None
    time: str | None
    """The timestamp as the log writes it (ISO 8601 in every format read here)."""
    attributes: dict[str, str] = field(default_factory=dict)
    """The event's other attributes (channel, contact reason, ...), as text."""
