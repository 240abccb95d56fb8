"""Oxigraph's reading of a load's file gives the graph rdflib's reading gives, and its errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_isomorphic
from rdflib.term import Node

from bench.synthetic import generate
from journeykg.loaders.rdf_fast_read import read_large_rdf
from journeykg.loaders.rdf_file import read_rdf
from journeykg.namespaces import XSD
from journeykg.ontology_graph import vocabulary_term
from journeykg.resources import DEMO_DATASET, GLOSSARY_DATASET, ONTOLOGY_DIR, SHAPES_DIR
from journeykg.validation.problems import ParseError
from tests.conftest import FIXTURES

#: Every Turtle file the project ships or tests with: shapes, ontology, fixtures, the demo.
TURTLE_FILES = sorted(
    {*SHAPES_DIR.glob("*.ttl"), *ONTOLOGY_DIR.glob("*.ttl"), *FIXTURES.rglob("*.ttl")}
    | {DEMO_DATASET, GLOSSARY_DATASET}
)
TURTLE_FILES.remove(FIXTURES / "broken_syntax.ttl")


def _simple(term: Node) -> Node:
    """RDF 1.1: ``"s"^^xsd:string`` is the simple literal ``"s"`` (Oxigraph reads it as one)."""
    if isinstance(term, Literal) and term.datatype == XSD.string:
        return Literal(str(term))
    return term


def _same_terms(rdflib_read: Graph, b: Graph) -> None:
    """Equal as sets of triples, term for term (a literal's datatype and language included)."""
    a = Graph()
    for s, p, o in rdflib_read:
        a.add((s, p, _simple(o)))
    assert len(a) == len(b)
    if any(isinstance(t, BNode) for triple in a for t in triple):
        assert to_isomorphic(a) == to_isomorphic(b)
        return
    assert set(a) == set(b)
    for triple in a:  # == on rdflib literals compares values; the spelling must match too
        ours = next(iter(b.triples(triple)))
        assert [type(t) for t in ours] == [type(t) for t in triple]
        theirs, mine = triple[2], ours[2]
        if isinstance(theirs, Literal) and isinstance(mine, Literal):
            assert (mine.datatype, mine.language, str(mine)) == (
                theirs.datatype,
                theirs.language,
                str(theirs),
            )


@pytest.mark.parametrize("path", TURTLE_FILES, ids=lambda p: p.name)
def test_turtle_reads_as_rdflib_reads_it(path: Path) -> None:
    _same_terms(read_rdf(path, allow_blank_nodes=True), _read_allowing_blank_objects(path))


def _read_allowing_blank_objects(path: Path) -> Graph:
    try:
        return read_large_rdf(path)
    except ParseError:  # a shapes file has blank-node subjects: compare its triples anyway
        from journeykg.loaders import rdf_fast_read

        graph = Graph()
        rdf_fast_read._parse_into(graph, path, rdf_fast_read._OXIGRAPH_FORMATS["turtle"])
        return graph


def test_a_generated_organisation_reads_as_rdflib_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "org.nt"
    graph = generate(300).graph
    # Values of every kind the loads meet: plain, language-tagged, typed, escaped.
    x = URIRef("https://id.example/x")
    for name, value in {
        "p": Literal('a "q"\n\\'),
        "n": Literal("1.50", datatype=XSD.decimal),
        "s": Literal("s", datatype=XSD.string),
        "l": Literal("Één", lang="nl"),
        "t": Literal("Two", lang="en-GB"),
    }.items():
        graph.add((x, URIRef(f"https://id.example/{name}"), value))
    graph.serialize(path, format="nt", encoding="utf-8")
    _same_terms(read_rdf(path), read_large_rdf(path))


def test_a_broken_file_is_reported_as_rdflib_reports_it(tmp_path: Path) -> None:
    path = tmp_path / "x.nt"
    path.write_text("<http://a> <http://b> <http://c> .\n<http://a> <http://b> .\n")
    with pytest.raises(ParseError, match="does not parse as nt") as raised:
        read_large_rdf(path)
    # rdflib's N-Triples parser names no line ("Invalid line"): Oxigraph's does.
    [problem] = raised.value.problems
    assert (problem.line, problem.rule) == (2, "nt syntax")
    assert "line 2" in problem.message
    with pytest.raises(ParseError) as raised:
        read_large_rdf(FIXTURES / "broken_syntax.ttl")
    assert raised.value.problems[0].line == 3


def test_a_blank_node_subject_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.nt"
    path.write_text('_:b1 <http://www.w3.org/2000/01/rdf-schema#label> "x" .\n')
    with pytest.raises(ParseError, match="has blank nodes"):
        read_large_rdf(path)


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ParseError, match="cannot read"):
        read_large_rdf(tmp_path / "absent.ttl")


def test_the_vocabulary_is_read_as_the_compiled_shapes_hold_it() -> None:
    # The gate finds a value's predicate and type by identity only if the parse made them
    # the very objects the compiled shapes look them up by (ontology_graph.vocabulary).
    from journeykg.namespaces import RDF
    from journeykg.validation.fast_shacl import compiled_gate_shapes

    compiled = compiled_gate_shapes()
    paths = {
        str(prop.path): prop.path
        for shapes in compiled.by_class.values()
        for shape in shapes
        if shape is not None
        for prop in shape.properties
    }
    classes = {str(cls): cls for cls in compiled.by_class}
    graph = read_large_rdf(DEMO_DATASET)
    predicates = {p for _, p, _ in graph}
    types = set(graph.objects(None, RDF.type))
    shared_paths = [p for p in predicates if str(p) in paths]
    shared_classes = [t for t in types if str(t) in classes]
    assert len(shared_paths) > 10
    assert len(shared_classes) > 10
    assert all(p is paths[str(p)] for p in shared_paths)
    assert all(t is classes[str(t)] for t in shared_classes)
    rdf_type = next(p for p in predicates if p == RDF.type)
    assert rdf_type is vocabulary_term(RDF.type)
