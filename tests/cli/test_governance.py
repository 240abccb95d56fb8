"""``journeykg governance ...`` run as a user would run it (embedded store, typer's runner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeykg.cli.app import app
from tests.conftest import BASE, FIXTURES
from tests.services.governance.conftest import BOARD

runner = CliRunner()


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    where = tmp_path / "kg"
    for fixture in (FIXTURES / "impact_small.ttl", BOARD):
        loaded = runner.invoke(app, ["load", str(fixture), "--store-dir", str(where)])
        assert loaded.exit_code == 0, loaded.output
    return where


def run(store_dir: Path, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["governance", *args, "--store-dir", str(store_dir)])
    return result.exit_code, result.output


PROPOSE = (
    "propose",
    "fcr",
    "--label",
    "nl=Eerste-contactoplossing",
    "--label",
    "en=First contact resolution",
    "--definition",
    "nl=Het aandeel vragen dat bij het eerste contact is opgelost.",
    "--explains",
    "jkg:FCR",
    "--by",
    "owner/k",
)
APPROVE = ("approve", "concept/fcr", "--by", "owner/steward", "--reason", "Besloten in de board")


@pytest.mark.parametrize(
    "command",
    [
        "propose",
        "propose-change",
        "submit",
        "approve",
        "reject",
        "deprecate",
        "migrate",
        "delete",
        "show",
        "history",
    ],
)
def test_every_governance_command_has_help(command: str) -> None:
    result = runner.invoke(app, ["governance", command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_propose_approve_show_and_history(store_dir: Path) -> None:
    code, output = run(store_dir, *PROPOSE)
    assert code == 0, output
    assert "concept/fcr is proposed (voorgesteld), version 1" in output
    code, output = run(store_dir, *APPROVE, "--role", "steward")
    assert code == 0, output
    assert "concept/fcr is approved (vastgesteld), version 2" in output
    code, output = run(store_dir, "show", "concept/fcr", "--json")
    assert code == 0, output
    shown = json.loads(output)
    assert (shown["id"], shown["status"], shown["explains"]) == (
        "concept/fcr",
        "approved",
        ["jkg:FCR"],
    )
    code, output = run(store_dir, "history", "concept/fcr", "--json")
    assert code == 0, output
    told = json.loads(output)
    assert [v["status"] for v in told["versions"]] == ["proposed", "approved"]
    assert [(a["kind"], a["by"], a["role"]) for a in told["activities"]] == [
        ("Proposal", "owner/k", "contributor"),
        ("Approval", "owner/steward", "steward"),
    ]
    code, output = run(store_dir, "history", "concept/fcr", "--diff", "1", "2", "--json")
    assert json.loads(output) == [
        {"field": "status", "language": "", "before": "proposed", "after": "approved"}
    ]


def test_a_change_to_an_approved_concept_is_a_change_proposal(store_dir: Path) -> None:
    run(store_dir, *PROPOSE)
    run(store_dir, *APPROVE, "--role", "steward")
    code, output = run(
        store_dir,
        "propose-change",
        "fcr",
        "--definition",
        "nl=Zonder tweede contact.",
        "--by",
        "owner/k",
    )
    assert code == 0, output
    assert "proposal of concept/fcr/change/1 recorded" in output
    code, output = run(store_dir, "show", "concept/fcr", "--json")
    assert json.loads(output)["text"]["definitions"]["nl"] == (
        "Het aandeel vragen dat bij het eerste contact is opgelost."
    )


def test_refusals_exit_non_zero_and_say_why(store_dir: Path) -> None:
    run(store_dir, *PROPOSE)
    code, output = run(store_dir, *APPROVE)
    assert code == 1
    assert "refused (FORBIDDEN): cannot approve concept/fcr with no role" in output
    code, output = run(
        store_dir,
        "delete",
        "reason/r",
        "--by",
        "owner/k",
        "--reason",
        "dubbel",
        "--role",
        "steward",
    )
    assert code == 1
    assert "refused (REFERENCED): cannot delete reason/r: 4 reference(s)" in output
    assert "  - journey/j jkg:placedOn reason/r" in output
    code, output = run(
        store_dir, "propose", "ces", "--label", "nl=Klantinspanning", "--by", "owner/k"
    )
    assert code == 1
    assert "jkgsh:GovernedItem-definition (SPARQLConstraintComponent)" in output
    code, output = run(store_dir, "show", "concept/geen")
    assert code == 2


def test_a_step_on_a_version_that_moved_on_is_refused_as_stale(store_dir: Path) -> None:
    run(store_dir, *PROPOSE)
    code, output = run(store_dir, *APPROVE, "--role", "steward", "--expected-version", "2")
    assert code == 1
    assert "refused (STALE): concept/fcr is at version 1, not 2" in output
    code, output = run(store_dir, "show", "concept/fcr", "--json")
    assert json.loads(output)["status"] == "proposed"
    code, output = run(store_dir, *APPROVE, "--role", "steward", "--expected-version", "1")
    assert code == 0, output
    stale_change = (
        "propose-change",
        "fcr",
        "--definition",
        "nl=Zonder tweede contact.",
        "--by",
        "owner/k",
    )
    code, output = run(store_dir, *stale_change, "--expected-version", "1")
    assert code == 1
    assert "refused (STALE)" in output
    code, output = run(store_dir, *stale_change, "--expected-version", "2")
    assert code == 0, output
    deprecate = ("deprecate", "concept/fcr", "--by", "owner/steward", "--reason", "Vervalt")
    code, output = run(store_dir, *deprecate, "--role", "steward", "--expected-version", "1")
    assert code == 1
    assert "refused (STALE)" in output
