"""The ontology is consistent and every class is satisfiable (HermiT, via owlready2)."""

from __future__ import annotations

from pathlib import Path

import owlready2
import pytest
from rdflib import Graph, URIRef

from journeykg.namespaces import JKG, RDF
from journeykg.resources import ontology_files


def _reason(graph: Graph, tmp_path: Path) -> owlready2.World:
    # owlready2 reads RDF/XML or N-Triples, not Turtle.
    source = tmp_path / "journeykg.nt"
    graph.serialize(source, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(source.as_uri()).load()
    with onto:
        # xsd:gYear (jkg:period) is outside OWL 2's datatype map; HermiT must skip it.
        owlready2.sync_reasoner_hermit(
            world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
        )
    return world


def _ontology() -> Graph:
    merged = Graph()
    for path in ontology_files():
        merged.parse(path, format="turtle")
    return merged


def test_ontology_is_consistent_and_all_classes_satisfiable(tmp_path: Path) -> None:
    world = _reason(_ontology(), tmp_path)
    assert list(world.inconsistent_classes()) == []
    assert len(list(world.classes())) >= 14


def test_the_check_catches_an_inconsistency(tmp_path: Path) -> None:
    """Proof that the test above can fail: stages and phases are disjoint."""
    broken = _ontology()
    both = URIRef("https://id.journeykg.example/stage-and-phase")
    broken.add((both, RDF.type, JKG.LifecycleStage))
    broken.add((both, RDF.type, JKG.Phase))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(broken, tmp_path)
