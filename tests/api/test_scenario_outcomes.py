"""Scenario mutations answer expected failures as ScenarioRefusal data, on both backends."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from journeykg.access.roles import Role
from journeykg.graph.store import Store
from tests.api.conftest import MakeClient
from tests.conftest import read_fixture

SAVE = """mutation($name: String!, $changes: [ChangeInput!]!) {
  saveScenario(name: $name, changes: $changes) {
    __typename
    ... on SavedScenario { id name }
    ... on ScenarioRefusal { code message }
  } }"""
DISCARD = """mutation($id: ID!) { discardScenario(id: $id) {
    __typename
    ... on ScenarioDiscarded { id }
    ... on ScenarioRefusal { code message }
  } }"""


@pytest.fixture
def client(store: Store, make_client: MakeClient) -> TestClient:
    store.upsert(read_fixture("impact_small.ttl"))
    return make_client(store, Role.ARCHITECT)


def ask(client: TestClient, document: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = client.post(
        "/graphql", json={"query": document, "variables": variables}
    ).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def test_a_scenario_is_saved_and_discarded(client: TestClient) -> None:
    changes = [{"op": "RETIRE", "element": "process/x"}]
    saved = ask(client, SAVE, name="x weg", changes=changes)["saveScenario"]
    assert saved["__typename"] == "SavedScenario"
    assert saved["name"] == "x weg"
    discarded = ask(client, DISCARD, id=saved["id"])["discardScenario"]
    assert discarded == {"__typename": "ScenarioDiscarded", "id": saved["id"]}


def test_an_invalid_change_set_is_a_refusal_and_nothing_is_saved(client: TestClient) -> None:
    changes = [{"op": "RETIRE", "element": "process/nope"}]
    refused = ask(client, SAVE, name="nope", changes=changes)["saveScenario"]
    assert refused["__typename"] == "ScenarioRefusal"
    assert refused["code"] == "BAD_REQUEST"
    assert "process/nope" in refused["message"]
    assert ask(client, "{ scenarios { id } }")["scenarios"] == []


def test_a_change_missing_its_field_is_a_refusal_naming_it(client: TestClient) -> None:
    refused = ask(client, SAVE, name="half", changes=[{"op": "RETIRE"}])["saveScenario"]
    assert refused["code"] == "BAD_REQUEST"
    assert "element" in refused["message"]


def test_discarding_an_unknown_scenario_is_a_not_found_refusal(client: TestClient) -> None:
    refused = ask(client, DISCARD, id="scenario/none")["discardScenario"]
    assert refused["__typename"] == "ScenarioRefusal"
    assert refused["code"] == "NOT_FOUND"
