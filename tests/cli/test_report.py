"""``journeykg report``: one HTML and one PDF board pack, whose text agrees with the API.

On each backend: the demo, one concept decided through the governance
workflow and a change to it left open, two saved scenarios; the PDF is read
back with pypdf and must hold the stage names, a journey's contacts as
GraphQL's ``priorities`` gives them, the decision's id, the open proposal and
the two scenarios.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from journeykg import bootstrap
from journeykg.cli.app import app
from journeykg.cli.ask import ask_graphql
from journeykg.graph.audit_context import audit_context
from journeykg.graph.lifecycle import lifecycle_picture
from journeykg.graph.scenario import parse_changes
from journeykg.resources import DEMO_DATASET
from journeykg.services.governance.history import decisions
from journeykg.services.scenarios import save
from journeykg.settings import Settings

runner = CliRunner()

GOVERNANCE = [
    [
        "governance", "propose", "herhaalcontact", "--label", "nl=Herhaalcontact",
        "--label", "en=Repeat contact", "--definition", "en=A contact about the same question.",
        "--broader", "concept/fcr", "--by", "owner/manager-klantinzicht",
    ],
    [
        "governance", "approve", "concept/herhaalcontact", "--by", "owner/lead-cx-office",
        "--role", "steward", "--reason", "Vastgesteld in de CX-board",
    ],
    [
        "governance", "propose-change", "herhaalcontact",
        "--definition", "en=A contact about the same question within 7 days.",
        "--by", "owner/manager-klantinzicht",
    ],
]  # fmt: skip


def _run(args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output


@pytest.fixture
def board(backend: Settings) -> Settings:
    """The demo with a decision, an open change proposal and two saved scenarios."""
    _run(["load", str(DEMO_DATASET)])
    for args in GOVERNANCE:
        _run(args)
    with (
        bootstrap.open_store(backend) as store,
        audit_context(actor="test", role=None, action="test:scenarios"),
    ):
        save(
            store,
            "Kredietcheck uitfaseren",
            parse_changes([{"op": "retire", "element": "process/kredietcheck"}]),
        )
        save(
            store,
            "Betalingsregeling naar debiteurenbeheer",
            parse_changes(
                [
                    {
                        "op": "moveTouchpoints",
                        "fromProcess": "process/betalingsregeling",
                        "toProcess": "process/debiteurenbeheer",
                    }
                ]
            ),
        )
    return backend


def _text(pdf: Path) -> str:
    return " ".join(" ".join(p.extract_text() or "" for p in PdfReader(pdf).pages).split())


def test_the_pdf_says_what_the_api_says(board: Settings, tmp_path: Path) -> None:
    out = tmp_path / "pack"
    result = runner.invoke(
        app,
        [
            "report", "--lang", "en", "--impact", "process/kredietcheck",
            "--scenario", "scenario/kredietcheck-uitfaseren",
            "--scenario", "scenario/betalingsregeling-naar-debiteurenbeheer",
            "--out", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = _text(out / "board-pack.pdf")
    html = (out / "board-pack.html").read_text(encoding="utf-8")

    with bootstrap.open_store(board) as store:
        stages = [c.stage.label("en") for c in lifecycle_picture(store).stages]
        decided = decisions(store)
        ranked = ask_graphql(
            store,
            "{ priorities(first: 3) { edges { node { journey { id label } contacts } } } }",
            {},
        )["priorities"]["edges"]
    assert len(stages) >= 5
    for stage in stages:
        assert stage in text
    top = ranked[0]["node"]
    assert f"{top['journey']['label']} ({top['journey']['id']}) {top['contacts']:,}" in text
    assert len(decided) == 1
    assert decided[0].id in text
    assert "concept/herhaalcontact/change/1" in text  # the open proposal
    assert "What a change to Kredietcheck affects" in text
    assert "scenario/kredietcheck-uitfaseren" in text
    assert "scenario/betalingsregeling-naar-debiteurenbeheer" in text
    # The HTML is one self-contained file: nothing it would fetch, nothing it would run.
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|\bhref=|url\(", html)
    assert html.count("<svg") == 2


def test_dutch_by_default_and_sections_say_what_was_not_chosen(
    board: Settings, tmp_path: Path
) -> None:
    _run(["report", "--out", str(tmp_path)])
    text = _text(tmp_path / "board-pack.pdf")
    assert "Bestuurspakket" in text
    assert "Geen element gekozen" in text
    assert "Geen scenario's gekozen" in text


#: Each refused with exit code 2, naming what was wrong.
REFUSALS = [
    (["--impact", "nope/x"], "unknown element 'nope/x'"),
    (["--scenario", "scenario/x"], "give two scenarios"),
    (["--scenario", "scenario/x", "--scenario", "scenario/y"], "scenario/x"),
    (["--lang", "fr"], "'fr' is not one of nl, en"),
]


def test_a_refused_pack_writes_nothing(board: Settings, tmp_path: Path) -> None:
    # One board for every refusal: a refusal writes nothing, so none sees another's
    # pack (a board takes 2-4 s to build).
    for number, (args, said) in enumerate(REFUSALS):
        out = tmp_path / f"pack-{number}"
        result = runner.invoke(app, ["report", *args, "--out", str(out)])
        assert result.exit_code == 2, (args, result.output)
        assert said in " ".join(result.output.split()), (args, result.output)
        assert not out.exists(), args
