"""POST /sync/{source} and the provenance query, over HTTP, on both backends."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from journeykg.api import create_app
from journeykg.graph.store import Store
from journeykg.loaders import load_file
from tests.conftest import FIXTURES, read_fixture
from tests.sync_placeholders import HOLD, STARTED, install, write_recipe

ROWS = [{"id": "r|app|2025", "contacts": 120}, {"id": "r|phone|2025", "contacts": 80}]


@pytest.fixture
def client(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    store.upsert(read_fixture("impact_small.ttl"))
    install(monkeypatch)
    write_recipe(tmp_path / "recipes", "crm", ROWS)
    monkeypatch.setenv("JOURNEYKG_RECIPES_DIR", str(tmp_path / "recipes"))
    return TestClient(create_app(store))


def post(client: TestClient, source: str, rows: Any, **params: Any) -> Any:
    body = rows if isinstance(rows, bytes) else json.dumps(rows).encode()
    return client.post(f"/sync/{source}", content=body, params=params)


def test_a_sync_over_rest_returns_its_report(client: TestClient) -> None:
    response = post(client, "crm", ROWS)
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["status"], report["written"], report["rejected"]) == ("ok", 2, 0)
    assert report["run"].startswith("run/sync-crm-")
    again = post(client, "crm", ROWS).json()
    assert (again["written"], again["unchanged"]) == (0, 2)


def test_refused_records_are_in_the_report(client: TestClient) -> None:
    rows = [*ROWS, {"id": "bad", "contacts": -1}, {"id": "unmapped"}]
    report = post(client, "crm", rows).json()
    assert (report["status"], report["written"], report["rejected"]) == ("rejected", 2, 2)
    by_id = {r["external_id"]: r for r in report["rejections"]}
    assert by_id["bad"]["problems"][0]["property"] == "jkg:contacts"
    assert by_id[None]["origin"] == "payload#[3]"


def test_errors_are_problem_details(client: TestClient) -> None:
    unknown = post(client, "nope", ROWS)
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["title"] == "Unknown source"
    unreadable = post(client, "crm", b"{not json")
    assert unreadable.status_code == 422
    assert unreadable.json()["problems"][0]["rule"] == "JSON syntax"


def test_a_second_sync_of_the_same_source_is_refused_with_409(client: TestClient) -> None:
    HOLD["crm"] = threading.Event()
    STARTED.pop("crm", None)
    results: list[Any] = []
    first = threading.Thread(target=lambda: results.append(post(client, "crm", ROWS)))
    first.start()
    try:
        assert STARTED.setdefault("crm", threading.Event()).wait(30)
        second = post(client, "crm", ROWS)
        assert second.status_code == 409
        assert second.headers["content-type"] == "application/problem+json"
    finally:
        HOLD.pop("crm").set()
        first.join(60)
    assert results[0].status_code == 200


def test_the_endpoint_is_documented(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    operation = spec["paths"]["/sync/{source}"]["post"]
    assert operation["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/SyncReport"
    }
    assert "application/problem+json" in operation["responses"]["409"]["content"]
    assert "retire_refused" in spec["components"]["schemas"]["SyncReport"]["properties"]


PROVENANCE = """query($of: ID!) { provenance(of: $of) {
  element { id type } source externalId lastSeen
  generatedBy { id label source startedAt endedAt status } } }"""


def ask(client: TestClient, of: str) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": PROVENANCE, "variables": {"of": of}})
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_provenance_says_where_a_number_comes_from(client: TestClient) -> None:
    report = post(client, "crm", ROWS).json()
    answer = ask(client, "volume/crm/r%7Capp%7C2025")["data"]["provenance"]
    assert answer["element"] == {"id": "volume/crm/r%7Capp%7C2025", "type": "ContactVolume"}
    assert (answer["source"], answer["externalId"]) == ("crm", "r|app|2025")
    run = answer["generatedBy"]
    assert (run["id"], run["status"], run["source"]) == (report["run"], "ok", "crm")
    assert run["startedAt"] <= run["endedAt"] <= answer["lastSeen"]


def test_provenance_of_loaded_and_unknown_elements(client: TestClient, store: Store) -> None:
    load_file(store, FIXTURES / "impact_small.ttl")
    answer = ask(client, "process/x")["data"]["provenance"]
    assert answer["source"] is None
    assert answer["generatedBy"]["label"] == "load of impact_small.ttl"
    assert answer["lastSeen"] == answer["generatedBy"]["endedAt"]
    missing = ask(client, "process/bestaat-niet")
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
