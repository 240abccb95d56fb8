"""Nothing internal reaches a caller without the admin role: no paths, URIs or driver text.

A store failure's cause is logged under the request id; an admin (and the
server's own command line) also gets it, as ``extensions.detail`` in GraphQL
and ``reason`` on ``/health/ready``. Real Neo4j outages are covered the same
way in tests/api/test_store_outage.py.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from journeykg.access.roles import Role
from journeykg.graph.errors import StoreError, StoreUnavailableError
from journeykg.graph.store import Store
from tests.api.conftest import Bearer, MakeClient
from tests.conftest import read_fixture
from tests.sync_salesforce import FRAMEWORK, NAME, chain, recipes_dir

URI = "bolt://db.internal.example:7687"
UNREACHABLE = (
    f"Neo4j at {URI} is unreachable (ServiceUnavailable: Couldn't connect to 10.1.2.3:7687)"
)
REFUSED = "cannot open the embedded store in /srv/journeykg/secret-store: IO error: lock held"
INTERNALS = ("bolt://", "10.1.2.3", "ServiceUnavailable", "/srv/journeykg", "IO error")
ELEMENT = '{ element(id: "process/x") { id } }'


def assert_nothing_internal(text: str) -> None:
    leaked = [word for word in INTERNALS if word in text]
    assert leaked == [], text


@pytest.fixture
def failing(embedded_store: Store, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A store whose every lookup and readiness check fails like an unreachable Neo4j."""
    embedded_store.upsert(read_fixture("impact_small.ttl"))

    def unreachable(*_: Any, **__: Any) -> Any:
        raise StoreUnavailableError(UNREACHABLE)

    monkeypatch.setattr(embedded_store, "element_facts", unreachable)
    monkeypatch.setattr(embedded_store, "check_ready", unreachable)
    return embedded_store


def test_an_unreachable_store_is_named_without_its_uri(
    failing: Store, make_client: MakeClient, bearer: Bearer, caplog: pytest.LogCaptureFixture
) -> None:
    api = make_client(failing, Role.READER)
    with caplog.at_level(logging.WARNING, logger="journeykg.api"):
        response = api.post("/graphql", json={"query": ELEMENT}, headers={"X-Request-ID": "r-1"})
    assert response.status_code == 503
    assert_nothing_internal(response.text)
    (error,) = response.json()["errors"]
    assert error["message"] == "the graph store is unavailable; retry in 5 s"
    assert error["extensions"] == {"code": "STORE_UNAVAILABLE", "retryAfter": 5}
    # The operator finds the cause in the log, under the request id.
    assert any("r-1" in r.getMessage() and URI in r.getMessage() for r in caplog.records)

    admin = api.post("/graphql", json={"query": ELEMENT}, headers=bearer(Role.ADMIN))
    (error,) = admin.json()["errors"]
    assert error["extensions"]["detail"] == UNREACHABLE


def test_a_store_error_is_named_without_its_path(
    embedded_store: Store, make_client: MakeClient, bearer: Bearer, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refused(*_: Any, **__: Any) -> Any:
        raise StoreError(REFUSED)

    monkeypatch.setattr(embedded_store, "element_facts", refused)
    api = make_client(embedded_store, Role.READER)
    response = api.post("/graphql", json={"query": ELEMENT}, headers={"X-Request-ID": "r-2"})
    assert_nothing_internal(response.text)
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "STORE_ERROR"}
    assert error["message"] == "the graph store failed; quote request id r-2 when reporting it"
    admin = api.post("/graphql", json={"query": ELEMENT}, headers=bearer(Role.ADMIN))
    assert admin.json()["errors"][0]["extensions"]["detail"] == REFUSED


def test_readiness_gives_the_reason_to_an_admin_only(
    failing: Store, make_client: MakeClient, bearer: Bearer
) -> None:
    api = make_client(failing, role=None)
    for headers in ({}, bearer(Role.READER), {"Authorization": "Bearer jkg_not_a_token"}):
        response = api.get("/health/ready", headers=headers)
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert_nothing_internal(response.text)
        assert "reason" not in response.json()
    admin = api.get("/health/ready", headers=bearer(Role.ADMIN))
    assert admin.status_code == 503
    assert admin.json()["reason"] == UNREACHABLE


def test_liveness_names_no_internals(failing: Store, make_client: MakeClient) -> None:
    response = make_client(failing, role=None).get("/health")
    assert response.json() == {"status": "ok", "backend": "embedded"}


def test_an_unknown_sync_source_does_not_name_the_recipes_directory(
    embedded_store: Store, make_client: MakeClient, tmp_path: Path
) -> None:
    recipes = recipes_dir(tmp_path / "recipes")
    api = make_client(embedded_store, Role.INTEGRATOR, recipes_dir=recipes)
    response = api.post("/sync/no-such-source", content=b"{}")
    assert response.status_code == 404
    assert str(tmp_path) not in response.text
    assert "no recipe named 'no-such-source'" in response.json()["detail"]


def test_a_broken_recipe_is_the_servers_problem_and_names_no_path(
    embedded_store: Store, make_client: MakeClient, tmp_path: Path
) -> None:
    recipes = recipes_dir(tmp_path / "recipes")
    (recipes / "broken.yaml").write_text("name: broken\nkind: [unclosed\n", encoding="utf-8")
    api = make_client(embedded_store, Role.INTEGRATOR, recipes_dir=recipes)
    response = api.post("/sync/broken", content=b"{}", headers={"X-Request-ID": "r-3"})
    assert response.status_code == 500
    assert response.json()["title"] == "Recipe unusable"
    assert str(tmp_path) not in response.text
    assert "r-3" in response.json()["detail"]


def test_a_store_failure_during_a_sync_is_reported_without_its_text(
    embedded_store: Store, make_client: MakeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded_store.upsert(Graph().parse(FRAMEWORK, format="turtle"))

    def refused(*_: Any, **__: Any) -> Any:
        raise StoreError(REFUSED)

    monkeypatch.setattr(embedded_store, "apply", refused)
    recipes = recipes_dir(tmp_path / "recipes")
    api = make_client(embedded_store, Role.INTEGRATOR, recipes_dir=recipes)
    response = api.post(f"/sync/{NAME}", content=json.dumps(chain()).encode())
    assert response.status_code == 503, response.text
    assert_nothing_internal(response.text)
    body = response.json()
    assert body["report"]["status"] == "failed"
    assert body["report"]["error"] == body["detail"]


def test_the_command_line_sees_the_detail(failing: Store) -> None:
    from journeykg.cli.ask import CliQueryError, ask_graphql

    # The operator at the server's own command line is told why, as an admin is.
    with pytest.raises(CliQueryError, match=r"Couldn.t connect to 10\.1\.2\.3"):
        ask_graphql(failing, ELEMENT, {})
