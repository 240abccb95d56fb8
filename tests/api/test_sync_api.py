"""POST /sync/{source} and the provenance query, over HTTP, on both backends.

The recipe is the real Salesforce fixture recipe; the bodies are real Salesforce REST query
pages (tests/sync_salesforce.py), read by the real source.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from rdflib import Graph

import journeykg.services.sync_runs
from journeykg.access.roles import Role
from journeykg.api.app import create_app
from journeykg.graph.store import Store
from journeykg.ids import Identifiers
from journeykg.loaders.pipeline import load_file
from journeykg.loaders.recipe import Recipe
from journeykg.loaders.source import Source, SourceBatch
from journeykg.loaders.sources import open_source
from journeykg.settings import Settings
from tests.api.conftest import Bearer
from tests.conftest import FIXTURES
from tests.sync_salesforce import (
    CLEAN_IDS,
    FRAMEWORK,
    NAME,
    REFUSED_ID,
    UNREADABLE_CASE,
    bad_page,
    chain,
    page,
    recipes_dir,
)


@pytest.fixture
def app(store: Store, tmp_path: Path, api_settings: Settings) -> FastAPI:
    store.upsert(Graph().parse(FRAMEWORK, format="turtle"))
    recipes = recipes_dir(tmp_path / "recipes")
    return create_app(store, settings=api_settings.model_copy(update={"recipes_dir": recipes}))


@pytest.fixture
def client(app: FastAPI, bearer: Bearer) -> TestClient:
    """An integrator's client: it may sync, and nothing else."""
    return TestClient(app, headers=bearer(Role.INTEGRATOR))


@pytest.fixture
def reader(app: FastAPI, bearer: Bearer) -> TestClient:
    """A reader's client, for the provenance questions."""
    return TestClient(app, headers=bearer(Role.READER))


def post(client: TestClient, source: str, body: Any, **params: Any) -> Any:
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(f"/sync/{source}", content=content, params=params)


def test_a_sync_over_rest_returns_its_report(client: TestClient) -> None:
    response = post(client, NAME, chain())
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["status"], report["read"], report["written"], report["rejected"]) == (
        "ok",
        14,
        5,
        0,
    )
    assert report["unmapped"] == {"Reason='Installatie storing'": 3, "Origin='Social'": 1}
    assert report["run"].startswith(f"run/sync-{NAME}-")
    again = post(client, NAME, chain()).json()
    assert (again["written"], again["unchanged"]) == (0, 5)


def test_refused_records_are_in_the_report(client: TestClient) -> None:
    report = post(client, NAME, bad_page()).json()
    assert (report["status"], report["written"], report["rejected"]) == ("rejected", 1, 2)
    by_id = {r["external_id"]: r for r in report["rejections"]}
    assert set(by_id) == {REFUSED_ID, None}
    refused = by_id[REFUSED_ID]["problems"][0]
    assert (refused["property"], refused["value"]) == (
        "jkg:volumeOf",
        "https://id.journeykg.example/reason/storing-melden",
    )
    assert refused["rule"].endswith("(ClassConstraintComponent)")
    unreadable = by_id[None]["problems"][0]
    assert (unreadable["node"], unreadable["property"]) == (UNREADABLE_CASE, "CreatedDate")
    assert by_id[None]["origin"] == f"<payload> of POST /sync/{NAME}"
    assert "#records[3]" in unreadable["message"]


def test_errors_are_problem_details(client: TestClient) -> None:
    unknown = post(client, "nope", page([]))
    assert unknown.status_code == 404
    assert unknown.headers["content-type"] == "application/problem+json"
    assert unknown.json()["title"] == "Unknown source"
    unreadable = post(client, NAME, b"{not json")
    assert unreadable.status_code == 422
    assert unreadable.headers["content-type"] == "application/problem+json"
    assert unreadable.json()["problems"][0]["rule"] == "JSON syntax"
    broken = post(client, NAME, chain()[:2])  # the last page of the chain is lost
    assert broken.status_code == 422
    body = broken.json()
    assert body["detail"] == "the Salesforce query pages are not one complete answer"
    assert any(
        p["rule"] == "pages form one chain" and "a page is missing" in p["message"]
        for p in body["problems"]
    )
    assert post(client, NAME, chain()).json()["written"] == 5  # the broken posts wrote nothing


class HeldSource:
    """The real source, but its first read waits until the test lets it go."""

    def __init__(self, real: Source, started: threading.Event, release: threading.Event):
        self.real = real
        self.name = real.name
        self.incremental = real.incremental
        self.started = started
        self.release = release

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        self.started.set()
        assert self.release.wait(30), "the test never released the sync"
        yield from self.real.read(bookmark)


def test_a_second_sync_of_the_same_source_is_refused_with_409(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()

    def held(recipe: Recipe, ids: Identifiers, **kwargs: Any) -> Source:
        if started.is_set():  # only the first sync is held
            return open_source(recipe, ids, **kwargs)
        return HeldSource(open_source(recipe, ids, **kwargs), started, release)

    # the sync service's own reference (it imported the name from journeykg.loaders.sync_recipes)
    monkeypatch.setattr(journeykg.services.sync_runs, "open_source", held)
    results: list[Any] = []
    first = threading.Thread(target=lambda: results.append(post(client, NAME, chain())))
    first.start()
    try:
        assert started.wait(30)
        second = post(client, NAME, chain())
        assert second.status_code == 409
        assert second.headers["content-type"] == "application/problem+json"
        assert second.json()["title"] == "Sync already running"
    finally:
        release.set()
        first.join(60)
    assert results[0].status_code == 200
    assert results[0].json()["written"] == 5
    assert post(client, NAME, chain()).json()["unchanged"] == 5  # the lock was released


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


def test_provenance_says_where_a_number_comes_from(client: TestClient, reader: TestClient) -> None:
    report = post(client, NAME, chain()).json()
    external_id = "reason/nummer-meenemen|channel/telefoon|2026-02"
    assert external_id in CLEAN_IDS
    key = f"volume/{NAME}/{quote(external_id, safe='')}"
    answer = ask(reader, key)["data"]["provenance"]
    assert answer["element"] == {"id": key, "type": "ContactVolume"}
    assert (answer["source"], answer["externalId"]) == (NAME, external_id)
    run = answer["generatedBy"]
    assert (run["id"], run["status"], run["source"]) == (report["run"], "ok", NAME)
    assert run["startedAt"] <= run["endedAt"] <= answer["lastSeen"]


def test_provenance_of_loaded_and_unknown_elements(reader: TestClient, store: Store) -> None:
    load_file(store, FIXTURES / "impact_small.ttl")
    answer = ask(reader, "process/x")["data"]["provenance"]
    assert answer["source"] is None
    assert answer["generatedBy"]["label"] == "load of impact_small.ttl"
    assert answer["lastSeen"] == answer["generatedBy"]["endedAt"]
    missing = ask(reader, "process/bestaat-niet")
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"
