"""What the sources produce passes the SHACL gate, against the demo organisation it refers to."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from journeykg.resources import DEMO_DATASET
from journeykg.validation.gate import run_shacl
from tests.loaders.sources_helpers import FIXTURES, run_recipe

RECIPES = [p for p in sorted(FIXTURES.glob("*/recipe*.yaml")) if not p.parent.name.endswith("-bad")]


@cache
def demo() -> Graph:
    return Graph().parse(DEMO_DATASET, format="turtle")


@pytest.mark.parametrize("recipe", RECIPES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_delta_conforms_to_the_shapes(recipe: Path) -> None:
    result = run_recipe(recipe)
    assert result.records, "the fixture produced nothing"
    data = Graph()
    data += demo()
    data += result.graph
    focus = sorted({s for s in result.graph.subjects() if isinstance(s, URIRef)})
    conforms, report = run_shacl(data, focus)
    assert conforms, report.serialize(format="turtle")
