"""A GraphQL request's size is checked before anything in it is parsed (api/request_size.py)."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from journeykg.api.problems import PROBLEM
from journeykg.api.request_size import RequestSize, RequestTooLargeError, check_request
from journeykg.graph.store import Store
from tests.api.conftest import MakeClient
from tests.conftest import read_fixture

WHAT_IF = "query($c: [ChangeInput!]!) { whatIf(changes: $c) { touched { id } } }"


@pytest.fixture
def api(embedded_store: Store, make_client: MakeClient) -> TestClient:
    embedded_store.upsert(read_fixture("impact_small.ttl"))
    return make_client(embedded_store)


def changes(n: int) -> list[dict[str, Any]]:
    """``n`` changes of the cost of process/x: each one is real work for whatIf."""
    return [
        {"op": "SET_COST", "element": "process/x", "amountEur": i, "period": "2024"}
        for i in range(n)
    ]


def refused(response: Any, setting: str) -> dict[str, Any]:
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert body["limit"] == setting
    assert setting in body["detail"]
    assert body["requestId"] == response.headers["x-request-id"]
    return body


def test_a_large_variables_payload_is_refused_quickly(api: TestClient) -> None:
    # The attack: 106 KB of whatIf changes as variables kept a server busy for 12 s each.
    variables = {"c": changes(100), "padding": "x" * 100_000}
    assert len(json.dumps(variables)) > 100_000
    started = time.perf_counter()
    response = api.post("/graphql", json={"query": WHAT_IF, "variables": variables})
    elapsed = time.perf_counter() - started
    body = refused(response, "JOURNEYKG_MAX_VARIABLES_BYTES")
    assert body["max"] == 64 * 1024
    assert elapsed < 0.5


def test_a_change_list_longer_than_the_limit_is_refused(api: TestClient) -> None:
    response = api.post("/graphql", json={"query": WHAT_IF, "variables": {"c": changes(101)}})
    body = refused(response, "JOURNEYKG_MAX_LIST_ITEMS")
    assert (body["max"], body["actual"]) == (100, 101)
    answer = api.post("/graphql", json={"query": WHAT_IF, "variables": {"c": changes(100)}})
    assert answer.json()["data"]["whatIf"]["touched"][0]["id"] == "process/x"


def test_a_list_anywhere_in_the_variables_counts(api: TestClient) -> None:
    nested = {"a": [{"b": [[0] * 101]}]}
    response = api.post("/graphql", json={"query": "{ __typename }", "variables": nested})
    refused(response, "JOURNEYKG_MAX_LIST_ITEMS")


def test_a_query_text_beyond_the_byte_limit_is_refused_unparsed(api: TestClient) -> None:
    # Comments are no tokens: the token limit alone let any amount of text through.
    document = "# " + "x" * 40_000 + "\n{ __typename }"
    response = api.post("/graphql", json={"query": document})
    body = refused(response, "JOURNEYKG_MAX_QUERY_BYTES")
    assert (body["max"], body["actual"]) == (32 * 1024, len(document))


def test_the_query_bytes_are_utf8_bytes(embedded_store: Store, make_client: MakeClient) -> None:
    api = make_client(embedded_store, max_query_bytes=1000)
    document = "# " + "é" * 400 + "\n{ __typename }"  # 415 characters, 817 bytes
    assert api.post("/graphql", json={"query": document}).json()["data"]
    document = "# " + "é" * 500 + "\n{ __typename }"  # 515 characters, 1017 bytes
    refused(api.post("/graphql", json={"query": document}), "JOURNEYKG_MAX_QUERY_BYTES")


def test_a_get_request_is_checked_too(api: TestClient) -> None:
    variables = json.dumps({"c": changes(101)})
    response = api.get("/graphql", params={"query": WHAT_IF, "variables": variables})
    refused(response, "JOURNEYKG_MAX_LIST_ITEMS")


def test_a_graphql_body_beyond_room_for_both_limits_is_refused_before_decoding(
    api: TestClient,
) -> None:
    # Decoding 10 MB of JSON takes the event loop 0.4 s: the GraphQL body is capped
    # at 4 x (query + variables limits), far below the 10 MiB of a sync payload.
    limit = 4 * (32 + 64) * 1024
    body = json.dumps({"query": "{ __typename }", "variables": {"x": [1] * 300_000}})
    assert len(body) > limit
    response = api.post("/graphql", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert f"larger than {limit} bytes" in response.json()["detail"]
    assert "JOURNEYKG_MAX_QUERY_BYTES" in response.json()["detail"]


def test_the_size_counted_is_the_size_of_the_json() -> None:
    limits = RequestSize(max_query_bytes=10, max_variables_bytes=10_000, max_list_items=50)
    variables = {"c": changes(40), "name": "kredietcheck é", "n": None, "ok": True}
    exact = len(json.dumps(variables, separators=(",", ":"), ensure_ascii=False).encode())
    check_request(None, variables, RequestSize(10, exact, 50))
    with pytest.raises(RequestTooLargeError):
        check_request(None, variables, RequestSize(10, exact - 10, 50))
    check_request(None, variables, limits)


def test_deeply_nested_variables_are_checked_without_recursion() -> None:
    nested: Any = "x"
    for _ in range(100_000):
        nested = {"a": nested}
    check_request(None, {"deep": nested}, RequestSize(10, 10_000_000, 10))
    with pytest.raises(RequestTooLargeError, match="JOURNEYKG_MAX_VARIABLES_BYTES"):
        check_request(None, {"deep": nested}, RequestSize(10, 1000, 10))
