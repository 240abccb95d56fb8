"""rdflib terms for what a store gives back, built without checks the store's input passed."""

from __future__ import annotations

from rdflib import URIRef


def stored_iri(iri: str) -> URIRef:
    """``URIRef(iri)`` for an IRI a store gave back, without rdflib's check of its characters.

    rdflib checks every new ``URIRef`` for characters an IRI may not hold
    (and only logs a warning when it finds one); an IRI read out of a store
    went through that check when it was written. At 1M nodes the picture
    builds 1.7M of them and the check took a tenth of its time (cProfile,
    docs/benchmarks.md). The term is the one rdflib builds: a ``URIRef`` is
    its text and nothing more (no slots of its own).
    """
    return str.__new__(URIRef, iri)
