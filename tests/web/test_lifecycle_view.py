"""How a cell of the picture shows each measure: value, colour level and its meaning in words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from journeykg.graph.lifecycle import LifecyclePicture, lifecycle_picture
from journeykg.web.i18n import texts
from journeykg.web.lifecycle_view import cell_views, current, measure_of
from tests.web.demo_app import demo_store


@pytest.fixture(scope="module")
def picture() -> Iterator[LifecyclePicture]:
    with demo_store() as store:
        yield lifecycle_picture(store)


def test_an_unknown_measure_falls_back_to_contacts() -> None:
    assert measure_of("NPS") == "NPS"
    assert measure_of("'; drop") == "contacts"
    assert measure_of(None) == "contacts"


def test_counts_are_coloured_relative_to_the_largest_cell(picture: LifecyclePicture) -> None:
    views = cell_views(picture, "contacts", texts("en"))
    largest = max(picture.reasons(), key=lambda c: c.volume.contacts)
    assert views[largest.reason.id].level == "heat-5"
    assert views["reason/adres-wijzigen"].text == "134,700"
    assert views["reason/adres-wijzigen"].level == "heat-1"  # 134,700 of 976,000
    assert views["reason/aanbod-vergelijken"].level == "none"
    assert views["reason/aanbod-vergelijken"].meaning == "no data"


def test_cost_is_that_of_the_journeys_on_the_reason(picture: LifecyclePicture) -> None:
    views = cell_views(picture, "cost", texts("nl"))
    moving = picture.journey("journey/verhuizen").figures.cost_eur
    assert views["reason/adres-wijzigen"].text == texts("nl").euros(moving)
    assert views["reason/aanbod-vergelijken"].text == "–"


def test_a_kpi_measure_shows_the_kpi_furthest_from_target(picture: LifecyclePicture) -> None:
    views = cell_views(picture, "NPS", texts("en"))
    (nps,) = [k for k in picture.journey("journey/verhuizen").kpis if k.kpi_type == "jkg:NPS"]
    assert views["reason/adres-wijzigen"].text == f"{current(nps):.1f} / {nps.target:.1f}"
    assert views["reason/adres-wijzigen"].level == ("kpi-off" if nps.gap > 0.1 else "kpi-near")
    assert views["reason/aanbod-vergelijken"].level == "none"
