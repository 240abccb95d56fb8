"""Several workers: ``serve --workers N`` on Neo4j; the embedded store refuses, saying why.

The Neo4j case starts a real server with two worker processes (a child
process on a free port of 127.0.0.1, bounded in time) over the demo
organisation. A keep-alive connection is answered by one worker from its
first request to its last, so the test holds one connection per worker,
tells them apart by ``GET /health/worker`` (the process id, for admins),
and demands that both workers answer, with the same answers, and that a
governance step taken through one is seen through the other.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from journeykg.access.roles import Role
from journeykg.bootstrap import load_settings, open_state, token_store
from journeykg.cli.app import app
from journeykg.graph.store import Store
from journeykg.loaders.pipeline import load_file
from journeykg.resources import DEMO_DATASET, GLOSSARY_DATASET
from journeykg.settings import Settings
from tests.conftest import BASE

#: How long the workers may take to be both up and told apart (spawned
#: processes import the app and connect on a busy 2-core machine).
FIND_SECONDS = 90.0
#: Connections opened at once while looking for the workers: a worker busy
#: accepting one leaves the next to another.
AT_ONCE = 8

IMPACT = """query($of: ID!) { impact(of: $of, maxHops: 8) { isComplete
  journeys(first: 10) { totalCount edges { node { element { id label } hops } } }
  blastRadius { contacts complaints costEur } } }"""

PROPOSE = """mutation($id: ID!) {
  proposeConcept(by: "owner/lead-cx-office", input: {id: $id,
      prefLabels: [{language: "nl", text: "Werkerterm"}, {language: "en", text: "Worker term"}],
      definitions: [{language: "nl", text: "Een term die een werker voorstelt."}]}) {
    __typename
    ... on ConceptChanged { concept { id status } }
    ... on GovernanceRefusal { code message }
  }
}"""

CONCEPT = "query($id: ID!) { concept(id: $id) { id status prefLabels { language text } } }"


@pytest.fixture
def embedded(monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded store is the one configured, whatever Neo4j the tests are given."""
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")


@pytest.mark.usefixtures("embedded")
def test_the_embedded_store_refuses_several_workers_and_says_why(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["serve", "--workers", "2", "--store-dir", str(tmp_path / "kg")]
    )
    assert result.exit_code == 2, result.output
    assert "cannot serve the embedded store with 2 workers" in result.stderr
    assert "Oxigraph locks the store's directory" in result.stderr
    assert "--workers 1" in result.stderr
    assert "Neo4j (JOURNEYKG_NEO4J_URI)" in result.stderr


@pytest.mark.usefixtures("embedded")
def test_the_workers_setting_is_refused_on_the_embedded_store_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOURNEYKG_WORKERS", "3")
    result = CliRunner().invoke(app, ["serve", "--store-dir", str(tmp_path / "kg")])
    assert result.exit_code == 2, result.output
    assert "with 3 workers" in result.stderr


@pytest.fixture
def demo_on_neo4j(neo4j_store: Store, neo4j_settings: Settings) -> dict[str, str]:
    """The demo organisation in the test Neo4j; the environment a server needs to serve it."""
    load_file(neo4j_store, DEMO_DATASET)
    load_file(neo4j_store, GLOSSARY_DATASET)
    assert neo4j_settings.neo4j_uri is not None
    return {
        "JOURNEYKG_BACKEND": "neo4j",
        "JOURNEYKG_NEO4J_URI": neo4j_settings.neo4j_uri,
        "JOURNEYKG_BASE_IRI": BASE,
    }


def bearer(role: Role) -> dict[str, str]:
    """A fresh token of ``role`` in the store's state directory (the server's too)."""
    tokens = token_store(open_state(load_settings()))
    created = tokens.create(f"workers-{role}", role, timedelta(hours=1))
    return {"Authorization": f"Bearer {created.token}"}


def one_connection(url: str) -> httpx.Client:
    """A client that keeps a single connection, so one worker answers all its requests."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    return httpx.Client(base_url=url, limits=limits, timeout=60)


@pytest.fixture
def admin() -> dict[str, str]:
    return bearer(Role.ADMIN)


def worker(client: httpx.Client, admin: dict[str, str]) -> dict[str, Any]:
    answer = client.get("/health/worker", headers=admin)
    assert answer.status_code == 200, answer.text
    seen: dict[str, Any] = answer.json()
    return seen


@pytest.fixture
def workers(
    demo_on_neo4j: dict[str, str], tmp_path: Path, admin: dict[str, str]
) -> Iterator[dict[int, httpx.Client]]:
    """A two-worker server on Neo4j; one open connection to each worker, by process id."""
    from tests.served import served

    with served(demo_on_neo4j, tmp_path / "server.log", ["--workers", "2"]) as url:
        found: dict[int, httpx.Client] = {}
        opened: list[httpx.Client] = []
        deadline = time.monotonic() + FIND_SECONDS
        try:
            # Connections are taken from one batch that reached both workers: one
            # found in an earlier batch may have idled past uvicorn's keep-alive.
            while len(found) < 2:
                assert time.monotonic() < deadline, (
                    f"both workers did not answer within {FIND_SECONDS} s:\n"
                    + (tmp_path / "server.log").read_text()
                )
                batch = [one_connection(url) for _ in range(AT_ONCE)]
                opened.extend(batch)
                with ThreadPoolExecutor(AT_ONCE) as pool:
                    pids = list(pool.map(lambda c: worker(c, admin)["pid"], batch))
                found = dict(zip(pids, batch, strict=True))
            yield found
        finally:
            for client in opened:
                client.close()


def on(client: httpx.Client, pid: int, admin: dict[str, str], **request: Any) -> Any:
    """``request`` (a GraphQL body) sent to the worker ``pid`` over its connection.

    uvicorn closes a connection idle for 5 s; the client would then reconnect,
    perhaps to the other worker, so the worker is asked before and after.
    """
    assert worker(client, admin)["pid"] == pid
    answer = client.post("/graphql", json=request["json"], headers=request["headers"])
    assert worker(client, admin)["pid"] == pid, "the connection moved to another worker"
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert "errors" not in body, body
    return body["data"]


def test_two_workers_on_neo4j_both_answer_and_agree(
    workers: dict[int, httpx.Client], admin: dict[str, str]
) -> None:
    reader, architect = bearer(Role.READER), bearer(Role.ARCHITECT)
    first, second = sorted(workers)
    assert first != second

    impact = {"query": IMPACT, "variables": {"of": "process/kredietcheck"}}
    answers = {pid: on(c, pid, admin, json=impact, headers=reader) for pid, c in workers.items()}
    assert answers[first]["impact"]["journeys"]["totalCount"] > 0
    assert json.dumps(answers[first], sort_keys=True) == json.dumps(answers[second], sort_keys=True)

    # A governance step through one worker is seen at once through the other.
    term = {"id": "concept/werkerterm"}
    proposed = on(
        workers[first], first, admin, json={"query": PROPOSE, "variables": term}, headers=architect
    )
    assert proposed["proposeConcept"] == {
        "__typename": "ConceptChanged",
        "concept": {"id": "concept/werkerterm", "status": "PROPOSED"},
    }
    concept = {"query": CONCEPT, "variables": term}
    seen = {pid: on(c, pid, admin, json=concept, headers=reader) for pid, c in workers.items()}
    assert seen[first] == seen[second]
    assert seen[second]["concept"]["status"] == "PROPOSED"

    # Each worker counted the requests its own connection carried (and no fewer).
    counts = {pid: worker(c, admin)["requests"] for pid, c in workers.items()}
    assert counts[first] >= 11, counts
    assert counts[second] >= 8, counts


LABEL = """query($of: ID!) { impact(of: $of, maxHops: 8) { of { label } isComplete
  journeys(first: 10) { totalCount } } }"""


def test_a_write_beside_two_workers_is_seen_by_both_at_once(
    workers: dict[int, httpx.Client],
    admin: dict[str, str],
    demo_on_neo4j: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each worker keeps impact answers (api/cached_answers.py); a write elsewhere ends them.

    The write is the command line's, in a third process's store over the same
    database, while the workers keep their answers in theirs.
    """
    reader = bearer(Role.READER)
    question = {"query": LABEL, "variables": {"of": "process/kredietcheck"}}
    for _ in range(2):  # the second answer comes from each worker's cache
        for pid, client in workers.items():
            label = on(client, pid, admin, json=question, headers=reader)["impact"]["of"]["label"]
            assert label != "Kredietcheck (herzien)"
    renamed = tmp_path / "rename.ttl"
    renamed.write_text(
        f"<{BASE}process/kredietcheck> <http://www.w3.org/2000/01/rdf-schema#label> "
        '"Kredietcheck (herzien)"@nl .'
    )
    for name, value in demo_on_neo4j.items():
        monkeypatch.setenv(name, value)
    loaded = CliRunner().invoke(app, ["load", str(renamed)])
    assert loaded.exit_code == 0, loaded.output
    for pid, client in workers.items():
        answer = on(client, pid, admin, json=question, headers=reader)
        assert answer["impact"]["of"]["label"] == "Kredietcheck (herzien)", pid
