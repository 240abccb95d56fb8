"""Exports of a store: the same graph always gives the same bytes.

A store hands its triples back in whatever order it keeps them (Neo4j: the
order its nodes were created in; Oxigraph: its index order), and in its own
spelling of a number (Oxigraph ``"30000"``, Neo4j ``"30000.0"`` for the
same ``xsd:decimal``). A backup, a diff in version control or a checksum
needs more: one graph, one file. So an export is written in a canonical
form:

- numbers in their shortest decimal spelling (:func:`~.canonical.canonical_term`);
- blank nodes, if any, relabelled from their content by rdflib's RDF
  canonicalization (:func:`rdflib.compare.to_canonical_graph`), so that the
  labels a store or a parser happened to give do not leak into the bytes;
- N-Triples: one triple a line, the lines sorted (code-point order of the
  UTF-8 text, as ``sort`` with ``LC_ALL=C`` sorts them);
- Turtle: rdflib's serializer, which sorts subjects, predicates and objects
  and the ``@prefix`` lines; the prefixes bound are journeykg's own
  (:data:`~journeykg.namespaces.PREFIXES`), whatever the store had bound.
"""

from __future__ import annotations

from typing import Literal

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph

from journeykg.graph.canonical import canonical_term
from journeykg.graph.store import Store
from journeykg.namespaces import PREFIXES

ExportFormat = Literal["nt", "turtle"]

#: The formats ``journeykg export`` writes (and ``journeykg restore`` reads).
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("nt", "turtle")


def export_bytes(store: Store, rdf_format: ExportFormat) -> tuple[bytes, int]:
    """Every stored triple in ``rdf_format``, canonically; with the number of triples."""
    graph = store.export()
    return canonical_bytes(graph, rdf_format), len(graph)


def canonical_bytes(graph: Graph, rdf_format: ExportFormat) -> bytes:
    """``graph`` serialised so that equal graphs give equal bytes, whatever their order."""
    canon = canonical_graph(graph)
    if rdf_format == "nt":
        text = canon.serialize(format="nt", encoding="utf-8")
        # Sorting the UTF-8 bytes of each line, not str: byte order is what `sort` and
        # `diff` tools agree on, and it is the same for every locale.
        lines = sorted(line for line in text.split(b"\n") if line.strip())
        return b"".join(line + b"\n" for line in lines)
    if rdf_format == "turtle":
        return canon.serialize(format="turtle", encoding="utf-8")
    raise ValueError(f"cannot export as {rdf_format!r}: use one of {', '.join(EXPORT_FORMATS)}")


def canonical_graph(graph: Graph) -> Graph:
    """``graph`` with numbers spelled canonically, blank nodes labelled by content and
    journeykg's prefixes bound (only these: a store's bindings do not reach the file)."""
    out = _journeykg_prefixes()
    has_blank = False
    for s, p, o in graph:
        has_blank = has_blank or isinstance(s, BNode) or isinstance(o, BNode)
        out.add((s, p, canonical_term(o)))
    if not has_blank:
        return out
    # Canonical labels cost a hash per node and round: only a graph with blank nodes pays.
    relabelled = to_canonical_graph(out)
    final = _journeykg_prefixes()
    for triple in relabelled:
        final.add(triple)
    return final


def _journeykg_prefixes() -> Graph:
    """An empty graph with journeykg's prefixes bound, and no others."""
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph
