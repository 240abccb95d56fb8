"""The RDF <-> property graph mapping, without a server."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from journeykg.graph.property_graph import PropertyGraphMapping
from journeykg.namespaces import JKG, RDFS, SKOS, XSD
from journeykg.ontology_graph import load_ontology
from tests.graph.literal_strategies import comparable, values

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


# --- every literal comes back (property-based; the stores' test: test_literal_round_trip) ---


@settings(max_examples=300, deadline=None, derandomize=True)
@given(values)
def test_every_literal_comes_back_from_what_is_stored(pairs: list[tuple[URIRef, Literal]]) -> None:
    subject = URIRef("http://example.org/s")
    delta = Graph()
    for predicate, literal in pairs:
        delta.add((subject, predicate, literal))
    [row] = mapping.rows(delta, lambda iri: iri)
    # What Neo4j stores: one type of value per property (it refuses mixed lists).
    for stored in row.properties.values():
        if isinstance(stored, list):
            assert len({type(v) for v in stored}) == 1, stored
    back = {(p, comparable(o)) for _, p, o in mapping.triples(row.iri, (), row.properties, ())}
    assert back == {(p, comparable(o)) for _, p, o in delta}


def test_a_literal_without_a_range_is_named_with_its_datatype() -> None:
    issued = Literal("2024-05-01", datatype=XSD.date)
    assert mapping.encode(DCTERMS.issued, issued) == ("dcterms_issued^^xsd_date", "2024-05-01")
    assert mapping.decode("dcterms_issued^^xsd_date", "2024-05-01") == (DCTERMS.issued, issued)
    assert mapping.split_property_name("dcterms_issued^^xsd_date") == ("dcterms_issued", None)
    # The fast path stays: a literal of its range's datatype, native, under the plain name.
    assert mapping.encode(JKG.amountEur, Literal(Decimal("10.5"))) == ("amountEur", 10.5)
    assert mapping.encode(JKG.contacts, Literal(3)) == ("contacts", 3)


def test_data_written_by_the_old_mapping_reads_as_it_did() -> None:
    # A plain name without a range: a string, or after the stored Python type.
    assert mapping.decode("dcterms_issued", "2024-05-01") == (
        DCTERMS.issued,
        Literal("2024-05-01"),
    )
    assert mapping.decode("http://example.org/vocab#n", 3)[1] == Literal(3)
