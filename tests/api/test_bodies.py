"""Malformed GraphQL requests are 400 problem+json, each saying what is wrong (never a 500)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from journeykg.graph.store import Store
from tests.api.conftest import MakeClient
from tests.api.test_errors import assert_problem
from tests.conftest import read_fixture

COUNT = "{ concepts { totalCount } }"
#: Deeper than json.loads can read (it raises RecursionError at ~1,000 levels).
DEEP = "[" * 1000 + "]" * 1000


@pytest.fixture
def api(embedded_store: Store, make_client: MakeClient) -> TestClient:
    embedded_store.upsert(read_fixture("impact_small.ttl"))
    return make_client(embedded_store)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"null", 'must be a JSON object such as {"query": "{ ... }"}, not null'),
        (b"1", "not a number"),
        (b'"x"', "not a string"),
        (b"true", "not a boolean"),
        (b'{"query": "\xff\xfe"}', "not UTF-8 text (invalid byte at offset 11)"),
        (b"\xff", "not UTF-8 text"),
        (f'{{"query": "{COUNT}", "variables": {{"v": {DEEP}}}}}'.encode(), "nested too deeply"),
        (DEEP.encode(), "nested too deeply"),
        (b'{"query": ', "Unable to parse request body as JSON"),
    ],
    ids=[
        "null",
        "number",
        "string",
        "boolean",
        "utf8-in-text",
        "utf8",
        "deep-variables",
        "deep",
        "cut-off",
    ],
)
def test_a_body_that_is_no_graphql_request_is_a_400(
    api: TestClient, body: bytes, says: str
) -> None:
    response = api.post("/graphql", content=body, headers={"Content-Type": "application/json"})
    problem = assert_problem(response, 400)
    assert says in problem["detail"]


def test_get_variables_may_be_null_but_not_a_number(api: TestClient) -> None:
    fine = api.get("/graphql", params={"query": COUNT, "variables": "null"})
    assert fine.json() == {"data": {"concepts": {"totalCount": 0}}}
    refused = api.get("/graphql", params={"query": COUNT, "variables": "1"})
    assert "`variables` must be an object or null" in assert_problem(refused, 400)["detail"]
    deep = api.get("/graphql", params={"query": COUNT, "variables": DEEP})
    assert "nested too deeply" in assert_problem(deep, 400)["detail"]
