"""The RDF <-> property graph mapping, without a server."""

from __future__ import annotations

from decimal import Decimal

from rdflib import Literal, URIRef

from journeykg.graph.property_graph import PropertyGraphMapping
from journeykg.namespaces import JKG, RDFS, SKOS, XSD
from journeykg.ontology_graph import load_ontology

mapping = PropertyGraphMapping.from_ontology(load_ontology())


def test_names_are_readable_and_reversible() -> None:
    for term, name in [
        (JKG.dependsOn, "dependsOn"),
        (JKG.BackofficeProcess, "BackofficeProcess"),
        (SKOS.prefLabel, "skos_prefLabel"),
        (URIRef("http://example.org/vocab#thing"), "http://example.org/vocab#thing"),
    ]:
        assert mapping.name(term) == name
        assert mapping.iri(name) == term


def test_language_tags_become_part_of_the_property_name() -> None:
    assert mapping.property_name(RDFS.label, "nl") == "rdfs_label@nl"
    assert mapping.split_property_name("rdfs_label@nl") == ("rdfs_label", "nl")
    assert mapping.split_property_name("amountEur") == ("amountEur", None)


def test_datatypes_come_back_from_the_ontology() -> None:
    assert mapping.literal(JKG.period, "2025", None) == Literal("2025", datatype=XSD.gYear)
    assert mapping.literal(JKG.amountEur, 10.5, None) == Literal(
        Decimal("10.5"), datatype=XSD.decimal
    )
    assert mapping.literal(JKG.momentOfTruth, True, None) == Literal(True)
    assert mapping.value(Literal("2025", datatype=XSD.gYear)) == "2025"
    assert mapping.value(Literal(3)) == 3
