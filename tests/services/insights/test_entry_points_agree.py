"""The CLI and GraphQL serve one insight scenario alike: the same outcomes, the same refusal
codes, records and fields (both call services/insights; neither holds a rule of its own)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from typer.testing import CliRunner

from journeykg.access.roles import Role
from journeykg.cli.app import app as cli
from journeykg.graph.store import Store
from tests.api.conftest import MakeClient
from tests.conftest import BASE
from tests.services.insights.organisation import CONTEXT, volumes

runner = CliRunner()
SPIKE = "insight/complaint-spike-test-context-reason-test-context-channel-phone"
REFUSAL = "... on InsightRefusal { code record field }"
#: (CLI arguments, GraphQL mutation): one request each, in order.
STEPS: list[tuple[list[str], str]] = [
    (["insights", "signals"], "runSignals { drafted }"),
    (
        ["insights", "status", SPIKE, "closed"],
        f'setInsightStatus(id: "{SPIKE}", status: "closed")'
        f" {{ {REFUSAL} ... on Insight {{ status }} }}",
    ),
    (
        ["insights", "plan", "Te vroeg", "--owner", "test/context/owner", "--addresses", SPIKE],
        f'proposeInitiative(name: "Te vroeg", owner: "test/context/owner", addresses: ["{SPIKE}"])'
        f" {{ {REFUSAL} ... on Initiative {{ status }} }}",
    ),
    (
        ["insights", "status", SPIKE, "validated"],
        f'setInsightStatus(id: "{SPIKE}", status: "validated")'
        f" {{ {REFUSAL} ... on Insight {{ status }} }}",
    ),
    (
        ["insights", "plan", "Op tijd", "--addresses", SPIKE, "--owner", " "],
        f'proposeInitiative(name: "Op tijd", addresses: ["{SPIKE}"])'
        f" {{ {REFUSAL} ... on Initiative {{ status }} }}",
    ),
    (
        ["insights", "plan", "Op tijd", "--owner", "test/context/owner", "--addresses", SPIKE],
        f'proposeInitiative(name: "Op tijd", owner: "test/context/owner", addresses: ["{SPIKE}"])'
        f" {{ {REFUSAL} ... on Initiative {{ status }} }}",
    ),
]
CLI_REFUSAL = re.compile(r"refused \((?P<code>[A-Z_]+)\): (?P<record>\S+): (?P<field>\S+):")


def _cli_outcome(args: list[str]) -> dict[str, Any]:
    told = runner.invoke(cli, args)
    found = CLI_REFUSAL.search(told.output)
    if found:
        assert told.exit_code == 1
        return found.groupdict()
    assert told.exit_code == 0, told.output
    if args[1] == "signals":
        return {
            "drafted": [line.split()[-1] for line in told.output.splitlines() if "drafted" in line]
        }
    return {"status": told.output.strip().rsplit(": ", 1)[-1]}


def _graphql_outcome(client: TestClient, field: str) -> dict[str, Any]:
    body = client.post("/graphql", json={"query": f"mutation {{ {field} }}"}).json()
    assert "errors" not in body, body
    (answer,) = body["data"].values()
    return {k: v for k, v in answer.items() if k != "__typename"}


def test_the_cli_and_graphql_agree(
    store: Store, make_client: MakeClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.upsert(Graph().parse(CONTEXT, format="turtle"))
    store.upsert(volumes([4, 6, 5, 3, 5, 30]))
    client = make_client(store, Role.STEWARD)
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    monkeypatch.setenv("JOURNEYKG_STORE_DIR", str(tmp_path / "cli-store"))
    assert runner.invoke(cli, ["load", str(CONTEXT)]).exit_code == 0
    data = tmp_path / "volumes.ttl"
    volumes([4, 6, 5, 3, 5, 30]).serialize(data, format="turtle")
    assert runner.invoke(cli, ["load", str(data)]).exit_code == 0
    seen = []
    for args, field in STEPS:
        by_cli, by_graphql = _cli_outcome(args), _graphql_outcome(client, field)
        assert by_cli == by_graphql, (args, by_cli, by_graphql)
        seen.append(by_cli)
    assert [s.get("code") for s in seen] == [
        None,
        "TRANSITION",
        "NOT_VALIDATED",
        None,
        "OWNER_REQUIRED",
        None,
    ]
    assert json.dumps(seen[0]) == json.dumps({"drafted": [SPIKE]})
