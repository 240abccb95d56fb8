"""Exports shaped the way the tools write them, generated for the insight tests and the README.

- a help-desk ticket export (the ``ticket-csv`` kind, as examples/ticket-csv/):
  tickets about porting a number, by phone, month by month, with a complaint
  spike in the last month;
- a Medallia survey export (``;``-separated, day-first dates, as
  tests/loaders/fixtures/survey/): NPS responses after switching, lower
  before a day and higher after it.

Names and e-mail addresses are made up and never reach the graph (the
sources do not read them). Seeded: the same files every time.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

TICKET_HEADER = [
    "Id",
    "Requester",
    "Requester email",
    "Subject",
    "Status",
    "Priority",
    "Via",
    "Ticket type",
    "Klacht",
    "Contact reason",
    "Created at",
    "Updated at",
    "Solved at",
    "Tags",
]

#: Complaints per month, January to June 2026: a spike in June.
COMPLAINTS = (3, 5, 4, 2, 4, 26)
TICKETS_PER_MONTH = 40

TICKET_RECIPE = """name: helpdesk-tickets
kind: ticket-csv
mode: full
input:
  files: [tickets.csv]
crm:
  reason_field: Contact reason
  channel_field: Via
  reasons:
    Nummer meenemen: reason/nummer-meenemen
  channels:
    Phone call (inbound): channel/telefoon
  complaint: {field: Klacht, values: [true]}
  escalation: {field: Priority, values: [urgent]}
  first_contact_resolution:
    rule: closed-within
    within_hours: 24
    closed: {field: Status, values: [solved, closed]}
  timezone: Europe/Amsterdam
"""

SURVEY_RECIPE = """name: medallia-overstappen
kind: survey
mode: full
input:
  files: [medallia.csv]
survey:
  delimiter: ";"
  response_id_column: Survey ID
  date_column: Response Date
  date_format: "%d/%m/%Y %H:%M"
  timezone: Europe/Amsterdam
  subject_column: Touchpoint
  metrics:
    nps: {column: "Likelihood to Recommend (0-10)", method: nps}
  kpis:
    overstappen-web: {nps: kpi/overstappen-nps}
"""


def write_tickets(folder: Path, complaints: tuple[int, ...] = COMPLAINTS) -> Path:
    """``tickets.csv`` and ``recipe.yaml`` in ``folder``; the recipe's path."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "tickets.csv").open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(TICKET_HEADER)
        number = 5000
        for month, complained in enumerate(complaints, start=1):
            for i in range(TICKETS_PER_MONTH):
                number += 1
                day = 1 + i % 27
                created = f"2026-{month:02d}-{day:02d} {9 + i % 8:02d}:15"
                solved = f"2026-{month:02d}-{day:02d} {10 + i % 8:02d}:40"
                complaint = i < complained
                writer.writerow(
                    [
                        number,
                        f"Klant {number}",
                        f"klant{number}@example.invalid",
                        "Nummer nog niet over" if complaint else "Vraag over nummerbehoud",
                        "solved",
                        "urgent" if complaint else "normal",
                        "Phone call (inbound)",
                        "incident" if complaint else "question",
                        "true" if complaint else "false",
                        "Nummer meenemen",
                        created,
                        solved,
                        solved,
                        "nummerbehoud",
                    ]
                )
    (folder / "recipe.yaml").write_text(TICKET_RECIPE, encoding="utf-8")
    return folder / "recipe.yaml"


def write_survey(
    folder: Path,
    before: tuple[int, ...] = (1, 2, 3, 4, 5, 6),
    after: tuple[int, ...] = (8, 9, 10, 11),
    per_month: int = 40,
    seed: int = 18,
) -> Path:
    """``medallia.csv`` and ``recipe.yaml`` in ``folder`` (months of 2026); the recipe's path.

    Months in ``before`` draw scores around an NPS of 0, months in ``after``
    around an NPS of +35: a real change, well beyond month-to-month noise.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    lines = [
        "Survey ID;Response Date;Customer Name;Customer Email;Touchpoint;"
        "Likelihood to Recommend (0-10);Comments"
    ]
    for month in (*before, *after):
        improved = month in after
        weights = (0.20, 0.30, 0.50) if improved else (0.35, 0.30, 0.35)
        for i in range(per_month):
            band = rng.choices(("detractor", "passive", "promoter"), weights)[0]
            score = {
                "detractor": rng.randint(0, 6),
                "passive": rng.randint(7, 8),
                "promoter": rng.randint(9, 10),
            }[band]
            day = 1 + i % 27
            lines.append(
                f"MED-2026{month:02d}{i:03d};{day:02d}/{month:02d}/2026 10:{i % 60:02d};"
                f"Klant {month}-{i};klant{month}x{i}@example.invalid;overstappen-web;{score};"
                "Groet"
            )
    (folder / "medallia.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "recipe.yaml").write_text(SURVEY_RECIPE, encoding="utf-8")
    return folder / "recipe.yaml"
