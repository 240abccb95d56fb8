"""Open insights are a factor of "which journeys first" (docs/impact.md), on both backends."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.quantify import prioritise
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDF, RDFS
from tests.services.insights.organisation import CONTEXT, CTX, JOURNEY, OWNER, REASON


def _insight(key: str, status: URIRef, about: URIRef) -> Graph:
    graph = Graph()
    node = URIRef(f"{CTX}insight/{key}")
    graph.add((node, RDF.type, JKG.Insight))
    graph.add((node, RDFS.label, Literal(key, lang="en")))
    graph.add((node, JKG.insightStatus, status))
    graph.add((node, JKG.ownedBy, OWNER))
    graph.add((node, JKG.concerns, about))
    return graph


def test_open_insights_count_once_and_closed_ones_not(store: Store) -> None:
    store.upsert(Graph().parse(CONTEXT, format="turtle"))
    assert prioritise(store).journeys[0].open_insights == 0
    store.upsert(_insight("a", JKG.insightNew, REASON))
    store.upsert(_insight("b", JKG.insightAddressed, JOURNEY))
    store.upsert(_insight("c", JKG.insightClosed, JOURNEY))
    store.upsert(_insight("d", JKG.insightRejected, URIRef(CTX + "touchpoint")))
    (journey,) = prioritise(store).journeys
    assert journey.journey.id == "test/context/journey"
    assert journey.open_insights == 2
    without = prioritise(store, {"openInsights": 0}).journeys[0].score
    assert journey.score == pytest.approx(without + 1.0)
