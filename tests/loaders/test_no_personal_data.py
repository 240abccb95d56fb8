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


# --- journey mining: event logs whose identifiers are personal data -----------------------


def _mining_inputs(folder: Path) -> dict[str, Path]:
    """The demo's Verhuizen recipe over logs whose customers and cases are named by the
    planted person's name, e-mail, phone and IBAN: one good log per format the demo uses,
    and bad ones (a planted value as a channel, as a time, events out of order)."""
    from dataclasses import replace

    from journeykg.loaders.event_logs.recipe import load_mining_recipe
    from journeykg.loaders.event_logs.synthetic import DesignedStep, Injection, generate
    from journeykg.loaders.event_logs.writers import (
        LogRow,
        write_csv,
        write_ocel_json,
        write_xes,
    )
    from tests.loaders.pii_inputs import EMAIL, IBAN, MOBILE, NAME, PHONE

    demo = DEMO_DATASET.parent / "mining" / "verhuizen.yaml"
    recipe = load_mining_recipe(demo)
    design = [DesignedStep(a, m.step, "app") for a, m in recipe.activities.items()]
    people = [EMAIL, NAME, PHONE, MOBILE, IBAN] + [f"{NAME} {n}" for n in range(40)]
    rows, _ = generate(design, 300, Injection(), seed=4, customer_ids=people)
    rows = [replace(r, case=f"{r.case} {EMAIL}") for r in rows]
    text = demo.read_text(encoding="utf-8")
    folder.mkdir(parents=True)
    inputs: dict[str, Path] = {}

    def add(name: str, log_rows: list[LogRow], fmt: str, writer: object, suffix: str) -> None:
        log = folder / f"{name}.{suffix}"
        writer(log_rows, log)  # type: ignore[operator]
        extra = (
            "fields: {case: case_id, customer: customer_id, activity: activity,"
            " time: timestamp, channel: channel, reason: contact_reason}\n"
            if fmt == "csv"
            else ""
        )
        body = text.replace(
            "input: {file: verhuizen.jsonocel, format: ocel-json}",
            f"input: {{file: {log.name}, format: {fmt}}}\n{extra}",
        )
        if fmt == "xes":
            body = body.replace("case: case\n", "")
        inputs[name] = folder / f"{name}.yaml"
        inputs[name].write_text(body, encoding="utf-8")

    add("ocel", rows, "ocel-json", write_ocel_json, "jsonocel")
    add("xes", rows, "xes", write_xes, "xes")
    add("csv", rows, "csv", write_csv, "csv")
    add("bad-channel", [replace(rows[0], channel=EMAIL), *rows[1:]], "csv", write_csv, "csv")
    add(
        "bad-time",
        [rows[0], replace(rows[1], time=f"{NAME} belde"), *rows[2:]],
        "csv",
        write_csv,
        "csv",
    )
    later = next(i for i, r in enumerate(rows) if r.case == rows[0].case and i > 0)
    add(
        "bad-order",
        [
            rows[0],
            *rows[1:later],
            replace(rows[later], time="2020-01-01T00:00:00Z"),
            *rows[later + 1 :],
        ],
        "csv",
        write_csv,
        "csv",
    )
    return inputs


@pytest.mark.parametrize("backend", BACKENDS)
def test_no_identifier_of_an_event_log_reaches_any_output_of_mining(
    backend: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    request: pytest.FixtureRequest,
) -> None:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.setenv("JOURNEYKG_BACKEND", backend)
    monkeypatch.setenv("JOURNEYKG_MINING_KEY", "a-secret-of-the-test")
    if backend == "embedded":
        monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
        where = ["--store-dir", str(tmp_path / "store")]
    else:
        request.getfixturevalue("neo4j_store")
        where = []
    assert runner.invoke(app, ["load", str(DEMO_DATASET), *where]).exit_code == 0
    inputs = _mining_inputs(tmp_path / "logs")
    caplog.set_level(logging.DEBUG)
    outputs: dict[str, str] = {}
    codes = {}
    for name, recipe in inputs.items():
        for flags in ([], ["--json"], ["--dry-run", "--json"]):
            result = runner.invoke(app, ["mine", str(recipe), *flags, *where])
            codes[(name, *flags)] = result.exit_code
            label = " ".join(["mine", name, *flags])
            outputs[f"{label}: stdout"] = result.stdout
            outputs[f"{label}: stderr"] = result.stderr
    export = tmp_path / "graph.nt"
    assert runner.invoke(app, ["export", str(export), *where]).exit_code == 0
    outputs["the graph"] = export.read_text(encoding="utf-8")
    audit = runner.invoke(app, ["audit", "--json", "--limit", "0", *where])
    outputs["the audit journal"] = audit.stdout
    outputs["the logs"] = "\n".join(
        f"{r.name} {r.levelname} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records
    )
    assert leaks(outputs) == []
    # The inputs reached every part: the good logs were mined and written, the bad refused.
    assert {k: v for k, v in codes.items() if k[0] in ("ocel", "xes", "csv")} == dict.fromkeys(
        [k for k in codes if k[0] in ("ocel", "xes", "csv")], 0
    )
    assert all(v == 1 for k, v in codes.items() if k[0].startswith("bad-"))
    assert "MiningMeasurement" in outputs["the graph"]
    assert "event log" in outputs["mine bad-order: stderr"]
