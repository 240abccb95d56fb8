"""A log that cannot be mined is refused with every problem placed, identifiers never shown.

Each case breaks one thing in a generated log whose customers are named by e-mail
address (so an echoed identifier would be seen), and checks the error names the file,
the place (line or event), the field and the rule.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from journeykg.loaders.event_logs.errors import EventLogError
from journeykg.loaders.event_logs.mapping import read_events
from journeykg.loaders.event_logs.recipe import load_mining_recipe
from journeykg.loaders.event_logs.synthetic import Injection, generate
from journeykg.loaders.event_logs.writers import LogRow
from tests.mining.truth import DESIGN, KEY, write_log

PLANTED = ["anna.devries@voorbeeldpost.nl", "zaak-0000001"]


def _rows() -> list[LogRow]:
    rows, _ = generate(DESIGN, 20, Injection(), seed=1, customer_ids=[PLANTED[0]])
    return rows


def _refused(recipe: Path) -> EventLogError:
    with pytest.raises(EventLogError) as caught:
        read_events(load_mining_recipe(recipe), KEY)
    text = str(caught.value)
    for value in PLANTED:
        assert value not in text
    return caught.value


@pytest.mark.parametrize(
    ("fmt", "rule"),
    [
        ("xes", "XES: well-formed XML"),
        ("ocel-xml", "OCEL 2.0 XML: well-formed XML"),
        ("ocel-json", "OCEL 2.0 JSON: JSON syntax"),
    ],
)
def test_a_log_that_does_not_parse_is_named_with_its_line(
    fmt: str, rule: str, tmp_path: Path
) -> None:
    recipe = write_log(_rows(), fmt, tmp_path)
    log = next(p for p in tmp_path.iterdir() if p.name.startswith("log."))
    text = log.read_text(encoding="utf-8").splitlines(keepends=True)
    log.write_text("".join(text[:12]) + "<<<\n", encoding="utf-8")
    error = _refused(recipe)
    (problem,) = error.problems
    assert problem.rule == rule
    assert problem.file == str(log)
    assert problem.line is not None
    assert problem.line >= 12


def test_a_file_that_is_no_sqlite_database_is_refused(tmp_path: Path) -> None:
    recipe = write_log(_rows(), "ocel-sqlite", tmp_path)
    (tmp_path / "log.sqlite").write_bytes(b"not a database at all" * 100)
    (problem,) = _refused(recipe).problems
    assert problem.rule.startswith("OCEL 2.0 SQLite")


def test_an_sqlite_log_without_the_standard_tables_is_refused(tmp_path: Path) -> None:
    recipe = write_log(_rows(), "ocel-sqlite", tmp_path)
    with sqlite3.connect(tmp_path / "log.sqlite") as db:
        db.execute("DROP TABLE event_object")
    _refused(recipe)


@pytest.mark.parametrize("fmt", ["csv", "xes", "ocel-json", "ocel-xml", "ocel-sqlite"])
def test_an_activity_the_recipe_does_not_map_is_named_with_its_event(
    fmt: str, tmp_path: Path
) -> None:
    rows = _rows()
    rows[3] = LogRow(
        rows[3].event,
        rows[3].case,
        rows[3].customer,
        "Folder bekeken",
        rows[3].time,
        rows[3].channel,
    )
    error = _refused(write_log(rows, fmt, tmp_path))
    (problem,) = error.problems
    assert problem.property == "activity"
    assert problem.value == "Folder bekeken"
    assert problem.rule == "recipe: activities map every activity"
    assert problem.node is not None
    assert problem.node.startswith(("line ", "event ", "table "))
    assert "nothing mined" in error.summary


def test_ignored_activities_are_left_out_not_refused(tmp_path: Path) -> None:
    rows = _rows()
    rows[3] = LogRow(
        rows[3].event,
        rows[3].case,
        rows[3].customer,
        "Folder bekeken",
        rows[3].time,
        rows[3].channel,
    )
    recipe = write_log(rows, "csv", tmp_path, extra="ignore: [Folder bekeken]\n")
    assert len(read_events(load_mining_recipe(recipe), KEY)) == len(rows) - 1


@pytest.mark.parametrize("fmt", ["csv", "xes"])
def test_events_out_of_time_order_are_refused_where_the_format_orders_them(
    fmt: str, tmp_path: Path
) -> None:
    rows = _rows()
    first = rows[0]
    second = next(i for i, r in enumerate(rows) if r.case == first.case and r is not first)
    rows[second] = LogRow(
        rows[second].event,
        first.case,
        first.customer,
        rows[second].activity,
        "2025-12-01T00:00:00Z",
        rows[second].channel,
    )
    if fmt == "xes":  # the writer sorts a trace by time: swap the times in the file instead
        recipe = write_log(_rows(), fmt, tmp_path)
        log = tmp_path / "log.xes"
        text = log.read_text(encoding="utf-8")
        log.write_text(text.replace(rows[0].time, "2027-01-01T00:00:00Z", 1), encoding="utf-8")
    else:
        recipe = write_log(rows, fmt, tmp_path)
    (problem,) = _refused(recipe).problems
    assert problem.property == "time"
    assert problem.rule == "event log: events of a case in time order"
    assert problem.node is not None
    assert problem.node.startswith("line ")
    assert "previous event (line " in problem.message


def test_a_channel_the_recipe_does_not_map_is_named(tmp_path: Path) -> None:
    rows = _rows()
    rows[2] = LogRow(
        rows[2].event, rows[2].case, rows[2].customer, rows[2].activity, rows[2].time, "brief"
    )
    (problem,) = _refused(write_log(rows, "ocel-json", tmp_path)).problems
    assert (problem.property, problem.value, problem.node) == ("channel", "brief", "event 3")


def test_a_time_that_is_no_timestamp_is_named_without_echoing_a_phrase(
    tmp_path: Path,
) -> None:
    rows = _rows()
    rows[1] = LogRow(
        rows[1].event,
        rows[1].case,
        rows[1].customer,
        rows[1].activity,
        "Anna de Vries belde",
        rows[1].channel,
    )
    (problem,) = _refused(write_log(rows, "csv", tmp_path)).problems
    assert problem.property == "time"
    assert problem.node == "line 3"
    assert "Anna" not in str(problem)


def test_an_event_without_its_case_object_is_named(tmp_path: Path) -> None:
    recipe = write_log(_rows(), "ocel-json", tmp_path)
    text = recipe.read_text(encoding="utf-8").replace("case: case\n", "case: dossier\n")
    recipe.write_text(text, encoding="utf-8")
    error = _refused(recipe)
    assert {p.property for p in error.problems} == {"case"}


def test_a_recipe_with_an_unknown_key_names_the_key_and_its_line(tmp_path: Path) -> None:
    recipe = write_log(_rows(), "csv", tmp_path, extra="repeat_dayz: 7\n")
    with pytest.raises(EventLogError) as caught:
        load_mining_recipe(recipe)
    (problem,) = caught.value.problems
    assert problem.property == "repeat_dayz"
    assert problem.line == len(recipe.read_text(encoding="utf-8").splitlines())
