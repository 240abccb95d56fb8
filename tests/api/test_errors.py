"""The error model over HTTP: request ids, masked GraphQL errors, problem+json, 413."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from journeykg.access.roles import Role
from journeykg.api.problems import PROBLEM
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.store import Store
from tests.api.conftest import Bearer, MakeClient
from tests.conftest import BASE, read_fixture
from tests.sync_salesforce import NAME, chain, recipes_dir

ELEMENT = '{ element(id: "process/x") { id } }'


@pytest.fixture
def api(embedded_store: Store, make_client: MakeClient) -> TestClient:
    embedded_store.upsert(read_fixture("impact_small.ttl"))
    return make_client(embedded_store)


@pytest.fixture
def broken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, make_client: MakeClient) -> TestClient:
    """An app over an embedded store that was closed under it: every store call crashes."""
    recipes = recipes_dir(tmp_path / "recipes")
    store = EmbeddedStore(tmp_path / "store", BASE)
    store.close()
    return make_client(store, recipes_dir=recipes)


def assert_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "requestId"} <= body.keys()
    assert body["status"] == status
    assert body["requestId"] == response.headers["x-request-id"]
    return body


def test_a_sane_request_id_is_echoed(api: TestClient) -> None:
    response = api.post("/graphql", json={"query": ELEMENT}, headers={"X-Request-ID": "job-42.a"})
    assert response.headers["x-request-id"] == "job-42.a"


@pytest.mark.parametrize("offered", [None, "", "has space", "x" * 129, "a\u00e9b"])
def test_a_missing_or_odd_request_id_is_replaced(api: TestClient, offered: str | None) -> None:
    headers = {"X-Request-ID": offered} if offered is not None else {}
    response = api.get("/health", headers={k: v.encode() for k, v in headers.items()})
    chosen = response.headers["x-request-id"]
    assert chosen != offered
    assert len(chosen) == 32


def test_an_unexpected_graphql_error_is_masked_and_logged(
    broken: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, logger="journeykg.api"):
        response = broken.post(
            "/graphql", json={"query": ELEMENT}, headers={"X-Request-ID": "req-masked"}
        )
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "INTERNAL", "requestId": "req-masked"}
    assert error["message"] == "Unexpected error; quote request id req-masked when reporting it"
    assert error["path"] == ["element"]
    assert "AttributeError" not in response.text  # nothing of the exception leaks
    (record,) = [r for r in caplog.records if "req-masked" in r.getMessage()]
    assert "element" in record.getMessage()
    assert record.exc_info is not None
    assert record.exc_info[0] is AttributeError


def test_expected_errors_keep_their_codes(api: TestClient) -> None:
    body = api.post("/graphql", json={"query": '{ element(id: "nope/x") { id } }'}).json()
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND"}
    assert "unknown element 'nope/x'" in body["errors"][0]["message"]


def test_an_unexpected_rest_error_is_a_masked_500_problem(
    broken: TestClient, caplog: pytest.LogCaptureFixture, bearer: Bearer
) -> None:
    with caplog.at_level(logging.ERROR, logger="journeykg.api"):
        response = broken.post(
            f"/sync/{NAME}",
            content=json.dumps(chain()).encode(),
            headers={"X-Request-ID": "req-500", **bearer(Role.INTEGRATOR)},
        )
    body = assert_problem(response, 500)
    assert body["detail"] == "unexpected error; quote request id req-500 when reporting it"
    (record,) = [r for r in caplog.records if "req-500" in r.getMessage()]
    assert record.exc_info is not None


def test_unknown_paths_are_404_problems(api: TestClient) -> None:
    body = assert_problem(api.get("/no/such/thing"), 404)
    assert body["title"] == "Not Found"


def test_wrong_methods_are_405_problems(api: TestClient) -> None:
    assert assert_problem(api.delete("/health"), 405)["title"] == "Method Not Allowed"


@pytest.mark.parametrize(
    ("body", "content_type", "status", "says"),
    [
        ("query { element }", "text/plain", 400, "Unsupported content type"),
        ("{not json", "application/json", 400, "Unable to parse request body as JSON"),
        ("{}", "application/json", 400, "No GraphQL query found in the request"),
    ],
)
def test_a_graphql_request_that_cannot_be_read_is_a_problem(
    api: TestClient, body: str, content_type: str, status: int, says: str
) -> None:
    response = api.post("/graphql", content=body, headers={"content-type": content_type})
    assert says in assert_problem(response, status)["detail"]


def test_invalid_parameters_are_422_problems_naming_the_field(
    api: TestClient, bearer: Bearer
) -> None:
    integrator = bearer(Role.INTEGRATOR)
    body = assert_problem(
        api.post("/sync/x", params={"dry_run": "perhaps"}, headers=integrator), 422
    )
    (problem,) = body["problems"]
    assert problem["field"] == "query.dry_run"
    assert problem["rule"] == "bool_parsing"


def test_an_unknown_sync_source_keeps_its_own_problem(api: TestClient, bearer: Bearer) -> None:
    response = api.post("/sync/nothing-by-that-name", headers=bearer(Role.INTEGRATOR))
    assert assert_problem(response, 404)["title"] == "Unknown source"


def big_body(size: int, chunk: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < size:
        part = min(chunk, size - sent)
        sent += part
        yield b"x" * part


@pytest.mark.parametrize("path", ["/graphql", f"/sync/{NAME}"])
def test_a_declared_body_beyond_the_limit_is_refused(
    embedded_store: Store, make_client: MakeClient, path: str
) -> None:
    api = make_client(embedded_store, max_body_bytes=1000)
    body = assert_problem(api.post(path, content=b"x" * 1001), 413)
    assert "larger than 1000 bytes" in body["detail"]


@pytest.mark.parametrize("path", ["/graphql", f"/sync/{NAME}"])
def test_a_streamed_body_is_cut_off_at_the_limit(
    embedded_store: Store, make_client: MakeClient, path: str
) -> None:
    # An integrator may post to both paths (GraphQL refuses its fields, but only
    # after reading the body): the limit must stop the body, not the permission.
    api = make_client(embedded_store, Role.INTEGRATOR, max_body_bytes=100_000)
    # A generator body is sent chunked, without Content-Length: only counting
    # the bytes as they arrive can stop it.
    response = api.post(
        path, content=big_body(10_000_000), headers={"content-type": "application/json"}
    )
    assert "content-length" not in response.request.headers
    assert_problem(response, 413)


def test_a_body_within_the_limit_passes(embedded_store: Store, make_client: MakeClient) -> None:
    api = make_client(embedded_store, max_body_bytes=1000)
    response = api.post(
        "/graphql", content=big_body(30, chunk=7), headers={"content-type": "application/json"}
    )
    assert response.status_code == 400  # 30 bytes of "x" are no JSON, but they were read
