"""The quantified blast radius and priorities, on both backends.

Every figure was worked out by hand from tests/fixtures/impact_small.ttl
(see its header) following the definitions in docs/impact.md.
"""

from __future__ import annotations

import pytest
from rdflib import Graph

from journeykg.graph.impact import impact
from journeykg.graph.quantify import blast_radius, prioritise
from journeykg.graph.store import Store
from tests.conftest import read_fixture


@pytest.fixture
def small(store: Store) -> Store:
    store.upsert(read_fixture("impact_small.ttl"))
    return store


def test_blast_radius_of_a_process(small: Store) -> None:
    radius = blast_radius(small, impact(small, "process/x"))
    # Reason r, latest period 2025 only: app 1000/50/0.8 + phone 3000/30/0.6.
    assert (radius.contacts, radius.complaints) == (4000, 80)
    assert radius.first_contact_resolution == 0.65  # (800 + 1800) / 4000
    # x 100000 + b 5000 + d 20000 + a 30000 (2025, not 2024) + t1 1000 + j 7000.
    assert radius.cost_eur == 163_000.0
    (journey,) = radius.journeys
    assert journey.journey.id == "journey/j"
    assert (journey.contacts, journey.complaints) == (4000, 80)
    # j 7000 + its touchpoints t1 1000 (t2 none) + their direct supporters a 30000, d 20000.
    assert journey.cost_eur == 58_000.0
    assert [(k.kpi.id, k.kpi_type, k.gap) for k in journey.kpis] == [
        ("kpi/j-nps", "jkg:NPS", 0.6),  # (25 - 10) / 25
        ("kpi/t1-ces", "jkg:CES", 0.0),  # 5 is above the target 4
    ]
    assert journey.kpi_gap == 0.6
    assert journey.score == 4.0  # the only journey: every factor at its maximum
    assert journey.stage_ids == ("stage/s",)


def test_weights_change_the_score(small: Store) -> None:
    radius = blast_radius(small, impact(small, "process/x"), {"contacts": 2.0, "kpiGap": 0.0})
    assert radius.journeys[0].score == 4.0  # 2 + 1 + 1 + 0


def test_unknown_weight_is_refused(small: Store) -> None:
    with pytest.raises(ValueError, match="unknown weight"):
        blast_radius(small, impact(small, "process/x"), {"volume": 1.0})


def test_blast_radius_respects_the_hop_limit(small: Store) -> None:
    radius = blast_radius(small, impact(small, "process/x", max_hops=3))
    assert radius.journeys == ()
    assert radius.contacts == 0
    assert radius.cost_eur == 156_000.0  # x, b, d, a and t1 (hop 3); j is beyond


def test_priorities_rank_every_journey(small: Store) -> None:
    ranked = prioritise(small)
    assert [(f.journey.id, f.cost_eur, f.score) for f in ranked.journeys] == [
        ("journey/j", 58_000.0, 4.0)
    ]


def test_synced_months_replace_the_year_figure_of_their_channel(small: Store) -> None:
    # Two synced months of 2025 via the app beside the typed-in 2025 app figure
    # (1000/50/0.8): the months count, the year figure does not; phone is untouched.
    small.upsert(
        Graph().parse(
            format="turtle",
            data="""
            @base <https://id.journeykg.example/> .
            @prefix jkg: <https://w3id.org/journeykg/ontology#> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
            <volume/r-2025-01-app> a jkg:ContactVolume ; rdfs:label "Verhuizen jan app"@nl ;
                jkg:volumeOf <reason/r> ; jkg:viaChannel <channel/app> ;
                jkg:period "2025"^^xsd:gYear ; jkg:periodStart "2025-01-01"^^xsd:date ;
                jkg:periodEnd "2025-01-31"^^xsd:date ; jkg:contacts 600 ; jkg:complaints 10 ;
                jkg:firstContactResolution 0.9 .
            <volume/r-2025-02-app> a jkg:ContactVolume ; rdfs:label "Verhuizen feb app"@nl ;
                jkg:volumeOf <reason/r> ; jkg:viaChannel <channel/app> ;
                jkg:period "2025"^^xsd:gYear ; jkg:periodStart "2025-02-01"^^xsd:date ;
                jkg:periodEnd "2025-02-28"^^xsd:date ; jkg:contacts 500 ; jkg:complaints 5 ;
                jkg:firstContactResolution 0.7 .
            """,
        )
    )
    radius = blast_radius(small, impact(small, "process/x"))
    # app 600 + 500 (not 1000), phone 3000.
    assert (radius.contacts, radius.complaints) == (4100, 45)
    # (600 * 0.9 + 500 * 0.7 + 3000 * 0.6) / 4100
    assert radius.first_contact_resolution == round(2690 / 4100, 4)  # rounded as reported


def test_the_latest_measured_kpi_value_sets_the_gap(small: Store) -> None:
    # NPS on journey j: baseline 10, target 25. Two measured values; the later
    # period (ending 2025-03-31: 20) counts, not the earlier one (5), whatever
    # the order of the IRIs.
    small.upsert(
        Graph().parse(
            format="turtle",
            data="""
            @base <https://id.journeykg.example/> .
            @prefix jkg: <https://w3id.org/journeykg/ontology#> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
            <kpi-value/a-march> a jkg:KPIValue ; rdfs:label "NPS maart"@nl ;
                jkg:valueOf <kpi/j-nps> ; jkg:value 20.0 ; jkg:period "2025"^^xsd:gYear ;
                jkg:periodStart "2025-03-01"^^xsd:date ; jkg:periodEnd "2025-03-31"^^xsd:date .
            <kpi-value/b-february> a jkg:KPIValue ; rdfs:label "NPS februari"@nl ;
                jkg:valueOf <kpi/j-nps> ; jkg:value 5.0 ; jkg:period "2025"^^xsd:gYear ;
                jkg:periodStart "2025-02-01"^^xsd:date ; jkg:periodEnd "2025-02-28"^^xsd:date .
            """,
        )
    )
    (journey,) = blast_radius(small, impact(small, "process/x")).journeys
    nps = next(k for k in journey.kpis if k.kpi.id == "kpi/j-nps")
    assert (nps.baseline, nps.measured, nps.measured_until) == (10.0, 20.0, "2025-03-31")
    assert nps.gap == 0.2  # (25 - 20) / 25, not (25 - 10) / 25
    ces = next(k for k in journey.kpis if k.kpi.id == "kpi/t1-ces")
    assert (ces.measured, ces.measured_until, ces.gap) == (None, None, 0.0)
