"""Framework integrity: what still refers to an element, and moving those references.

A referenced element (a contact reason journeys sit on, a stage phases sit
in, a glossary concept others are narrower than) may not be deleted or
retired; it is superseded by a replacement and its references are migrated
in one validated write.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import Graph, URIRef

from journeykg.graph.store import Store
from journeykg.services.governance.model import Reference
from journeykg.services.governance.records import RECORD_LINKS


def references(store: Store, iri: URIRef) -> list[tuple[URIRef, URIRef, URIRef]]:
    """Stored triples that use ``iri``: every incoming link except its own governance record."""
    return [
        (s, p, o)
        for s, p, o in store.referrers([iri])
        if p not in RECORD_LINKS and s != iri and not str(s).startswith(f"{iri}/")
    ]


def as_references(store: Store, triples: list[tuple[URIRef, URIRef, URIRef]]) -> list[Reference]:
    """The triples by key (``journey/verhuizen jkg:placedOn reason/verhuizen``)."""
    from journeykg.validation.gate import curie

    return [
        Reference(store.ids.key(str(s)), curie(p), store.ids.key(str(o))) for s, p, o in triples
    ]


def describe_references(store: Store, triples: list[tuple[URIRef, URIRef, URIRef]]) -> str:
    """``journey/a jkg:placedOn, phase/b jkg:inPhase`` (the first five, then a count)."""
    shown = [f"{r.subject} {r.predicate}" for r in as_references(store, triples)]
    more = f" and {len(shown) - 5} more" if len(shown) > 5 else ""
    return ", ".join(shown[:5]) + more


def migration_delta(
    store: Store, triples: list[tuple[URIRef, URIRef, URIRef]], old: URIRef, new: URIRef
) -> Graph:
    """The writes that point every reference to ``old`` at ``new`` instead.

    A write replaces all values of each (subject, predicate) it mentions, so
    each referring pair is written with its full new set of values: the old
    element swapped for the new one, every other value kept.
    """
    pairs: dict[tuple[URIRef, URIRef], set[URIRef]] = defaultdict(set)
    for s, p, _ in triples:
        pairs[(s, p)] = set()
    stored = store.describe({s for s, _ in pairs})
    delta = Graph()
    for s, p in pairs:
        for value in stored.objects(s, p):
            delta.add((s, p, new if value == old else value))
    return delta
