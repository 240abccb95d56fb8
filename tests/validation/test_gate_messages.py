"""The gate's messages keep their language whichever copy of the shapes pySHACL ran with."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS

from journeykg.ids import Identifiers
from journeykg.namespaces import JKG, JKGSH, REG
from journeykg.ontology_graph import load_ontology, load_shapes
from journeykg.validation import gate

BASE = "https://id.journeykg.example/"
CONCEPT = URIRef(BASE + "concept/ces")


def _definition_results() -> tuple[Graph, list[URIRef | BNode]]:
    data = Graph()
    data.add((CONCEPT, RDF.type, SKOS.Concept))
    data.add((CONCEPT, REG.status, JKG.statusProposed))
    data.add((CONCEPT, SKOS.prefLabel, Literal("Klantinspanning", lang="nl")))
    _, results = gate.run_shacl(data + load_ontology(), [CONCEPT])
    found = [
        r
        for r in results.subjects(SH.sourceShape, JKGSH["GovernedItem-definition"])
        if isinstance(r, URIRef | BNode)
    ]
    return results, found


def test_a_sparql_constraint_message_keeps_its_language_after_the_shapes_are_read_anew() -> None:
    # pySHACL drops the language of a SPARQL constraint's message; the gate
    # recovers it from the shapes. Read anew, the shapes have other blank
    # nodes than the copy pySHACL validated with (a test once cleared the
    # cache first): the language must still be found, or a Dutch message can
    # stand where the English one belongs.
    load_shapes()
    results, found = _definition_results()
    load_shapes.cache_clear()
    assert found, "the definition rule found the concept without a definition"
    ids = Identifiers(BASE)
    for result in found:
        constraint = results.value(result, SH.sourceConstraint)
        shape = results.value(result, SH.sourceShape)
        messages = gate._localised(
            list(results.objects(result, SH.resultMessage)),
            gate._templates(shape, constraint),
            CONCEPT,
            None,
            ids,
        )
        assert {m.language for m in messages if isinstance(m, Literal)} == {"en", "nl"}, constraint
