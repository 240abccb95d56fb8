"""Reading a large N-Triples or Turtle file with Oxigraph's parser, into rdflib terms.

rdflib's own N-Triples and Turtle parsers are written in Python and read
about 35,000 triples a second; Oxigraph's (Rust, pyoxigraph, already the
embedded store) reads the same file about 30 times faster. Everything after
the parse (governance checks, the SHACL gate, the write) still takes rdflib
terms, so each Oxigraph term is converted once: an organisation repeats its
predicates, classes and shared values on every line, and the conversion is
kept per distinct term, so a file of 3.7M triples builds ~1M rdflib terms,
not 11M.

The terms are the ones rdflib's parser builds (a simple literal has no
datatype), so the graph compares equal to rdflib's, term for term
(tests/loaders/test_rdf_fast_read.py), with one difference that RDF 1.1
says is none: Oxigraph reads ``"s"^^xsd:string`` as the simple literal
``"s"`` (the same value; the gate, the audit and both stores treat them
alike, graph/canonical.py). A file Oxigraph refuses
is read again by rdflib (:func:`journeykg.loaders.rdf_file.read_rdf`), so
that the error names the file and line exactly as it always did, and a
file only rdflib accepts still loads.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.util import guess_format

from journeykg.loaders.rdf_file import read_rdf, refuse_blank_subjects
from journeykg.namespaces import XSD
from journeykg.ontology_graph import vocabulary
from journeykg.validation.graph_index import subject_index
from journeykg.validation.problems import ParseError
from journeykg.validation.subject_memory import SubjectMemory

#: The rdflib format names Oxigraph parses here, with its format for each.
_OXIGRAPH_FORMATS = {
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nt11": ox.RdfFormat.N_TRIPLES,
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
}
_XSD_STRING = str(XSD.string)


def read_large_rdf(path: Path, rdf_format: str | None = None) -> Graph:
    """``path`` as :func:`read_rdf` reads it, parsed by Oxigraph where it can be.

    The graph has no contexts and is indexed by subject alone until a reader
    asks otherwise (:class:`~journeykg.validation.subject_memory.SubjectMemory`:
    a third of the cost of rdflib's default store for each triple added); a
    format Oxigraph is not used for here is read by rdflib as before.
    """
    fmt = rdf_format or guess_format(str(path)) or "turtle"
    oxigraph_format = _OXIGRAPH_FORMATS.get(fmt)
    if oxigraph_format is None:
        return read_rdf(path, rdf_format)
    graph = Graph(store=SubjectMemory())
    try:
        _parse_into(graph, path, oxigraph_format)
    except (SyntaxError, OSError, ValueError) as refused:
        # rdflib's reading names the file and the line as every other load's error
        # does (or, for a file only rdflib accepts, reads it).
        try:
            return read_rdf(path, rdf_format)
        except ParseError as exc:
            raise _with_position(exc, refused) from exc
    spo = subject_index(graph)
    # rdflib's subject index holds every subject once: a blank one is found without a
    # pass over the triples (refuse_blank_subjects then names it as every load does).
    if spo is None or any(isinstance(s, BNode) for s in spo):
        refuse_blank_subjects(path, graph)
    return graph


def _with_position(error: ParseError, refused: BaseException) -> ParseError:
    """``error``, with Oxigraph's line and words where rdflib's name no line.

    rdflib's N-Triples parser says only "Invalid line"; Oxigraph says where it
    stopped ("Parser error at line 4 column 1: Quads must be followed by a dot").
    """
    line = getattr(refused, "lineno", None)
    if not isinstance(refused, SyntaxError) or not line:
        return error
    if any(problem.line for problem in error.problems):
        return error
    message = getattr(refused, "msg", None) or str(refused)
    problems = [replace(problem, line=line, message=message) for problem in error.problems]
    return ParseError(error.summary, problems)


def _parse_into(graph: Graph, path: Path, oxigraph_format: ox.RdfFormat) -> None:
    # The vocabulary's IRIs become the objects the compiled shapes hold (ontology_graph.py,
    # ``vocabulary``): the gate then finds a value's predicate and type by identity.
    terms: dict[object, Node] = {ox.NamedNode(iri): term for iri, term in vocabulary().items()}
    add = graph.store.add  # the terms are built here, valid: Graph.add's checks are not needed
    # A relative IRI in Turtle resolves against the file, as rdflib resolves it.
    base = path.absolute().as_uri()
    for quad in ox.parse(path=path, format=oxigraph_format, base_iri=base):
        s, p, o = quad.subject, quad.predicate, quad.object
        rs = terms.get(s)
        if rs is None:
            rs = terms[s] = _term(s)
        rp = terms.get(p)
        if rp is None:
            rp = terms[p] = _term(p)
        ro = terms.get(o)
        if ro is None:
            ro = terms[o] = _term(o)
        add((rs, rp, ro), graph)


def _term(term: object) -> Node:
    """The rdflib term rdflib's own parser builds for ``term``."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)  # a simple literal, as rdflib's parser keeps it
        return Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise ValueError(f"an RDF term journeykg does not load: {term!r}")
