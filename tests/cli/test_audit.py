"""The CLI's writes are in the audit trail: the OS user, the command, old and new values."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.bootstrap import open_store, state_of
from journeykg.cli.app import app
from journeykg.graph.audit_context import os_user
from journeykg.graph.audit_journal import FILE_NAME, AuditEntry, AuditJournal
from journeykg.settings import Settings
from tests.cli.test_governance import APPROVE, PROPOSE
from tests.conftest import BASE, FIXTURES, state_beside
from tests.services.governance.conftest import BOARD
from tests.sync_salesforce import FRAMEWORK, NAME, clean_recipe

runner = CliRunner()


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    return tmp_path / "kg"


def trail(store_dir: Path) -> list[AuditEntry]:
    journal = AuditJournal(state_beside(store_dir) / FILE_NAME)
    try:
        return journal.entries()[0]
    finally:
        journal.close()


def test_load_sync_and_governance_commands_are_attributed(store_dir: Path, tmp_path: Path) -> None:
    for fixture in (FIXTURES / "impact_small.ttl", BOARD, FRAMEWORK):
        loaded = runner.invoke(app, ["load", str(fixture), "--store-dir", str(store_dir)])
        assert loaded.exit_code == 0, loaded.output
    recipe = clean_recipe(tmp_path / "recipes")
    synced = runner.invoke(app, ["sync", str(recipe), "--store-dir", str(store_dir)])
    assert synced.exit_code == 0, synced.output
    proposed = runner.invoke(app, ["governance", *PROPOSE, "--store-dir", str(store_dir)])
    assert proposed.exit_code == 0, proposed.output
    approved = runner.invoke(
        app, ["governance", *APPROVE, "--role", "steward", "--store-dir", str(store_dir)]
    )
    assert approved.exit_code == 0, approved.output

    entries = list(reversed(trail(store_dir)))
    actions = [e.action for e in entries]
    assert actions[:3] == ["cli:load"] * 3
    assert set(actions[3:-2]) == {f"cli:sync:{NAME}"}
    assert actions[-2:] == ["cli:governance propose", "cli:governance approve"]
    assert {e.actor for e in entries} == {os_user()}
    approval = entries[-1]
    assert "proposed" in approval.removed.lower()
    assert "approved" in approval.added.lower()


def test_a_refused_cli_step_leaves_no_entry(store_dir: Path) -> None:
    for fixture in (FIXTURES / "impact_small.ttl", BOARD):
        runner.invoke(app, ["load", str(fixture), "--store-dir", str(store_dir)])
    refused = runner.invoke(app, ["governance", *APPROVE, "--store-dir", str(store_dir)])
    assert refused.exit_code != 0
    assert [e.action for e in trail(store_dir)] == ["cli:load", "cli:load"]


# --- journeykg audit, on both backends ----------------------------------------------------


def cli(*args: str, code: int = 0) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result


def audit_json(*args: str) -> dict[str, Any]:
    answer: dict[str, Any] = json.loads(cli("audit", "--json", *args).stdout)
    return answer


def a_session() -> str:
    """Loads, a proposal, a rejection, a deletion and a token: the trail the tests read."""
    for fixture in (FIXTURES / "impact_small.ttl", BOARD):
        cli("load", str(fixture))
    cli("governance", *PROPOSE)
    cli(
        "governance",
        "reject",
        "concept/fcr",
        "--by",
        "owner/steward",
        "--reason",
        "Dubbel",
        "--role",
        "steward",
    )
    cli(
        "governance",
        "delete",
        "concept/fcr",
        "--by",
        "owner/steward",
        "--reason",
        "Opgeruimd",
        "--role",
        "steward",
    )
    cli("token", "create", "--role", "reader", "--name", "lezer", "--reason", "Voor het dashboard")
    [token] = json.loads(cli("token", "list", "--json").stdout)
    return str(token["id"])


def test_audit_reads_the_trail_with_every_filter(backend: Settings) -> None:
    token_id = a_session()
    everything = audit_json()
    assert everything["totalCount"] == 6
    assert [e["action"] for e in everything["entries"]] == [
        "cli:token create",
        "cli:governance delete",
        "cli:governance reject",
        "cli:governance propose",
        "cli:load",
        "cli:load",
    ]
    created, deleted, rejected = everything["entries"][:3]
    assert (created["reason"], created["elements"]) == ("Voor het dashboard", [f"token/{token_id}"])
    assert created["note"].startswith(f"created token {token_id} 'lezer' (reader), expires ")
    assert (deleted["actor"], deleted["by"], deleted["reason"]) == (
        os_user(),
        "owner/steward",
        "Opgeruimd",
    )
    assert deleted["addedCount"] == 0
    assert '"Eerste-contactoplossing"@nl' in deleted["removed"]
    assert (rejected["by"], rejected["reason"]) == ("owner/steward", "Dubbel")

    by_element = audit_json("--element", "concept/fcr")
    assert [e["action"] for e in by_element["entries"]] == [
        "cli:governance delete",
        "cli:governance reject",
        "cli:governance propose",
    ]
    assert audit_json("--element", f"{BASE}concept/fcr") == by_element  # an IRI works too
    assert audit_json("--actor", "nobody") == {"totalCount": 0, "entries": []}
    assert audit_json("--actor", os_user())["totalCount"] == 6
    cut = everything["entries"][2]["at"]  # the rejection
    assert [e["action"] for e in audit_json("--since", cut)["entries"]] == [
        "cli:token create",
        "cli:governance delete",
        "cli:governance reject",
    ]
    assert audit_json("--until", cut)["totalCount"] == 3
    assert audit_json("--since", "2000-01-01", "--until", "2000-01-02")["totalCount"] == 0
    limited = audit_json("--limit", "2")
    assert (limited["totalCount"], len(limited["entries"])) == (6, 2)
    table = cli("audit", "--element", "concept/fcr").stdout
    assert "Opgeruimd" in table
    assert "owner/steward" in table
    bad = cli("audit", "--since", "yesterday", code=2)
    assert "'yesterday' is not a date" in bad.output


def test_the_cli_and_graphql_read_the_same_trail(backend: Settings) -> None:
    token_id = a_session()
    store = open_store(backend)
    try:
        tokens = TokenStore(state_of(store, backend).tokens_file)
        admin = tokens.create("auditor", Role.ADMIN, timedelta(hours=1)).token
        client = TestClient(
            create_app(store, settings=backend, tokens=tokens),
            headers={"Authorization": f"Bearer {admin}"},
        )
        for filters in (
            {},
            {"element": "concept/fcr"},
            {"element": f"token/{token_id}"},
            {"actor": os_user()},
            {"actor": "nobody"},
        ):
            variables = {**filters, "first": 500}
            response = client.post("/graphql", json={"query": TRAIL, "variables": variables})
            answer = response.json()["data"]["auditTrail"]
            args = [a for key, value in filters.items() for a in (f"--{key}", value)]
            cli_answer = audit_json(*args, "--limit", "500")
            assert cli_answer["totalCount"] == answer["totalCount"], filters
            assert cli_answer["entries"] == [
                {**e["node"], "at": _utc(e["node"]["at"])} for e in answer["edges"]
            ], filters
    finally:
        store.close()


def _utc(moment: str) -> str:
    return datetime.fromisoformat(moment).isoformat()


TRAIL = """
query($actor: String, $element: ID, $first: Int) {
  auditTrail(actor: $actor, element: $element, first: $first) {
    totalCount
    edges { node { id at actor role action requestId backend by reason note elements elementCount
                   removedCount addedCount removed added } }
  }
}"""


def test_a_refused_delete_leaves_graph_history_and_trail_unchanged(backend: Settings) -> None:
    for fixture in (FIXTURES / "impact_small.ttl", BOARD):
        cli("load", str(fixture))
    cli("governance", *PROPOSE)

    def dump() -> tuple[str, str, str]:
        exported = (
            Path(backend.store_dir).parent
            / f"dump-{len(list(Path(backend.store_dir).parent.iterdir()))}.nt"
        )
        cli("export", str(exported))
        history = cli("governance", "history", "concept/fcr", "--json").stdout
        return (
            "".join(sorted(exported.read_text().splitlines(True))),
            history,
            cli("audit", "--json").stdout,
        )

    before = dump()
    for args, code, said in (
        (
            ["--by", "owner/steward", "--reason", "Weg", "--role", "steward"],
            1,
            "ILLEGAL_TRANSITION",
        ),
        (["--by", "owner/steward", "--reason", "Weg"], 1, "FORBIDDEN"),
        (["--by", "owner/steward", "--reason", " ", "--role", "steward"], 1, "give a reason"),
        (["--by", "owner/steward", "--role", "steward"], 2, "--reason"),
    ):
        refused = cli("governance", "delete", "concept/fcr", *args, code=code)
        assert said in refused.output
    assert dump() == before
