"""The gate reports nested-shape failures of the delta's subjects, and only of them.

Regression: with pySHACL's own ``focus_nodes`` option, value nodes of nested
shapes (``sh:qualifiedValueShape``, ``sh:or``) were filtered out too and so
always passed; a stage without an English label slipped through the gate.
"""

from __future__ import annotations

from rdflib import Graph

from journeykg.ids import Identifiers
from journeykg.validation.gate import check

IDS = Identifiers("https://id.journeykg.example/")

DELTA = """
@prefix jkg:  <https://w3id.org/journeykg/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@base <https://id.journeykg.example/> .

<stage/alleen-nl> a jkg:LifecycleStage ;
    skos:prefLabel "Gebruiken"@nl ; skos:definition "De klant gebruikt de dienst."@nl .

<kpi/op-kanaal> a jkg:KPI ; rdfs:label "KPI op een kanaal"@nl ;
    jkg:kpiType jkg:NPS ; jkg:target 10.0 ; jkg:measures <channel/app> .

<channel/app> a jkg:Channel ; rdfs:label "App"@nl .
"""


def test_nested_shapes_fire_for_the_delta_subjects() -> None:
    delta = Graph().parse(data=DELTA, format="turtle")
    gate = check(delta, None, "delta.ttl", IDS)
    assert not gate.conforms
    found = {(p.node, p.property, p.rule) for p in gate.violations}
    assert found == {
        (
            "stage/alleen-nl",
            "skos:prefLabel",
            "jkgsh:LifecycleStage-prefLabel-en (QualifiedMinCountConstraintComponent)",
        ),
        ("kpi/op-kanaal", "jkg:measures", "jkgsh:KPI-measures (OrConstraintComponent)"),
    }


def test_messages_name_the_offending_value_and_keep_their_language() -> None:
    delta = Graph().parse(
        data="""
        @prefix jkg:  <https://w3id.org/journeykg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @base <https://id.journeykg.example/> .
        <touchpoint/te-blij> a jkg:Touchpoint ; rdfs:label "Te blij"@nl ;
            jkg:emotionScore 7 .
        """,
        format="turtle",
    )
    gate = check(delta, None, "delta.ttl", IDS)
    (problem,) = [p for p in gate.violations if p.property == "jkg:emotionScore"]
    assert problem.value == "7"
    assert problem.message.endswith("(found: 7).")  # English first, the value filled in
    (missing,) = [p for p in gate.violations if p.property == "jkg:atStep"]
    assert "found" not in missing.message  # no value, so no "(found: ...)" aside
