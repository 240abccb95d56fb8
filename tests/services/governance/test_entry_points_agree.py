"""The CLI and GraphQL serve one governance scenario alike, step by step and refusal by refusal.

The same requests go through ``journeykg governance ...`` (typer's runner, an
embedded store) and through the GraphQL mutations (the app's test client, on
each backend): every request of the service (propose, propose-change, submit,
approve, reject, deprecate, migrate, delete) and every refusal code. Every
outcome and every refusal must be the same, and a refusal must leave the
stored graph, the element's history and the audit journal as they were, on
both sides (tests/snapshot.py).
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
from journeykg.bootstrap import open_store
from journeykg.cli.app import app as cli
from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.state import TOKENS_FILE
from journeykg.graph.store import Store
from journeykg.services.governance.glossary import concept_key
from journeykg.settings import Settings
from tests.conftest import BASE, FIXTURES
from tests.services.governance.conftest import BOARD, TickingClock, board_data
from tests.snapshot import Snapshot, snapshot

runner = CliRunner()

Result = dict[str, Any]
"""A step's result in one shape for both: the outcome, or {"refused": code, "message": ...}."""

TEXTS = "{ language text }"
REFUSAL = """
  ... on GovernanceRefusal {
    code message problems { record field rule } references { subject predicate object } }"""
ACTIVITY = "activity { id kind by role rationale fromStatus toStatus proposal version }"
CHANGED = f"""
  __typename
  ... on ConceptChanged {{
    concept {{ id status version prefLabels {TEXTS} definitions {TEXTS} scopeNotes {TEXTS}
              explains sources replacedBy }}
    {ACTIVITY}
    proposal {{ id concept status prefLabels {TEXTS} definitions {TEXTS} scopeNotes {TEXTS} }}
  }}{REFUSAL}"""
MIGRATED = f"""
  __typename
  ... on ReferencesMigrated {{
    moved {{ subject predicate object }} replacement {ACTIVITY} }}{REFUSAL}"""
DELETED = f"""__typename ... on ConceptDeleted {{ deleted }}{REFUSAL}"""
#: What each mutation is asked for: its result union differs.
SELECTIONS = {"migrateReferences": MIGRATED, "deleteConcept": DELETED}


@dataclass(frozen=True)
class Step:
    """One request, as the command line types it and as a GraphQL mutation asks it."""

    name: str
    cli: tuple[str, ...]
    mutation: str
    steward: bool = False
    refused: str | None = None
    """The code both entry points refuse the request with; None: both take the step."""
    same_message: bool = True

    @property
    def about(self) -> str:
        """The element the request names (``fcr`` is ``concept/fcr``)."""
        return concept_key(self.cli[1])


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

KLANTCONTACT = (
    "--label",
    "nl=Klantcontact",
    "--definition",
    "nl=Elk contact van een klant met de organisatie, via welk kanaal ook.",
)
GQL_KLANTCONTACT = """input: {id: "klantcontact",
    prefLabels: [{language: "nl", text: "Klantcontact"}],
    definitions: [{language: "nl",
                   text: "Elk contact van een klant met de organisatie, via welk kanaal ook."}]}"""

SCENARIO = [
    Step(
        "refused: propose without a definition",
        ("propose", "herhaalcontact", "--label", "nl=Herhaalcontact", "--by", "owner/k"),
        'proposeConcept(by: "owner/k", input: {id: "herhaalcontact", '
        'prefLabels: [{language: "nl", text: "Herhaalcontact"}]})',
        refused="INVALID",
    ),
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
        # GraphQL refuses the architect's token before the workflow runs, in its own words.
        "refused: approve without the steward role",
        ("approve", "concept/fcr", "--by", "owner/k", "--reason", "Zelf besloten"),
        'approve(id: "concept/fcr", by: "owner/k", rationale: "Zelf besloten")',
        refused="FORBIDDEN",
        same_message=False,
    ),
    Step(
        "refused: approve what does not exist",
        ("approve", "concept/onbekend", "--by", "owner/steward", "--reason", "Besloten"),
        'approve(id: "concept/onbekend", by: "owner/steward", rationale: "Besloten")',
        steward=True,
        refused="NOT_FOUND",
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
        refused="BAD_REQUEST",
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
        "propose a change of the English label",
        ("propose-change", "fcr", "--label", "en=FCR", "--by", "owner/k"),
        'proposeChange(id: "fcr", by: "owner/k", '
        'change: {prefLabels: [{language: "en", text: "FCR"}]})',
    ),
    Step(
        "reject the change",
        ("reject", "concept/fcr/change/2", "--by", "owner/steward", "--reason", "Te kort"),
        'reject(id: "concept/fcr/change/2", by: "owner/steward", rationale: "Te kort")',
        steward=True,
    ),
    Step(
        "refused: approve what is approved",
        ("approve", "concept/fcr", "--by", "owner/steward", "--reason", "Nog eens"),
        'approve(id: "concept/fcr", by: "owner/steward", rationale: "Nog eens")',
        steward=True,
        refused="ILLEGAL_TRANSITION",
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
        refused="STALE",
    ),
    Step(
        "deprecate",
        ("deprecate", "concept/fcr", "--by", "owner/steward", "--reason", "Vervalt"),
        'deprecate(id: "concept/fcr", by: "owner/steward", rationale: "Vervalt")',
        steward=True,
    ),
    Step(
        "propose another concept",
        ("propose", "klantcontact", *KLANTCONTACT, "--by", "owner/k"),
        f'proposeConcept(by: "owner/k", {GQL_KLANTCONTACT})',
    ),
    Step(
        "refused: delete what is still proposed",
        ("delete", "concept/klantcontact", "--by", "owner/steward", "--reason", "Opgeruimd"),
        'deleteConcept(id: "concept/klantcontact", by: "owner/steward", rationale: "Opgeruimd")',
        steward=True,
        refused="ILLEGAL_TRANSITION",
    ),
    Step(
        "reject the concept",
        ("reject", "concept/klantcontact", "--by", "owner/steward", "--reason", "Te breed"),
        'reject(id: "concept/klantcontact", by: "owner/steward", rationale: "Te breed")',
        steward=True,
    ),
    Step(
        "refused: delete without a reason",
        ("delete", "concept/klantcontact", "--by", "owner/steward", "--reason", " "),
        'deleteConcept(id: "concept/klantcontact", by: "owner/steward", rationale: " ")',
        steward=True,
        refused="BAD_REQUEST",
    ),
    Step(
        "delete the rejected concept",
        ("delete", "concept/klantcontact", "--by", "owner/steward", "--reason", "Opgeruimd"),
        'deleteConcept(id: "concept/klantcontact", by: "owner/steward", rationale: "Opgeruimd")',
        steward=True,
    ),
    Step(
        "refused: delete a contact reason a journey sits on",
        ("delete", "reason/r", "--by", "owner/steward", "--reason", "Opgeruimd"),
        'deleteConcept(id: "reason/r", by: "owner/steward", rationale: "Opgeruimd")',
        steward=True,
        refused="REFERENCED",
    ),
    Step(
        "refused: retire a contact reason a journey sits on",
        ("deprecate", "reason/r", "--by", "owner/steward", "--reason", "Vervalt"),
        'deprecate(id: "reason/r", by: "owner/steward", rationale: "Vervalt")',
        steward=True,
        refused="REFERENCED",
    ),
    Step(
        "supersede the contact reason",
        (
            "deprecate",
            "reason/r",
            "--replacement",
            "reason/r2",
            "--by",
            "owner/steward",
            "--reason",
            "Samengevoegd",
        ),
        'deprecate(id: "reason/r", by: "owner/steward", rationale: "Samengevoegd", '
        'replacement: "reason/r2")',
        steward=True,
    ),
    Step(
        "migrate its references",
        ("migrate", "reason/r", "--by", "owner/steward", "--reason", "Overzetten"),
        'migrateReferences(id: "reason/r", by: "owner/steward", rationale: "Overzetten")',
        steward=True,
    ),
    Step(
        "refused: migrate what nothing refers to any more",
        ("migrate", "reason/r", "--by", "owner/steward", "--reason", "Nog eens"),
        'migrateReferences(id: "reason/r", by: "owner/steward", rationale: "Nog eens")',
        steward=True,
        refused="BAD_REQUEST",
    ),
]

#: Every request of the service, and every refusal code a request can meet one at a time
#: (BUSY needs two processes: tests/services/governance/test_concurrency_processes.py).
REQUESTS = {"propose", "propose-change", "submit", "approve", "reject", "deprecate", "migrate"}
REQUESTS |= {"delete"}
CODES = {"INVALID", "ILLEGAL_TRANSITION", "FORBIDDEN", "REFERENCED", "BAD_REQUEST", "NOT_FOUND"}
CODES |= {"STALE"}


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
def graphql(store: Store, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, str], Store]]:
    """An architect's client of an app over ``store`` (holding the board), a steward's
    headers, and the store as the app writes it: through the audit journal."""
    store.upsert(board_data())
    settings = Settings(state_dir=tmp_path / "api-state")
    tokens = TokenStore(tmp_path / "api-state" / TOKENS_FILE)
    audited = AuditedStore(store, AuditJournal(tmp_path / "api-audit.sqlite"))

    def bearer(role: Role) -> dict[str, str]:
        token = tokens.create(f"test-{role.value}", role, timedelta(days=1)).token
        return {"Authorization": f"Bearer {token}"}

    app = create_app(audited, clock=TickingClock(), settings=settings, tokens=tokens)
    with TestClient(app, headers=bearer(Role.ARCHITECT)) as client:
        yield client, bearer(Role.STEWARD), audited
    audited.journal.close()


def by_language(items: list[dict[str, str]]) -> dict[str, str]:
    return {i["language"]: i["text"] for i in items}


def lower(status: str | None) -> str | None:
    return status.lower() if status else None


def text(answer: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {
        "pref_labels": by_language(answer["prefLabels"]),
        "definitions": by_language(answer["definitions"]),
        "scope_notes": by_language(answer["scopeNotes"]),
    }


def activity_of(activity: dict[str, Any]) -> Result:
    return {
        **{k: activity[k] for k in ("id", "kind", "by", "role", "rationale", "proposal")},
        "version": activity["version"],
        "from_status": lower(activity["fromStatus"]),
        "to_status": lower(activity["toStatus"]),
    }


def triple(reference: dict[str, str]) -> tuple[str, str, str]:
    return reference["subject"], reference["predicate"], reference["object"]


def from_graphql(answer: dict[str, Any]) -> Result:
    kind = answer["__typename"]
    if kind == "GovernanceRefusal":
        return {
            "refused": answer["code"],
            "message": answer["message"],
            "problems": [(p["record"], p["field"], p["rule"]) for p in answer["problems"]],
            "references": sorted(triple(r) for r in answer["references"]),
        }
    if kind == "ReferencesMigrated":
        return {
            "moved": sorted(triple(r) for r in answer["moved"]),
            "replacement": answer["replacement"],
            "activity": activity_of(answer["activity"]),
        }
    if kind == "ConceptDeleted":
        return {"deleted": sorted(answer["deleted"])}
    concept, proposal = answer["concept"], answer["proposal"]
    return {
        "concept": {
            "id": concept["id"],
            "status": lower(concept["status"]),
            "version": concept["version"],
            "text": text(concept),
            "explains": concept["explains"],
            "sources": concept["sources"],
            "replaced_by": concept["replacedBy"],
        },
        "activity": activity_of(answer["activity"]),
        "proposal": None
        if proposal is None
        else {
            "id": proposal["id"],
            "concept": proposal["concept"],
            "status": lower(proposal["status"]),
            "text": text(proposal),
        },
    }


REFUSED = re.compile(r"^refused \((?P<code>[A-Z_]+)\): (?P<message>.*)$", re.MULTILINE)
#: A problem as Problem.__str__ prints it: "  - SOURCE, node N, property P[, value V]: ... [S: R]".
PROBLEM = re.compile(
    r"^  - [^,]+, node (?P<record>\S+), property (?P<field>\S+)(?:, value .*?)?: .*"
    r" \[(?:Violation|Warning): (?P<rule>[^\]]+)\]$",
    re.MULTILINE,
)
REFERENCE = re.compile(r"^  - (?P<s>\S+) (?P<p>\S+) (?P<o>\S+)$", re.MULTILINE)
ACTIVITY_FIELDS = (
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


def from_cli(exit_code: int, output: str) -> Result:
    if exit_code != 0:
        match = REFUSED.search(output)
        assert match, output
        # An unknown id exits 2, as it does in every command; every other refusal 1.
        assert exit_code == (2 if match["code"] == "NOT_FOUND" else 1), output
        return {
            "refused": match["code"],
            "message": match["message"],
            "problems": [(m["record"], m["field"], m["rule"]) for m in PROBLEM.finditer(output)],
            "references": sorted(
                (m["s"], m["p"], m["o"])
                for m in REFERENCE.finditer(output)
                if match["code"] == "REFERENCED"
            ),
        }
    told = json.loads(output)
    if "deleted" in told:
        return {"deleted": sorted(told["deleted"])}
    if "moved" in told:
        return {
            "moved": sorted(triple(r) for r in told["moved"]),
            "replacement": told["replacement"],
            "activity": {k: told["activity"][k] for k in ACTIVITY_FIELDS},
        }
    concept, activity, proposal = told["concept"], told["activity"], told["proposal"]
    return {
        "concept": {
            **{k: concept[k] for k in ("id", "status", "version", "text", "explains")},
            "sources": concept["sources"],
            "replaced_by": concept["replaced_by"],
        },
        "activity": {k: activity[k] for k in ACTIVITY_FIELDS},
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
    selection = SELECTIONS.get(field, CHANGED)
    response = client.post(
        "/graphql",
        json={"query": f"mutation {{ {step.mutation} {{ {selection} }} }}"},
        headers=steward if step.steward else {},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    if "errors" in body:
        # Only a token without the permission is refused before the service is asked.
        (error,) = body["errors"]
        assert error["extensions"]["code"] == "FORBIDDEN", body
        assert body["data"] is None or body["data"][field] is None, body
        return {
            "refused": "FORBIDDEN",
            "message": error["message"],
            "problems": [],
            "references": [],
        }
    return from_graphql(body["data"][field])


def cli_state(store_dir: Path, step: Step) -> Snapshot:
    """The command line's store: graph, the history of what ``step`` names, journal."""
    with open_store(Settings(store_dir=store_dir)) as store:
        return snapshot(store, [step.about])


def test_the_scenario_asks_every_request_and_meets_every_refusal() -> None:
    assert {s.cli[0] for s in SCENARIO} == REQUESTS
    assert {s.refused for s in SCENARIO} - {None} == CODES


def test_cli_and_graphql_answer_and_refuse_every_step_alike(
    cli_store: Path, graphql: tuple[TestClient, dict[str, str], Store]
) -> None:
    client, steward, api_store = graphql
    told: dict[str, Result] = {}
    for step in SCENARIO:
        if step.refused:
            before = cli_state(cli_store, step), snapshot(api_store, [step.about])
        on_cli, on_graphql = run_cli(cli_store, step), run_graphql(client, steward, step)
        told[step.name] = on_cli
        assert on_cli.get("refused") == step.refused, (step.name, on_cli)
        compared = set(on_cli) - (set() if step.same_message else {"message"})
        assert {k: on_cli[k] for k in compared} == {k: on_graphql[k] for k in compared}, step.name
        assert set(on_cli) == set(on_graphql), step.name
        if step.refused:
            after = cli_state(cli_store, step), snapshot(api_store, [step.about])
            assert after[0] == before[0], f"{step.name}: the command line changed its store"
            assert after[1] == before[1], f"{step.name}: GraphQL changed its store"
            # A refusal says what it refused: the element, and for violations field and rule.
            assert step.about in on_cli["message"], (step.name, on_cli)
            named = [all(problem) for problem in on_cli["problems"]]
            assert all(named), (step.name, on_cli)

    existing = told["refused: propose what exists"]["message"]
    assert "journeykg governance propose-change" in existing
    assert "proposeChange" in existing
    assert told["refused: propose without a definition"]["problems"]
    assert ("journey/j", "jkg:placedOn", "reason/r") in told[
        "refused: delete a contact reason a journey sits on"
    ]["references"]
    assert told["migrate its references"]["moved"]
    assert told["delete the rejected concept"]["deleted"][0] == "concept/klantcontact"

    # Afterwards both tell the same history.
    fcr = assert_same_history(cli_store, client, "concept/fcr")
    # The change kept the English definition in every version after it.
    assert fcr["versions"][-1]["text"]["definitions"] == {
        "nl": NEW_DUTCH,
        "en": "The share of questions resolved at the first contact.",
    }
    reason = assert_same_history(cli_store, client, "reason/r")
    assert [a["kind"] for a in reason["activities"]] == ["Deprecation", "Migration"]


def assert_same_history(cli_store: Path, client: TestClient, ident: str) -> Result:
    """After the scenario, the command line and GraphQL tell ``ident``'s history alike."""
    shown = runner.invoke(
        cli, ["governance", "history", ident, "--json", "--store-dir", str(cli_store)]
    )
    assert shown.exit_code == 0, shown.output
    on_cli: Result = json.loads(shown.output)
    response = client.post(
        "/graphql",
        json={
            "query": f"""{{ concept(id: "{ident}") {{
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
    return on_cli
