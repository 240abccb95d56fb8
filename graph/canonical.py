"""A canonical form of a graph, for comparing what two stores hold by value.

Stores keep the value of a literal, not always its spelling: Oxigraph writes
``"30000.00"^^xsd:decimal`` back as ``"30000"``, Neo4j keeps decimals as
floats. Comparing dumps therefore needs numbers in one canonical spelling.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from rdflib import Graph, Literal
from rdflib.compare import IsomorphicGraph, to_isomorphic
from rdflib.term import Node

from journeykg.namespaces import XSD

_NUMERIC = {XSD.decimal, XSD.integer, XSD.double, XSD.float}
# Looked up once: rdflib's Namespace attribute access builds and checks a new URIRef each
# time, and the audit and the sync's plan compare every literal of a batch through here
# (a quarter of the audit's spelling of a 1,000-record batch, docs/benchmarks.md).
_STRING = XSD.string


def canonical_term(term: Node) -> Node:
    """Numbers in their shortest decimal spelling, strings without ``^^xsd:string``;
    every other term as it is.

    An ill-typed number (``"abc"^^xsd:decimal``) and a double that is not finite
    (``INF``, ``NaN``, which have no decimal spelling) keep the spelling they have.
    In RDF 1.1 a simple literal *is* an ``xsd:string``; Oxigraph hands some back
    with the datatype written out and Neo4j without, so one spelling is chosen:
    the simple one, as canonical N-Triples writes it."""
    if isinstance(term, Literal) and term.datatype == _STRING and not term.language:
        return Literal(str(term))
    if isinstance(term, Literal) and term.datatype in _NUMERIC:
        try:
            value = Decimal(str(term.toPython())).normalize()
        except InvalidOperation:
            return term
        if not value.is_finite():
            return term
        spelled = format(value, "f")
        if spelled == str(term):
            return term  # canonical already: a new Literal would parse the number again
        return Literal(spelled, datatype=term.datatype)
    return term


def canonical(graph: Graph) -> IsomorphicGraph:
    """``graph`` with canonical literals, ready for ``==`` against another."""
    out = Graph()
    for s, p, o in graph:
        out.add((s, p, canonical_term(o)))
    return to_isomorphic(out)
