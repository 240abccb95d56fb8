"""The priorities' ``dropOff`` factor: per journey, how many of its cases did not complete it.

Read from the measurements journey mining stored (ontology/mining.ttl): the journey's own
measurement of its latest mined period, ``1 - casesCompleted / minedCases``. A module of
its own so that graph/quantify.py reads it without the rest of graph/mining.py.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from rdflib import Literal, URIRef

from journeykg.graph.edges import follow
from journeykg.graph.store import Store
from journeykg.namespaces import JKG


def _literal(value: object) -> object:
    return value.toPython() if isinstance(value, Literal) else None


def drop_off_by_journey(store: Store, journeys: Collection[URIRef]) -> dict[URIRef, float]:
    """Per journey with mining stored: the share of its cases in the latest mined period
    that did not complete the journey (1 - completed / cases)."""
    iris = sorted({m for _, m in follow(store, JKG.minedJourney, list(journeys), inverse=True)})
    facts = store.describe(iris)
    latest: dict[URIRef, tuple[date, float]] = {}
    for iri in iris:
        journey = facts.value(iri, JKG.minedJourney)
        if facts.value(iri, JKG.minedAt) != journey or not isinstance(journey, URIRef):
            continue  # a step's or touchpoint's measurement
        first = _literal(facts.value(iri, JKG.periodStart))
        cases = _literal(facts.value(iri, JKG.minedCases))
        completed = _literal(facts.value(iri, JKG.casesCompleted))
        if not (isinstance(first, date) and isinstance(cases, int) and isinstance(completed, int)):
            continue
        if cases and (journey not in latest or first > latest[journey][0]):
            latest[journey] = (first, 1.0 - completed / cases)
    return {j: round(v, 4) for j, (_, v) in latest.items()}
