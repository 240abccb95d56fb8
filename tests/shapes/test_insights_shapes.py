"""shapes/insights.ttl: insights, initiatives, expected effects, signals and theme counts.

Same method as tests/shapes/test_core_shapes.py: paired fixtures, exact expected
results, and every shape of the file must be fired by a bad fixture.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.term import Node

from journeykg.namespaces import JKG, JKGSH, RDF, SH
from tests.shapes.test_core_shapes import (
    CONTEXT_FILE,
    describe,
    expected_results,
    results,
    validate,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SHAPES_FILE = REPO_ROOT / "shapes" / "insights.ttl"
FIXTURES = Path(__file__).resolve().parent / "fixtures-insights"
OK = sorted(FIXTURES.glob("*.ok.ttl"))
BAD = sorted(FIXTURES.glob("*.bad.ttl"))


@cache
def shapes() -> Graph:
    return Graph().parse(SHAPES_FILE, format="turtle")


def load(path: Path) -> Graph:
    graph = Graph().parse(CONTEXT_FILE, format="turtle")
    graph.parse(FIXTURES / "_context.ttl", format="turtle")
    graph.parse(path, format="turtle")
    return graph


def test_context_conforms() -> None:
    conforms, _report, text = validate(load(FIXTURES / "_context.ttl"))
    assert conforms, text


@pytest.mark.parametrize("path", OK, ids=lambda p: p.name)
def test_ok_fixture_conforms(path: Path) -> None:
    conforms, _report, text = validate(load(path))
    assert conforms, text


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_fixture_gives_exactly_the_expected_results(path: Path) -> None:
    expected = expected_results(path)
    conforms, report, _text = validate(load(path))
    assert not conforms
    actual = results(report)
    assert actual == expected, (
        f"\nmissing:\n{describe(expected - actual)}\nunexpected:\n{describe(actual - expected)}"
    )


def test_every_shape_is_exercised_and_named_in_two_languages() -> None:
    graph = shapes()
    property_shapes: set[Node] = set(graph.objects(None, SH.property))
    fired = {item[3] for path in BAD for item in expected_results(path)}
    assert property_shapes - fired == set()
    for shape in property_shapes:
        assert str(shape).startswith(str(JKGSH))
        for predicate in (SH.name, SH.message):
            languages = {getattr(v, "language", None) for v in graph.objects(shape, predicate)}
            assert languages == {"nl", "en"}, (shape, predicate)
    assert (JKGSH.Insight, SH.targetClass, JKG.Insight) in graph
    assert (JKGSH.Initiative, RDF.type, SH.NodeShape) in graph
