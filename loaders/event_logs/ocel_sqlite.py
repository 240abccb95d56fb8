"""OCEL 2.0 SQLite event logs, read with the standard library's sqlite3, row by row.

rustxes reads OCEL 2.0 JSON and XML but not SQLite; sqlite3 streams the rows of a query
from disk, so one query per event type (the standard keeps each type's events in its own
table, ``event_<map>``, named in ``event_map_type``) reads a log of any size.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from journeykg.loaders.event_logs.errors import EventLogError
from journeykg.loaders.event_logs.records import LogEvent
from journeykg.validation.problems import Problem

_FIXED = frozenset({"ocel_id", "ocel_time"})


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_ocel_sqlite(path: Path, case_type: str, customer_type: str) -> Iterator[LogEvent]:
    """The events of the OCEL 2.0 SQLite log at ``path``, one event type after another."""
    if not path.is_file():
        raise EventLogError(
            f"cannot read event log {path}",
            [Problem(str(path), "OCEL 2.0 SQLite: readable", "there is no such file")],
        )
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        yield from _events(connection, path, case_type, customer_type)
    except sqlite3.DatabaseError as exc:
        raise EventLogError(
            f"event log {path} is not an OCEL 2.0 SQLite log",
            [
                Problem(
                    str(path),
                    "OCEL 2.0 SQLite: tables event_map_type, event_object, object",
                    str(exc),
                )
            ],
        ) from None
    finally:
        connection.close()


def _events(
    connection: sqlite3.Connection, path: Path, case_type: str, customer_type: str
) -> Iterator[LogEvent]:
    maps = connection.execute(
        "SELECT ocel_type, ocel_type_map FROM event_map_type ORDER BY ocel_type"
    ).fetchall()
    for activity, table_map in maps:
        table = "event_" + str(table_map)
        columns = [row[1] for row in connection.execute(f"PRAGMA table_info({_quoted(table)})")]
        if not columns:
            raise EventLogError(
                f"event log {path} names table {table}, which it does not have",
                [
                    Problem(
                        str(path),
                        "OCEL 2.0 SQLite: a table per event type",
                        f"event_map_type maps {activity!r} to {table}, which is missing",
                    )
                ],
            )
        extra = [c for c in columns if c not in _FIXED]
        select = ", ".join(f"t.{_quoted(c)}" for c in extra)
        query = (
            "WITH rel AS (SELECT eo.ocel_event_id AS eid,"
            " MIN(CASE WHEN o.ocel_type = ? THEN eo.ocel_object_id END) AS case_id,"
            " MIN(CASE WHEN o.ocel_type = ? THEN eo.ocel_object_id END) AS customer_id"
            " FROM event_object eo JOIN object o ON o.ocel_id = eo.ocel_object_id"
            " GROUP BY eo.ocel_event_id)"
            f" SELECT t.ocel_time, rel.case_id, rel.customer_id{', ' + select if select else ''}"
            f" FROM {_quoted(table)} t LEFT JOIN rel ON rel.eid = t.ocel_id ORDER BY t.rowid"
        )
        for number, row in enumerate(connection.execute(query, (case_type, customer_type)), 1):
            time, case, customer, *values = row
            yield LogEvent(
                f"table {table} row {number}",
                None if case is None else str(case),
                None if customer is None else str(customer),
                str(activity),
                None if time is None else str(time),
                {c: str(v) for c, v in zip(extra, values, strict=True) if v is not None},
            )
