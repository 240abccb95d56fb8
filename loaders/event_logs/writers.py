"""Writing event logs in the formats read here, shaped like the standards' own examples.

Used to generate the demo's event logs and the logs of known truth that the tests and
bench/journey_mining.py mine. No library used here writes all five formats (rustxes writes
XES only, from a polars frame); each writer is a few lines over the standard library.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import quoteattr


@dataclass(frozen=True, slots=True)
class LogRow:
    """One event as a generator makes it: identifiers in clear, as a CRM would export them."""

    event: str
    case: str
    customer: str
    activity: str
    time: str
    channel: str | None = None
    reason: str | None = None

    def attributes(self) -> dict[str, str]:
        found = {"channel": self.channel, "reason": self.reason}
        return {k: v for k, v in found.items() if v is not None}


CSV_COLUMNS = (
    "activity_id",
    "case_id",
    "customer_id",
    "activity",
    "timestamp",
    "channel",
    "contact_reason",
)


def write_csv(rows: Iterable[LogRow], path: Path) -> None:
    """A CRM activity export: one row per activity, a header of CSV_COLUMNS."""
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(CSV_COLUMNS)
        for r in rows:
            writer.writerow(
                [r.event, r.case, r.customer, r.activity, r.time, r.channel or "", r.reason or ""]
            )


def write_xes(rows: Sequence[LogRow], path: Path) -> None:
    """An XES log: one trace per case (in first-event order), its events in time order,
    the customer as the trace attribute ``customer``."""
    by_case: dict[str, list[LogRow]] = {}
    for r in rows:
        by_case.setdefault(r.case, []).append(r)
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<log xes.version="1849-2016" xes.features="nested-attributes" '
            'xmlns="http://www.xes-standard.org/">\n'
            '  <extension name="Concept" prefix="concept" '
            'uri="http://www.xes-standard.org/concept.xesext"/>\n'
            '  <extension name="Time" prefix="time" '
            'uri="http://www.xes-standard.org/time.xesext"/>\n'
            '  <global scope="event"><string key="concept:name" value="__INVALID__"/>'
            "</global>\n"
            '  <classifier name="Activity" keys="concept:name"/>\n'
        )
        for case, events in by_case.items():
            out.write(
                f'  <trace>\n    <string key="concept:name" value={quoteattr(case)}/>\n'
                f'    <string key="customer" value={quoteattr(events[0].customer)}/>\n'
            )
            for e in sorted(events, key=lambda r: r.time):
                out.write(
                    f'    <event>\n      <string key="concept:name" '
                    f"value={quoteattr(e.activity)}/>\n"
                    f'      <date key="time:timestamp" value={quoteattr(e.time)}/>\n'
                )
                for k, v in e.attributes().items():
                    out.write(f'      <string key="{k}" value={quoteattr(v)}/>\n')
                out.write("    </event>\n")
            out.write("  </trace>\n")
        out.write("</log>\n")


def _objects(rows: Iterable[LogRow]) -> dict[str, str]:
    objects: dict[str, str] = {}
    for r in rows:
        objects.setdefault(r.case, "case")
        objects.setdefault(r.customer, "customer")
    return objects


def write_ocel_json(rows: Sequence[LogRow], path: Path) -> None:
    """An OCEL 2.0 JSON log with object types ``case`` and ``customer``."""
    activities = sorted({r.activity for r in rows})
    document = {
        "objectTypes": [{"name": "case", "attributes": []}, {"name": "customer", "attributes": []}],
        "eventTypes": [
            {
                "name": a,
                "attributes": [
                    {"name": "channel", "type": "string"},
                    {"name": "reason", "type": "string"},
                ],
            }
            for a in activities
        ],
        "objects": [{"id": o, "type": t} for o, t in _objects(rows).items()],
        "events": [
            {
                "id": r.event,
                "type": r.activity,
                "time": r.time,
                "attributes": [{"name": k, "value": v} for k, v in r.attributes().items()],
                "relationships": [
                    {"objectId": r.case, "qualifier": "case"},
                    {"objectId": r.customer, "qualifier": "customer"},
                ],
            }
            for r in rows
        ],
    }
    with path.open("w", encoding="utf-8") as out:
        json.dump(document, out, indent=1)  # a line per value: a parse error has its line


def write_ocel_xml(rows: Sequence[LogRow], path: Path) -> None:
    """An OCEL 2.0 XML log with object types ``case`` and ``customer``."""
    activities = sorted({r.activity for r in rows})
    with path.open("w", encoding="utf-8") as out:
        out.write(
            '<?xml version="1.0" encoding="UTF-8"?>\n<log>\n  <object-types>\n'
            '    <object-type name="case"><attributes/></object-type>\n'
            '    <object-type name="customer"><attributes/></object-type>\n'
            "  </object-types>\n  <event-types>\n"
        )
        for a in activities:
            out.write(
                f"    <event-type name={quoteattr(a)}><attributes>"
                '<attribute name="channel" type="string"/>'
                '<attribute name="reason" type="string"/></attributes></event-type>\n'
            )
        out.write("  </event-types>\n  <objects>\n")
        for o, t in _objects(rows).items():
            out.write(f'    <object id={quoteattr(o)} type="{t}"><attributes/></object>\n')
        out.write("  </objects>\n  <events>\n")
        for r in rows:
            out.write(
                f"    <event id={quoteattr(r.event)} type={quoteattr(r.activity)} "
                f"time={quoteattr(r.time)}>\n      <attributes>"
            )
            for k, v in r.attributes().items():
                out.write(f'<attribute name="{k}">{_text(v)}</attribute>')
            out.write(
                "</attributes>\n      <objects>"
                f'<relationship object-id={quoteattr(r.case)} qualifier="case"/>'
                f'<relationship object-id={quoteattr(r.customer)} qualifier="customer"/>'
                "</objects>\n    </event>\n"
            )
        out.write("  </events>\n</log>\n")


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def write_ocel_sqlite(rows: Sequence[LogRow], path: Path) -> None:
    """An OCEL 2.0 SQLite log: the standard's tables, one ``event_<map>`` per activity."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.executescript(
            "CREATE TABLE event (ocel_id TEXT PRIMARY KEY, ocel_type TEXT);"
            "CREATE TABLE object (ocel_id TEXT PRIMARY KEY, ocel_type TEXT);"
            "CREATE TABLE event_object (ocel_event_id TEXT, ocel_object_id TEXT,"
            " ocel_qualifier TEXT, PRIMARY KEY (ocel_event_id, ocel_object_id, ocel_qualifier));"
            "CREATE TABLE object_object (ocel_source_id TEXT, ocel_target_id TEXT,"
            " ocel_qualifier TEXT);"
            "CREATE TABLE event_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);"
            "CREATE TABLE object_map_type (ocel_type TEXT PRIMARY KEY, ocel_type_map TEXT);"
            "CREATE TABLE object_Case (ocel_id TEXT, ocel_time TEXT, ocel_changed_field TEXT);"
            "CREATE TABLE object_Customer (ocel_id TEXT, ocel_time TEXT,"
            " ocel_changed_field TEXT);"
            "INSERT INTO object_map_type VALUES ('case', 'Case'), ('customer', 'Customer');"
        )
        maps = {a: f"Type{i}" for i, a in enumerate(sorted({r.activity for r in rows}))}
        for activity, table in maps.items():
            db.execute(
                f'CREATE TABLE "event_{table}" (ocel_id TEXT PRIMARY KEY, '
                "ocel_time TEXT, channel TEXT, reason TEXT)"
            )
            db.execute("INSERT INTO event_map_type VALUES (?, ?)", (activity, table))
        db.executemany("INSERT INTO object VALUES (?, ?)", _objects(rows).items())
        db.executemany("INSERT INTO event VALUES (?, ?)", ((r.event, r.activity) for r in rows))
        db.executemany(
            "INSERT INTO event_object VALUES (?, ?, ?)",
            (
                (r.event, o, q)
                for r in rows
                for o, q in ((r.case, "case"), (r.customer, "customer"))
            ),
        )
        for activity, table in maps.items():
            db.executemany(
                f'INSERT INTO "event_{table}" VALUES (?, ?, ?, ?)',
                ((r.event, r.time, r.channel, r.reason) for r in rows if r.activity == activity),
            )
        db.commit()
    finally:
        db.close()
