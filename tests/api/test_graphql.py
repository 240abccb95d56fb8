"""The GraphQL API end to end, over HTTP, on both backends."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from journeykg.api import create_app
from journeykg.graph.store import Store
from tests.conftest import read_fixture

IMPACT = """
query Impact($of: ID!, $maxHops: Int) {
  impact(of: $of, maxHops: $maxHops) {
    of { id iri type label }
    maxHops isComplete
    processes { element { id iri type label } hops }
    touchpoints { element { id iri type label } hops }
    steps { element { id iri type label } hops }
    journeys { element { id iri type label } hops }
    contactReasons { element { id iri type label } hops }
    phases { element { id iri type label } hops }
    lifecycleStages { element { id iri type label } hops }
    owners { element { id iri type label } hops }
    paths { journey { id iri type label } paths }
  }
}
"""


@pytest.fixture
def client(store: Store) -> TestClient:
    store.upsert(read_fixture("impact_small.ttl"))
    return TestClient(create_app(store))


def ask(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_impact_over_graphql_matches_the_store_answer(client: TestClient, store: Store) -> None:
    body = ask(client, IMPACT, of="process/x")
    assert "errors" not in body
    assert body["data"]["impact"] == store.impact("process/x").to_json()
    journeys = body["data"]["impact"]["journeys"]
    assert [j["element"]["id"] for j in journeys] == ["journey/j"]


def test_max_hops_is_passed_through(client: TestClient) -> None:
    body = ask(client, IMPACT, of="process/x", maxHops=3)
    assert body["data"]["impact"]["isComplete"] is False


def test_unknown_id_is_a_not_found_error(client: TestClient) -> None:
    body = ask(client, IMPACT, of="process/bestaat-niet")
    assert body["data"] is None
    (error,) = body["errors"]
    assert "process/bestaat-niet" in error["message"]
    assert error["extensions"]["code"] == "NOT_FOUND"


def test_a_journey_is_not_a_process(client: TestClient) -> None:
    body = ask(client, IMPACT, of="journey/j")
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_element_lookup(client: TestClient) -> None:
    body = ask(client, '{ element(id: "process/x") { id type label } }')
    assert body["data"]["element"] == {
        "id": "process/x",
        "type": "BackofficeProcess",
        "label": "Klantdata",
    }


def test_graphiql_is_served(client: TestClient) -> None:
    response = client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


def test_health(client: TestClient, store: Store) -> None:
    assert client.get("/health").json() == {"status": "ok", "backend": store.name}
