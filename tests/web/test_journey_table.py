"""The picture's journeys table: every journey while they fit on a page, else pages of them
ranked by the chosen measure, with the count and links to page on; gap lists cut the same way."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from bench.synthetic import generate
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.lifecycle import LifecyclePicture, lifecycle_picture
from journeykg.graph.quantify import prioritise
from journeykg.graph.store import Store
from journeykg.web.journey_table import GAP_LIST_SIZE, PAGE_SIZE, journey_page, measure_value
from tests.conftest import BASE
from tests.web.demo_app import client, demo_store
from tests.web.glossary_client import attribute

#: A synthetic organisation of this many nodes has 3 % journeys: more than a page of them.
NODES = 4_000


@pytest.fixture(scope="module")
def demo() -> Iterator[LifecyclePicture]:
    with demo_store() as store:
        yield lifecycle_picture(store)


@pytest.fixture(scope="module")
def large() -> Iterator[Store]:
    store = EmbeddedStore(None, BASE)
    org = generate(NODES)
    store.upsert(org.graph)
    yield store
    store.close()


@pytest.fixture(scope="module")
def web(large: Store, tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    app, _ = client(large, tmp_path_factory.mktemp("state"))
    return app


def test_a_table_that_fits_shows_every_journey_in_the_pictures_order(
    demo: LifecyclePicture,
) -> None:
    shown = journey_page(demo, "cost", 7)
    assert shown.rows == demo.journeys
    assert (shown.number, shown.pages, shown.first, shown.last) == (1, 1, 1, len(demo.journeys))
    assert not shown.ranked


def test_a_longer_table_is_paged_most_first_by_the_measure(demo: LifecyclePicture) -> None:
    size = 3
    pages = math.ceil(len(demo.journeys) / size)
    everything = [
        j for n in range(1, pages + 1) for j in journey_page(demo, "complaints", n, size).rows
    ]
    assert sorted(j.journey.id for j in everything) == sorted(j.journey.id for j in demo.journeys)
    order = [(-j.figures.complaints, j.journey.id) for j in everything]
    assert order == sorted(order)
    second = journey_page(demo, "complaints", 2, size)
    assert second.ranked
    assert (second.first, second.last) == (size + 1, 2 * size)
    last = journey_page(demo, "complaints", 10_000, size)  # past the end: the last page
    assert last.number == pages
    assert last.rows == tuple(everything[(pages - 1) * size :])


def test_a_kpi_measure_ranks_by_the_worst_gap_of_that_kpi(demo: LifecyclePicture) -> None:
    size = 2
    pages = math.ceil(len(demo.journeys) / size)
    ranked = [j for n in range(1, pages + 1) for j in journey_page(demo, "NPS", n, size).rows]
    gaps = [measure_value(j, "NPS") for j in ranked]
    worst = max(s.gap for j in demo.journeys for s in j.kpis if s.kpi_type == "jkg:NPS")
    assert worst > 0  # the demo has a journey short of its NPS target
    assert gaps[0] == worst
    assert gaps == sorted(gaps, reverse=True)


def test_the_page_shows_a_page_of_journeys_ranked_by_cost(web: TestClient, large: Store) -> None:
    ranked = sorted(prioritise(large).journeys, key=lambda f: (-f.cost_eur, f.journey.id))
    assert len(ranked) > PAGE_SIZE
    first = web.get("/?lang=en&measure=cost")
    assert first.status_code == 200
    rows = attribute(first.text, "data-journey")
    assert rows == [f.journey.id for f in ranked[:PAGE_SIZE]]
    assert f'data-journeys-total="{len(ranked)}"' in first.text
    assert f"Journeys 1–{PAGE_SIZE} of {len(ranked)}, most first by: Cost." in first.text
    assert 'rel="next" href="/?measure=cost&amp;page=2#journeys"' in first.text
    assert 'rel="prev"' not in first.text
    second = web.get("/?lang=en&measure=cost&page=2")
    assert attribute(second.text, "data-journey") == [f.journey.id for f in ranked[PAGE_SIZE:]]
    assert 'rel="prev" href="/?measure=cost&amp;page=1#journeys"' in second.text
    assert 'rel="next"' not in second.text


def test_a_gap_list_names_the_first_and_counts_them_all(web: TestClient, large: Store) -> None:
    journeys = len(prioritise(large).journeys)  # the synthetic journeys have no KPI
    html = web.get("/?lang=nl").text
    kpi_gap = re.search(r'<ul data-gap="kpi">(.*?)</ul>', html, re.S)
    assert kpi_gap is not None
    assert kpi_gap.group(1).count("<li>") == GAP_LIST_SIZE
    assert f"… en nog {journeys - GAP_LIST_SIZE} andere" in kpi_gap.group(1)
    assert f"Klantreizen zonder KPI ({journeys})" in html


def test_a_page_number_is_checked(web: TestClient) -> None:
    assert web.get("/?page=0").status_code == 422
    assert web.get("/?page=x").status_code == 422
