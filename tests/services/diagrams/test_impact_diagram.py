"""An impact answer drawn in every format holds exactly the answer's elements and path edges.

On both backends, for the demo's credit check (119 elements) and a second
element (invoicing, 123 elements), and clustered above the threshold (the CRM
system reaches 276): the counts of the clusters add up to the answer.
"""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph

from journeykg.graph.impact import impact
from journeykg.graph.store import Store
from journeykg.resources import DEMO_DATASET
from journeykg.services.diagrams.drawing import draw_impact
from journeykg.services.diagrams.formats import DiagramFormat
from journeykg.services.diagrams.impact_diagram import CLUSTER_ABOVE, cluster_id
from journeykg.services.diagrams.mermaid import mermaid_id
from tests.services.diagrams.drawn import (
    answer_edges,
    answer_nodes,
    dot_graph,
    mermaid_graph,
    png_size,
    svg_graph,
)

QUESTIONS = ["process/kredietcheck", "process/facturatie"]


@pytest.fixture
def demo(store: Store) -> Store:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    return store


@pytest.mark.parametrize("of", QUESTIONS)
def test_svg_holds_the_answers_elements_and_path_edges(demo: Store, of: str) -> None:
    answer = impact(demo, of)
    assert len(answer.affected) > 20  # a real answer, not an empty picture
    nodes, edges, texts = svg_graph(draw_impact(demo, answer, DiagramFormat.SVG).content)
    assert nodes == answer_nodes(answer)
    assert edges == answer_edges(answer)
    assert "hop 1" not in texts
    assert "stap 1" in texts


@pytest.mark.parametrize("of", QUESTIONS)
def test_dot_holds_the_answers_elements_and_path_edges(demo: Store, of: str) -> None:
    answer = impact(demo, of)
    nodes, edges = dot_graph(draw_impact(demo, answer, DiagramFormat.DOT).content.decode())
    assert nodes == answer_nodes(answer)
    assert edges == answer_edges(answer)


@pytest.mark.parametrize("of", QUESTIONS)
def test_mermaid_holds_the_answers_elements_and_path_edges(demo: Store, of: str) -> None:
    answer = impact(demo, of)
    drawing = draw_impact(demo, answer, DiagramFormat.MERMAID, "en")
    nodes, edges = mermaid_graph(drawing.content.decode())
    assert set(nodes) == answer_nodes(answer)
    assert len(edges) == len(answer.edges)
    assert {(s, t) for s, _, t in edges} == {(s, t) for s, _, t in answer_edges(answer)}
    # The labels the model holds (English where the graph has it), quoted as mermaid writes them.
    assert nodes == {n.id: n.label.replace('"', "#quot;") for n in drawing.diagram.nodes}
    assert ("process/kredietcheck", "depends on", "process/betalingsregeling") in edges or (
        of != "process/kredietcheck"
    )


def test_png_is_a_png_of_a_bounded_size(demo: Store) -> None:
    content = draw_impact(demo, impact(demo, "process/kredietcheck"), DiagramFormat.PNG).content
    width, height = png_size(content)
    # Graphviz's size cap: 50 inches a side at 96 dpi.
    assert 200 < width <= 4800
    assert 200 < height <= 4800


def test_labels_follow_the_chosen_language(demo: Store) -> None:
    answer = impact(demo, "process/kredietcheck")
    _, _, dutch = svg_graph(draw_impact(demo, answer, DiagramFormat.SVG, "nl").content)
    _, _, english = svg_graph(draw_impact(demo, answer, DiagramFormat.SVG, "en").content)
    assert "Wat een wijziging van Kredietcheck raakt" in dutch
    assert "What a change to Kredietcheck affects" in english
    assert "hangt af van" in dutch
    assert "depends on" in english


@pytest.mark.parametrize("of", QUESTIONS)
def test_a_large_answer_is_clustered_per_class_and_hop(demo: Store, of: str) -> None:
    answer = impact(demo, of)
    drawing = draw_impact(demo, answer, DiagramFormat.DOT, "en", cluster_above=20)
    diagram = drawing.diagram
    assert diagram.clustered
    assert diagram.note is not None
    assert "clustered by class and hop" in diagram.note
    per_cluster = Counter(cluster_id(a.element.type, a.hops) for a in answer.affected)
    drawn = {n.id: n.count for n in diagram.nodes if n.id != answer.of.id}
    assert drawn == dict(per_cluster)
    nodes, edges = dot_graph(drawing.content.decode())
    assert nodes == {answer.of.id, *per_cluster}
    where = {a.element.id: cluster_id(a.element.type, a.hops) for a in answer.affected}
    where[answer.of.id] = answer.of.id
    assert edges == {(where[s], r, where[t]) for s, r, t in answer_edges(answer)}
    assert sum(link.count for link in diagram.links) == len(answer.edges)
    # The note is in the picture too, not only in the model.
    assert "clustered by class and hop" in drawing.content.decode()


def test_the_crm_systems_answer_is_clustered_by_default(demo: Store) -> None:
    answer = impact(demo, "system/crm")
    assert len(answer.affected) + 1 > CLUSTER_ABOVE
    drawing = draw_impact(demo, answer, DiagramFormat.SVG, "nl")
    nodes, _edges, texts = svg_graph(drawing.content)
    assert nodes == {answer.of.id} | {cluster_id(a.element.type, a.hops) for a in answer.affected}
    assert any("gegroepeerd per klasse en stap" in t for t in texts), texts


def test_the_threshold_is_the_number_of_elements(demo: Store) -> None:
    answer = impact(demo, "process/kredietcheck")
    count = 1 + len(answer.affected)
    assert not draw_impact(demo, answer, DiagramFormat.DOT, cluster_above=count).diagram.clustered
    assert draw_impact(demo, answer, DiagramFormat.DOT, cluster_above=count - 1).diagram.clustered


def test_mermaid_ids_read_back_to_their_keys() -> None:
    for key in ("process/kredietcheck", "a_b", "a/b", "x-1.2", "cluster/KPI/3"):
        assert mermaid_id(key).isidentifier()
    assert len({mermaid_id(k) for k in ("a_b", "a/b", "a-b", "a_2fb")}) == 4
