"""CRM activity exports as CSV (one row per activity), read row by row with csv.

The recipe names the columns (``fields``); a row's place is its line in the file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from journeykg.loaders.event_logs.errors import EventLogError
from journeykg.loaders.event_logs.records import LogEvent
from journeykg.validation.problems import Problem


def read_crm_csv(path: Path, columns: dict[str, str], delimiter: str = ",") -> Iterator[LogEvent]:
    """The rows of the export at ``path`` as events; ``columns`` maps case, customer,
    activity and time (and any attribute, channel or reason) to column names."""
    try:
        stream = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise EventLogError(
            f"cannot read event log {path}",
            [Problem(str(path), "CSV: readable", type(exc).__name__)],
        ) from None
    with stream:
        reader = csv.DictReader(stream, delimiter=delimiter)
        header = reader.fieldnames or []
        missing = sorted(f for f, c in columns.items() if c not in header)
        if missing:
            raise EventLogError(
                f"event log {path} lacks columns the recipe names",
                [
                    Problem(
                        str(path),
                        "CSV: columns named by the recipe",
                        f"the header has no column {columns[f]!r}",
                        line=1,
                        property=f,
                    )
                    for f in missing
                ],
            )
        fixed = {"case", "customer", "activity", "time"}
        others = {f: c for f, c in columns.items() if f not in fixed}
        try:
            for row in reader:
                yield LogEvent(
                    f"line {reader.line_num}",
                    row.get(columns["case"]) or None,
                    row.get(columns["customer"]) or None,
                    row.get(columns["activity"]) or None,
                    row.get(columns["time"]) or None,
                    {f: row[c] for f, c in others.items() if row.get(c)},
                )
        except (csv.Error, UnicodeDecodeError) as exc:
            raise EventLogError(
                f"event log {path} is not valid CSV",
                [Problem(str(path), "CSV: syntax", type(exc).__name__, line=reader.line_num)],
            ) from None
