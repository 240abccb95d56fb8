"""``journeykg demo`` keeps history: a re-run destroys nothing, ``--reset`` is the only way back.

Run as a user would, on both backends: the demo, then a governance session,
a saved scenario and a token; a re-run keeps every one of them (and says so),
writes nothing when nothing is missing, and restores a demo element that
went; ``--reset`` empties the graph but keeps the tokens and the trail.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from journeykg.bootstrap import open_store
from journeykg.cli.app import app
from journeykg.graph.scenario import parse_changes
from journeykg.services import scenarios
from journeykg.settings import Settings

runner = CliRunner()

DEFINE = "en=A contact about the same question within 7 days of an earlier one."
SESSION = (
    ["governance", "propose", "herhaalcontact", "--label", "nl=Herhaalcontact",
     "--definition", "nl=Een contact over dezelfde vraag binnen 7 dagen.", "--definition", DEFINE,
     "--broader", "concept/fcr", "--by", "owner/manager-klantinzicht"],
    ["governance", "approve", "concept/herhaalcontact", "--by", "owner/lead-cx-office",
     "--role", "steward", "--reason", "Vastgesteld"],
    ["governance", "propose-change", "fcr", "--definition", "en=Solved at the first contact.",
     "--by", "owner/manager-klantinzicht"],
    ["governance", "approve", "concept/fcr/change/1", "--by", "owner/lead-cx-office",
     "--role", "steward", "--reason", "Korter"],
    ["token", "create", "--role", "reader", "--name", "dashboard", "--reason", "Het scherm"],
)  # fmt: skip


def cli(*args: str) -> Result:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result


def dump(tmp_path: Path) -> set[str]:
    """Every stored triple, as N-Triples lines."""
    target = tmp_path / f"dump-{len(list(tmp_path.glob('dump-*')))}.nt"
    cli("export", str(target))
    return set(target.read_text(encoding="utf-8").splitlines())


def trail() -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads(cli("audit", "--json", "--limit", "0").stdout)[
        "entries"
    ]
    return entries


def tokens() -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = json.loads(cli("token", "list", "--json").stdout)
    return listed


def test_a_rerun_keeps_history_scenarios_and_tokens(backend: Settings, tmp_path: Path) -> None:
    first = cli("demo", "--no-serve").stdout
    assert "loaded the demo organisation: " in first
    for step in SESSION:
        cli(*step)
    store = open_store(backend)
    try:
        changes = parse_changes([{"op": "retire", "element": "process/kredietcheck"}])
        scenarios.save(store, "Zonder kredietcheck", changes)
    finally:
        store.close()
    before, trail_before = dump(tmp_path), trail()

    again = cli("demo", "--no-serve").stdout
    assert "the demo organisation is in the store already: kept its" in again
    assert "the journeykg glossary is in the store already" in again
    assert (
        "kept: 4 governance step(s), 3 version(s), 1 change proposal(s), 1 saved scenario(s), "
        f"1 active token(s), {len(trail_before)} audit entries" in again
    )
    # Nothing was missing, so nothing was written: the graph and the trail are as they were.
    assert dump(tmp_path) == before
    assert trail() == trail_before
    assert [t["name"] for t in tokens()] == ["dashboard"]
    shown = json.loads(cli("governance", "show", "concept/fcr", "--json").stdout)
    assert shown["text"]["definitions"]["en"] == "Solved at the first contact."


def test_a_rerun_restores_a_demo_element_that_went_and_nothing_else(
    backend: Settings, tmp_path: Path
) -> None:
    cli("demo", "--no-serve")
    journey = backend.base_iri + "journey/verhuizen"
    store = open_store(backend)
    try:
        held = store.describe([store.ids.iri("journey/verhuizen")])
        store.retract([store.ids.iri("journey/verhuizen")])
    finally:
        store.close()
    before = dump(tmp_path)
    again = cli("demo", "--no-serve").stdout
    assert "loaded the demo organisation: " in again
    assert "of the elements the store lacked; kept the other" in again
    after = dump(tmp_path)
    added = after - before
    assert before <= after
    # The journey's own statements come back, with a new load stamp; nothing else changes
    # but the new load run's own provenance.
    restored = {line for line in added if line.startswith(f"<{journey}>")}
    assert len(restored) == len(held)
    assert all(line.startswith((f"<{journey}>", f"<{backend.base_iri}run/")) for line in added)
    [entry] = [e for e in trail() if e["action"] == "cli:demo"][:1]
    assert "journey/verhuizen" in entry["elements"]
    assert entry["removedCount"] == 0


def test_reset_starts_afresh_but_keeps_tokens_and_the_trail(
    backend: Settings, tmp_path: Path
) -> None:
    cli("demo", "--no-serve")
    for step in SESSION:
        cli(*step)
    trail_before = trail()
    reset = cli("demo", "--no-serve", "--reset").stdout
    assert "reset: removed " in reset
    assert "loaded the demo organisation: " in reset
    assert "kept: 0 governance step(s), 0 version(s), 0 change proposal(s)" in reset
    assert "1 active token(s)" in reset
    assert [t["status"] for t in tokens()] == ["active"]
    entries = trail()
    assert entries[-len(trail_before) :] == trail_before  # the trail only grew
    [cleared] = [e for e in entries if e["reason"] and "--reset" in e["reason"]]
    assert cleared["action"] == "cli:demo"
    assert cleared["addedCount"] == 0
    assert "Solved at the first contact." in cleared["removed"]
    shown = json.loads(cli("governance", "show", "concept/fcr", "--json").stdout)
    assert shown["text"]["definitions"]["en"] != "Solved at the first contact."
