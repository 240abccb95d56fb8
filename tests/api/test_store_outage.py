"""A real Neo4j outage: the API answers 503 quickly while Neo4j is cut off, and recovers alone.

The outage is real: the app talks to a real Neo4j server through a TCP proxy
(tests/tcp_proxy.py) that the test cuts and restores.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from journeykg.access.roles import Role
from journeykg.bootstrap import open_store
from journeykg.graph.store import Store
from journeykg.settings import Settings
from tests.api.conftest import Bearer, MakeClient
from tests.conftest import read_fixture
from tests.sync_salesforce import FRAMEWORK, NAME, chain, recipes_dir
from tests.tcp_proxy import TcpProxy

pytestmark = pytest.mark.neo4j

ELEMENT = {"query": '{ element(id: "process/x") { id } }'}
IMPACT = {"query": '{ impact(of: "process/x") { isComplete } }'}
#: How long a request may take to fail while Neo4j is unreachable.
FAIL_FAST_SECONDS = 5.0


@pytest.fixture
def proxy(
    neo4j_settings: Settings,
    neo4j_store: Store,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[TcpProxy]:
    neo4j_store.upsert(read_fixture("impact_small.ttl"))
    neo4j_store.upsert(Graph().parse(FRAMEWORK, format="turtle"))
    monkeypatch.setenv("JOURNEYKG_RECIPES_DIR", str(recipes_dir(tmp_path / "recipes")))
    port = urlparse(neo4j_settings.neo4j_uri).port
    assert port is not None
    with TcpProxy(port) as proxy:
        yield proxy


@pytest.fixture
def api(
    proxy: TcpProxy, neo4j_settings: Settings, api_settings: Settings, make_client: MakeClient
) -> Iterator[TestClient]:
    # The app's tokens are the store's: its state is the test's token database.
    through_proxy = neo4j_settings.model_copy(
        update={"neo4j_uri": f"bolt://127.0.0.1:{proxy.port}", "state_dir": api_settings.state_dir}
    )
    store = open_store(through_proxy)
    yield make_client(store, Role.ARCHITECT, recipes_dir=Path(os.environ["JOURNEYKG_RECIPES_DIR"]))
    store.close()


def test_an_outage_is_a_quick_503_and_the_service_recovers_alone(
    api: TestClient, proxy: TcpProxy
) -> None:
    assert api.post("/graphql", json=ELEMENT).json()["data"] == {"element": {"id": "process/x"}}
    assert api.get("/health/ready").status_code == 200

    proxy.cut()
    for _ in range(2):  # the first request finds the pool's dead connection, the next none
        started = time.monotonic()
        response = api.post("/graphql", json=ELEMENT)
        assert time.monotonic() - started < FAIL_FAST_SECONDS
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"] == "5"
        (error,) = response.json()["errors"]
        assert error["extensions"] == {"code": "STORE_UNAVAILABLE", "retryAfter": 5}
        assert "retry in 5 s" in error["message"]

    started = time.monotonic()
    ready = api.get("/health/ready")
    assert time.monotonic() - started < FAIL_FAST_SECONDS
    assert ready.status_code == 503
    assert ready.headers["content-type"] == "application/problem+json"
    assert ready.headers["retry-after"] == "5"
    assert ready.json()["title"] == "Store unavailable"
    assert api.get("/health").status_code == 200  # alive, only not ready

    proxy.restore()
    response = api.post("/graphql", json=ELEMENT)
    assert response.status_code == 200, response.text
    assert response.json()["data"] == {"element": {"id": "process/x"}}
    assert api.get("/health/ready").status_code == 200


@pytest.mark.parametrize("question", [ELEMENT, IMPACT], ids=["element", "impact"])
def test_a_server_that_stops_answering_is_a_503_within_seconds(
    api: TestClient, proxy: TcpProxy, question: dict[str, str]
) -> None:
    """Without the driver's timeouts (graph/neo4j_store.py) this request hung for 60 s.

    An impact question reads the graph's generation first (api/cached_answers.py):
    when that read gives up, the question is not asked to wait as long again.
    """
    proxy.stall()
    started = time.monotonic()
    response = api.post("/graphql", json=question)
    assert time.monotonic() - started < FAIL_FAST_SECONDS
    assert response.status_code == 503, response.text
    assert response.json()["errors"][0]["extensions"]["code"] == "STORE_UNAVAILABLE"
    proxy.restore()
    assert api.post("/graphql", json=question).status_code == 200


def test_a_sync_during_an_outage_is_a_503_problem_with_retry_advice(
    api: TestClient, proxy: TcpProxy, bearer: Bearer
) -> None:
    integrator = bearer(Role.INTEGRATOR)
    proxy.cut()
    started = time.monotonic()
    response = api.post(f"/sync/{NAME}", content=json.dumps(chain()).encode(), headers=integrator)
    assert time.monotonic() - started < FAIL_FAST_SECONDS
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert response.json()["requestId"] == response.headers["x-request-id"]
    proxy.restore()
    payload = json.dumps(chain()).encode()
    assert api.post(f"/sync/{NAME}", content=payload, headers=integrator).status_code == 200


def test_an_outage_names_no_internals_but_tells_an_admin_why(
    api: TestClient, proxy: TcpProxy, bearer: Bearer
) -> None:
    # The driver's messages name the server's address and its own errors: none of
    # that reaches a caller without the admin role, /health/ready being open to all.
    internals = ("bolt://", f"127.0.0.1:{proxy.port}", "Neo4j", "ServiceUnavailable", "connect")
    proxy.cut()
    answers = [
        api.post("/graphql", json=ELEMENT),
        api.get("/health/ready", headers={"Authorization": ""}),
        api.get("/health/ready"),
        api.post(
            f"/sync/{NAME}",
            content=json.dumps(chain()).encode(),
            headers=bearer(Role.INTEGRATOR),
        ),
    ]
    for response in answers:
        assert response.status_code == 503, response.text
        assert [word for word in internals if word in response.text] == [], response.text
    admin = bearer(Role.ADMIN)
    ready = api.get("/health/ready", headers=admin)
    assert f"bolt://127.0.0.1:{proxy.port}" in ready.json()["reason"]
    (error,) = api.post("/graphql", json=ELEMENT, headers=admin).json()["errors"]
    assert f"bolt://127.0.0.1:{proxy.port}" in error["extensions"]["detail"]
    proxy.restore()
