"""GraphQL for insights and initiatives: the loop through the API, refusals as data naming
record, field and rule, on both backends (the role matrix is tests/api/test_permissions.py)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from journeykg.access.roles import Role
from journeykg.graph.store import Store
from tests.api.conftest import MakeClient
from tests.services.insights.organisation import CONTEXT, kpi_values, volumes

SPIKE = "insight/complaint-spike-test-context-reason-test-context-channel-phone"
OUTCOME = "__typename ... on InsightRefusal { code record field rule message }"


@pytest.fixture
def client(store: Store, make_client: MakeClient) -> TestClient:
    store.upsert(Graph().parse(CONTEXT, format="turtle"))
    store.upsert(volumes([4, 6, 5, 3, 5, 30]))
    store.upsert(kpi_values([2, 4]))
    return make_client(store, Role.STEWARD)


def ask(client: TestClient, document: str, **variables: Any) -> dict[str, Any]:
    body: dict[str, Any] = client.post(
        "/graphql", json={"query": document, "variables": variables}
    ).json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def test_the_loop_through_graphql(client: TestClient) -> None:
    ran = ask(client, "mutation { runSignals { drafted unchanged } }")["runSignals"]
    assert ran == {"drafted": [SPIKE], "unchanged": []}
    listed = ask(client, '{ insights(owner: "test/context/owner") { id status signal } }')
    assert listed["insights"] == [
        {
            "id": SPIKE,
            "status": "new",
            "signal": "complaint-spike|test/context/reason|test/context/channel-phone",
        }
    ]
    refused = ask(
        client,
        f'mutation {{ setInsightStatus(id: "{SPIKE}", status: "closed") {{ {OUTCOME} }} }}',
    )["setInsightStatus"]
    assert (refused["code"], refused["record"], refused["field"]) == (
        "TRANSITION",
        SPIKE,
        "jkg:insightStatus",
    )
    moved = ask(
        client,
        f'mutation {{ setInsightStatus(id: "{SPIKE}", status: "validated", rationale: "gezien")'
        f" {{ {OUTCOME} ... on Insight {{ status }} }} }}",
    )["setInsightStatus"]
    assert moved == {"__typename": "Insight", "status": "validated"}
    propose = """mutation($owner: ID) { proposeInitiative(name: "Sneller overzetten",
        owner: $owner, addresses: ["%s"], costEur: 5000, changes: ["test/context/process"],
        effects: [{kpi: "test/context/kpi", change: 3}]) { %s ... on Initiative { id status } } }"""
    without = ask(client, propose % (SPIKE, OUTCOME), owner=None)["proposeInitiative"]
    assert without["__typename"] == "InsightRefusal"
    assert (without["code"], without["record"], without["field"], without["rule"]) == (
        "OWNER_REQUIRED",
        "initiative/sneller-overzetten",
        "jkg:ownedBy",
        "jkgsh:Initiative-owner",
    )
    made = ask(client, propose % (SPIKE, OUTCOME), owner="test/context/owner")
    initiative = made["proposeInitiative"]["id"]
    assert made["proposeInitiative"]["status"] == "idea"
    ask(
        client,
        f'mutation {{ setInitiativeStatus(id: "{initiative}", status: "planned") '
        f"{{ __typename }} }}",
    )
    shown = ask(client, f'{{ initiativeImpact(id: "{initiative}") {{ contacts complaints }} }}')
    assert shown["initiativeImpact"]["contacts"] > 0
    ranking = ask(
        client,
        "{ initiativeRanking(weights: {cost: 0}) { weights { contacts cost kpiGap } "
        "initiatives { id perEuro kpiGapClosed } } }",
    )["initiativeRanking"]
    assert ranking["weights"] == {"contacts": 1.0, "cost": 0.0, "kpiGap": 1.0}
    assert [r["id"] for r in ranking["initiatives"]] == [initiative]
    assert ranking["initiatives"][0]["kpiGapClosed"] == pytest.approx(0.3)
