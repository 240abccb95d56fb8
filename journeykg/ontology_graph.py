"""The ontology and the shapes as rdflib graphs, parsed once per process."""

from functools import cache

from rdflib import Graph, URIRef

from journeykg.resources import coverage_shape_files, ontology_files, shape_files


@cache
def load_ontology() -> Graph:
    """The journeykg ontology (all of ontology/*.ttl). Treat as read-only: it is shared."""
    graph = Graph()
    for path in ontology_files():
        graph.parse(path, format="turtle")
    return graph


@cache
def load_shapes() -> Graph:
    """The SHACL shapes (all of shapes/*.ttl). Treat as read-only: it is shared."""
    graph = Graph()
    for path in shape_files():
        graph.parse(path, format="turtle")
    return _with_pyshacl_system_triples(graph)


@cache
def vocabulary() -> dict[str, URIRef]:
    """One term object per IRI the ontology and the shapes name, by its text.

    A large load's gate looks each element's values up by the shapes' paths and
    its types by ``rdf:type``, millions of times: a dict finds a key by identity
    first, but an equal key that is another object costs a call of rdflib's
    ``__eq__`` (Python). The load's parse (loaders/rdf_fast_read.py) and the
    compiled shapes (validation/fast_shacl.py) both take their vocabulary's
    terms from here, so that those lookups find the very object.
    """
    terms: dict[str, URIRef] = {}
    for graph in (load_ontology(), load_shapes()):
        for triple in graph:
            for term in triple:
                if isinstance(term, URIRef):
                    terms.setdefault(str(term), term)
    return terms


def vocabulary_term(term: URIRef) -> URIRef:
    """The object :func:`vocabulary` holds for ``term``'s IRI; ``term`` if it names none."""
    return vocabulary().get(str(term), term)


@cache
def load_coverage_shapes() -> Graph:
    """The shapes of the coverage report (shapes/coverage*.ttl). Read-only: it is shared."""
    graph = Graph()
    for path in coverage_shape_files():
        graph.parse(path, format="turtle")
    return _with_pyshacl_system_triples(graph)


def _with_pyshacl_system_triples(graph: Graph) -> Graph:
    # pySHACL adds these to the shapes graph at every validation. Added here,
    # before the graph is shared, its adds change nothing: a first validation
    # would otherwise grow the graph's indexes while other threads read them.
    from pyshacl.shapes_graph import ShapesGraph

    for triple in ShapesGraph.system_triples:
        graph.add(triple)
    return graph
