"""The RDF <-> property graph mapping, without a server."""

from __future__ import annotations

from decimal import Decimal
from random import Random

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from journeykg.graph.property_graph import NodeRow, PropertyGraphMapping
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


@settings(max_examples=200, deadline=None, derandomize=True)
@given(values, st.randoms(use_true_random=False))
def test_the_same_triples_give_the_same_rows_whatever_their_order(
    pairs: list[tuple[URIRef, Literal]], shuffle: Random
) -> None:
    # rows() no longer sorts the triples (only the values of a property that
    # holds several): a bulk load must still write what upsert writes.
    triples: list[tuple[URIRef, URIRef, Node]] = [
        (URIRef(f"http://example.org/s{i % 3}"), p, o) for i, (p, o) in enumerate(pairs)
    ]
    triples += [
        (URIRef("http://example.org/s0"), JKG.dependsOn, URIRef(f"http://example.org/s{i}"))
        for i in (1, 2)
    ]
    triples += [(URIRef("http://example.org/s1"), SKOS.notation, Literal(n)) for n in "cabd"]
    reordered = list(triples)
    shuffle.shuffle(reordered)
    first, second = Graph(), Graph()
    for triple in triples:
        first.add(triple)
    for triple in reversed(reordered):
        second.add(triple)
    assert _written(mapping.rows(first, str)) == _written(mapping.rows(second, str))


def _written(rows: list[NodeRow]) -> list[str]:
    """What a write sends for ``rows``; the order of a map's keys or of a type's edges is no part
    of it, the order of a property's values is. By repr: NaN != NaN."""
    return [
        repr(
            (
                row.iri,
                row.key,
                sorted(row.labels),
                sorted(row.properties.items()),
                sorted((t, sorted(targets)) for t, targets in row.relationships.items()),
                sorted(row.replaced_predicates),
                row.replaces_types,
            )
        )
        for row in rows
    ]


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
