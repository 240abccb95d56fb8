"""The CLI and GraphQL serve one governance scenario alike, step by step and refusal by refusal.

The same requests go through ``journeykg governance ...`` (typer's runner, an
embedded store) and through the GraphQL mutations (the app's test client, on
each backend); every outcome and every refusal code must be the same.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.cli.app import app as cli
from journeykg.graph.store import Store
from journeykg.settings import Settings
from tests.conftest import BASE, FIXTURES
from tests.services.governance.conftest import BOARD, TickingClock, board_data

runner = CliRunner()

Result = dict[str, Any]
"""A step's result in one shape for both: the outcome, or {"refused": code, "message": ...}."""

TEXTS = "{ language text }"
CHANGED = f"""
  __typename
  ... on ConceptChanged {{
    concept {{ id status version prefLabels {TEXTS} definitions {TEXTS} scopeNotes {TEXTS}
              explains sources replacedBy }}
    activity {{ id kind by role rationale fromStatus toStatus proposal version }}
    proposal {{ id concept status prefLabels {TEXTS} definitions {TEXTS} scopeNotes {TEXTS} }}
  }}
  ... on GovernanceRefusal {{ code message }}"""


@dataclass(frozen=True)
class Step:
    """One request, as the command line types it and as a GraphQL mutation asks it."""

    name: str
    cli: tuple[str, ...]
    mutation: str
    steward: bool = False


FCR_LABELS = ("--label", "nl=Eerste-contactoplossing", "--label", "en=First contact resolution")
FCR_DEFINITIONS = (
    "--definition",
    "nl=Het aandeel vragen dat bij het eerste contact is opgelost.",
    "--definition",
    "en=The share of questions resolved at the first contact.",
)
GQL_FCR = """input: {id: "fcr", explains: ["jkg:FCR"], sources: ["KPI-handboek 2025"],
    prefLabels: [{language: "nl", text: "Eerste-contactoplossing"},
                 {language: "en", text: "First contact resolution"}],
    definitions: [
      {language: "nl", text: "Het aandeel vragen dat bij het eerste contact is opgelost."},
      {language: "en", text: "The share of questions resolved at the first contact."}],
    scopeNotes: [{language: "nl", text: "Per kanaal."}]}"""
NEW_DUTCH = "Het aandeel vragen zonder tweede contact binnen 7 dagen."

SCENARIO = [
    Step(
        "propose a draft",
        (
            "propose",
            "fcr",
            *FCR_LABELS,
            *FCR_DEFINITIONS,
            "--scope-note",
            "nl=Per kanaal.",
            "--explains",
            "jkg:FCR",
            "--source",
            "KPI-handboek 2025",
            "--draft",
            "--by",
            "owner/k",
        ),
        f'proposeConcept(by: "owner/k", draft: true, {GQL_FCR})',
    ),
    Step(
        "submit",
        ("submit", "concept/fcr", "--by", "owner/k", "--reason", "Klaar voor de board"),
        'submitConcept(id: "concept/fcr", by: "owner/k", rationale: "Klaar voor de board")',
    ),
    Step(
        "approve",
        ("approve", "concept/fcr", "--by", "owner/steward", "--reason", "Besloten"),
        'approve(id: "concept/fcr", by: "owner/steward", rationale: "Besloten")',
        steward=True,
    ),
    Step(
        "refused: propose what exists",
        ("propose", "fcr", *FCR_LABELS, *FCR_DEFINITIONS, "--by", "owner/k"),
        f'proposeConcept(by: "owner/k", {GQL_FCR})',
    ),
    Step(
        "propose a change of the Dutch definition",
        ("propose-change", "fcr", "--definition", f"nl={NEW_DUTCH}", "--by", "owner/k"),
        f"""proposeChange(id: "fcr", by: "owner/k",
            change: {{definitions: [{{language: "nl", text: "{NEW_DUTCH}"}}]}})""",
    ),
    Step(
        "approve the change",
        ("approve", "concept/fcr/change/1", "--by", "owner/steward", "--reason", "Scherper"),
        'approve(id: "concept/fcr/change/1", by: "owner/steward", rationale: "Scherper")',
        steward=True,
    ),
    Step(
        "refused: approve what is approved",
        ("approve", "concept/fcr", "--by", "owner/steward", "--reason", "Nog eens"),
        'approve(id: "concept/fcr", by: "owner/steward", rationale: "Nog eens")',
        steward=True,
    ),
    Step(
        "refused: deprecate a version that moved on",
        (
            "deprecate",
            "concept/fcr",
            "--by",
            "owner/steward",
            "--reason",
            "Vervalt",
            "--expected-version",
            "2",
        ),
        'deprecate(id: "concept/fcr", by: "owner/steward", rationale: "Vervalt", '
        "expectedVersion: 2)",
        steward=True,
    ),
    Step(
        "deprecate",
        ("deprecate", "concept/fcr", "--by", "owner/steward", "--reason", "Vervalt"),
        'deprecate(id: "concept/fcr", by: "owner/steward", rationale: "Vervalt")',
        steward=True,
    ),
]

EXPECTED_CODES = {
    "refused: propose what exists": "BAD_REQUEST",
    "refused: approve what is approved": "ILLEGAL_TRANSITION",
    "refused: deprecate a version that moved on": "STALE",
}


@pytest.fixture
def cli_store(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An embedded store directory holding the board, for the command line.

    It asks for ``store`` first, so that the Neo4j fixtures have read their
    settings before this one clears them from the CLI's environment.
    """
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    where = tmp_path / "cli-kg"
    for fixture in (FIXTURES / "impact_small.ttl", BOARD):
        loaded = runner.invoke(cli, ["load", str(fixture), "--store-dir", str(where)])
        assert loaded.exit_code == 0, loaded.output
    return where


@pytest.fixture
def graphql(store: Store, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """An architect's client of an app over ``store`` (holding the board), and a steward's
    headers."""
    store.upsert(board_data())
    settings = Settings(state_dir=tmp_path / "api-state")
    tokens = TokenStore(settings.tokens_file)

    def bearer(role: Role) -> dict[str, str]:
        token = tokens.create(f"test-{role.value}", role, timedelta(days=1)).token
        return {"Authorization": f"Bearer {token}"}

    app = create_app(store, clock=TickingClock(), settings=settings, tokens=tokens)
    with TestClient(app, headers=bearer(Role.ARCHITECT)) as client:
        yield client, bearer(Role.STEWARD)


def by_language(items: list[dict[str, str]]) -> dict[str, str]:
    return {i["language"]: i["text"] for i in items}


def lower(status: str | None) -> str | None:
    return status.lower() if status else None


def from_graphql(answer: dict[str, Any]) -> Result:
    if answer["__typename"] == "GovernanceRefusal":
        return {"refused": answer["code"], "message": answer["message"]}
    concept, activity, proposal = answer["concept"], answer["activity"], answer["proposal"]
    return {
        "concept": {
            "id": concept["id"],
            "status": lower(concept["status"]),
            "version": concept["version"],
            "text": {
                "pref_labels": by_language(concept["prefLabels"]),
                "definitions": by_language(concept["definitions"]),
                "scope_notes": by_language(concept["scopeNotes"]),
            },
            "explains": concept["explains"],
            "sources": concept["sources"],
            "replaced_by": concept["replacedBy"],
        },
        "activity": {
            **{k: activity[k] for k in ("id", "kind", "by", "role", "rationale", "proposal")},
            "version": activity["version"],
            "from_status": lower(activity["fromStatus"]),
            "to_status": lower(activity["toStatus"]),
        },
        "proposal": None
        if proposal is None
        else {
            "id": proposal["id"],
            "concept": proposal["concept"],
            "status": lower(proposal["status"]),
            "text": {
                "pref_labels": by_language(proposal["prefLabels"]),
                "definitions": by_language(proposal["definitions"]),
                "scope_notes": by_language(proposal["scopeNotes"]),
            },
        },
    }


REFUSED = re.compile(r"^refused \((?P<code>[A-Z_]+)\): (?P<message>.*)$", re.MULTILINE)


def from_cli(exit_code: int, output: str) -> Result:
    if exit_code != 0:
        match = REFUSED.search(output)
        assert exit_code == 1, output
        assert match, output
        return {"refused": match["code"], "message": match["message"]}
    told = json.loads(output)
    concept, activity, proposal = told["concept"], told["activity"], told["proposal"]
    return {
        "concept": {
            **{k: concept[k] for k in ("id", "status", "version", "text", "explains")},
            "sources": concept["sources"],
            "replaced_by": concept["replaced_by"],
        },
        "activity": {
            k: activity[k]
            for k in (
                "id",
                "kind",
                "by",
                "role",
                "rationale",
                "proposal",
                "version",
                "from_status",
                "to_status",
            )
        },
        "proposal": None
        if proposal is None
        else {k: proposal[k] for k in ("id", "concept", "status", "text")},
    }


def run_cli(store_dir: Path, step: Step) -> Result:
    role = ("--role", "steward") if step.steward else ()
    args = ["governance", *step.cli, *role, "--json", "--store-dir", str(store_dir)]
    result = runner.invoke(cli, args)
    return from_cli(result.exit_code, result.output)


def run_graphql(client: TestClient, steward: dict[str, str], step: Step) -> Result:
    field = step.mutation.split("(", 1)[0]
    response = client.post(
        "/graphql",
        json={"query": f"mutation {{ {step.mutation} {{ {CHANGED} }} }}"},
        headers=steward if step.steward else {},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return from_graphql(body["data"][field])


def test_cli_and_graphql_answer_and_refuse_every_step_alike(
    cli_store: Path, graphql: tuple[TestClient, dict[str, str]]
) -> None:
    client, steward = graphql
    for step in SCENARIO:
        on_cli, on_graphql = run_cli(cli_store, step), run_graphql(client, steward, step)
        assert on_cli == on_graphql, step.name
        assert on_cli.get("refused") == EXPECTED_CODES.get(step.name), (step.name, on_cli)

    refusals = {s.name: run_cli(cli_store, s) for s in SCENARIO if s.name in EXPECTED_CODES}
    existing = refusals["refused: propose what exists"]["message"]
    assert "journeykg governance propose-change" in existing
    assert "proposeChange" in existing


def test_after_the_scenario_both_tell_the_same_history(
    cli_store: Path, graphql: tuple[TestClient, dict[str, str]]
) -> None:
    client, steward = graphql
    for step in SCENARIO:
        run_cli(cli_store, step)
        run_graphql(client, steward, step)

    shown = runner.invoke(
        cli, ["governance", "history", "concept/fcr", "--json", "--store-dir", str(cli_store)]
    )
    assert shown.exit_code == 0, shown.output
    on_cli = json.loads(shown.output)
    response = client.post(
        "/graphql",
        json={
            "query": f"""{{ concept(id: "concept/fcr") {{
                history {{ number status definitions {TEXTS} }}
                activities {{ id kind by role }}
                changeProposals {{ id status }} }} }}"""
        },
    )
    on_graphql = response.json()["data"]["concept"]
    assert [(v["number"], v["status"], v["text"]["definitions"]) for v in on_cli["versions"]] == [
        (v["number"], v["status"].lower(), by_language(v["definitions"]))
        for v in on_graphql["history"]
    ]
    assert [(a["id"], a["kind"], a["by"], a["role"]) for a in on_cli["activities"]] == [
        (a["id"], a["kind"], a["by"], a["role"]) for a in on_graphql["activities"]
    ]
    assert [(p["id"], p["status"]) for p in on_cli["proposals"]] == [
        (p["id"], p["status"].lower()) for p in on_graphql["changeProposals"]
    ]
    # The change kept the English definition in every version after it.
    assert on_cli["versions"][-1]["text"]["definitions"] == {
        "nl": NEW_DUTCH,
        "en": "The share of questions resolved at the first contact.",
    }
