"""The GraphQL API end to end, over HTTP, on both backends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from journeykg.access.roles import Role
from journeykg.api.app import create_app
from journeykg.api.queries import query
from journeykg.api.schema import build_schema
from journeykg.graph.store import Store
from journeykg.settings import Settings
from tests.api.conftest import Bearer
from tests.conftest import read_fixture

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "api" / "schema.graphql"


@pytest.fixture
def client(store: Store, api_settings: Settings, bearer: Bearer) -> TestClient:
    """An architect's client: it may ask and try scenarios."""
    store.upsert(read_fixture("impact_small.ttl"))
    return TestClient(create_app(store, settings=api_settings), headers=bearer(Role.ARCHITECT))


def ask(client: TestClient, document: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": document, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_the_bundled_impact_query_answers(client: TestClient) -> None:
    body = ask(client, query("impact"), of="process/x")
    assert "errors" not in body, body
    impact = body["data"]["impact"]
    assert impact["isComplete"] is True
    assert impact["elements"]["totalCount"] == 15
    (journey,) = impact["journeys"]["edges"]
    assert journey["node"]["paths"]["totalCount"] == 2
    assert impact["blastRadius"]["costEur"] == 163000.0
    groups = {
        g["role"]["id"]: [o["owner"]["id"] for o in g["owners"]] for g in impact["ownersToNotify"]
    }
    assert groups == {"jkg:JourneyOwner": ["owner/o"], "jkg:KPIOwner": ["owner/k"]}


def test_pages_follow_the_cursor(client: TestClient) -> None:
    page = """query($after: String) { impact(of: "process/x") {
        elements(first: 4, after: $after) {
          totalCount pageInfo { hasNextPage endCursor } edges { node { element { id } } } } } }"""
    seen: list[str] = []
    after = None
    while True:
        elements = ask(client, page, after=after)["data"]["impact"]["elements"]
        seen += [e["node"]["element"]["id"] for e in elements["edges"]]
        if not elements["pageInfo"]["hasNextPage"]:
            break
        after = elements["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) == elements["totalCount"] == 15


def test_page_size_is_capped(client: TestClient) -> None:
    body = ask(client, '{ impact(of: "process/x") { elements(first: 100000) { totalCount } } }')
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_a_forged_cursor_is_refused(client: TestClient) -> None:
    body = ask(client, '{ impact(of: "process/x") { elements(after: "bm9wZQ==") { totalCount } } }')
    assert "invalid cursor" in body["errors"][0]["message"]


def test_upstream_and_via(client: TestClient) -> None:
    body = ask(
        client,
        """{ up: impact(of: "journey/j", direction: UPSTREAM) { elements { totalCount } }
             deps: impact(of: "process/x", via: [DEPENDS_ON]) { elements { totalCount } } }""",
    )
    assert body["data"]["up"]["elements"]["totalCount"] == 11
    assert body["data"]["deps"]["elements"]["totalCount"] == 3


def test_cut_points_say_what_the_limit_left_out(client: TestClient) -> None:
    body = ask(
        client,
        """{ impact(of: "process/x", maxHops: 3) { isComplete truncatedAtHop
             cut { edges { node { element { id } edgesBeyond path } } } } }""",
    )
    impact = body["data"]["impact"]
    assert (impact["isComplete"], impact["truncatedAtHop"]) == (False, 3)
    assert [e["node"]["element"]["id"] for e in impact["cut"]["edges"]] == [
        "step/j2",
        "touchpoint/t1",
    ]


def test_unknown_id_is_a_not_found_error(client: TestClient) -> None:
    body = ask(client, query("impact"), of="process/bestaat-niet")
    assert body["data"] is None
    (error,) = body["errors"]
    assert "process/bestaat-niet" in error["message"]
    assert error["extensions"]["code"] == "NOT_FOUND"


def test_an_element_without_impact_rules_is_a_bad_request(client: TestClient) -> None:
    body = ask(client, query("impact"), of="cost/x")
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_priorities(client: TestClient) -> None:
    body = ask(client, "{ priorities { totalCount edges { node { journey { id } score } } } }")
    assert body["data"]["priorities"]["edges"][0]["node"] == {
        "journey": {"id": "journey/j"},
        "score": 4.0,
    }


def test_a_measured_kpi_value_sets_the_gap(client: TestClient, store: Store) -> None:
    store.upsert(
        Graph().parse(
            format="turtle",
            data="""
            @base <https://id.journeykg.example/> .
            @prefix jkg: <https://w3id.org/journeykg/ontology#> .
            @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
            @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
            <kpi-value/march> a jkg:KPIValue ; rdfs:label "NPS maart"@nl ;
                jkg:valueOf <kpi/j-nps> ; jkg:value 20.0 ; jkg:period "2025"^^xsd:gYear ;
                jkg:periodStart "2025-03-01"^^xsd:date ; jkg:periodEnd "2025-03-31"^^xsd:date .
            """,
        )
    )
    body = ask(
        client,
        """{ priorities { edges { node { kpis {
            kpi { id } baseline target measured measuredUntil gap } } } } }""",
    )
    (edge,) = body["data"]["priorities"]["edges"]
    nps = next(k for k in edge["node"]["kpis"] if k["kpi"]["id"] == "kpi/j-nps")
    assert nps == {
        "kpi": {"id": "kpi/j-nps"},
        "baseline": 10.0,
        "target": 25.0,
        "measured": 20.0,
        "measuredUntil": "2025-03-31",
        "gap": 0.2,
    }


def test_nested_owners_are_batched_not_fetched_one_by_one(
    client: TestClient, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    original = store.edges

    def counting(requests: Any) -> Any:
        calls.append(len(requests))
        return original(requests)

    monkeypatch.setattr(store, "edges", counting)
    body = ask(
        client,
        '{ impact(of: "process/x") { elements { edges { node { element { ownedBy { id } } } } } } '
        "}",
    )
    assert "errors" not in body
    before = len(calls)
    body = ask(
        client, '{ impact(of: "process/x") { elements { edges { node { element { id } } } } } }'
    )
    traversal_only = len(calls) - before
    assert before - traversal_only == 1  # one batched lookup for all 15 elements


def test_element_lookup(client: TestClient) -> None:
    body = ask(client, '{ element(id: "process/x") { id type label } }')
    assert body["data"]["element"] == {
        "id": "process/x",
        "type": "BackofficeProcess",
        "label": "Klantdata",
    }


def test_graphiql_is_served_when_enabled(store: Store, api_settings: Settings) -> None:
    settings = api_settings.model_copy(update={"graphql_ide": True, "graphql_introspection": True})
    response = TestClient(create_app(store, settings=settings)).get(
        "/graphql", headers={"Accept": "text/html"}
    )
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
    assert "query ImpactOfCreditCheck" in response.text  # opens on our examples


def test_graphiql_is_off_by_default(client: TestClient) -> None:
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert "graphiql" not in response.text.lower()


def test_health(client: TestClient, store: Store) -> None:
    assert client.get("/health").json() == {"status": "ok", "backend": store.name}


def test_the_committed_schema_is_the_schema() -> None:
    """api/schema.graphql is the contract; regenerate it with `make schema` when this fails."""
    assert SCHEMA_FILE.read_text(encoding="utf-8") == build_schema().as_str() + "\n"


@pytest.mark.parametrize(
    "operation", ["ImpactOfCreditCheck", "WhatMovingDependsOn", "RetireCreditCheck", "Priorities"]
)
def test_the_graphiql_examples_answer_on_the_demo(
    embedded_store: Store, api_settings: Settings, operation: str
) -> None:
    """As `journeykg demo` serves them: anonymous read on, no token."""
    from rdflib import Graph

    from journeykg.resources import DEMO_DATASET

    embedded_store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    demo = api_settings.model_copy(update={"anonymous_read": True})
    response = TestClient(create_app(embedded_store, settings=demo)).post(
        "/graphql", json={"query": query("examples"), "operationName": operation}
    )
    body = response.json()
    assert "errors" not in body, body
    assert body["data"]
