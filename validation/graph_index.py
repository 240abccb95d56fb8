"""rdflib's own subject index of a context-free graph, read where millions of lookups are made."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from rdflib import Graph, URIRef
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from journeykg.validation.subject_memory import SubjectMemory

#: A subject's values when it has none.
NOTHING: Mapping[Node, Collection[Node]] = {}


def subject_index(data: Graph) -> Mapping[Node, Mapping[Node, Collection[Node]]] | None:
    """rdflib's own subject → predicate → objects index of ``data``, if it keeps one.

    A context-free graph (rdflib's ``SimpleMemory``, what a load parses into)
    holds exactly that dictionary; each ``Graph.triples`` call through the
    public API costs microseconds of generator and context bookkeeping, and
    the gate of the 1M organisation makes millions of them. rdflib has no
    public accessor for it, so it is read by its (name-mangled) attribute, and
    any other store, or an rdflib that renamed it, is read through the API as
    before (None here; tests/validation/test_graph_index.py holds both to the API).
    The mapping is rdflib's: read it, never change it.
    """
    if not isinstance(data.store, SimpleMemory):
        return None
    index = getattr(data.store, "_SimpleMemory__spo", None)
    return index if isinstance(index, dict) else None


def _object_index(data: Graph) -> Mapping[Node, Mapping[Node, Collection[Node]]] | None:
    """rdflib's own object → subject → predicates index of ``data``, if it keeps one."""
    if not isinstance(data.store, SimpleMemory):
        return None
    index = getattr(data.store, "_SimpleMemory__osp", None)
    return index if isinstance(index, dict) else None


def subjects_of(data: Graph) -> set[URIRef]:
    """The IRIs ``data`` says something about (from its index: no pass over the triples)."""
    spo = subject_index(data)
    if spo is None:
        return {s for s in data.subjects(unique=True) if isinstance(s, URIRef)}
    # rdflib leaves a removed subject's emptied entries in its index: they hold nothing.
    return {s for s, held in spo.items() if isinstance(s, URIRef) and any(held.values())}


def iri_objects_of(data: Graph) -> set[URIRef]:
    """The IRIs ``data`` points at (from its index: one look at each distinct object)."""
    if isinstance(data.store, SubjectMemory):
        return set(data.store.iri_objects())
    osp = _object_index(data)
    if osp is None:
        return {o for o in data.objects(unique=True) if isinstance(o, URIRef)}
    return {o for o, held in osp.items() if isinstance(o, URIRef) and any(held.values())}


def triple_count(data: Graph) -> int:
    """``len(data)``, from its index where it has one (rdflib counts a context-free
    graph's triples by walking all of them: seconds for millions)."""
    spo = subject_index(data)
    if spo is None:
        return len(data)
    return sum(len(objects) for held in spo.values() for objects in held.values())
