"""The gate's rewritten shapes and label index give pySHACL's results on the shapes as written.

The gate hands pySHACL a rewritten copy of the shapes (validation/pyshacl_shapes.py)
and checks the unique-label rules with an index (validation/label_index.py).
Both are held here to the results of plain pySHACL on shapes/ as written: on
every shape fixture, and on label cases built to hit each exception of the
rules (closed concepts, a change proposal and its concept, case, language,
another scheme, a governed item outside a glossary).
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.term import Node

from journeykg.namespaces import JKG, RDF, REG, SH, SKOS
from journeykg.ontology_graph import load_ontology, load_shapes
from journeykg.validation.gate import run_shacl
from journeykg.validation.label_index import label_clashes
from journeykg.validation.pyshacl_shapes import shapes_for_pyshacl

FIXTURES = Path(__file__).resolve().parents[1] / "shapes" / "fixtures"
CASES = sorted(p for p in FIXTURES.glob("*.ttl") if not p.name.startswith("_"))
EX = Namespace("https://id.journeykg.example/test/")

Row = tuple[
    Node | None, Node | None, Node | None, Node | None, Node | None, Node | None, frozenset[str]
]


def _rows(results: Graph) -> set[Row]:
    rows = set()
    for r in results.subjects(RDF.type, SH.ValidationResult):
        path = results.value(r, SH.resultPath)
        alternatives = results.value(path, SH.alternativePath) if path is not None else None
        rows.add(
            (
                results.value(r, SH.focusNode),
                results.value(alternatives, RDF.first) if alternatives is not None else path,
                results.value(r, SH.value),
                results.value(r, SH.sourceConstraintComponent),
                results.value(r, SH.sourceShape),
                results.value(r, SH.resultSeverity),
                # pySHACL drops a SPARQL message's language; compare the words.
                frozenset(str(m) for m in results.objects(r, SH.resultMessage)),
            )
        )
    return rows


def _as_written(data: Graph) -> tuple[bool, set[Row]]:
    combined = data + load_ontology()
    conforms, results, _ = pyshacl.validate(
        combined, shacl_graph=load_shapes(), inference="none", advanced=True, allow_warnings=True
    )
    return bool(conforms), _rows(results)


def _gate(data: Graph) -> tuple[bool, set[Row]]:
    conforms, results = run_shacl(data)
    return conforms, _rows(results)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.name)
def test_the_gate_agrees_with_pyshacl_on_every_fixture(path: Path) -> None:
    data = Graph().parse(FIXTURES / "_context.ttl").parse(path)
    assert _gate(data) == _as_written(data)


def _concept(
    data: Graph, name: str, scheme: URIRef, *labels: Literal, status: URIRef | None = None
) -> URIRef:
    iri = EX[name]
    data.add((iri, RDF.type, SKOS.Concept))
    data.add((iri, SKOS.inScheme, scheme))
    data.add((iri, SKOS.definition, Literal(f"Definitie van {name}.", lang="nl")))
    for label in labels:
        data.add((iri, SKOS.prefLabel, label))
    if status is not None:
        data.add((iri, REG.status, status))
    return iri


def nl(text: str) -> Literal:
    return Literal(text, lang="nl")


def _label_cases() -> Graph:
    data = Graph()
    glossary, other_glossary, framework = EX.glossary, EX["glossary-2"], EX.framework
    for scheme in (glossary, other_glossary):
        data.add((scheme, RDF.type, SKOS.ConceptScheme))
        data.add((scheme, RDF.type, JKG.Glossary))
    data.add((framework, RDF.type, SKOS.ConceptScheme))
    # Three concepts share a label (case aside): each clashes with the other two.
    for name, text in (("klacht-a", "Klacht"), ("klacht-b", "klacht"), ("klacht-c", "KLACHT")):
        _concept(data, name, glossary, nl(text), status=JKG.statusProposed)
    # Same words, other language or other glossary: no clash.
    _concept(data, "klacht-en", glossary, Literal("Klacht", lang="en"))
    _concept(data, "klacht-elders", other_glossary, nl("Klacht"))
    # A closed concept neither clashes nor is clashed with.
    _concept(data, "oud", glossary, nl("Wachttijd"), status=JKG.statusRetired)
    _concept(data, "nieuw", glossary, nl("Wachttijd"), status=JKG.statusProposed)
    # A change proposal is compared as the concept it changes.
    changed = _concept(data, "inzicht", glossary, nl("Inzicht"), status=JKG.statusApproved)
    change = EX["inzicht/change/1"]
    data.add((change, RDF.type, JKG.ChangeProposal))
    data.add((change, JKG.proposedChangeTo, changed))
    data.add((change, REG.status, JKG.statusProposed))
    data.add((change, SKOS.prefLabel, nl("inzicht")))
    data.add((change, SKOS.definition, nl("Nieuwe definitie.")))
    # Governed items outside glossaries (GovernedItem-uniqueLabel), and a change to one.
    _concept(data, "fase-a", framework, nl("Oriëntatie"), status=JKG.statusApproved)
    fase_b = _concept(data, "fase-b", framework, nl("oriëntatie"), status=JKG.statusProposed)
    fase_change = EX["fase-b/change/1"]
    data.add((fase_change, JKG.proposedChangeTo, fase_b))
    data.add((fase_change, REG.status, JKG.statusProposed))
    data.add((fase_change, SKOS.prefLabel, nl("Oriëntatie")))
    data.add((fase_change, SKOS.definition, nl("Nieuw.")))
    return data


def test_the_label_index_agrees_with_the_sparql_rules() -> None:
    data = _label_cases()
    conforms, rows = _gate(data)
    assert (conforms, rows) == _as_written(data)
    clashes = {
        (focus, shape)
        for focus, _, _, component, shape, *_ in rows
        if component == SH.SPARQLConstraintComponent
    }
    unique, governed = (
        URIRef("https://w3id.org/journeykg/shapes#GlossaryConcept-prefLabel-unique"),
        URIRef("https://w3id.org/journeykg/shapes#GovernedItem-uniqueLabel"),
    )
    # The cases hit what they are meant to: if none clashed, agreeing would prove nothing.
    assert clashes >= {
        (EX["klacht-a"], unique),
        (EX["klacht-b"], unique),
        (EX["klacht-c"], unique),
        (EX["fase-a"], governed),
        (EX["fase-b"], governed),
    }
    assert not {f for f, _ in clashes} & {EX.oud, EX.nieuw, EX.inzicht, EX["klacht-en"]}


def test_the_unique_label_constraints_are_left_to_the_index() -> None:
    shapes = shapes_for_pyshacl()
    assert (None, SH.sparql, None) in shapes  # other SPARQL constraints stay with pySHACL
    for shape in ("GlossaryConcept-prefLabel-unique", "GovernedItem-uniqueLabel"):
        assert (URIRef(f"https://w3id.org/journeykg/shapes#{shape}"), SH.sparql, None) not in shapes
    assert len(label_clashes(_label_cases())) > 0
