"""OCEL 2.0 JSON event logs.

Read with the standard library's json, whole: the OCEL 2.0 JSON file is one object whose
events array comes after its objects, and streaming it would need a further dependency
(ijson) for a format whose large logs are usually exchanged as SQLite or XML instead. The
events are then yielded one by one and the parsed document dropped as they go.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from journeykg.loaders.event_logs.errors import EventLogError
from journeykg.loaders.event_logs.ocel_objects import related
from journeykg.loaders.event_logs.records import LogEvent
from journeykg.validation.problems import Problem


def read_ocel_json(path: Path, case_type: str, customer_type: str) -> Iterator[LogEvent]:
    """The events of the OCEL 2.0 JSON log at ``path``, in file order."""
    try:
        with path.open("rb") as stream:
            document = json.load(stream)
    except (OSError, UnicodeDecodeError) as exc:
        raise EventLogError(
            f"cannot read event log {path}",
            [Problem(str(path), "OCEL 2.0 JSON: readable", type(exc).__name__)],
        ) from None
    except json.JSONDecodeError as exc:
        # exc.msg names the syntax rule only; the document (which may hold identifiers) is
        # not repeated.
        raise EventLogError(
            f"event log {path} is not valid JSON",
            [Problem(str(path), "OCEL 2.0 JSON: JSON syntax", exc.msg, line=exc.lineno)],
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("events"), list):
        raise EventLogError(
            f"event log {path} is not an OCEL 2.0 JSON log",
            [
                Problem(
                    str(path),
                    "OCEL 2.0 JSON: events",
                    "an OCEL 2.0 JSON log is an object with an 'events' array",
                )
            ],
        )
    types = {
        str(o.get("id")): str(o.get("type"))
        for o in document.get("objects") or []
        if isinstance(o, dict) and o.get("type") in (case_type, customer_type)
    }
    events: list[Any] = document.pop("events")
    document.clear()
    for number, raw in enumerate(events, start=1):
        yield _event(raw, number, types, case_type, customer_type)
        events[number - 1] = None  # let the parsed event go once it is read
    types.clear()


def _event(
    raw: Any, number: int, types: dict[str, str], case_type: str, customer_type: str
) -> LogEvent:
    where = f"event {number}"
    if not isinstance(raw, dict):
        return LogEvent(where, None, None, None, None)
    relations = raw.get("relationships") or []
    objects = [str(r.get("objectId")) for r in relations if isinstance(r, dict)]
    case, customer = related(objects, types, case_type, customer_type)
    attributes = {
        str(a.get("name")): str(a.get("value"))
        for a in raw.get("attributes") or []
        if isinstance(a, dict) and a.get("value") is not None
    }
    activity = raw.get("type")
    time = raw.get("time")
    return LogEvent(
        where,
        case,
        customer,
        activity if isinstance(activity, str) else None,
        time if isinstance(time, str) else None,
        attributes,
    )
