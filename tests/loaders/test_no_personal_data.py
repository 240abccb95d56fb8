"""No personal data anywhere a sync writes, for every registered source kind, on both backends.

Each kind syncs an input laden with one person (tests/loaders/pii_inputs.py) as a user
runs it: ``journeykg sync`` with a quarantine file, as text and as ``--json``, for real,
dry and strict, with every logger at DEBUG. Then every output is scanned for every
planted value: the standard output and error of each run, the quarantine files, the
captured log records, the whole graph (``journeykg export``) and the audit journal
(``journeykg audit --json``).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeykg.cli.app import app
from journeykg.loaders.source_kinds import kind_names
from journeykg.resources import DEMO_DATASET
from tests.conftest import BACKENDS, BASE
from tests.loaders.pii_inputs import WRITERS, leaks

runner = CliRunner()

#: The runs of each input: lenient as text and as JSON, a dry run, a strict run.
RUNS = [[], ["--json"], ["--dry-run", "--json"], ["--strict", "--json"]]


def test_every_registered_kind_has_a_pii_laden_input() -> None:
    assert sorted(WRITERS) == kind_names()


def test_the_demo_holds_none_of_the_planted_values() -> None:
    # Else the scan of the graph would blame the sync for what the demo says.
    assert leaks({"the demo": DEMO_DATASET.read_text(encoding="utf-8")}) == []


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_no_planted_value_reaches_any_output(
    kind: str,
    backend: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> None:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.setenv("JOURNEYKG_BACKEND", backend)
    if backend == "embedded":
        monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
        where = ["--store-dir", str(tmp_path / "store")]
    else:
        request.getfixturevalue("neo4j_store")  # an emptied server
        where = []
    loaded = runner.invoke(app, ["load", str(DEMO_DATASET), *where])
    assert loaded.exit_code == 0, loaded.output
    recipe = WRITERS[kind](tmp_path / "input")
    caplog.set_level(logging.DEBUG)
    outputs: dict[str, str] = {}
    reports = []
    for number, flags in enumerate(RUNS):
        quarantine = tmp_path / f"quarantine-{number}.jsonl"
        result = runner.invoke(
            app, ["sync", str(recipe), "--quarantine", str(quarantine), *flags, *where]
        )
        assert result.exit_code in (0, 1, 2), result.output
        name = " ".join(["sync", *flags])
        outputs[f"{name}: stdout"] = result.stdout
        outputs[f"{name}: stderr"] = result.stderr
        if quarantine.exists():
            outputs[f"{name}: quarantine"] = quarantine.read_text(encoding="utf-8")
        if "--json" in flags:
            reports.append(json.loads(result.stdout))
    export = tmp_path / "graph.nt"
    exported = runner.invoke(app, ["export", str(export), *where])
    assert exported.exit_code == 0, exported.output
    outputs["the graph"] = export.read_text(encoding="utf-8")
    audit = runner.invoke(app, ["audit", "--json", "--limit", "0", *where])
    assert audit.exit_code == 0, audit.output
    outputs["the audit journal"] = audit.stdout
    outputs["the logs"] = "\n".join(
        f"{r.name} {r.levelname} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
    )
    assert leaks(outputs) == []
    # The input reached every part of the run: records written, some refused or unmapped.
    lenient = reports[0]
    assert lenient["written"] + lenient["unchanged"] > 0, lenient
    if kind != "bpmn":  # the BPMN reader reads processes and lanes only: nothing to refuse
        assert lenient["rejected"] + sum(lenient["unmapped"].values()) > 0, lenient
