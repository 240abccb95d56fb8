"""A graph's triples by subject, then predicate: from rdflib's own index where it has one.

A bulk write handles a delta subject by subject (graph/neo4j_bulk.py cuts
batches of whole subjects, ``PropertyGraphMapping.rows`` makes a row per
subject). Iterating an rdflib graph costs a Python generator step and a
context check per triple, and grouping the triples again costs a dict
lookup per triple; at 3.7M triples (the 1M organisation) that was a large
part of the write's client time (docs/benchmarks.md, "Neo4j product load").
rdflib's :class:`SimpleMemory` (the store a load's deltas live in) keeps
exactly this grouping as its ``spo`` index, ``spo[s][p][o]``; rdflib has no
public accessor for it, so it is read in one place,
:func:`journeykg.validation.graph_index.subject_index`, and any other store
(or an rdflib that renamed it) takes the generic path, which groups the
triples once. A test holds both paths equal. rdflib leaves the emptied
entries of removed triples in its index: a subject or predicate may hold no
objects, and readers skip it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rdflib import Graph
from rdflib.term import Node

from journeykg.validation.graph_index import subject_index as rdflib_index

#: Subject -> predicate -> objects.
SubjectIndex = Mapping[Node, Mapping[Node, Iterable[Node]]]


def subject_index(graph: Graph) -> SubjectIndex:
    """``graph``'s triples as subject -> predicate -> objects (not to be changed by the caller)."""
    found = rdflib_index(graph)
    return found if found is not None else grouped(graph)


def grouped(triples: Iterable[tuple[Node, Node, Node]]) -> SubjectIndex:
    """The generic path of :func:`subject_index` (any triples): one pass over them."""
    index: dict[Node, dict[Node, list[Node]]] = {}
    for s, p, o in triples:
        by_predicate = index.get(s)
        if by_predicate is None:
            by_predicate = index[s] = {}
        objects = by_predicate.get(p)
        if objects is None:
            by_predicate[p] = [o]
        else:
            objects.append(o)
    return index
