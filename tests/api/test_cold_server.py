"""Concurrent first writes and reads at a freshly started server, on both backends.

A server used to break for good when its first writes came at once: they
warmed rdflib's shared SPARQL parser together (pyparsing is not
thread-safe), and every later write failed until a restart while
``/health/ready`` said ready. The server here is a real ``journeykg serve``
in a child process, cold: nothing has been parsed in it yet.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from journeykg.access.roles import Role
from journeykg.bootstrap import open_state, open_store, token_store
from journeykg.settings import Settings
from tests.api.test_governance import PROPOSE
from tests.conftest import read_fixture
from tests.served import served
from tests.services.governance.conftest import BOARD
from tests.sync_salesforce import FRAMEWORK, NAME, RECIPE, chain

#: Requests of each kind fired at once.
PROPOSALS, SYNCS, READS = 6, 2, 6
#: Longest a request may take on a busy 2-core machine.
REQUEST_SECONDS = 90.0
READ = {"query": '{ impact(of: "process/x") { isComplete } element(id: "stage/s") { id } }'}


def _seed(settings: Settings) -> None:
    store = open_store(settings)
    try:
        data = read_fixture("impact_small.ttl")
        data.parse(BOARD, format="turtle")
        data.parse(FRAMEWORK, format="turtle")
        store.upsert(data)
    finally:
        store.close()


def _recipes(directory: Path) -> list[str]:
    """Two recipes over the Salesforce fixture, so that two syncs may run at once."""
    directory.mkdir(parents=True)
    names = [f"{NAME}-{n}" for n in range(SYNCS)]
    text = RECIPE.read_text(encoding="utf-8")
    for name in names:
        (directory / f"{name}.yaml").write_text(
            text.replace(f"name: {NAME}", f"name: {name}"), encoding="utf-8"
        )
    return names


def _proposal(n: int, tag: str) -> dict[str, Any]:
    return {
        "query": PROPOSE,
        "variables": {
            "id": f"concept/cold-{tag}-{n}",
            "nl": f"Koude term {tag} {n}",
            "en": f"Cold term {tag} {n}",
            "definitions": [{"language": "nl", "text": f"De koude term {tag} nummer {n}."}],
        },
    }


def _fire(url: str, headers: dict[Role, dict[str, str]], names: list[str], tag: str) -> None:
    calls: list[Callable[[httpx.Client], httpx.Response]] = []
    for n in range(PROPOSALS):
        body = _proposal(n, tag)
        calls.append(lambda c, body=body: c.post("/graphql", json=body))  # type: ignore[misc]
    for name in names:
        calls.append(
            lambda c, name=name: c.post(  # type: ignore[misc]
                f"/sync/{name}", json=chain(), headers=headers[Role.INTEGRATOR]
            )
        )
    for _ in range(READS):
        calls.append(lambda c: c.post("/graphql", json=READ))
    start = threading.Barrier(len(calls))

    def call(fn: Callable[[httpx.Client], httpx.Response]) -> httpx.Response:
        with httpx.Client(
            base_url=url, headers=headers[Role.ARCHITECT], timeout=REQUEST_SECONDS
        ) as client:
            start.wait(timeout=30)
            return fn(client)

    with ThreadPoolExecutor(len(calls)) as pool:
        answers = list(pool.map(call, calls))
    proposals = answers[:PROPOSALS]
    syncs = answers[PROPOSALS : PROPOSALS + len(names)]
    reads = answers[PROPOSALS + len(names) :]
    for answer in proposals:
        assert answer.status_code == 200, answer.text
        assert "errors" not in answer.json(), answer.text
        outcome = answer.json()["data"]["proposeConcept"]
        assert outcome["__typename"] == "ConceptChanged", answer.text
    for answer in syncs:
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == "ok", answer.text
    for answer in reads:
        assert answer.status_code == 200, answer.text
        assert "errors" not in answer.json(), answer.text


def _cold_server(tmp_path: Path, env: dict[str, str | None], settings: Settings) -> None:
    _seed(settings)
    names = _recipes(tmp_path / "recipes")
    tokens = token_store(open_state(settings))
    headers = {
        role: {
            "Authorization": "Bearer "
            + tokens.create(f"cold-{role.value}", role, timedelta(days=1)).token
        }
        for role in (Role.ARCHITECT, Role.INTEGRATOR)
    }
    env = {**env, "JOURNEYKG_RECIPES_DIR": str(tmp_path / "recipes")}
    with served(env, tmp_path / "server.log") as url:
        _fire(url, headers, names, "first")
        _fire(url, headers, names, "again")  # and the writes still work afterwards
        assert httpx.get(f"{url}/health/ready", timeout=30).status_code == 200


def test_concurrent_first_requests_on_a_cold_embedded_server(tmp_path: Path) -> None:
    state, store_dir = tmp_path / "state", tmp_path / "store"
    # A Neo4j URI in the environment (make test sets one) would choose Neo4j: none here.
    settings = Settings(state_dir=state, store_dir=store_dir, backend="embedded", neo4j_uri=None)
    env: dict[str, str | None] = {
        "JOURNEYKG_STATE_DIR": str(state),
        "JOURNEYKG_STORE_DIR": str(store_dir),
        "JOURNEYKG_BACKEND": "embedded",
        "JOURNEYKG_NEO4J_URI": None,
    }
    _cold_server(tmp_path, env, settings)


@pytest.mark.neo4j
def test_concurrent_first_requests_on_a_cold_neo4j_server(
    tmp_path: Path, neo4j_settings: Settings, neo4j_store: object
) -> None:
    state = tmp_path / "state"
    settings = neo4j_settings.model_copy(update={"state_dir": state})
    assert settings.neo4j_uri
    env: dict[str, str | None] = {
        "JOURNEYKG_STATE_DIR": str(state),
        "JOURNEYKG_BACKEND": "neo4j",
        "JOURNEYKG_NEO4J_URI": settings.neo4j_uri,
    }
    _cold_server(tmp_path, env, settings)
