"""Feeding an XML event log to expat in chunks, yielding events as the handlers finish them.

XES and OCEL 2.0 XML are both read this way: expat (the standard library's
streaming parser) keeps memory flat for a log of millions of events, where
ElementTree would hold the whole document.
"""

from __future__ import annotations

import xml.parsers.expat
from collections.abc import Iterator
from pathlib import Path

from journeykg.loaders.event_logs.errors import EventLogError
from journeykg.loaders.event_logs.records import LogEvent
from journeykg.validation.problems import Problem

#: Bytes handed to expat at a time.
CHUNK = 1 << 20


def parse_streaming(
    path: Path,
    parser: xml.parsers.expat.XMLParserType,
    ready: list[LogEvent],
    rule: str,
) -> Iterator[LogEvent]:
    """Parse ``path`` with ``parser`` (its handlers append to ``ready``), yielding each event.

    A document that is not well-formed XML is an EventLogError naming the file,
    the line and ``rule`` (e.g. "XES: well-formed XML").
    """
    parser.buffer_text = True
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(CHUNK):
                parser.Parse(chunk, False)
                yield from ready
                ready.clear()
            parser.Parse(b"", True)
            yield from ready
    except xml.parsers.expat.ExpatError as exc:
        raise EventLogError(
            f"event log {path} is not well-formed XML",
            [Problem(str(path), rule, xml.parsers.expat.ErrorString(exc.code), line=exc.lineno)],
        ) from None
