"""A store as the SHACL gate reads it (:class:`journeykg.validation.gate.StoredContext`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory

from journeykg.graph.concepts import concepts_labelled
from journeykg.graph.store import Store
from journeykg.graph.subject_index import subject_index


@dataclass(frozen=True)
class GateView:
    """What the gate reads about a delta's neighbourhood in ``store``."""

    store: Store
    read: Graph | None = None
    """What the caller read from ``store`` already about the subjects in ``described``
    (the sync's plan reads a batch's subjects just before its gate): answered from here,
    not asked again. Each of them must be described whole in it."""
    described: frozenset[URIRef] = frozenset()

    def describe(self, iris: Collection[URIRef]) -> Graph:
        """All stored triples whose subject is one of ``iris``."""
        wanted = set(iris)
        known = wanted & self.described
        if not known or self.read is None:
            return self.store.describe(wanted)
        rest = wanted - known
        out = self.store.describe(rest) if rest else Graph(store=SimpleMemory())
        if next(iter(self.read), None) is None:
            return out  # nothing was stored about any of them (a first load): no lookups
        # From the read's own subject index (graph/subject_index.py): a triples lookup
        # per subject costs a generator and a context check per triple.
        add, index = out.store.add, subject_index(self.read)
        for subject in known:
            for p, objects in index.get(subject, {}).items():
                for o in objects:
                    add((subject, p, o), out)
        return out

    def concepts_labelled(self, labels: Collection[Literal]) -> set[URIRef]:
        """Stored skos:Concepts whose skos:prefLabel is one of ``labels``."""
        return concepts_labelled(self.store, labels)
