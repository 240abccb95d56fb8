"""What journeykg.walk is told, checked without a server: classes from labels, detection."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from journeykg.graph.elements import element_type
from journeykg.graph.neo4j_walk import PROCEDURE, PROTOCOL, ServerWalks, class_ranks
from journeykg.graph.property_graph import RESOURCE_LABEL, PropertyGraphMapping

LABELS = [
    RESOURCE_LABEL,
    "Journey",
    "BackofficeProcess",
    "KPI",
    "skos_Concept",
    "prov_Activity",
    "Aardvark",
    "urn:x:Thing",
    "https://w3id.org/journeykg/ontology#Zeta",
]


def test_the_smallest_rank_is_the_class_element_type_gives() -> None:
    mapping = PropertyGraphMapping()
    ranked, ranks = class_ranks(mapping, LABELS)
    assert RESOURCE_LABEL not in ranks
    named = [label for label in LABELS if label != RESOURCE_LABEL]
    for size in range(1, 4):
        for labels in combinations(named, size):
            types = [str(mapping.iri(label)) for label in labels]
            assert ranked[min(ranks[label] for label in labels)] == element_type(types), labels


def _walks(descriptions: list[str]) -> ServerWalks:
    def read(query: str, **params: Any) -> list[dict[str, str]]:
        assert "SHOW PROCEDURES" in query
        return [{"name": PROCEDURE, "description": d} for d in descriptions]

    return ServerWalks(read, PropertyGraphMapping())  # type: ignore[arg-type]


def test_the_procedure_is_used_only_with_this_protocol() -> None:
    assert _walks([f"journeykg's walk ({PROTOCOL})"]).installed()
    assert not _walks([]).installed()
    assert not _walks(["journeykg's walk (journeykg-walk-protocol-0)"]).installed()
