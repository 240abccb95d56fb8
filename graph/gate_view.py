"""A store as the SHACL gate reads it (:class:`journeykg.validation.gate.StoredContext`)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from journeykg.graph.concepts import concepts_labelled
from journeykg.graph.store import Store


@dataclass(frozen=True)
class GateView:
    """What the gate reads about a delta's neighbourhood in ``store``."""

    store: Store

    def describe(self, iris: Collection[URIRef]) -> Graph:
        """All stored triples whose subject is one of ``iris``."""
        return self.store.describe(iris)

    def concepts_labelled(self, labels: Collection[Literal]) -> set[URIRef]:
        """Stored skos:Concepts whose skos:prefLabel is one of ``labels``."""
        return concepts_labelled(self.store, labels)
