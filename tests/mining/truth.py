"""A designed journey and recipes for the logs of known truth that the mining tests read."""

from __future__ import annotations

from pathlib import Path

from journeykg.loaders.event_logs import writers
from journeykg.loaders.event_logs.synthetic import DesignedStep

DESIGN = [
    DesignedStep("Aanvraag gestart", "step/aanvragen", "web"),
    DesignedStep("Gegevens ingevuld", "step/gegevens", "web"),
    DesignedStep("Identiteit gecontroleerd", "step/controle", "web"),
    DesignedStep("Contract getekend", "step/tekenen", "web"),
    DesignedStep("Aansluiting geleverd", "step/leveren", "web"),
]
STEPS = [d.step for d in DESIGN]
KEY = b"test-key-not-secret"

#: format -> (writer, file suffix)
FORMATS = {
    "csv": (writers.write_csv, "csv"),
    "xes": (writers.write_xes, "xes"),
    "ocel-json": (writers.write_ocel_json, "jsonocel"),
    "ocel-xml": (writers.write_ocel_xml, "xmlocel"),
    "ocel-sqlite": (writers.write_ocel_sqlite, "sqlite"),
}

CSV_FIELDS = (
    "fields: {case: case_id, customer: customer_id, activity: activity, time: timestamp,"
    " channel: channel, reason: contact_reason}\n"
)


def recipe_text(fmt: str, file: str, *, extra: str = "") -> str:
    """A mining recipe for ``file`` in ``fmt`` that maps the DESIGN's activities."""
    activities = "".join(f"  {d.activity}: {{step: {d.step}}}\n" for d in DESIGN)
    return (
        f"name: test-mining\njourney: journey/aansluiten\n"
        f"input: {{file: {file}, format: {fmt}}}\n"
        "case: case\ncustomer: customer\n"
        + (CSV_FIELDS if fmt == "csv" else "")
        + f"activities:\n{activities}"
        + "channels: {web: channel/web, telefoon: channel/telefoon}\n"
        + "reasons: {contact: reason/aansluiten}\n"
        + extra
    )


def write_log(rows: list[writers.LogRow], fmt: str, folder: Path, *, extra: str = "") -> Path:
    """The log in ``fmt`` and its recipe in ``folder``; the recipe's path."""
    writer, suffix = FORMATS[fmt]
    folder.mkdir(parents=True, exist_ok=True)
    writer(rows, folder / f"log.{suffix}")
    recipe = folder / f"{fmt}.yaml"
    recipe.write_text(recipe_text(fmt, f"log.{suffix}", extra=extra), encoding="utf-8")
    return recipe
