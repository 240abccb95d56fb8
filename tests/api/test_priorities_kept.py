"""GraphQL's ``priorities`` ranks the figures the server keeps with its lifecycle picture
(graph/lifecycle_kept.py), updated after each write: on both backends its answer is
:func:`.quantify.prioritise`'s, for the default weights and for others, after writes of
the kinds that move figures."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from journeykg.access.roles import Role
from journeykg.api.app import create_app
from journeykg.graph.quantify import prioritise
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDF, SKOS, XSD
from journeykg.resources import DEMO_DATASET
from journeykg.services.diagrams.drawing import draw_lifecycle
from journeykg.services.diagrams.formats import DiagramFormat
from journeykg.settings import Settings
from tests.api.conftest import Bearer
from tests.conftest import BASE

PRIORITIES = """query($weights: WeightsInput, $stage: ID) {
  priorities(weights: $weights, stage: $stage) {
    edges { node { journey { id } score contacts complaints costEur kpiGap openInsights } }
  } }"""
WEIGHTS: list[dict[str, float] | None] = [None, {"cost": 3.0, "contacts": 0.25, "kpiGap": 0.0}]


def _answer(client: TestClient, weights: dict[str, float] | None, stage: str | None) -> list[Any]:
    response = client.post(
        "/graphql", json={"query": PRIORITIES, "variables": {"weights": weights, "stage": stage}}
    )
    body = response.json()
    assert "errors" not in body, body
    return [e["node"] for e in body["data"]["priorities"]["edges"]]


def _expected(store: Store, weights: dict[str, float] | None, stage: str | None) -> list[Any]:
    return [
        {
            "journey": {"id": f.journey.id},
            "score": f.score,
            "contacts": f.contacts,
            "complaints": f.complaints,
            "costEur": f.cost_eur,
            "kpiGap": f.kpi_gap,
            "openInsights": f.open_insights,
        }
        for f in prioritise(store, weights).journeys
        if stage is None or stage in f.stage_ids
    ]


def _write(store: Store, *triples: tuple[URIRef, URIRef, object]) -> None:
    g = Graph()
    for s, p, o in triples:
        g.add((s, p, o if isinstance(o, URIRef | Literal) else Literal(o)))
    store.upsert(g)


def test_priorities_answer_as_prioritise_after_each_write(
    store: Store, api_settings: Settings, bearer: Bearer
) -> None:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    app = create_app(store, settings=api_settings)
    client = TestClient(app, headers=bearer(Role.ARCHITECT))
    reason, channel = store.instances(JKG.ContactReason)[0], store.instances(JKG.Channel)[0]
    process, journey = store.instances(JKG.BackofficeProcess)[0], store.instances(JKG.Journey)[0]
    volume, cost, made = (URIRef(f"{BASE}{k}/kept-test") for k in ("volume", "cost", "journey"))
    writes: list[Callable[[], object]] = [
        lambda: None,
        lambda: _write(
            store,
            (volume, RDF.type, JKG.ContactVolume),
            (volume, JKG.volumeOf, reason),
            (volume, JKG.viaChannel, channel),
            (volume, JKG.period, Literal("2026", datatype=XSD.gYear)),
            (volume, JKG.contacts, Literal(90_000)),
        ),
        lambda: _write(
            store,
            (cost, RDF.type, JKG.Cost),
            (cost, JKG.costOf, process),
            (cost, JKG.amountEur, Literal("2500000.00", datatype=XSD.decimal)),
            (cost, JKG.period, Literal("2026", datatype=XSD.gYear)),
        ),
        lambda: _write(
            store,
            (made, RDF.type, JKG.Journey),
            (made, SKOS.prefLabel, Literal("Nieuwe reis", lang="nl")),
            (made, JKG.placedOn, reason),
        ),
        lambda: store.retract([journey]),
    ]
    stage = store.ids.key(str(store.instances(JKG.LifecycleStage)[0]))
    for write in writes:
        write()
        for weights in WEIGHTS:
            for only in (None, stage):
                assert _answer(client, weights, only) == _expected(store, weights, only)
    kept = app.state.picture.kept
    assert kept is not None
    assert kept.recomputed is not None, "answered from the kept picture, updated"


def test_the_lifecycle_diagram_is_drawn_from_the_kept_picture(
    store: Store, api_settings: Settings, bearer: Bearer
) -> None:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    app = create_app(store, settings=api_settings)
    client = TestClient(app, headers=bearer(Role.ARCHITECT))
    before = client.get("/lifecycle.dot")
    assert before.status_code == 200
    assert app.state.picture.kept is not None, "drawn from the picture the app keeps"
    volume = URIRef(f"{BASE}volume/kept-diagram")
    _write(
        store,
        (volume, RDF.type, JKG.ContactVolume),
        (volume, JKG.volumeOf, store.instances(JKG.ContactReason)[0]),
        (volume, JKG.period, Literal("2026", datatype=XSD.gYear)),
        (volume, JKG.contacts, Literal(123_456)),
    )
    after = client.get("/lifecycle.dot")
    assert after.content != before.content
    assert after.content == draw_lifecycle(store, DiagramFormat.DOT, "nl").content
