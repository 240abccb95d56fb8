"""XES (IEEE 1849-2016) event logs, read as a stream.

expat (the standard library's XML parser) calls back per element and knows the line it
is on, so a log of any size is read in constant memory and a problem names its line.
rustxes reads XES faster but into one in-memory data frame, and on a malformed file it
panics with a Rust backtrace on stderr and no line (docs/mining.md, "Readers").

The case is the trace's ``concept:name``; the customer a trace attribute the recipe
names (the case when it names none); the activity the event's ``concept:name``; the time
its ``time:timestamp``; the other event attributes by their key.
"""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Iterator
from pathlib import Path

from journeykg.loaders.event_logs.errors import EventLogError
from journeykg.loaders.event_logs.expat_stream import parse_streaming
from journeykg.loaders.event_logs.records import LogEvent
from journeykg.validation.problems import Problem

_ATTRIBUTES = frozenset({"string", "date", "int", "float", "boolean", "id"})


def read_xes(path: Path, customer_attribute: str | None) -> Iterator[LogEvent]:
    """The events of the XES log at ``path``, trace by trace, in file order."""
    parser = xml.parsers.expat.ParserCreate(namespace_separator=None)
    ready: list[LogEvent] = []
    stack: list[str] = []
    trace: dict[str, str] = {}
    event: LogEvent | None = None
    traces = 0

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal event, trace, traces
        local = name.rpartition(":")[2]
        parent = stack[-1] if stack else None
        stack.append(local)
        if local == "trace" and parent == "log":
            trace = {}
            traces += 1
        elif local == "event" and parent == "trace":
            event = LogEvent(f"line {parser.CurrentLineNumber}", None, None, None, None)
        elif local in _ATTRIBUTES and "key" in attrs:
            key, value = attrs["key"], attrs.get("value", "")
            if parent == "trace":
                trace[key] = value
            elif parent == "event" and event is not None:
                if key == "concept:name":
                    event.activity = value
                elif key == "time:timestamp":
                    event.time = value
                else:
                    event.attributes[key] = value

    def end(name: str) -> None:
        nonlocal event
        local = stack.pop()
        if local == "event" and event is not None:
            event.case = trace.get("concept:name")
            event.customer = trace.get(customer_attribute) if customer_attribute else event.case
            ready.append(event)
            event = None

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    yield from parse_streaming(path, parser, ready, "XES: well-formed XML")
    if traces == 0:
        raise EventLogError(
            f"event log {path} holds no traces",
            [Problem(str(path), "XES: log of traces", "an XES log is <log> with <trace> elements")],
        )
