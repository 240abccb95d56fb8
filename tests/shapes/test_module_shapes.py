"""The shapes of the modules with fixtures of their own: sync facts, insights, journey mining.

Same method as tests/shapes/test_core_shapes.py: paired fixtures, exact expected
results, and every shape of a file must be fired by one of its bad fixtures.
One suite for every such file, so a new module's shapes are held to the same
rules by a row in ``MODULES``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
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
HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Module:
    """A shapes file, its fixtures, and the node shape that must target its main class."""

    shapes: str
    fixtures: str
    main_shape: URIRef
    main_class: URIRef

    @property
    def shapes_file(self) -> Path:
        return REPO_ROOT / "shapes" / self.shapes

    @property
    def folder(self) -> Path:
        return HERE / self.fixtures

    def fixtures_ending(self, suffix: str) -> list[Path]:
        return sorted(self.folder.glob(f"*{suffix}"))

    def load(self, path: Path) -> Graph:
        """The core context, the module's own context (if any), then the fixture."""
        graph = Graph().parse(CONTEXT_FILE, format="turtle")
        own = self.folder / "_context.ttl"
        if own.exists():
            graph.parse(own, format="turtle")
        graph.parse(path, format="turtle")
        return graph


MODULES = (
    Module("sync-facts.ttl", "fixtures-sync", JKGSH.KPIValue, JKG.KPIValue),
    Module("insights.ttl", "fixtures-insights", JKGSH.Insight, JKG.Insight),
    Module("mining.ttl", "fixtures-mining", JKGSH.MiningMeasurement, JKG.MiningMeasurement),
)


@cache
def shapes(module: Module) -> Graph:
    return Graph().parse(module.shapes_file, format="turtle")


def _cases(suffix: str) -> list[object]:
    return [
        pytest.param(m, path, id=f"{m.shapes}:{path.name}")
        for m in MODULES
        for path in m.fixtures_ending(suffix)
    ]


@pytest.mark.parametrize(
    "module",
    [m for m in MODULES if (m.folder / "_context.ttl").exists()],
    ids=lambda m: m.shapes,
)
def test_a_modules_own_context_conforms(module: Module) -> None:
    conforms, _report, text = validate(module.load(module.folder / "_context.ttl"))
    assert conforms, text


@pytest.mark.parametrize(("module", "path"), _cases(".ok.ttl"))
def test_ok_fixture_conforms(module: Module, path: Path) -> None:
    conforms, _report, text = validate(module.load(path))
    assert conforms, text


@pytest.mark.parametrize(("module", "path"), _cases(".bad.ttl"))
def test_bad_fixture_gives_exactly_the_expected_results(module: Module, path: Path) -> None:
    expected = expected_results(path)
    conforms, report, _text = validate(module.load(path))
    assert not conforms
    actual = results(report)
    assert actual == expected, (
        f"\nmissing:\n{describe(expected - actual)}\nunexpected:\n{describe(actual - expected)}"
    )


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.shapes)
def test_every_shape_is_exercised_and_named_in_two_languages(module: Module) -> None:
    graph = shapes(module)
    property_shapes: set[Node] = set(graph.objects(None, SH.property))
    bad = module.fixtures_ending(".bad.ttl")
    fired = {item[3] for path in bad for item in expected_results(path)}
    assert property_shapes - fired == set()
    for shape in property_shapes:
        assert str(shape).startswith(str(JKGSH))
        for predicate in (SH.name, SH.message):
            languages = {getattr(v, "language", None) for v in graph.objects(shape, predicate)}
            assert languages == {"nl", "en"}, (shape, predicate)
    assert (module.main_shape, SH.targetClass, module.main_class) in graph
    assert (module.main_shape, RDF.type, SH.NodeShape) in graph


def test_every_module_has_ok_and_bad_fixtures() -> None:
    for module in MODULES:
        assert module.fixtures_ending(".ok.ttl"), module.fixtures
        assert module.fixtures_ending(".bad.ttl"), module.fixtures
