"""Every ontology module together is consistent and every class satisfiable (HermiT, via owlready2).

The check reasons over the union of ALL modules in ontology/*.ttl (core,
lifecycle, glossary, governance, alignments and any added later): the
modules' owl:imports point at each other only, so they are resolved by
merging the files and then dropped, which keeps owlready2 from fetching
anything over the network.
"""

from __future__ import annotations

import time
from pathlib import Path

import owlready2
import pytest
from rdflib import Graph, URIRef

from journeykg.namespaces import JKG, OWL, RDF
from journeykg.resources import ontology_files

#: The modules the check must see; a module that goes missing fails the test.
MODULES = {
    "https://w3id.org/journeykg/ontology",
    "https://w3id.org/journeykg/ontology/lifecycle",
    "https://w3id.org/journeykg/ontology/glossary",
    "https://w3id.org/journeykg/ontology/governance",
    "https://w3id.org/journeykg/ontology/alignments",
    "https://w3id.org/journeykg/ontology/facts",
    "https://w3id.org/journeykg/ontology/sync",
}


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
    imported = set(merged.objects(None, OWL.imports))
    declared = set(merged.subjects(RDF.type, OWL.Ontology))
    # Imports between modules are satisfied by the merge itself.
    assert imported <= declared, f"imports of something that is not a module: {imported - declared}"
    merged.remove((None, OWL.imports, None))
    return merged


def test_all_modules_are_reasoned_over() -> None:
    modules = {str(m) for m in _ontology().subjects(RDF.type, OWL.Ontology)}
    assert modules >= MODULES


def test_ontology_is_consistent_and_all_classes_satisfiable(tmp_path: Path) -> None:
    started = time.perf_counter()
    world = _reason(_ontology(), tmp_path)
    elapsed = time.perf_counter() - started
    # An inconsistency raises inside _reason; an unsatisfiable class is listed here.
    assert list(world.inconsistent_classes()) == []
    names = {c.iri for c in world.classes()}
    # The classes of every module are there, and the alignment targets too.
    for iri in (
        JKG.Journey,  # core
        JKG.ContactReason,  # lifecycle
        JKG.Glossary,  # glossary
        JKG.DefinitionStatus,  # governance
        URIRef("http://bp4mc2.org/def/archimate#BusinessProcess"),  # alignments
    ):
        assert str(iri) in names, iri
    print(f"HermiT over {len(names)} classes of all modules: {elapsed:.1f} s")


def test_the_check_catches_an_inconsistency(tmp_path: Path) -> None:
    """Proof that the test above can fail: stages and phases are disjoint."""
    broken = _ontology()
    both = URIRef("https://id.journeykg.example/stage-and-phase")
    broken.add((both, RDF.type, JKG.LifecycleStage))
    broken.add((both, RDF.type, JKG.Phase))
    with pytest.raises(owlready2.OwlReadyInconsistentOntologyError):
        _reason(broken, tmp_path)


def test_the_check_catches_an_unsatisfiable_class(tmp_path: Path) -> None:
    """Proof that an unsatisfiable class fails it too: a glossary that is also a framework."""
    broken = _ontology()
    both = URIRef("https://w3id.org/journeykg/ontology#GlossaryFramework")
    broken.add((both, RDF.type, OWL.Class))
    broken.add((both, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), JKG.Glossary))
    broken.add(
        (both, URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf"), JKG.LifecycleFramework)
    )
    world = _reason(broken, tmp_path)
    # HermiT reports the class together with owl:Nothing it is equivalent to.
    assert str(both) in {c.iri for c in world.inconsistent_classes()}


def test_every_module_carries_version_metadata() -> None:
    for path in ontology_files():
        graph = Graph().parse(path, format="turtle")
        (module,) = graph.subjects(RDF.type, OWL.Ontology)
        version_iri = graph.value(module, OWL.versionIRI)
        version = graph.value(module, OWL.versionInfo)
        assert version_iri is not None, path.name
        assert version is not None, path.name
        assert str(version_iri) == f"{module}/{version}", path.name
