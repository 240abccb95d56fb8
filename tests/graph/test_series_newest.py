"""The signal rules' restricted read (the newest points of the series a sync wrote into,
picked in the store) against the full read, on generated series, on both backends."""

from __future__ import annotations

import random

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.scenario import OverlayStore
from journeykg.graph.series import (
    VOLUMES,
    count_series,
    newest_count_series,
    newest_points_read_out,
    touched_by,
    touched_in,
)
from journeykg.graph.signals import BASELINE_PERIODS, spikes
from journeykg.graph.store import SeriesKey, Store
from journeykg.namespaces import JKG, RDF, RDFS, XSD

BASE = "https://id.journeykg.example/test/series/"
REASONS = [URIRef(f"{BASE}reason/{r}") for r in "abc"]
CHANNELS: list[URIRef | None] = [
    URIRef(f"{BASE}channel/phone"),
    URIRef(f"{BASE}channel/mail"),
    None,
]
MEASURES = (JKG.complaints, JKG.contacts)


def _date(month: int) -> tuple[Literal, Literal]:
    year, m = 2025 + (month - 1) // 12, (month - 1) % 12 + 1
    return (
        Literal(f"{year}-{m:02d}-01", datatype=XSD.date),
        Literal(f"{year}-{m:02d}-28", datatype=XSD.date),
    )


def _volume(
    graph: Graph,
    name: str,
    reason: URIRef,
    channel: URIRef | None,
    month: int,
    complaints: int | None,
    contacts: int | None,
) -> URIRef:
    node = URIRef(f"{BASE}volume/{name}")
    start, end = _date(month)
    graph.add((node, RDF.type, JKG.ContactVolume))
    graph.add((node, RDFS.label, Literal(f"volume {name}", lang="en")))
    graph.add((node, JKG.volumeOf, reason))
    if channel is not None:
        graph.add((node, JKG.viaChannel, channel))
    graph.add((node, JKG.periodStart, start))
    graph.add((node, JKG.periodEnd, end))
    if complaints is not None:
        graph.add((node, JKG.complaints, Literal(complaints)))
    if contacts is not None:
        graph.add((node, JKG.contacts, Literal(contacts)))
    return node


def generated(seed: int) -> Graph:
    """Nine series (three reasons by phone, by mail, without a channel) of up to 14 months:
    gaps, two facts of one month (ties: the later key wins), facts with one count only,
    annual roll-ups and untyped facts the series leave out, and spikes in the newest month."""
    rng = random.Random(seed)
    graph = Graph()
    for reason in REASONS:
        graph.add((reason, RDF.type, JKG.ContactReason))
        graph.add((reason, RDFS.label, Literal(str(reason)[-1], lang="en")))
    for channel in CHANNELS:
        if channel is not None:
            graph.add((channel, RDF.type, JKG.Channel))
    for r, reason in enumerate(REASONS):
        for c, channel in enumerate(CHANNELS):
            months = [m for m in range(1, rng.randint(3, 15)) if rng.random() > 0.15]
            for m in months:
                spike = m == months[-1] and (r + c) % 3 == 0
                complaints = rng.randint(0, 8) + (40 if spike else 0)
                contacts = rng.randint(150, 250)
                counts = rng.choice(
                    [(complaints, contacts)] * 6 + [(complaints, None), (None, contacts)]
                )
                _volume(graph, f"{r}-{c}-{m:02d}", reason, channel, m, *counts)
                if rng.random() < 0.2:  # a second fact of the month: "z" sorts after the first
                    _volume(
                        graph,
                        f"{r}-{c}-{m:02d}z",
                        reason,
                        channel,
                        m,
                        rng.randint(0, 60),
                        rng.randint(150, 250),
                    )
            annual = URIRef(f"{BASE}volume/{r}-{c}-year")
            graph.add((annual, RDF.type, JKG.ContactVolume))
            graph.add((annual, JKG.volumeOf, reason))
            graph.add((annual, JKG.period, Literal("2025", datatype=XSD.gYear)))
            graph.add((annual, JKG.complaints, Literal(500)))
            untyped = _volume(graph, f"{r}-{c}-untyped", reason, channel, 30, 900, 900)
            graph.remove((untyped, RDF.type, JKG.ContactVolume))
    return graph


def _series(store: Store) -> list[SeriesKey]:
    return [(r, c) for r in REASONS for c in CHANNELS]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("last", [1, 3, BASELINE_PERIODS + 1, 40])
def test_the_newest_points_are_the_end_of_the_full_series(
    store: Store, seed: int, last: int
) -> None:
    store.upsert(generated(seed))
    full = {(s.reason, s.channel, s.measure): s.points for s in count_series(store)}
    assert len(full) >= 12  # the data has what the comparison needs
    assert any(len(p) > last for p in full.values()) or last == 40
    newest = newest_count_series(store, _series(store), last)
    assert {(s.reason, s.channel, s.measure): s.points for s in newest} == {
        key: points[-last:] for key, points in full.items()
    }
    # The backend's pick is its definition's answer.
    picked = store.newest_points(VOLUMES, _series(store), MEASURES, last)
    assert picked == newest_points_read_out(store, VOLUMES, _series(store), MEASURES, last)


def test_ties_keep_the_later_key(store: Store) -> None:
    graph = Graph()
    early = _volume(graph, "t-1", REASONS[0], CHANNELS[0], 1, 3, 100)
    later = _volume(graph, "t-1z", REASONS[0], CHANNELS[0], 1, 9, None)
    store.upsert(graph)
    found = store.newest_points(VOLUMES, [(REASONS[0], CHANNELS[0])], MEASURES, 2)
    assert [p.node for p in found[(REASONS[0], CHANNELS[0], JKG.complaints)]] == [later]
    # The later key has no contacts: the earlier one is that measure's point.
    assert [p.node for p in found[(REASONS[0], CHANNELS[0], JKG.contacts)]] == [early]


def test_values_of_another_datatype_than_the_range_are_read_too(store: Store) -> None:
    """Neo4j keeps such a value under its property's name with the datatype appended."""
    graph = Graph()
    plain = _volume(graph, "d-1", REASONS[0], CHANNELS[0], 1, 3, 100)
    other = _volume(graph, "d-2", REASONS[0], CHANNELS[0], 2, None, None)
    graph.add((other, JKG.complaints, Literal("7", datatype=XSD.int)))
    graph.add((other, JKG.contacts, Literal("120.5", datatype=XSD.decimal)))
    timed = _volume(graph, "d-3", REASONS[0], CHANNELS[0], 3, 4, 90)
    graph.set((timed, JKG.periodStart, Literal("2025-03-01T00:00:00", datatype=XSD.dateTime)))
    store.upsert(graph)
    found = store.newest_points(VOLUMES, [(REASONS[0], CHANNELS[0])], MEASURES, 5)
    assert found == newest_points_read_out(store, VOLUMES, [(REASONS[0], CHANNELS[0])], MEASURES, 5)
    complaints = found[(REASONS[0], CHANNELS[0], JKG.complaints)]
    assert [(p.node, p.value) for p in complaints] == [(plain, 3.0), (other, 7.0), (timed, 4.0)]
    assert [p.value for p in found[(REASONS[0], CHANNELS[0], JKG.contacts)]] == [100, 120.5, 90]


def test_only_the_series_asked_about(store: Store) -> None:
    store.upsert(generated(4))
    asked = [(REASONS[1], CHANNELS[2]), (REASONS[2], CHANNELS[0])]
    newest = newest_count_series(store, asked, BASELINE_PERIODS + 1)
    assert {(s.reason, s.channel) for s in newest} == {
        (str(r), str(c) if c is not None else None) for r, c in asked
    }
    assert newest_count_series(store, [], 5) == []
    with pytest.raises(ValueError, match="last must be at least 1"):
        store.newest_points(VOLUMES, asked, MEASURES, 0)


@pytest.mark.parametrize("seed", [1, 2, 6, 7])
def test_spikes_in_the_touched_series_are_the_full_reads(store: Store, seed: int) -> None:
    store.upsert(generated(seed))
    every = spikes(store)
    assert every  # the generated data spikes somewhere
    series = _series(store)
    assert spikes(store, series) == every
    for key in series:
        assert spikes(store, [key]) == [
            f
            for f in every
            if (f.element, f.channel) == (str(key[0]), str(key[1]) if key[1] else None)
        ]


def test_a_spike_the_write_did_not_touch_is_not_judged_again(store: Store) -> None:
    """A series that already spikes, and a write into another series: only the full sweep
    (``journeykg insights signals``) reports the first; the sync's loop does not."""
    store.upsert(generated(1))
    spiking = {(URIRef(f.element), URIRef(f.channel) if f.channel else None) for f in spikes(store)}
    quiet = next(k for k in _series(store) if k not in spiking)
    written = Graph()
    node = _volume(written, "new-quiet", quiet[0], quiet[1], 20, 1, 200)
    store.upsert(written)
    touched = touched_by(store, [node])
    assert touched.series == {quiet}
    assert not touched.kpis
    assert spikes(store, touched.series) == []
    assert spiking <= {
        (URIRef(f.element), URIRef(f.channel) if f.channel else None) for f in spikes(store)
    }


def _kpis(graph: Graph, name: str) -> tuple[URIRef, URIRef, URIRef]:
    """A KPI with a value measuring it, a KPI typed only, and a typed contact reason, in
    ``graph``: (the KPI, its value, the KPI typed only)."""
    kpi, value, typed_only = (
        URIRef(f"{BASE}kpi-{name}"),
        URIRef(f"{BASE}kpi-value/{name}"),
        URIRef(f"{BASE}kpi-{name}-2"),
    )
    graph.add((kpi, RDF.type, JKG.KPI))
    graph.add((typed_only, RDF.type, JKG.KPI))
    graph.add((value, RDF.type, JKG.KPIValue))
    graph.add((value, JKG.valueOf, kpi))
    graph.add((REASONS[0], RDF.type, JKG.ContactReason))
    return kpi, value, typed_only


def test_touched_by_names_the_series_and_kpis_of_what_was_written(store: Store) -> None:
    graph = Graph()
    phone = _volume(graph, "x-phone", REASONS[0], CHANNELS[0], 1, 3, 100)
    none = _volume(graph, "x-none", REASONS[2], None, 1, 3, 100)
    _volume(graph, "x-other", REASONS[1], CHANNELS[1], 1, 3, 100)
    kpi, value, other_kpi = _kpis(graph, "x")
    store.upsert(graph)
    touched = touched_by(store, [phone, none, value, other_kpi, REASONS[0]])
    assert touched.series == {(REASONS[0], CHANNELS[0]), (REASONS[2], None)}
    assert touched.kpis == {kpi, other_kpi}
    assert touched_by(store, []).series == frozenset()


def test_what_a_whole_write_touched_is_read_from_it_as_from_the_store(store: Store) -> None:
    """``touched_in`` (a sync's batches, no read) says what ``touched_by`` says after the
    write, on each backend: channels, the none channel, KPIs typed and measured, and of a
    link stated twice the least, as the store's read picks it."""
    graph = Graph()
    phone, mail = URIRef(f"{BASE}channel/phone"), URIRef(f"{BASE}channel/mail")
    written = [
        _volume(graph, "w-phone", REASONS[0], CHANNELS[0], 1, 3, 100),
        _volume(graph, "w-none", REASONS[2], None, 2, 3, 100),
        _volume(graph, "w-twice", REASONS[1], phone, 1, 3, 100),
    ]
    graph.add((written[2], JKG.viaChannel, mail))
    kpi, value, typed_only = _kpis(graph, "w")
    store.upsert(graph)
    subjects = [*written, kpi, typed_only, value, REASONS[0]]
    assert touched_in(graph) == touched_by(store, subjects)
    assert touched_in(graph).series == {
        (REASONS[0], CHANNELS[0]),
        (REASONS[2], None),
        (REASONS[1], mail),
    }
    assert touched_in(graph).kpis == {kpi, typed_only}
    assert touched_in(Graph()) == touched_by(store, [])


def test_the_overlay_sees_its_own_facts(store: Store) -> None:
    store.upsert(generated(1))
    key = (REASONS[0], CHANNELS[0])
    added = Graph()
    node = _volume(added, "scenario", key[0], key[1], 25, 77, 300)
    overlay = OverlayStore(store, added, Graph())
    found = overlay.newest_points(VOLUMES, [key], MEASURES, 2)
    assert found[(*key, JKG.complaints)][-1].node == node
    assert store.newest_points(VOLUMES, [key], MEASURES, 2)[(*key, JKG.complaints)][-1].node != node
