"""The impact of process/kredietcheck on the demo, against a hand-checked oracle.

tests/fixtures/demo_oracle_kredietcheck.json was derived from
journeykg/demo/poldertelecom.ttl and docs/impact.md alone, without the
implementation: the affected elements with their shortest hops, every simple
path to journey/verhuizen (10: the dependency cycle installatieplanning <->
monteursinzet is never walked twice), the blast-radius totals and the figures
of journey/verhuizen. Should this fail, re-derive by hand before touching it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from rdflib import Graph

from journeykg.graph.impact import impact
from journeykg.graph.paths import paths_to
from journeykg.graph.quantify import blast_radius
from journeykg.graph.store import Store
from journeykg.resources import DEMO_DATASET
from tests.conftest import FIXTURES

ROOT = "process/kredietcheck"
JOURNEY = "journey/verhuizen"


@pytest.fixture(scope="module")
def oracle() -> dict[str, Any]:
    with (FIXTURES / "demo_oracle_kredietcheck.json").open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    assert data["question"] == ROOT
    return data


@pytest.fixture
def demo(store: Store) -> Store:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    return store


def test_affected_elements_and_hops(demo: Store, oracle: dict[str, Any]) -> None:
    answer = impact(demo, ROOT)
    assert {a.element.id: a.hops for a in answer.affected} == oracle["affected"]


def test_every_simple_path_to_the_journey(demo: Store, oracle: dict[str, Any]) -> None:
    answer = impact(demo, ROOT)
    expected = {tuple(p) for p in oracle["paths_to"][JOURNEY]}
    assert set(paths_to(answer, JOURNEY, first=1000).paths) == expected


def test_blast_radius_totals(demo: Store, oracle: dict[str, Any]) -> None:
    radius = blast_radius(demo, impact(demo, ROOT))
    totals = oracle["blast_radius"]
    assert radius.contacts == totals["contacts"]
    assert radius.complaints == totals["complaints"]
    assert radius.cost_eur == pytest.approx(totals["cost_eur"])


def test_journey_figures(demo: Store, oracle: dict[str, Any]) -> None:
    radius = blast_radius(demo, impact(demo, ROOT))
    expected = oracle["journey_figures"][JOURNEY]
    (figures,) = [j for j in radius.journeys if j.journey.id == JOURNEY]
    assert figures.contacts == expected["contacts"]
    assert figures.complaints == expected["complaints"]
    assert figures.cost_eur == pytest.approx(expected["cost_eur"])
    assert figures.kpi_gap == pytest.approx(expected["kpi_gap"], abs=1e-6)
