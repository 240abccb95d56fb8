"""The impact explorer's search, on both backends: any element an impact question starts from,
found by a part of its label in Dutch, English or both."""

from __future__ import annotations

import pytest
from rdflib import Graph

from journeykg.graph.label_search import find_by_label
from journeykg.graph.relations import IMPACT_ROOTS
from journeykg.graph.store import Store
from journeykg.resources import DEMO_DATASET


@pytest.fixture
def demo(store: Store) -> Store:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    return store


def test_a_part_of_a_dutch_label_finds_the_element_in_any_case(demo: Store) -> None:
    found = find_by_label(demo, "KREDIET")
    assert "process/kredietcheck" in [m.element.id for m in found]
    match = next(m for m in found if m.element.id == "process/kredietcheck")
    assert match.element.type == "BackofficeProcess"
    assert "krediet" in match.matched.casefold()


def test_the_language_limits_the_labels_searched(demo: Store) -> None:
    # "Change address" is the contact reason's English label only.
    english = [m.element.id for m in find_by_label(demo, "change address", language="en")]
    assert "reason/adres-wijzigen" in english
    assert "reason/adres-wijzigen" not in [
        m.element.id for m in find_by_label(demo, "change address", language="nl")
    ]
    both = [m.element.id for m in find_by_label(demo, "change address")]
    assert "reason/adres-wijzigen" in both
    # In the language asked, the element is named in it.
    # Searched in Dutch, shown in English (the page's language).
    found = find_by_label(demo, "adres wijz", language="nl", show_in="en")
    shown = next(m for m in found if m.element.id == "reason/adres-wijzigen")
    assert (shown.element.label, shown.matched, shown.language) == (
        "Change address",
        "Adres wijzigen",
        "nl",
    )
    dutch = find_by_label(demo, "change address")
    assert next(m for m in dutch if m.element.id == "reason/adres-wijzigen").element.label == (
        "Adres wijzigen"
    )


def test_only_impact_roots_are_found_ordered_and_limited(demo: Store) -> None:
    found = find_by_label(demo, "e")
    assert found
    assert all(m.element.type in IMPACT_ROOTS for m in found)
    keys = [(m.matched.casefold(), m.element.id) for m in found]
    assert keys == sorted(keys)
    assert len(find_by_label(demo, "e", limit=3)) == 3
    assert find_by_label(demo, "   ") == []
    assert find_by_label(demo, "no such label anywhere") == []


def test_every_class_is_searched_and_both_backends_agree(demo: Store) -> None:
    # Pinned, so that each backend must give exactly this: steps, processes, reasons and a
    # touchpoint, matched in either language.
    found = [(m.element.id, m.element.type, m.matched) for m in find_by_label(demo, "check")]
    assert found == [
        ("step/glasvezel-aanvragen-1", "Step", "Beschikbaarheid checken"),
        ("process/beschikbaarheidscheck", "BackofficeProcess", "Beschikbaarheidscheck"),
        (
            "reason/dekking-beschikbaarheid-checken",
            "ContactReason",
            "Check coverage and availability",
        ),
        ("reason/bestelstatus-opvragen", "ContactReason", "Check order status"),
        ("process/kredietcheck", "BackofficeProcess", "Kredietcheck"),
        (
            "touchpoint/glasvezel-aanvragen-web-postcodecheck",
            "Touchpoint",
            "Postcodecheck op de website",
        ),
    ]
