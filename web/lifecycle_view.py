"""What each cell of the lifecycle picture shows for the measure the user picked.

The figures come from :func:`journeykg.graph.lifecycle.lifecycle_picture`;
this module only decides how to show them: a value and a colour level.

- contacts, complaints: the reason's own figures (latest year, all channels);
- cost: the cost at stake of the journeys placed on the reason, summed (each
  journey's ``costEur`` as ``priorities`` gives it);
- NPS, CES, FCR against target: the KPIs of that type on the journeys placed
  on the reason; the cell shows the one furthest from its target.

Counts are coloured on five levels relative to the largest cell; KPIs by their
gap to target (on target, up to 10 % short, more). The level is also written
in words (``title`` and the legend), so colour is never the only signal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from journeykg.graph.factors import KpiStatus
from journeykg.graph.lifecycle import LifecyclePicture, ReasonCell
from journeykg.web.i18n import Texts

#: The measures a user may pick, in the order the picker shows them.
MEASURES = ("contacts", "complaints", "cost", "NPS", "CES", "FCR")
DEFAULT_MEASURE = "contacts"
KPI_MEASURES = {"NPS": "jkg:NPS", "CES": "jkg:CES", "FCR": "jkg:FCR"}
#: A KPI up to this share short of its target is "near"; further short is "off".
NEAR_TARGET = 0.10


@dataclass(frozen=True)
class CellView:
    """One reason cell as shown: its text, its CSS level class and the level in words."""

    text: str
    level: str
    """``heat-1`` .. ``heat-5`` (counts), ``kpi-ok|near|off`` (KPIs), ``none`` (no data)."""
    meaning: str


def measure_of(asked: str | None) -> str:
    """``asked`` if it is a measure, else the default (contacts)."""
    return asked if asked in MEASURES else DEFAULT_MEASURE


def cell_views(picture: LifecyclePicture, measure: str, t: Texts) -> dict[str, CellView]:
    """Per reason id, how its cell shows ``measure``."""
    cells = list(picture.reasons())
    if measure in KPI_MEASURES:
        return {c.reason.id: _kpi_view(_worst(picture, c, KPI_MEASURES[measure]), t) for c in cells}
    values = {c.reason.id: _count(picture, c, measure) for c in cells}
    largest = max(values.values(), default=0.0)
    views = {}
    for ident, value in values.items():
        if not value or not largest:
            # No contacts recorded is a count (0); no journey to cost is no figure (–).
            shown = "–" if measure == "cost" else t.number(value)
            views[ident] = CellView(shown, "none", t("no_data"))
            continue
        text = t.euros(value) if measure == "cost" else t.number(value)
        level = max(1, math.ceil(5 * value / largest))
        views[ident] = CellView(text, f"heat-{level}", f"{level}/5")
    return views


def _count(picture: LifecyclePicture, cell: ReasonCell, measure: str) -> float:
    if measure == "contacts":
        return cell.volume.contacts
    if measure == "complaints":
        return cell.volume.complaints
    return sum(picture.journey(j).figures.cost_eur for j in cell.journeys)


def _worst(picture: LifecyclePicture, cell: ReasonCell, kpi_type: str) -> KpiStatus | None:
    statuses = [s for j in cell.journeys for s in picture.journey(j).kpis if s.kpi_type == kpi_type]
    return max(statuses, key=lambda s: (s.gap, s.kpi.id), default=None)


def current(status: KpiStatus) -> float | None:
    """A KPI's current value: the latest measured one, else its baseline (as its gap uses)."""
    return status.measured if status.measured is not None else status.baseline


def _kpi_view(status: KpiStatus | None, t: Texts) -> CellView:
    if status is None or status.target is None:
        return CellView("–", "none", t("no_data"))
    value = current(status)
    percent = status.kpi_type == "jkg:FCR" and status.target <= 1
    shown = t.percent(value) if percent else t.number(value, 1)
    target = t.percent(status.target) if percent else t.number(status.target, 1)
    text = f"{shown} / {target}"
    if status.gap == 0:
        return CellView(text, "kpi-ok", t("on_target"))
    if status.gap <= NEAR_TARGET:
        return CellView(text, "kpi-near", t("near_target"))
    return CellView(text, "kpi-off", t("off_target"))
