"""Authentication over HTTP: 401s with a reason, anonymous read when allowed, admin routes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from starlette.websockets import WebSocketDisconnect

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.graph.state import TOKENS_FILE
from journeykg.graph.store import Store
from journeykg.settings import Settings
from tests.api.conftest import Bearer
from tests.hand_clock import HandClock

QUERY = {"query": "{ concepts { totalCount } }"}
NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def clock() -> HandClock:
    return HandClock(NOW)


@pytest.fixture
def tokens(api_settings: Settings, clock: HandClock) -> TokenStore:
    """The app's token database, on a clock the test moves."""
    assert api_settings.state_dir is not None
    return TokenStore(api_settings.state_dir / TOKENS_FILE, clock=clock)


@pytest.fixture
def client(embedded_store: Store, api_settings: Settings, tokens: TokenStore) -> TestClient:
    return TestClient(create_app(embedded_store, settings=api_settings, tokens=tokens))


@pytest.fixture
def demo(embedded_store: Store, api_settings: Settings, tokens: TokenStore) -> TestClient:
    """Anonymous read switched on, as `journeykg demo` serves."""
    settings = api_settings.model_copy(update={"anonymous_read": True})
    return TestClient(create_app(embedded_store, settings=settings, tokens=tokens))


def assert_401(response: Response, detail: str, *, token_presented: bool) -> None:
    assert response.status_code == 401, response.text
    challenge = 'Bearer realm="journeykg"' + (', error="invalid_token"' if token_presented else "")
    assert response.headers["www-authenticate"] == challenge
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "https://w3id.org/journeykg/problems/unauthenticated",
        "title": "Unauthenticated",
        "status": 401,
        "detail": detail,
        "requestId": response.headers["x-request-id"],
    }


NO_TOKEN = (
    "this needs an API token: send 'Authorization: Bearer <token>' "
    "(an admin creates one with `journeykg token create`)"
)


def test_without_a_token_nothing_is_answered(client: TestClient) -> None:
    assert_401(client.post("/graphql", json=QUERY), NO_TOKEN, token_presented=False)
    assert_401(client.get("/graphql", params=QUERY), NO_TOKEN, token_presented=False)
    assert_401(client.post("/sync/crm", content=b"{}"), NO_TOKEN, token_presented=False)
    assert_401(client.get("/tokens"), NO_TOKEN, token_presented=False)


def test_health_and_the_graphiql_page_are_open(
    embedded_store: Store, api_settings: Settings, tokens: TokenStore
) -> None:
    ide = api_settings.model_copy(update={"graphql_ide": True, "graphql_introspection": True})
    client = TestClient(create_app(embedded_store, settings=ide, tokens=tokens))
    assert client.get("/health").json() == {"status": "ok", "backend": embedded_store.name}
    assert client.get("/health/ready").status_code == 200
    page = client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "graphiql" in page.text.lower()


@pytest.mark.parametrize(
    ("authorization", "detail"),
    [
        ("Basic YWxpY2U6c2VjcmV0", "the Authorization header must read 'Bearer <token>'"),
        ("Bearer", "the Authorization header must read 'Bearer <token>'"),
        ("Bearer nonsense", "the token is malformed (expected jkg_<id>_<secret>)"),
        ("Bearer jkg_0123456789ab_" + "x" * 43, "unknown token"),
    ],
)
def test_a_bad_authorization_header_is_401(
    client: TestClient, demo: TestClient, authorization: str, detail: str
) -> None:
    for app in (client, demo):  # anonymous read never excuses a bad token
        response = app.post("/graphql", json=QUERY, headers={"Authorization": authorization})
        assert_401(response, detail, token_presented=True)


def test_an_expired_token_is_401(client: TestClient, tokens: TokenStore, clock: HandClock) -> None:
    token = tokens.create("alice", Role.READER, timedelta(days=1)).token
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/graphql", json=QUERY, headers=headers).status_code == 200
    clock.now = NOW + timedelta(days=1)
    response = client.post("/graphql", json=QUERY, headers=headers)
    assert_401(response, "the token 'alice' is expired", token_presented=True)


def test_a_revoked_token_is_401_from_the_next_request_on(
    client: TestClient, tokens: TokenStore
) -> None:
    issued = tokens.create("alice", Role.READER, timedelta(days=1))
    headers = {"Authorization": f"Bearer {issued.token}"}
    assert client.post("/graphql", json=QUERY, headers=headers).json() == {
        "data": {"concepts": {"totalCount": 0}}
    }
    tokens.revoke(issued.info.id)
    response = client.post("/graphql", json=QUERY, headers=headers)
    assert_401(response, "the token 'alice' is revoked", token_presented=True)


def test_anonymous_read_reads_and_nothing_more(demo: TestClient) -> None:
    assert demo.post("/graphql", json=QUERY).json() == {"data": {"concepts": {"totalCount": 0}}}
    mutation = 'mutation { deleteConcept(id: "x", by: "owner/x", rationale: "r") { __typename } }'
    body = demo.post("/graphql", json={"query": mutation}).json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED", "permission": "decide"}
    assert error["message"] == (
        "Mutation.deleteConcept needs the decide permission: send a token that holds it"
    )
    detail = "this needs the sync permission: send a token that holds it"
    assert_401(demo.post("/sync/crm", content=b"{}"), detail, token_presented=False)


def test_a_token_without_the_permission_is_403_on_rest(client: TestClient, bearer: Bearer) -> None:
    response = client.post("/sync/crm", content=b"{}", headers=bearer(Role.READER))
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "token 'test-reader' (reader) lacks the sync permission"


def test_an_admin_lists_and_revokes_tokens_over_rest(
    client: TestClient, tokens: TokenStore, bearer: Bearer
) -> None:
    admin = bearer(Role.ADMIN)
    issued = tokens.create("crm-sync", Role.INTEGRATOR, timedelta(days=30))
    listed: list[dict[str, Any]] = client.get("/tokens", headers=admin).json()
    assert issued.token.split("_", 2)[2] not in str(listed)
    assert {(t["name"], t["role"], t["status"]) for t in listed} == {
        ("test-admin", "admin", "active"),
        ("crm-sync", "integrator", "active"),
    }
    revoked = client.delete(f"/tokens/{issued.info.id}?reason=rotated", headers=admin)
    assert revoked.status_code == 200
    assert (revoked.json()["name"], revoked.json()["status"]) == ("crm-sync", "revoked")
    sync = client.post("/sync/crm", headers={"Authorization": f"Bearer {issued.token}"})
    assert_401(sync, "the token 'crm-sync' is revoked", token_presented=True)
    unknown = client.delete("/tokens/nope?reason=typo", headers=admin)
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == "no token has the id 'nope' (see `journeykg token list`)"


def test_the_openapi_document_declares_bearer_auth(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert spec["paths"]["/sync/{source}"]["post"]["security"] == [{"HTTPBearer": []}]
    assert "401" in spec["paths"]["/sync/{source}"]["post"]["responses"]


def test_a_websocket_is_refused(client: TestClient, bearer: Bearer) -> None:
    """No subscriptions: no websocket endpoint that would need authenticating."""
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(
            "/graphql", subprotocols=["graphql-transport-ws"], headers=bearer(Role.READER)
        ),
    ):
        pass
    assert refused.value.code == 1008
