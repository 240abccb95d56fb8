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

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from rdflib import Graph
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from journeykg.validation.graph_index import subject_index as rdflib_index

#: Subject -> predicate -> objects.
SubjectIndex = Mapping[Node, Mapping[Node, Collection[Node]]]


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


class SubjectSlice(SimpleMemory):
    """Some subjects of a context-free graph, as a read-only rdflib store that shares its entries.

    A batch of a bulk write (graph/neo4j_bulk.py) is whole subjects of the
    load's delta. Copied into a graph of its own, each triple cost three
    index entries, each a Python ``__hash__`` of an rdflib term (a tenth of a
    load's write stage at 1M). Every reader of a batch (the rows, the
    audit's lines, the governance check, :func:`subject_index`) reads it
    subject by subject, so the slice is made of the delta's own
    subject entries (one per subject, nothing copied); a question by
    predicate or object alone is answered by walking the slice (correct, and
    asked by none of them). rdflib has no store that views another's
    index; hence this one, in the one module that reads rdflib's.
    """

    def __init__(self, index: SubjectIndex, subjects: Iterable[Node]) -> None:
        super().__init__()
        # SimpleMemory's own (name-mangled) subject index, so that its reads by subject
        # and validation.graph_index.subject_index find the slice's entries.
        self._SimpleMemory__spo = {s: index[s] for s in subjects}
        # No index by predicate or object: graph_index then asks through the API, below.
        self._SimpleMemory__pos = None
        self._SimpleMemory__osp = None

    def triples(
        self, triple_pattern: Any, context: Any = None
    ) -> Iterator[tuple[tuple[Node, Node, Node], Iterator[Any]]]:
        subject, predicate, obj = triple_pattern
        if subject is not None or (predicate is None and obj is None):
            yield from super().triples(triple_pattern, context)
            return
        for s, held in self._SimpleMemory__spo.items():
            for p, objects in held.items():
                if predicate is None or p == predicate:
                    for o in objects:
                        if obj is None or o == obj:
                            yield (s, p, o), iter(())

    def __len__(self, context: Any = None) -> int:
        return sum(
            len(objects) for held in self._SimpleMemory__spo.values() for objects in held.values()
        )

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        raise TypeError("a subject slice is read-only: it shares another graph's entries")

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        raise TypeError("a subject slice is read-only: it shares another graph's entries")


def sliced(graph: Graph, subjects: Iterable[Node], index: SubjectIndex | None = None) -> Graph:
    """The triples of ``subjects`` in ``graph``: a read-only view of its entries where
    ``graph`` keeps rdflib's subject index (:class:`SubjectSlice`), else a copy.

    ``index``: :func:`subject_index` of ``graph``, when the caller has it. A caller
    cutting many slices must pass it: for a graph without rdflib's subject index
    (a context-aware one, as ``journeykg restore`` parses) it is a pass over
    every triple, and one per slice made a 1M restore's batches quadratic."""
    index = index if index is not None else subject_index(graph)
    if rdflib_index(graph) is not None:
        return Graph(store=SubjectSlice(index, subjects))
    copy = Graph(store=SimpleMemory())
    for s in subjects:
        for p, objects in index[s].items():
            for o in objects:
                copy.add((s, p, o))
    return copy
