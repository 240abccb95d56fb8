"""shapes/governance.ttl, data-driven: a conforming record, and one fault per rule.

``governance.bad.ttl`` declares each expected result in a comment line
``# expect: <focus> <path> <component> <shape>`` (a sequence path as
``(p1 p2)``); the results must be exactly those, so a rule that stops firing
or fires too broadly fails the test.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from journeykg.namespaces import RDF, SH
from journeykg.resources import SHAPES_DIR
from journeykg.validation.gate import curie, run_shacl

FIXTURES = Path(__file__).parent / "governance"
BASE = "https://id.journeykg.example/"


#: Context the records refer to (a post, a journey), not under test here.
CONTEXT = (BASE + "owner/", BASE + "journey/")


def _focus_nodes(data: Graph) -> list[URIRef]:
    return sorted(
        {s for s in data.subjects() if isinstance(s, URIRef) and not str(s).startswith(CONTEXT)}
    )


def _path(results: Graph, path: Node | None) -> str:
    if path is None:
        return "-"
    if isinstance(path, URIRef):
        return curie(path)
    return "(" + " ".join(curie(p) for p in Collection(results, path)) + ")"


def _short(node: Node | None) -> str:
    text = str(node)
    return f"<{text[len(BASE) :]}>" if text.startswith(BASE) else curie(node)  # type: ignore[arg-type]


def results_of(name: str) -> tuple[bool, set[tuple[str, str, str, str]]]:
    data = Graph().parse(FIXTURES / name, format="turtle")
    conforms, results = run_shacl(data, _focus_nodes(data))
    found = set()
    for result in results.subjects(SH.sourceConstraintComponent, None):
        found.add(
            (
                _short(results.value(result, SH.focusNode)),
                _path(results, results.value(result, SH.resultPath)),
                curie(results.value(result, SH.sourceConstraintComponent)),  # type: ignore[arg-type]
                curie(results.value(result, SH.sourceShape)),  # type: ignore[arg-type]
            )
        )
    return conforms, found


def expected_of(name: str) -> set[tuple[str, str, str, str]]:
    expected = set()
    for line in (FIXTURES / name).read_text(encoding="utf-8").splitlines():
        if line.startswith("# expect: "):
            text = line.removeprefix("# expect: ")
            focus, rest = text.split(" ", 1)
            if rest.startswith("("):
                path, rest = rest[: rest.index(")") + 1], rest[rest.index(")") + 2 :]
            else:
                path, rest = rest.split(" ", 1)
            component, shape = rest.split(" ")
            expected.add((focus, path, component, shape))
    return expected


def test_a_complete_governance_record_conforms() -> None:
    conforms, found = results_of("governance.ok.ttl")
    assert found == set()
    assert conforms


def test_each_fault_gives_exactly_the_declared_result() -> None:
    conforms, found = results_of("governance.bad.ttl")
    assert not conforms
    assert found == expected_of("governance.bad.ttl")


def test_every_governance_shape_is_exercised_by_the_bad_fixture() -> None:
    shapes = Graph().parse(SHAPES_DIR / "governance.ttl", format="turtle")
    fired = {shape for *_rest, shape in expected_of("governance.bad.ttl")}
    targeted = {
        curie(s)
        for s in shapes.subjects(RDF.type, SH.NodeShape)
        if any(shapes.triples((s, p, None)) for p in _TARGETS)
    }
    properties = {curie(p) for p in shapes.objects(None, SH.property)}
    parents_fired = {
        curie(node)
        for node in shapes.subjects(RDF.type, SH.NodeShape)
        if {curie(p) for p in shapes.objects(node, SH.property)} & fired or curie(node) in fired
    }
    assert targeted - parents_fired == set()
    assert properties - fired == set()


_TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
