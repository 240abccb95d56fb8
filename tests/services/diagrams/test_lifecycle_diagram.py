"""The lifecycle picture drawn holds every contact reason and journey, and where each is placed."""

from __future__ import annotations

import pytest
from rdflib import Graph

from journeykg.graph.lifecycle import lifecycle_picture
from journeykg.graph.store import Store
from journeykg.resources import DEMO_DATASET
from journeykg.services.diagrams.drawing import draw_lifecycle
from journeykg.services.diagrams.formats import DiagramFormat
from tests.services.diagrams.drawn import dot_graph, mermaid_graph, png_size, svg_graph


@pytest.fixture
def demo(store: Store) -> Store:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    return store


def test_every_reason_and_journey_with_its_placements(demo: Store) -> None:
    picture = lifecycle_picture(demo)
    reasons = {c.reason.id for c in picture.reasons()}
    journeys = {j.journey.id for j in picture.journeys}
    placed = {(j, "PLACED_ON", c.reason.id) for c in picture.reasons() for j in c.journeys}
    assert len(reasons) > 20
    assert len(journeys) > 5
    assert placed

    nodes, edges, texts = svg_graph(draw_lifecycle(demo, DiagramFormat.SVG, "en").content)
    assert nodes == reasons | journeys
    assert edges == placed
    stage = picture.stages[0]
    total = sum(c.volume.contacts for p in stage.phases for c in p.reasons)
    assert f"{stage.stage.label('en')} ({total:,} contacts)" in texts

    dot_nodes, dot_edges = dot_graph(draw_lifecycle(demo, DiagramFormat.DOT).content.decode())
    assert (dot_nodes, dot_edges) == (reasons | journeys, placed)

    mermaid_nodes, _ = mermaid_graph(draw_lifecycle(demo, DiagramFormat.MERMAID).content.decode())
    assert set(mermaid_nodes) == reasons | journeys


def test_figures_are_written_as_the_language_writes_them(demo: Store) -> None:
    picture = lifecycle_picture(demo)
    busiest = max(picture.reasons(), key=lambda c: c.volume.contacts)
    assert busiest.volume.contacts >= 1000
    dutch = f"{busiest.volume.contacts:,}".replace(",", ".")
    _, _, texts = svg_graph(draw_lifecycle(demo, DiagramFormat.SVG, "nl").content)
    assert any(t.startswith(f"{dutch} contacten") for t in texts), texts


def test_png(demo: Store) -> None:
    width, height = png_size(draw_lifecycle(demo, DiagramFormat.PNG).content)
    assert 500 < width <= 4800
    assert 300 < height <= 4800
