"""Dated facts as time series: contact and complaint counts per contact reason and channel,
and a KPI's values, each point a period (``jkg:periodStart``..``jkg:periodEnd``).

Facts with only a year (``jkg:period``) are annual roll-ups, not points of a
monthly series: they are left out here. A period is one point: when two facts
share a series and a period start (two syncs that do not agree), the later key
wins so that the answer is the same on every backend.

:func:`count_series` reads every contact volume in the store (the rules asked
about everything, ``journeykg insights signals``); :func:`newest_count_series`
reads only some series, and of each only its newest points, picked in the store
(:meth:`.Store.newest_points`): what the rules read after a sync, about the
series that sync wrote into (:func:`touched_by`). Both give the same points at
the end of a series: the tests compare them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from journeykg.graph.edges import follow
from journeykg.graph.store import (
    DatedPoint,
    EdgeRequest,
    Facts,
    SeriesKey,
    SeriesShape,
    Store,
)
from journeykg.graph.stored_terms import stored_iri
from journeykg.namespaces import JKG, RDF


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

#: Contact volumes as series: per contact reason and channel, dated by their period.
VOLUMES = SeriesShape(
    JKG.ContactVolume, JKG.volumeOf, JKG.viaChannel, JKG.periodStart, JKG.periodEnd
)

#: The counts of a contact volume, by the measure's name in :class:`CountSeries`.
COUNTS = {JKG.complaints: "complaints", JKG.contacts: "contacts"}


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


def newest_count_series(
    store: Store, series: Collection[SeriesKey], last: int
) -> list[CountSeries]:
    """The newest ``last`` points of each of ``series`` (contact reason, channel), by measure.

    The end of what :func:`count_series` gives for those series (its last
    ``last`` points), read from the store by :meth:`.Store.newest_points`:
    the facts of other series and older periods never leave the store.
    """
    if not series:
        return []
    newest = store.newest_points(VOLUMES, series, tuple(COUNTS), last)
    found = [
        CountSeries(
            str(reason),
            str(channel) if channel is not None else None,
            COUNTS[measure],
            tuple(Point(p.start, p.end, p.value, str(p.node)) for p in points),
        )
        for (reason, channel, measure), points in newest.items()
    ]
    return sorted(found, key=lambda s: (s.reason, s.channel or "", s.measure))


@dataclass(frozen=True)
class Touched:
    """What the signal rules may find something new in after a write of some subjects."""

    series: frozenset[SeriesKey]
    """The (contact reason, channel) series the written contact volumes belong to."""
    kpis: frozenset[URIRef]
    """The KPIs written, and those whose written values (``jkg:KPIValue``) they measure."""

    def __or__(self, other: Touched) -> Touched:
        """What either touched."""
        return Touched(self.series | other.series, self.kpis | other.kpis)


#: Nothing touched: what a run that wrote nothing the rules read leaves.
UNTOUCHED = Touched(frozenset(), frozenset())


def touched_in(written: Graph) -> Touched:
    """:func:`touched_by` of ``written``'s subjects, from ``written`` itself: for a write
    that states each of its subjects whole (a sync's batch: every record is new or replaces
    what its source wrote before), what the store then holds of them is what it wrote.

    No read: on Neo4j the two reads of :func:`touched_by` were two round trips after
    every sync (~0.1 s of a 1,000-record sync on a 1M-node graph)."""
    reasons = _least_objects(written, JKG.volumeOf)
    channels = _least_objects(written, JKG.viaChannel)
    series: set[SeriesKey] = {(reason, channels.get(v)) for v, reason in reasons.items()}
    kpis = set(_least_objects(written, JKG.valueOf).values())
    kpis |= {s for s in written.subjects(RDF.type, JKG.KPI) if isinstance(s, URIRef)}
    return Touched(frozenset(series), frozenset(kpis))


def _least_objects(graph: Graph, link: URIRef) -> dict[URIRef, URIRef]:
    """Each subject's IRI neighbour along a functional ``link`` (of two, the least: as
    :func:`_linked` and every backend)."""
    linked: dict[URIRef, URIRef] = {}
    for s, o in graph.subject_objects(link):
        if (
            isinstance(s, URIRef)
            and isinstance(o, URIRef)
            and (s not in linked or str(o) < str(linked[s]))
        ):
            linked[s] = o
    return linked


def touched_by(store: Store, subjects: Collection[URIRef]) -> Touched:
    """The series and KPIs that ``subjects``, as the store now holds them, belong to.

    Two light reads (the subjects' links and their types, as text), not a describe:
    on Neo4j turning a thousand described subjects into rdflib terms was a quarter
    of a second. A subject linked by ``jkg:volumeOf`` names its series whatever its
    type: :meth:`.Store.newest_points` reads only contact volumes, so a series
    named too many is only read for nothing.
    """
    if not subjects:
        return UNTOUCHED
    nodes = sorted(str(s) for s in subjects)
    reasons, channels, measured = (
        _linked(found)
        for found in store.edges(
            [
                EdgeRequest(str(JKG.volumeOf), nodes),
                EdgeRequest(str(JKG.viaChannel), nodes),
                EdgeRequest(str(JKG.valueOf), nodes),
            ]
        ).found
    )
    series: set[SeriesKey] = {
        (stored_iri(reason), stored_iri(channels[v]) if v in channels else None)
        for v, reason in reasons.items()
    }
    kpi, kpis = str(JKG.KPI), {stored_iri(k) for k in measured.values()}
    kpis |= {
        stored_iri(iri)
        # Facts.ALL, not TYPES: on the embedded store a types-only read builds (after
        # every write, again) its in-memory index of the whole store's types, which on a
        # 1M-node store took seconds of CPU beside the sync; ALL reads these subjects only.
        for iri, (types, _) in store.element_facts(nodes, Facts.ALL).items()
        if kpi in types
    }
    return Touched(frozenset(series), frozenset(kpis))


def _linked(edges: list[tuple[str, str]]) -> dict[str, str]:
    """Each node's neighbour along a functional link (of two, the least: as every backend)."""
    linked: dict[str, str] = {}
    for node, other in sorted(edges, reverse=True):
        linked[node] = other
    return linked


def newest_points_read_out(
    store: Store,
    shape: SeriesShape,
    series: Collection[SeriesKey],
    measures: Sequence[URIRef],
    last: int,
) -> dict[tuple[URIRef, URIRef | None, URIRef], tuple[DatedPoint, ...]]:
    """:meth:`.Store.newest_points`, from every fact of the series read out of ``store``."""
    if last < 1:
        raise ValueError(f"newest_points: last must be at least 1, not {last}")
    wanted = set(series)
    facts = {f for _, f in follow(store, shape.link, {h for h, _ in wanted}, inverse=True)}
    if not facts:
        return {}
    read = store.describe_only(facts, series_predicates(shape, measures))
    return newest_of(read, facts, shape, wanted, measures, last)


def series_predicates(shape: SeriesShape, measures: Sequence[URIRef]) -> tuple[URIRef, ...]:
    """What :func:`newest_of` reads of each fact."""
    return (RDF.type, shape.link, shape.by, shape.start, shape.end, *measures)


def newest_of(
    read: Graph,
    facts: Collection[URIRef],
    shape: SeriesShape,
    series: Collection[SeriesKey],
    measures: Sequence[URIRef],
    last: int,
) -> dict[tuple[URIRef, URIRef | None, URIRef], tuple[DatedPoint, ...]]:
    """:meth:`.Store.newest_points` of ``facts`` as ``read`` holds them (every fact of the
    series, or a backend's pick of them that holds at least each series' newest)."""
    wanted = set(series)
    grouped: dict[tuple[URIRef, URIRef | None, URIRef], dict[str, DatedPoint]] = defaultdict(dict)
    # In IRI order, so that of two facts with one start the later key is kept.
    for node in sorted(facts):
        if (node, RDF.type, shape.kind) not in read:
            continue
        start, end = _literal(read, node, shape.start), _literal(read, node, shape.end)
        holder, by = read.value(node, shape.link), read.value(node, shape.by)
        key = (holder, by if isinstance(by, URIRef) else None)
        if start is None or end is None or not isinstance(holder, URIRef) or key not in wanted:
            continue
        for measure in measures:
            value = _literal(read, node, measure)
            if value is not None:
                grouped[(holder, key[1], measure)][str(start)] = DatedPoint(
                    str(start), str(end), float(value), node
                )
    return {key: tuple(sorted(points.values()))[-last:] for key, points in grouped.items()}
