"""Dated facts as time series: contact and complaint counts per contact reason and channel,
and a KPI's values, each point a period (``jkg:periodStart``..``jkg:periodEnd``).

Facts with only a year (``jkg:period``) are annual roll-ups, not points of a
monthly series: they are left out here. A period is one point: when two facts
share a series and a period start (two syncs that do not agree), the later key
wins so that the answer is the same on every backend.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from journeykg.graph.edges import follow
from journeykg.graph.store import Store
from journeykg.namespaces import JKG


@dataclass(frozen=True, order=True)
class Point:
    """One period of a series: its first and last day (ISO dates), its value and sample size."""

    start: str
    end: str
    value: float
    node: str
    """The fact (a contact volume, a KPI value) the point was read from."""
    sample: int | None = None
    """Responses behind a KPI value; None for counts."""


@dataclass(frozen=True)
class CountSeries:
    """Contacts or complaints of one contact reason (and channel), period by period."""

    reason: str
    channel: str | None
    measure: str
    """``complaints`` or ``contacts``."""
    points: tuple[Point, ...]


def _literal(graph: Graph, node: URIRef, predicate: URIRef) -> Literal | None:
    value = graph.value(node, predicate)
    return value if isinstance(value, Literal) else None


#: What a series reads of each contact volume.
_READ = (JKG.periodStart, JKG.periodEnd, JKG.volumeOf, JKG.viaChannel, JKG.complaints, JKG.contacts)


def count_series(store: Store) -> list[CountSeries]:
    """Every dated series of complaints and of contacts, by reason, channel and measure."""
    volumes = store.instances(JKG.ContactVolume)
    facts = store.describe_only(volumes, _READ)
    grouped: dict[tuple[str, str | None, str], dict[str, Point]] = defaultdict(dict)
    for node in sorted(volumes):
        start, end = _literal(facts, node, JKG.periodStart), _literal(facts, node, JKG.periodEnd)
        reason = facts.value(node, JKG.volumeOf)
        if start is None or end is None or reason is None:
            continue
        channel = facts.value(node, JKG.viaChannel)
        for measure, predicate in (("complaints", JKG.complaints), ("contacts", JKG.contacts)):
            count = _literal(facts, node, predicate)
            if count is None:
                continue
            key = (str(reason), str(channel) if channel is not None else None, measure)
            grouped[key][str(start)] = Point(str(start), str(end), float(count), str(node))
    return [
        CountSeries(reason, channel, measure, tuple(sorted(points.values())))
        for (reason, channel, measure), points in sorted(
            grouped.items(), key=lambda kv: (kv[0][0], kv[0][1] or "", kv[0][2])
        )
    ]


def kpi_series(store: Store, kpis: Collection[URIRef]) -> dict[URIRef, tuple[Point, ...]]:
    """Per KPI in ``kpis``, its dated values in period order (KPIs without any: empty)."""
    by_kpi: dict[URIRef, list[URIRef]] = {k: [] for k in kpis}
    for kpi, node in follow(store, JKG.valueOf, kpis, inverse=True):
        by_kpi[kpi].append(node)
    facts = store.describe({n for ns in by_kpi.values() for n in ns})
    result: dict[URIRef, tuple[Point, ...]] = {}
    for kpi, nodes in by_kpi.items():
        points: dict[str, Point] = {}
        for node in sorted(nodes):
            start, end = (
                _literal(facts, node, JKG.periodStart),
                _literal(facts, node, JKG.periodEnd),
            )
            value = _literal(facts, node, JKG.value)
            if start is None or end is None or value is None:
                continue
            responses = _literal(facts, node, JKG.responses)
            sample = int(responses) if responses is not None else None
            points[str(start)] = Point(str(start), str(end), float(value), str(node), sample)
        result[kpi] = tuple(sorted(points.values()))
    return result
