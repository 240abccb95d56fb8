"""A hub's first view, on both backends: counts per hop and class, and one cluster a page at a
time, equal to what the whole answer holds."""

from __future__ import annotations

from collections import Counter

import pytest
from rdflib import Graph

from journeykg.graph.impact import start_impact
from journeykg.graph.relations import Direction
from journeykg.graph.store import Store
from journeykg.resources import DEMO_DATASET


@pytest.fixture
def demo(store: Store) -> Store:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    return store


@pytest.mark.parametrize(
    ("of", "direction", "max_hops"),
    [
        ("process/kredietcheck", Direction.DOWNSTREAM, None),
        ("stage/wijzigen", Direction.DOWNSTREAM, 3),
        ("journey/overstappen", Direction.UPSTREAM, None),
    ],
)
def test_counts_per_hop_and_class_are_the_answers(
    demo: Store, of: str, direction: Direction, max_hops: int | None
) -> None:
    answer = start_impact(demo, of, direction=direction, max_hops=max_hops).answer()
    counted = start_impact(demo, of, direction=direction, max_hops=max_hops).clusters()
    assert counted == Counter((a.hops, a.element.type) for a in answer.affected)
    # In the answer's order: by hop, then class.
    assert list(counted) == sorted(counted)
    cut = start_impact(demo, of, direction=direction, max_hops=max_hops).cut_count()
    assert cut == sum(c.edges_beyond for c in answer.cut)
    assert (cut == 0) == answer.is_complete


def test_a_clusters_pages_are_the_answers_elements_of_that_hop_and_class(demo: Store) -> None:
    answer = start_impact(demo, "process/kredietcheck").answer()
    traversal = start_impact(demo, "process/kredietcheck")
    (hops, kind), count = max(traversal.clusters().items(), key=lambda kv: kv[1])
    expected = [a for a in answer.affected if a.hops == hops and a.element.type == kind]
    assert count == len(expected) > 3
    pages = []
    for offset in range(0, count, 3):
        page, total = traversal.cluster(hops, kind, offset, 3)
        assert total == count
        pages.extend(page)
    assert pages == expected  # labels, relations and parents too
    assert traversal.cluster(hops, "NoSuchClass", 0, 10) == ([], 0)
    with pytest.raises(ValueError, match="0 or more"):
        traversal.cluster(hops, kind, -1, 3)
