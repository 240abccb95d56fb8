"""Every GraphQL error carries ``extensions.code``; with introspection off none suggests names."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from journeykg.graph.store import Store
from tests.api.conftest import MakeClient
from tests.conftest import read_fixture

#: Requests the GraphQL specification refuses, and the code each error gets.
SPEC_ERRORS: list[tuple[str, dict[str, Any], str]] = [
    ('{ impac(of: "process/x") { isComplete } }', {}, "GRAPHQL_VALIDATION_FAILED"),
    ('{ impact(off: "process/x") { isComplete } }', {}, "GRAPHQL_VALIDATION_FAILED"),
    ('{ impact(of: "process/x") }', {}, "GRAPHQL_VALIDATION_FAILED"),
    ("{ impact(of: 1.5) { isComplete } }", {}, "GRAPHQL_VALIDATION_FAILED"),
    ("query($x: Strin) { element(id: $x) { id } }", {}, "GRAPHQL_VALIDATION_FAILED"),
    ("{ ...F }", {}, "GRAPHQL_VALIDATION_FAILED"),
    ("{ __schema { queryType { name } } }", {}, "GRAPHQL_VALIDATION_FAILED"),
    ('{ impact(of: "process/x" { isComplete } }', {}, "GRAPHQL_PARSE_FAILED"),
    ("{", {}, "GRAPHQL_PARSE_FAILED"),
    ("query($x: ID!) { element(id: $x) { id } }", {}, "BAD_REQUEST"),
    (
        'query($n: Int) { impact(of: "process/x", maxHops: $n) { isComplete } }',
        {"n": "a"},
        "BAD_REQUEST",
    ),
    (
        "query($c: [ChangeInput!]!) { whatIf(changes: $c) { touched { id } } }",
        {"c": [{"opp": 1}]},
        "BAD_REQUEST",
    ),
]


@pytest.fixture
def api(embedded_store: Store, make_client: MakeClient) -> TestClient:
    embedded_store.upsert(read_fixture("impact_small.ttl"))
    return make_client(embedded_store)


def errors(api: TestClient, document: str, variables: dict[str, Any]) -> list[dict[str, Any]]:
    response = api.post("/graphql", json={"query": document, "variables": variables})
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["errors"]
    return found


@pytest.mark.parametrize(("document", "variables", "code"), SPEC_ERRORS)
def test_every_error_the_specification_makes_has_a_code(
    api: TestClient, document: str, variables: dict[str, Any], code: str
) -> None:
    found = errors(api, document, variables)
    assert [e.get("extensions", {}).get("code") for e in found] == [code] * len(found)


def test_the_token_limit_is_a_named_limit(embedded_store: Store, make_client: MakeClient) -> None:
    found = errors(make_client(embedded_store, max_query_tokens=5), "{ a b c d e f g }", {})
    assert found[0]["extensions"] == {"code": "QUERY_TOO_COMPLEX", "limit": 5}
    assert "JOURNEYKG_MAX_QUERY_TOKENS" in found[0]["message"]


#: Mistakes graphql-core answers with "Did you mean ...?" when it may.
NEAR_MISSES: list[tuple[str, dict[str, Any]]] = [
    ('{ impac(of: "process/x") { isComplete } }', {}),
    ('{ impact(off: "process/x") { isComplete } }', {}),
    ('{ impact(of: "process/x", direction: DOWNSTREEM) { isComplete } }', {}),
    ("query($x: Strin) { element(id: $x) { id } }", {}),
    (
        'query($d: Direction) { impact(of: "process/x", direction: $d) { isComplete } }',
        {"d": "DOWNSTREEM"},
    ),
    (
        "query($c: [ChangeInput!]!) { whatIf(changes: $c) { touched { id } } }",
        {"c": [{"op": "RETIRE", "elemnt": "process/x"}]},
    ),
]


@pytest.mark.parametrize(("document", "variables"), NEAR_MISSES)
def test_no_suggestions_while_introspection_is_off(
    embedded_store: Store,
    make_client: MakeClient,
    document: str,
    variables: dict[str, Any],
) -> None:
    # A suggestion spells out the schema that introspection keeps closed.
    closed = errors(make_client(embedded_store), document, variables)
    assert not any("Did you mean" in e["message"] for e in closed), closed
    opened = errors(make_client(embedded_store, graphql_introspection=True), document, variables)
    assert any("Did you mean" in e["message"] for e in opened), opened


def test_a_bug_while_checking_a_document_is_masked(
    api: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeykg.api import documents

    def broken(*_: Any) -> Any:
        raise RuntimeError("bug at /srv/journeykg/secret")

    monkeypatch.setattr(documents, "check_document", broken)
    response = api.post(
        "/graphql",
        json={"query": "{ __typename }\n# a text not cached yet"},
        headers={"X-Request-ID": "r-bug"},
    )
    assert "secret" not in response.text
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL", "requestId": "r-bug"}
