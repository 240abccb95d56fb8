"""The lifecycle picture on both backends: order, figures as priorities gives them, gaps as
the coverage report finds them."""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef

from journeykg.graph.coverage import coverage_report
from journeykg.graph.lifecycle import lifecycle_picture, reason_detail
from journeykg.graph.quantify import prioritise
from journeykg.graph.store import Store
from journeykg.resources import DEMO_DATASET
from tests.conftest import BASE

# A journey placed on an uncovered reason, with neither owner nor KPI: every gap at once.
_UNOWNED = """
@base <https://id.journeykg.example/> .
@prefix jkg: <https://w3id.org/journeykg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<journey/nummer-uitporteren> a jkg:Journey ;
    skos:prefLabel "Nummer uitporteren"@nl , "Port out a number"@en ;
    jkg:placedOn <reason/nummer-uitporteren> .
"""


@pytest.fixture
def demo(store: Store) -> Store:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    return store


def test_stages_and_phases_come_in_the_frameworks_order(demo: Store) -> None:
    picture = lifecycle_picture(demo)
    assert [s.stage.id for s in picture.stages] == [
        "stage/orienteren",
        "stage/kopen",
        "stage/in-gebruik-nemen",
        "stage/gebruiken",
        "stage/wijzigen",
        "stage/vertrekken",
    ]
    assert [p.phase.label("en") for p in picture.stages[0].phases] == ["Seek information", "Decide"]
    assert picture.stages[1].stage.label("nl") == "Aanvragen en kopen"
    assert sum(1 for _ in picture.reasons()) == 34


def test_journey_figures_are_those_priorities_ranks(demo: Store) -> None:
    picture = lifecycle_picture(demo)
    ranked = {f.journey.id: f for f in prioritise(demo).journeys}
    assert {j.journey.id: j.figures for j in picture.journeys} == ranked


def test_journeys_come_in_the_order_of_the_first_stage_they_sit_in(demo: Store) -> None:
    demo.upsert(Graph().parse(data=_UNOWNED, format="turtle"))  # on no stage's reason: last
    picture = lifecycle_picture(demo)
    columns = [s.stage.id for s in picture.stages]

    def first(stage_ids: tuple[str, ...]) -> int:
        return min((columns.index(s) for s in stage_ids), default=len(columns))

    order = [(first(j.figures.stage_ids), j.journey.id) for j in picture.journeys]
    assert order == sorted(order)
    assert len({stage for stage, _ in order}) > 2  # journeys in several stages, not one


def test_a_journeys_contacts_are_the_sum_of_its_reason_cells(demo: Store) -> None:
    picture = lifecycle_picture(demo)
    for placed in picture.journeys:
        cells = [c for c in picture.reasons() if placed.journey.id in c.journeys]
        assert cells, placed.journey.id
        assert sum(c.volume.contacts for c in cells) == placed.figures.contacts
        assert sum(c.volume.complaints for c in cells) == placed.figures.complaints


def test_gaps_are_the_coverage_reports(demo: Store) -> None:
    demo.upsert(Graph().parse(data=_UNOWNED, format="turtle"))
    picture = lifecycle_picture(demo)
    findings = coverage_report(demo).by_rule()

    def found(rule: str) -> set[str]:
        return {f.element for f in findings.get(rule, [])}

    assert {c.reason.id for c in picture.reasons() if not c.journeys} == found(
        "Coverage-ContactReasonWithoutJourney"
    )
    assert (
        {j.journey.id for j in picture.journeys if not j.owners}
        == found("Coverage-JourneyWithoutOwner")
        == {"journey/nummer-uitporteren"}
    )
    assert (
        {j.journey.id for j in picture.journeys if not j.kpis}
        == found("Coverage-JourneyWithoutKPI")
        == {"journey/nummer-uitporteren"}
    )
    assert "reason/nummer-uitporteren" not in found("Coverage-ContactReasonWithoutJourney")


def test_a_reasons_channels_add_up_to_its_cell(demo: Store) -> None:
    picture = lifecycle_picture(demo)
    cell = next(c for c in picture.reasons() if c.reason.id == "reason/adres-wijzigen")
    detail = reason_detail(demo, URIRef(f"{BASE}reason/adres-wijzigen"))
    assert detail.total == cell.volume
    assert sum(c.volume.contacts for c in detail.channels) == cell.volume.contacts == 134_700
    assert {c.channel.id for c in detail.channels if c.channel} >= {"channel/app", "channel/web"}
    assert [j.id for j in detail.journeys] == ["journey/verhuizen"]
    assert detail.stage is not None
    assert detail.stage.id == "stage/wijzigen"
    processes = {p.process.id: [s.id for s in p.systems] for p in detail.processes}
    assert processes["process/facturatie"] == ["system/billing"]
