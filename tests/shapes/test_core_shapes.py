"""Data-driven tests of the gate's shapes (shapes/*.ttl but coverage) and of the demo organisation.

Every fixture in ``fixtures/`` is validated together with ``fixtures/_context.ttl``
(a small, valid organisation the fixtures refer to), the way the SHACL gate
validates a delta together with the context it references. ``<name>.ok.ttl``
must conform. ``<name>.bad.ttl`` must give exactly the results it declares in
comment lines of the form::

    # expect: <focus node> <result path or -> <constraint component> <source shape> [<severity>]

with IRIs written as prefixed names (using the fixture's own @prefix lines) or
in angle brackets; the severity defaults to sh:Violation. Exact sets mean a
shape that stops firing, or starts firing too broadly, fails a test.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from functools import cache
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace, URIRef
from rdflib.term import Node

from journeykg.ontology_graph import load_shapes
from journeykg.resources import SHAPES_DIR, shape_files
from journeykg.validation.gate import run_shacl

REPO_ROOT = Path(__file__).resolve().parents[2]
DEMO_FILE = REPO_ROOT / "journeykg" / "demo" / "poldertelecom.ttl"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CONTEXT_FILE = FIXTURES / "_context.ttl"

SH = Namespace("http://www.w3.org/ns/shacl#")
JKG = Namespace("https://w3id.org/journeykg/ontology#")
JKGSH = Namespace("https://w3id.org/journeykg/shapes#")

CORE_CLASSES = (
    "LifecycleStage",
    "Phase",
    "ContactReason",
    "Journey",
    "Step",
    "Touchpoint",
    "Channel",
    "Persona",
    "BackofficeProcess",
    "ITSystem",
    "Cost",
    "ContactVolume",
    "KPI",
    "Owner",
    "Role",
)

OK_FIXTURES = sorted(FIXTURES.glob("*.ok.ttl"))
BAD_FIXTURES = sorted(FIXTURES.glob("*.bad.ttl"))

#: (focus node, result path or None, source constraint component, source shape, severity)
Result = tuple[Node, Node | None, Node, Node, Node]


def shapes_graph() -> Graph:
    return load_shapes()


def _path_key(report: Graph, path: Node | None) -> Node | None:
    """A blank-node path (sh:alternativePath ...) compared by its first alternative."""
    alternatives = report.value(path, SH.alternativePath) if path is not None else None
    return report.value(alternatives, RDF.first) if alternatives is not None else path


def validate(data: Graph) -> tuple[bool, Graph, str]:
    """The SHACL gate exactly as journeykg runs it: no inference, the ontology added to the data."""
    conforms, report = run_shacl(data)
    return conforms, report, report.serialize(format="turtle")


def results(report: Graph) -> set[Result]:
    found: set[Result] = set()
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        focus = report.value(result, SH.focusNode)
        component = report.value(result, SH.sourceConstraintComponent)
        shape = report.value(result, SH.sourceShape)
        assert focus is not None
        assert component is not None
        assert shape is not None
        assert severity is not None
        path = _path_key(report, report.value(result, SH.resultPath))
        found.add((focus, path, component, shape, severity))
    return found


def load_fixture(path: Path) -> Graph:
    graph = Graph().parse(CONTEXT_FILE, format="turtle")
    graph.parse(path, format="turtle")
    return graph


def expected_results(path: Path) -> set[Result]:
    namespaces = Graph().parse(path, format="turtle").namespace_manager

    def term(token: str) -> Node:
        if token.startswith("<") and token.endswith(">"):
            return URIRef(token[1:-1])
        if token.startswith('"'):  # a literal in Turtle syntax, e.g. "CRM" or "x"@nl
            parsed = Graph().parse(data=f"<urn:s> <urn:p> {token} .", format="turtle")
            return next(iter(parsed.objects()))
        return namespaces.expand_curie(token)

    expected: set[Result] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.startswith("# expect:"):
            continue
        tokens = line.removeprefix("# expect:").split()
        assert len(tokens) in (4, 5), f"{path.name}:{number}: need focus, path, component, shape"
        focus, result_path, component, shape = tokens[:4]
        severity = term(tokens[4]) if len(tokens) == 5 else SH.Violation
        expected.add(
            (
                term(focus),
                None if result_path == "-" else term(result_path),
                term(component),
                term(shape),
                severity,
            )
        )
    return expected


def describe(items: Iterable[Result]) -> str:
    return "\n".join(sorted("  " + " ".join(str(part) for part in item) for item in items))


# --- the shapes themselves ------------------------------------------------------


#: Shape files with fixtures and an "every shape is exercised" test of their own.
OWN_FIXTURES = ("governance.ttl", "sync-facts.ttl", "mining.ttl", "insights.ttl")


@cache
def separately_tested_shapes() -> set[Node]:
    """Shapes exercised by their own tests (test_governance_shapes, test_module_shapes)."""
    shapes = Graph()
    for name in OWN_FIXTURES:
        shapes.parse(SHAPES_DIR / name, format="turtle")
    return set(shapes.subjects())


def node_shapes() -> set[Node]:
    shapes = shapes_graph()
    return {
        shape
        for shape in shapes.subjects(RDF.type, SH.NodeShape)
        if (shape, SH.targetClass, None) in shapes or (shape, SH.target, None) in shapes
    } - separately_tested_shapes()


def property_shapes() -> set[Node]:
    return set(shapes_graph().objects(None, SH.property)) - separately_tested_shapes()


def test_one_node_shape_per_core_class() -> None:
    shapes = shapes_graph()
    for name in CORE_CLASSES:
        assert (JKGSH[name], SH.targetClass, JKG[name]) in shapes, name


def test_shapes_have_stable_iris_names_and_messages() -> None:
    shapes = shapes_graph()
    for shape in set(shapes.subjects(RDF.type, SH.NodeShape)) | property_shapes():
        assert isinstance(shape, URIRef), f"blank-node shape: {shape!r}"
        assert str(shape).startswith(str(JKGSH)), shape
    for shape in set(shapes.subjects(SH.path, None)):
        assert isinstance(shape, URIRef), f"blank-node property shape: {shape!r}"
        assert (None, SH.property, shape) in shapes, f"{shape} is not attached to a node shape"
        sparql = shapes.value(shape, SH.sparql)
        for predicate in (SH.name, SH.message):
            # A SPARQL-based shape may carry its message on the constraint instead.
            values = list(shapes.objects(shape, predicate))
            if sparql is not None and predicate == SH.message:
                values += list(shapes.objects(sparql, predicate))
            languages = {getattr(value, "language", None) for value in values}
            assert languages == {"nl", "en"}, f"{shape} {predicate}: {languages}"
        assert shapes.value(shape, SH.severity) in (SH.Violation, SH.Warning), shape


def test_gate_shapes_are_split_by_concern_and_severity() -> None:
    """core-mandatory holds only Violations, core-recommended only Warnings."""
    by_name = {p.name: Graph().parse(p, format="turtle") for p in shape_files()}
    assert {"core-mandatory.ttl", "core-recommended.ttl", "glossary.ttl"} <= by_name.keys()
    assert "coverage.ttl" not in by_name, "the coverage report must never block a write"
    for name, severity in (
        ("core-mandatory.ttl", SH.Violation),
        ("core-recommended.ttl", SH.Warning),
    ):
        graph = by_name[name]
        assert set(graph.objects(None, SH.severity)) == {severity}, name


# --- fixtures -------------------------------------------------------------------------


def test_context_conforms() -> None:
    conforms, _report, text = validate(Graph().parse(CONTEXT_FILE, format="turtle"))
    assert conforms, text


@pytest.mark.parametrize("path", OK_FIXTURES, ids=lambda p: p.name)
def test_ok_fixture_conforms(path: Path) -> None:
    assert not expected_results(path), "ok fixtures must not declare expected results"
    conforms, _report, text = validate(load_fixture(path))
    assert conforms, text


@pytest.mark.parametrize("path", BAD_FIXTURES, ids=lambda p: p.name)
def test_bad_fixture_gives_exactly_the_expected_results(path: Path) -> None:
    expected = expected_results(path)
    assert expected, f"{path.name} declares no '# expect:' lines"
    conforms, report, _text = validate(load_fixture(path))
    # Warnings never block: a fixture that only misses recommendations conforms.
    assert conforms == all(item[4] != SH.Violation for item in expected)
    actual = results(report)
    assert actual == expected, (
        f"\nmissing:\n{describe(expected - actual)}\nunexpected:\n{describe(actual - expected)}"
    )


def test_fixtures_come_in_pairs() -> None:
    ok = {p.name.removesuffix(".ok.ttl") for p in OK_FIXTURES}
    bad = {p.name.removesuffix(".bad.ttl") for p in BAD_FIXTURES}
    assert ok == bad


def test_every_shape_is_exercised_by_a_bad_fixture() -> None:
    shapes = shapes_graph()
    fired = {item[3] for path in BAD_FIXTURES for item in expected_results(path)}
    fired_node_shapes = {s for s in node_shapes() if set(shapes.objects(s, SH.property)) & fired}
    assert node_shapes() - fired_node_shapes == set()
    assert property_shapes() - fired == set()


# --- the bundled demo organisation -------------------------------------------------


@cache
def demo_graph() -> Graph:
    return Graph().parse(DEMO_FILE, format="turtle")


def test_demo_conforms() -> None:
    conforms, _report, text = validate(demo_graph())
    assert conforms, text


def dependency_graph(graph: Graph) -> dict[Node, set[Node]]:
    processes = graph.subjects(RDF.type, JKG.BackofficeProcess)
    needs: dict[Node, set[Node]] = {process: set() for process in processes}
    for process, needed in graph.subject_objects(JKG.dependsOn):
        needs.setdefault(process, set()).add(needed)
    return needs


def hop_counts(needs: dict[Node, set[Node]], start: Node) -> dict[Node, int]:
    """Shortest number of dependsOn hops from start to everything it (transitively) needs."""
    hops: dict[Node, int] = {}
    queue = deque([(start, 0)])
    while queue:
        node, depth = queue.popleft()
        for needed in needs.get(node, set()):
            if needed not in hops:
                hops[needed] = depth + 1
                queue.append((needed, depth + 1))
    return hops


def test_demo_has_the_promised_shape() -> None:
    graph = demo_graph()
    journeys = set(graph.subjects(RDF.type, JKG.Journey))
    processes = set(graph.subjects(RDF.type, JKG.BackofficeProcess))
    assert len(journeys) >= 10
    assert len(processes) >= 35

    needs = dependency_graph(graph)
    hops = {process: hop_counts(needs, process) for process in processes}
    # depth: some process needs another only via a chain of at least 4 hops
    assert max(max(h.values(), default=0) for h in hops.values()) >= 4
    # cycle: some process (transitively) needs itself
    assert any(process in h for process, h in hops.items())
    # hubs: master data is needed, directly or not, by many processes
    assert max(sum(1 for h in hops.values() if p in h) for p in processes) >= 20
    # some processes support no touchpoint directly
    assert processes - set(graph.objects(None, JKG.supportedBy))

    touchpoint_channels = {
        graph.value(tp, JKG.viaChannel) for tp in graph.subjects(RDF.type, JKG.Touchpoint)
    }
    assert len(touchpoint_channels) >= 5

    for journey in journeys:
        steps = set(graph.subjects(JKG.stepOf, journey))
        assert 3 <= len(steps) <= 6, journey
        assert set(graph.objects(journey, JKG.placedOn)), journey
        assert any(graph.subjects(JKG.measures, journey)), f"no KPI on {journey}"


def test_demo_iris_are_minted_from_kind_and_slug() -> None:
    base = "https://id.journeykg.example/"
    kinds = {
        JKG.LifecycleStage: "stage",
        JKG.Phase: "phase",
        JKG.ContactReason: "reason",
        JKG.Journey: "journey",
        JKG.Step: "step",
        JKG.Touchpoint: "touchpoint",
        JKG.Channel: "channel",
        JKG.Persona: "persona",
        JKG.BackofficeProcess: "process",
        JKG.ITSystem: "system",
        JKG.Owner: "owner",
        JKG.Cost: "cost",
        JKG.ContactVolume: "volume",
        JKG.KPI: "kpi",
    }
    graph = demo_graph()
    for cls, kind in kinds.items():
        members = set(graph.subjects(RDF.type, cls))
        assert members, cls
        for member in members:
            key = str(member).removeprefix(base)
            head, _, slug = key.partition("/")
            assert (head, bool(slug), "/" in slug) == (kind, True, False), member
