"""The ``ticket-csv`` kind on its example: a help-desk ticket export (examples/ticket-csv/)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from journeykg.loaders.recipe import RecipeError, load_recipe, parse_recipe
from journeykg.loaders.sources import SourceError
from tests.loaders.sources_helpers import Run, assert_no_personal_data, run, run_recipe

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "ticket-csv"
RECIPE = EXAMPLE / "recipe.yaml"

#: Worked out by hand from tickets.csv: contacts, complaints, escalations, first-contact
#: resolution (solved or closed within 24 hours, not escalated).
VOLUMES = {
    # 1001 solved in 25 minutes; 1002 a complaint, urgent (so never resolved first time)
    "reason/nummer-meenemen|channel/telefoon|2026-02": (2, 1, 1, Decimal("0.5")),
    "reason/rekening-begrijpen|channel/web|2026-02": (1, 0, 0, Decimal("1")),
    # 1004 solved after 50 hours; 1005 a complaint, still open
    "reason/rekening-begrijpen|channel/email|2026-02": (2, 1, 0, Decimal("0")),
    "reason/nummer-meenemen|channel/chat|2026-03": (1, 0, 0, Decimal("1")),
    # 1008 solved in 5 minutes, 1012 after 26 hours
    "reason/rekening-begrijpen|channel/web|2026-03": (2, 0, 0, Decimal("0.5")),
    # 1010 closed after 30 minutes (updated days later: the solve time counts)
    "reason/nummer-meenemen|channel/telefoon|2026-03": (1, 0, 0, Decimal("1")),
}


def volumes(result: Run) -> dict[str, tuple[int, int, int, Decimal]]:
    """Per contact volume: contacts, complaints, escalations, first-contact resolution."""
    counted = ("jkg:contacts", "jkg:complaints", "jkg:escalations", "jkg:firstContactResolution")
    found = {}
    for external_id in result.by_id:
        values = result.values(external_id)
        contacts, complaints, escalations, fcr = (values[name] for name in counted)
        found[external_id] = (contacts, complaints, escalations, fcr)
    return found


def column(name: str) -> list[str]:
    """Every value of a column of the example export."""
    with (EXAMPLE / "tickets.csv").open(encoding="utf-8", newline="") as export:
        return [row[name] for row in csv.DictReader(export)]


def personal_values() -> list[str]:
    """The requesters' names and e-mail addresses, and the phone numbers in subjects."""
    people = sorted({*column("Requester"), *column("Requester email")})
    return [*people, "+31 20 555 0142", "06-12345678"]


def test_tickets_are_counted_per_reason_channel_and_month() -> None:
    result = run_recipe(RECIPE)
    assert volumes(result) == VOLUMES
    assert result.read == 12
    assert result.unmapped == {"Contact reason='Storing'": 1, "Via='Twitter'": 1}
    assert result.bookmark == "2026-03-17T09:00:00.000Z"  # 1012's Updated at, in Amsterdam


def test_a_ticket_without_a_creation_time_is_refused_with_its_line_and_column() -> None:
    (problem,) = run_recipe(RECIPE).rejected
    assert (problem.file, problem.line, problem.node, problem.property, problem.value) == (
        "tickets.csv",
        12,
        "1011",
        "Created at",
        "gisteren",
    )
    assert problem.rule == "creation time is an ISO 8601 timestamp"


def test_no_personal_value_of_the_export_reaches_the_graph() -> None:
    result = run_recipe(RECIPE)
    assert_no_personal_data(result.graph, personal_values())
    text = result.graph.serialize(format="nt")
    for subject in column("Subject"):
        assert subject not in text


def test_no_personal_value_reaches_the_report() -> None:
    result = run_recipe(RECIPE)
    report = json.dumps([str(p) for p in result.rejected] + list(result.unmapped))
    for value in [*personal_values(), *column("Subject")]:
        assert value not in report


@pytest.mark.parametrize(
    ("named", "instead", "field"),
    [
        ("complaint: {field: Klacht", "complaint: {field: Subject", "crm.complaint.field"),
        ("reason_field: Contact reason", "reason_field: Requester", "crm.reason_field"),
        ("escalation: {field: Priority", "escalation: {field: Mobile", "crm.escalation.field"),
    ],
)
def test_a_recipe_naming_a_personal_column_is_refused(named: str, instead: str, field: str) -> None:
    text = RECIPE.read_text(encoding="utf-8")
    assert named in text
    with pytest.raises(RecipeError) as raised:
        parse_recipe(text.replace(named, instead), "recipe.yaml")
    (problem,) = raised.value.problems
    assert (problem.property, problem.rule) == (field, "recipe: value_error")
    assert "personal data" in problem.message


def test_an_incremental_read_recomputes_the_months_touched_after_the_bookmark() -> None:
    recipe = load_recipe(RECIPE).model_copy(update={"mode": "incremental"})
    result = run(recipe, "2026-03-05T00:00:00Z")
    assert volumes(result) == {k: v for k, v in VOLUMES.items() if k.endswith("2026-03")}
    assert run(recipe, "2026-03-17T09:00:00.000Z").records == []


def test_a_posted_export_is_read_like_the_file() -> None:
    payload = (EXAMPLE / "tickets.csv").read_bytes()
    assert volumes(run(load_recipe(RECIPE), payload=payload)) == VOLUMES


def test_an_export_without_the_id_column_is_refused_as_a_whole() -> None:
    payload = b"Ticket,Created at,Via,Contact reason\n1,2026-02-03 09:15,Mail,Factuur\n"
    with pytest.raises(SourceError) as raised:
        run(load_recipe(RECIPE), payload=payload)
    problem = next(p for p in raised.value.problems if p.value == "Id")
    assert (problem.property, problem.line, problem.message) == (
        "crm.fields.id",
        6,  # the crm section: the recipe relies on the default
        "the recipe does not set crm.fields.id, and its default 'Id' is not a field of "
        "<payload> of POST /sync/helpdesk-tickets; the export has: Contact reason, "
        "Created at, Ticket, Via",
    )
