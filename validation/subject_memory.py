"""The rdflib store a large load is parsed into: indexed by subject, the other ways when asked.

rdflib's :class:`SimpleMemory` keeps every triple in three nested indexes
(subject, predicate and object first), and each entry costs a Python-level
``__hash__`` of an rdflib term (``Identifier.__hash__`` hashes a tuple of the
class name and the text, in Python). A load reads its delta subject by
subject (the gate, the governance check, the provenance, the audit's lines,
the rows a bulk write makes; graph/subject_index.py), so for the 1M
organisation two of the three indexes were built for nothing: two thirds of
the cost of every triple parsed or stamped (docs/benchmarks.md, "Neo4j
product load").

:class:`SubjectMemory` builds the subject index only. The first question
that needs one of the other two (a pattern with an object but no subject,
or with a predicate but no subject) builds it from the subject index, and
from then on every triple added or removed goes into it too, as in
rdflib's store. The index by predicate is built per predicate: rdflib
reads it only for a predicate given, and the gate asks a handful of the
organisation's predicates (``rdf:type``, ``skos:prefLabel``, a target's),
so the entries of the others (most of a load's literals, whose hash is
Python code) are never made. So every reader gets rdflib's answers, and
only a reader that needs the other indexes pays for them. rdflib has no
store with indexes built on demand; this one reuses ``SimpleMemory``'s
(name-mangled) indexes, so that
:func:`journeykg.validation.graph_index.subject_index` reads it as it reads
rdflib's.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node, URIRef


class SubjectMemory(SimpleMemory):
    """A context-free in-memory rdflib store whose predicate and object indexes are lazy."""

    def __init__(self) -> None:
        super().__init__()
        # The predicates whose entries of the index by predicate are made (asked for, then
        # kept up to date); rdflib reads that index only with a predicate given.
        self._pos_for: set[Node] = set()
        self._osp_built = False
        self._iri_objects: frozenset[URIRef] | None = None

    @property
    def indexed_predicates(self) -> frozenset[Node]:
        """The predicates the index by predicate holds (asked for, then kept up to date)."""
        return frozenset(self._pos_for)

    @property
    def object_index_built(self) -> bool:
        """Whether the object index exists (asked for, then kept up to date)."""
        return self._osp_built

    def add(self, triple: Any, context: Any, quoted: bool = False) -> None:
        """Add a triple to the subject index, and to each other index once it is built."""
        self._iri_objects = None
        subject, predicate, obj = triple
        spo = self._SimpleMemory__spo  # type: ignore[attr-defined]
        held = spo.get(subject)
        if held is None:
            held = spo[subject] = {}
        objects = held.get(predicate)
        if objects is None:
            held[predicate] = {obj: 1}
        else:
            objects[obj] = 1
        if predicate in self._pos_for:
            _put(self._SimpleMemory__pos, predicate, obj, subject)  # type: ignore[attr-defined]
        if self._osp_built:
            _put(self._SimpleMemory__osp, obj, subject, predicate)

    def iri_objects(self) -> frozenset[URIRef]:
        """The IRIs the triples point at; kept until the next change (a load asks twice:
        for what to read back from the store, and for the gate's view)."""
        if self._iri_objects is None:
            if self._osp_built:
                osp = self._SimpleMemory__osp
                found = (o for o, held in osp.items() if any(held.values()))
            else:
                # Each object once by identity (an int's hash, where a term's is Python
                # code): a parsed graph shares one object per distinct term.
                spo = self._SimpleMemory__spo  # type: ignore[attr-defined]
                found = {  # type: ignore[assignment]
                    id(o): o for held in spo.values() for objects in held.values() for o in objects
                }.values()
            self._iri_objects = frozenset(o for o in found if isinstance(o, URIRef))
        return self._iri_objects

    def _build_pos(self, predicate: Node) -> None:
        # One look into each subject's entry: a dict lookup per subject, where indexing
        # every triple hashed each of its objects.
        by_object: dict[Node, dict[Node, int]] = {}
        for s, held in self._SimpleMemory__spo.items():  # type: ignore[attr-defined]
            objects = held.get(predicate)
            if not objects:
                continue
            for o in objects:
                subjects = by_object.get(o)
                if subjects is None:
                    by_object[o] = {s: 1}
                else:
                    subjects[s] = 1
        self._SimpleMemory__pos[predicate] = by_object  # type: ignore[attr-defined]
        self._pos_for.add(predicate)

    def _build_osp(self) -> None:
        osp: dict[Node, dict[Node, dict[Node, int]]] = {}
        for s, held in self._SimpleMemory__spo.items():  # type: ignore[attr-defined]
            for p, objects in held.items():
                for o in objects:
                    _put(osp, o, s, p)
        self._SimpleMemory__osp = osp
        self._osp_built = True

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        """rdflib's answer; the index a pattern without a subject needs is built first."""
        subject, predicate, obj = triple_pattern
        if subject is None:
            if predicate is not None and predicate not in self._pos_for:
                self._build_pos(predicate)
            elif predicate is None and obj is not None and not self._osp_built:
                self._build_osp()
        return super().triples(triple_pattern, context)

    def remove(self, triple_pattern: Any, context: Any = None) -> None:
        """rdflib's removal, from the subject index and each other index built."""
        self._iri_objects = None
        found = list(self.triples(triple_pattern))  # (may build an index: read them after)
        spo = self._SimpleMemory__spo  # type: ignore[attr-defined]
        pos = self._SimpleMemory__pos  # type: ignore[attr-defined]
        osp = self._SimpleMemory__osp
        for (s, p, o), _ in found:
            del spo[s][p][o]
            if p in self._pos_for:
                del pos[p][o][s]
            if self._osp_built:
                del osp[o][s][p]


def _put(index: dict[Node, dict[Node, dict[Node, int]]], a: Node, b: Node, c: Node) -> None:
    by_b = index.get(a)
    if by_b is None:
        index[a] = {b: {c: 1}}
        return
    cs = by_b.get(b)
    if cs is None:
        by_b[b] = {c: 1}
    else:
        cs[c] = 1
