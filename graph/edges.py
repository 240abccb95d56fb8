"""Following one predicate from some elements, as rdflib terms, on any store."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import URIRef

from journeykg.graph.store import EdgeRequest, Store
from journeykg.graph.stored_terms import stored_iri


def follow(
    store: Store, predicate: URIRef, nodes: Iterable[URIRef], *, inverse: bool = False
) -> list[tuple[URIRef, URIRef]]:
    """Edges ``(node, neighbour)`` along ``predicate`` from any of ``nodes``, in one batch.

    Forward: ``node predicate neighbour``. Inverse: ``neighbour predicate node``.
    """
    request = EdgeRequest(str(predicate), [str(n) for n in nodes], inverse)
    if not request.nodes:
        return []
    (found,) = store.edges([request]).found
    return [(stored_iri(a), stored_iri(b)) for a, b in found]
