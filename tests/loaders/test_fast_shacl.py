"""The compiled SHACL subset gives exactly pySHACL's results, on every shape fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.term import Node

from journeykg.loaders.fast_shacl import compiled_shapes
from journeykg.loaders.validation import run_shacl
from journeykg.namespaces import SH
from journeykg.ontology_graph import load_ontology
from tests.loaders.sync_sources import volume

FIXTURES = Path(__file__).resolve().parents[1] / "shapes" / "fixtures"
CASES = sorted(p for p in FIXTURES.glob("*.ttl") if not p.name.startswith("_"))

Row = tuple[Node, Node | None, Node | None, Node, Node, Node]


def _pyshacl(data: Graph, focus: set[URIRef]) -> set[Row]:
    _, results = run_shacl(data)  # the whole data: nested shapes are checked too
    rows = set()
    for r in results.subjects(SH.sourceConstraintComponent):
        if results.value(r, SH.focusNode) in focus:
            rows.add(
                (
                    results.value(r, SH.focusNode),
                    results.value(r, SH.resultPath),
                    results.value(r, SH.value),
                    results.value(r, SH.sourceConstraintComponent),
                    results.value(r, SH.sourceShape),
                    results.value(r, SH.resultSeverity),
                )
            )
    return rows  # type: ignore[return-value]


def _compiled(data: Graph, focus: list[URIRef]) -> set[Row]:
    combined = data + load_ontology()
    results = compiled_shapes().validate(focus, combined)
    return {(r.focus, r.path, r.value, r.component, r.shape, r.severity) for r in results}


def _fast_focus(data: Graph) -> list[URIRef]:
    subjects = sorted({s for s in data.subjects() if isinstance(s, URIRef)})
    fast, _ = compiled_shapes().split(subjects, data + load_ontology())
    return fast


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_the_compiled_shapes_agree_with_pyshacl(path: Path) -> None:
    data = Graph().parse(FIXTURES / "_context.ttl").parse(path)
    focus = _fast_focus(data)
    if not path.name.startswith(("step", "backoffice-process")):  # SPARQL: pySHACL's
        assert focus
    assert _compiled(data, focus) == _pyshacl(data, set(focus))


def test_contact_volumes_are_validated_by_the_compiled_shapes() -> None:
    data = Graph().parse(FIXTURES / "_context.ttl")
    for n, contacts in enumerate([5, -1, 3]):
        data += volume(
            "crm", f"v{n}", contacts, reason="reason/nope" if n == 2 else "reason/r"
        ).graph
    subjects = sorted({s for s in data.subjects() if isinstance(s, URIRef) and "/crm/" in str(s)})
    fast, slow = compiled_shapes().split(subjects, data + load_ontology())
    assert (len(fast), slow) == (3, [])
    rows = _compiled(data, fast)
    assert {str(r[3]).rsplit("#")[-1] for r in rows} >= {
        "MinInclusiveConstraintComponent",
        "ClassConstraintComponent",
    }
    assert rows == _pyshacl(data, set(fast))


def test_nodes_targeted_other_than_by_class_are_left_to_pyshacl() -> None:
    # The glossary profile targets by SPARQL, the governance shapes the subjects of
    # reg:status: the compiled subset knows neither, so it must not claim these nodes.
    data = Graph().parse(
        data="""
        @base <https://id.journeykg.example/> .
        @prefix jkg: <https://w3id.org/journeykg/ontology#> .
        @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
        @prefix reg: <http://purl.org/linked-data/registry#> .
        <scheme/glossary> a skos:ConceptScheme , jkg:Glossary .
        <concept/in-glossary> a skos:Concept ; skos:inScheme <scheme/glossary> .
        <concept/governed> a skos:Concept ; reg:status jkg:statusProposed .
        <channel/telefoon> a jkg:Channel ; skos:prefLabel "Telefoon"@nl , "Phone"@en .
        """,
        format="turtle",
    )
    base = "https://id.journeykg.example/"
    nodes = [
        URIRef(base + k) for k in ("concept/in-glossary", "concept/governed", "channel/telefoon")
    ]
    fast, slow = compiled_shapes().split(nodes, data + load_ontology())
    assert (fast, sorted(slow)) == ([URIRef(base + "channel/telefoon")], sorted(nodes[:2]))
