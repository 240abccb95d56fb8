"""README.md is executable: every command and GraphQL block in it runs on the demo as it says.

The demo store is made once per module by the command ``make demo`` runs
(plus ``--no-serve``), and copied for each test. Then:

- the ``journeykg`` commands of the ```sh blocks and the ``$ journeykg``
  transcripts run in the README's order on one copy (the governance session
  is a sequence), each succeeding unless its comment says it is refused or
  how it exits; a transcript's output lines must appear (``...`` is any
  text); a refused command must leave the graph, the history and the audit
  journal as they were;
- the GraphQL operations run in the README's order on another copy (they are
  the same session asked over GraphQL), through the app, each with a token of
  the least role that may run it, on both backends: no errors, no refusals;
- ``make`` lines name targets that exist.

When the README and the code disagree, fix the README (or the code), not this test.
"""

from __future__ import annotations

import itertools
import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import graphql
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from journeykg.access.roles import GRANTS, Role
from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.api.permissions import ROOT_PERMISSIONS
from journeykg.bootstrap import open_store
from journeykg.cli.app import app as cli
from journeykg.graph.state import TOKENS_FILE
from journeykg.graph.store import Store
from journeykg.services.governance.glossary import concept_key
from journeykg.settings import Settings
from tests import readme_blocks
from tests.readme_blocks import Command, Operation, Transcript
from tests.snapshot import Snapshot, snapshot

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
JOURNEYKG = ("journeykg", ".venv/bin/journeykg")

runner = CliRunner()


def steps() -> list[tuple[Command, Transcript | None]]:
    """The README's journeykg commands and transcripts, in the README's order."""
    found: list[tuple[Command, Transcript | None]] = [
        (c, None) for c in readme_blocks.commands(README) if c.argv[0] in JOURNEYKG
    ]
    found += [(t.command, t) for t in readme_blocks.transcripts(README)]
    return sorted(found, key=lambda step: step[0].line)


def make_lines() -> list[Command]:
    return [c for c in readme_blocks.commands(README) if c.argv[0] == "make"]


def make_dry_run(target: str) -> subprocess.CompletedProcess[str]:
    """What ``make TARGET`` would run (nothing is run; the venv counts as installed)."""
    return subprocess.run(
        ["make", "--dry-run", "--old-file", ".venv/.installed", target],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def demo_command() -> list[str]:
    """The journeykg arguments ``make demo`` runs."""
    recipe = make_dry_run("demo")
    assert recipe.returncode == 0, recipe.stderr
    runs = [shlex.split(line) for line in recipe.stdout.splitlines() if line.strip()]
    demos = [argv[1:] for argv in runs if argv and Path(argv[0]).name == "journeykg"]
    assert len(demos) == 1, f"make demo should run journeykg once: {recipe.stdout}"
    assert demos[0][:1] == ["demo"], demos
    return demos[0]


def embedded_env(monkeypatch: pytest.MonkeyPatch, store_dir: Path) -> None:
    """The command line on the embedded store in ``store_dir``, whatever the test run's backend."""
    monkeypatch.setenv("JOURNEYKG_STORE_DIR", str(store_dir))
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    # The README asks the reader to set a key of their own before `journeykg mine`.
    monkeypatch.setenv("JOURNEYKG_MINING_KEY", "readme-test-key")


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store holding the demo, made by the command ``make demo`` runs."""
    where = tmp_path_factory.mktemp("readme-demo")
    with pytest.MonkeyPatch.context() as env:
        embedded_env(env, where / "kg")
        env.setenv("JOURNEYKG_STATE_DIR", str(where / "state"))
        made = runner.invoke(cli, [*demo_command(), "--no-serve"])
    assert made.exit_code == 0, made.output
    return where / "kg"


@pytest.fixture
def demo_copy(demo_dir: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo store, its own to change."""
    copy = tmp_path / "kg"
    shutil.copytree(demo_dir, copy)
    return copy


# --- the README holds what this test runs -----------------------------------------------


def test_the_readme_has_commands_transcripts_and_graphql() -> None:
    commands = readme_blocks.commands(README)
    assert [c for c in commands if c.argv[0] not in (*JOURNEYKG, "make")] == [], (
        "the README runs a command this test does not know how to run"
    )
    assert len(steps()) >= 15
    assert any(t.output for _, t in steps() if t), "the error transcript is gone"
    assert len(readme_blocks.operations(README)) >= 8
    assert {"demo", "test"} <= {c.argv[1] for c in make_lines()}


def test_the_parser_reads_comments_continuations_and_transcripts() -> None:
    text = (
        "```sh\n"
        'journeykg a "x # not a comment" \\\n'
        "    --b c   # refused (BAD_REQUEST): why\n"
        "# a line of its own\n"
        "journeykg d  # says none (exits 1)\n"
        "```\n\n```\n$ journeykg e\nerror: x ... y\n```\n"
    )
    first, second = readme_blocks.commands(text)
    assert first.argv == ("journeykg", "a", "x # not a comment", "--b", "c")
    assert (first.line, first.refused_with, first.exit_code) == (2, "BAD_REQUEST", 1)
    assert (second.argv, second.exit_code, second.refused_with) == (("journeykg", "d"), 1, None)
    (transcript,) = readme_blocks.transcripts(text)
    assert transcript.command.argv == ("journeykg", "e")
    assert transcript.missing_from("error: x and then y\n") == []
    assert transcript.missing_from("error: x and then z\n") == ["error: x ... y"]


# --- make --------------------------------------------------------------------------------


@pytest.mark.parametrize("line", make_lines(), ids=str)
def test_each_make_line_names_a_target_that_exists(line: Command) -> None:
    for target in line.argv[1:]:
        dry = make_dry_run(target)
        assert dry.returncode == 0, f"{line}: {dry.stderr}"


def test_make_demo_runs_the_command_this_test_makes_the_demo_with() -> None:
    # demo_dir runs demo_command() plus --no-serve: loading is the same, only serving is not.
    assert demo_command() == ["demo"]


# --- the command line ------------------------------------------------------------------------


def state_of(argv: tuple[str, ...]) -> Snapshot:
    """The store the command line uses now: graph, history of what ``argv`` names, journal."""
    named = [concept_key(argv[3])] if argv[1:2] == ("governance",) and len(argv) > 3 else []
    with open_store(Settings()) as store:
        return snapshot(store, named)


def run_step(command: Command, transcript: Transcript | None) -> Result:
    shown = transcript.output[:1] if transcript else ()
    refused = bool(command.refused_with) or any(line.startswith("error:") for line in shown)
    before = state_of(command.argv) if refused else None
    result = runner.invoke(cli, list(command.argv[1:]))
    if transcript is None:
        assert result.exit_code == command.exit_code, f"{command}\n{result.output}"
    else:
        assert result.exit_code != 0 if refused else result.exit_code == 0, result.output
        missing = transcript.missing_from(result.output)
        assert missing == [], (
            f"{command}: the README shows lines it does not print\n{result.output}"
        )
    if command.refused_with:
        assert f"refused ({command.refused_with})" in result.output, f"{command}\n{result.output}"
    if before is not None:
        assert state_of(command.argv) == before, f"{command} was refused but changed the store"
    return result


def test_every_command_runs_on_the_demo_as_the_readme_says(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    embedded_env(monkeypatch, demo_copy)
    monkeypatch.chdir(ROOT)  # the README's paths are the repository's
    for command, transcript in steps():
        run_step(command, transcript)

    # What the comments of the governance session promise.
    change = next(c for c, _ in steps() if c.argv[1:3] == ("governance", "propose-change"))
    assert "the English definition stays as approved" in change.comment
    proposed = next(c for c, _ in steps() if c.argv[1:3] == ("governance", "propose"))
    definitions = [v for k, v in itertools.pairwise(proposed.argv) if k == "--definition"]
    english = next(d for d in definitions if d.startswith("en="))
    shown = runner.invoke(cli, ["governance", "show", concept_key(change.argv[3]), "--json"])
    assert json.loads(shown.output)["text"]["definitions"]["en"] == english.removeprefix("en=")

    diff = next(c for c, _ in steps() if "--diff" in c.argv)
    assert "only definition @nl" in diff.comment
    told = runner.invoke(cli, [*diff.argv[1:], "--json"])
    assert [(c["field"], c["language"]) for c in json.loads(told.output)] == [("definition", "nl")]


def test_impact_json_is_the_answer_of_the_query_the_readme_names(
    demo_copy: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    embedded_env(monkeypatch, demo_copy)
    (command,) = [c for c, _ in steps() if c.argv[1] == "impact" and "--json" in c.argv]
    named = re.search(r"the GraphQL answer of (\S+\.graphql)", command.comment)
    assert named, command.comment
    told = runner.invoke(cli, list(command.argv[1:]))
    assert told.exit_code == 0, told.output

    settings = Settings(state_dir=tmp_path / "api-state")
    tokens = TokenStore(tmp_path / "api-state" / TOKENS_FILE)
    reader = tokens.create("readme-reader", Role.READER, timedelta(hours=1)).token
    with (
        open_store(Settings()) as store,
        TestClient(create_app(store, settings=settings, tokens=tokens)) as app,
    ):
        asked = app.post(
            "/graphql",
            json={"query": (ROOT / named[1]).read_text(), "variables": {"of": command.argv[2]}},
            headers={"Authorization": f"Bearer {reader}"},
        ).json()
    assert json.loads(told.output) == asked["data"]["impact"]


# --- GraphQL -----------------------------------------------------------------------------


def least_role(operation: Operation) -> Role:
    """The first role (in the table's order) that may run every root field of ``operation``."""
    kind = "Mutation" if operation.mutation else "Query"
    needed = {ROOT_PERMISSIONS[kind][field] for field in operation.root_fields}
    return next(role for role in Role if needed <= GRANTS[role])


def with_typename(document: str) -> str:
    """``document`` with each root field also asked its result type (as ``readmeType``)."""
    (operation,) = graphql.parse(document).definitions
    assert isinstance(operation, graphql.OperationDefinitionNode)
    asked = graphql.FieldNode(
        alias=graphql.NameNode(value="readmeType"),
        name=graphql.NameNode(value="__typename"),
        arguments=(),
        directives=(),
    )
    fields = [
        replace(
            f,
            selection_set=replace(f.selection_set, selections=(*f.selection_set.selections, asked)),
        )
        if isinstance(f, graphql.FieldNode) and f.selection_set is not None
        else f
        for f in operation.selection_set.selections
    ]
    selections = replace(operation.selection_set, selections=tuple(fields))
    return graphql.print_ast(replace(operation, selection_set=selections))


@pytest.fixture
def readme_store(
    request: pytest.FixtureRequest, demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Store]:
    """The demo on the backend of the test's parameter."""
    if request.param == "embedded":
        embedded_env(monkeypatch, demo_copy)
        with open_store(Settings()) as store:
            yield store
        return
    # The embedded demo's triples, written as they are: loading the demo file into Neo4j
    # again (gate, provenance) would take several times as long for the same graph.
    neo4j: Store = request.getfixturevalue("neo4j_store")  # before the environment loses its URI
    embedded_env(monkeypatch, demo_copy)
    with open_store(Settings(), audited=False) as demo:
        graph = demo.export()
    assert neo4j.ids.base_iri == Settings().base_iri
    neo4j.upsert(graph)
    yield neo4j


def ask(client: TestClient, tokens: dict[Role, str], operation: Operation) -> dict[str, Any]:
    role = least_role(operation)
    response = client.post(
        "/graphql",
        json={"query": with_typename(operation.document)},
        headers={"Authorization": f"Bearer {tokens[role]}"},
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("readme_store", ["embedded", "neo4j"], indirect=True)
def test_every_graphql_operation_answers_on_the_demo(readme_store: Store, tmp_path: Path) -> None:
    settings = Settings(state_dir=tmp_path / "api-state")
    token_store = TokenStore(tmp_path / "api-state" / TOKENS_FILE)
    tokens = {r: token_store.create(f"readme-{r}", r, timedelta(hours=1)).token for r in Role}
    with TestClient(create_app(readme_store, settings=settings, tokens=token_store)) as client:
        for operation in readme_blocks.operations(README):
            where = f"README.md:{operation.line}"
            body = ask(client, tokens, operation)
            assert "errors" not in body, (where, body["errors"])
            for field in operation.root_fields:
                answer = body["data"][field]
                assert answer is not None, (where, field)
                if operation.mutation:
                    assert not answer["readmeType"].endswith("Refusal"), (where, answer)
