"""OCEL 2.0 XML event logs, read as a stream with expat (see :mod:`.xes` for why not rustxes).

The objects come before the events in an OCEL 2.0 XML file; only the types of the
objects are kept (which one is the case, which the customer), then each event is yielded
when its element closes, with the objects it relates to of those two types.
"""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Iterator
from pathlib import Path

from journeykg.loaders.event_logs.errors import EventLogError
from journeykg.loaders.event_logs.expat_stream import parse_streaming
from journeykg.loaders.event_logs.ocel_objects import related
from journeykg.loaders.event_logs.records import LogEvent
from journeykg.validation.problems import Problem


def read_ocel_xml(path: Path, case_type: str, customer_type: str) -> Iterator[LogEvent]:
    """The events of the OCEL 2.0 XML log at ``path``, in file order."""
    parser = xml.parsers.expat.ParserCreate()
    ready: list[LogEvent] = []
    types: dict[str, str] = {}
    stack: list[str] = []
    event: LogEvent | None = None
    objects: list[str] = []
    attribute: str | None = None
    text: list[str] = []
    events = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal event, attribute, events
        parent = stack[-1] if stack else None
        stack.append(name)
        if name == "object" and parent == "objects" and "type" in attrs:
            if attrs["type"] in (case_type, customer_type):
                types[attrs.get("id", "")] = attrs["type"]
        elif name == "event" and parent == "events":
            events += 1
            event = LogEvent(
                f"line {parser.CurrentLineNumber}", None, None, attrs.get("type"), attrs.get("time")
            )
            objects.clear()
        elif event is not None and name == "relationship" and "object-id" in attrs:
            objects.append(attrs["object-id"])
        elif event is not None and name == "attribute" and parent == "attributes":
            attribute = attrs.get("name")
            text.clear()

    def end(name: str) -> None:
        nonlocal event, attribute
        stack.pop()
        if event is not None and name == "attribute" and attribute is not None:
            event.attributes[attribute] = "".join(text).strip()
            attribute = None
        elif name == "event" and event is not None:
            event.case, event.customer = related(objects, types, case_type, customer_type)
            ready.append(event)
            event = None

    def data(chunk: str) -> None:
        if attribute is not None:
            text.append(chunk)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    try:
        yield from parse_streaming(path, parser, ready, "OCEL 2.0 XML: well-formed XML")
    finally:
        types.clear()  # object identifiers in clear: not kept past the read
    if events == 0:
        raise EventLogError(
            f"event log {path} holds no events",
            [Problem(str(path), "OCEL 2.0 XML: events", "an OCEL 2.0 log has <events><event>")],
        )
