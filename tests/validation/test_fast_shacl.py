"""The compiled SHACL subset gives exactly pySHACL's results, on every shape fixture."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from journeykg.namespaces import JKG, RDF, RDFS, SH, XSD
from journeykg.ontology_graph import load_ontology
from journeykg.validation.fast_shacl import compiled_shapes
from journeykg.validation.gate import run_shacl
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


def test_a_value_shared_by_nodes_and_by_properties_is_judged_for_each() -> None:
    # The compiled shapes check each (shape, value) once per validation. The very same
    # literal objects under several nodes, and under properties with different rules
    # (5 is a fine count but not a first-contact resolution, a decimal of at most 1),
    # must still give every node and every property its own results.
    data = Graph().parse(FIXTURES / "_context.ttl")
    ctx = Namespace("https://id.journeykg.example/test/context/")
    five, minus_one = Literal(5), Literal(-1)
    year = Literal("2025", datatype=XSD.gYear)
    nodes = [URIRef(f"https://id.journeykg.example/volume/crm/shared{n}") for n in range(3)]
    for n, node in enumerate(nodes):
        data.add((node, RDF.type, JKG.ContactVolume))
        data.add((node, RDFS.label, Literal(f"Gedeeld {n}", lang="nl")))
        data.add((node, JKG.volumeOf, ctx.reason))
        data.add((node, JKG.viaChannel, ctx.channel))
        data.add((node, JKG.period, year))
        data.add((node, JKG.firstContactResolution, five))  # first: memoised as failing
        data.add((node, JKG.complaints, five))
        data.add((node, JKG.contacts, minus_one if n < 2 else five))
    fast, slow = compiled_shapes().split(nodes, data + load_ontology())
    assert (fast, slow) == (nodes, [])
    rows = _compiled(data, fast)
    failed = {(r[0], str(r[1]).rsplit("#")[-1], str(r[3]).rsplit("#")[-1]) for r in rows}
    for node in nodes:
        assert (node, "firstContactResolution", "DatatypeConstraintComponent") in failed
        assert (node, "firstContactResolution", "MaxInclusiveConstraintComponent") in failed
        assert not any(f[0] == node and f[1] == "complaints" for f in failed)
    assert {f[0] for f in failed if f[1] == "contacts"} == set(nodes[:2])
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


INSIGHT_FIXTURES = FIXTURES.parent / "fixtures-insights"
INSIGHT_CASES = sorted(p for p in INSIGHT_FIXTURES.glob("*.ttl") if not p.name.startswith("_"))


@pytest.mark.parametrize("path", INSIGHT_CASES, ids=lambda p: p.name)
def test_the_compiled_shapes_agree_with_pyshacl_on_insights(path: Path) -> None:
    data = Graph().parse(FIXTURES / "_context.ttl").parse(INSIGHT_FIXTURES / "_context.ttl")
    data.parse(path)
    focus = _fast_focus(data)
    assert focus
    assert _compiled(data, focus) == _pyshacl(data, set(focus))
