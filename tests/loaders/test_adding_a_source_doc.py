"""docs/adding-a-source.md cannot drift: its code is the repository's, its commands run.

Every code block of the page is checked against the file it shows (the module, the
pyproject line, the example recipe and input, a test), and the commands of step 6 are run
through the CLI, on an embedded store, with the output the page shows.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeykg.cli.app import app
from journeykg.loaders.recipe import RecipeError, parse_recipe
from tests.conftest import BASE

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "adding-a-source.md"
EXAMPLE = ROOT / "examples" / "ticket-csv"
#: The files whose code the page quotes.
QUOTED = [
    ROOT / "loaders" / "sources" / "ticket_csv.py",
    ROOT / "loaders" / "sources" / "bpmn.py",
    ROOT / "tests" / "loaders" / "test_ticket_csv_source.py",
]

runner = CliRunner()


def blocks(language: str) -> list[str]:
    """The page's fenced code blocks in ``language``, in order."""
    return re.findall(rf"^```{language}\n(.*?)^```", DOC.read_text(), re.DOTALL | re.MULTILINE)


def prose() -> str:
    """The page's text with its lines joined (an inline message may span two lines)."""
    return " ".join(DOC.read_text().split())


def test_the_recipe_on_the_page_is_the_example_recipe() -> None:
    (recipe,) = blocks("yaml")
    assert recipe == (EXAMPLE / "recipe.yaml").read_text(encoding="utf-8")


def test_the_input_on_the_page_is_the_start_of_the_example_export() -> None:
    (shown,) = blocks("csv")
    export = (EXAMPLE / "tickets.csv").read_text(encoding="utf-8").splitlines()
    assert shown.splitlines() == export[: len(shown.splitlines())]


def test_every_python_block_is_code_of_the_repository() -> None:
    sources = [path.read_text(encoding="utf-8") for path in QUOTED]
    quoted = blocks("python")
    assert len(quoted) == 6
    for block in quoted:
        assert any(block in source for source in sources), f"not in the repository:\n{block}"


def test_the_entry_point_line_is_the_one_in_pyproject() -> None:
    (line,) = blocks("toml")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    section = pyproject.split('[project.entry-points."journeykg.sources"]\n', 1)[1]
    assert line in section.split("\n[", 1)[0]


def test_the_messages_on_the_page_are_the_ones_a_user_gets() -> None:
    with pytest.raises(RecipeError) as unknown:
        parse_recipe("name: a\nkind: zendesk\n")
    (message,) = re.findall(r"`(unknown kind 'zendesk'[^`]*)`", prose())
    assert message in unknown.value.problems[0].message
    recipe = (EXAMPLE / "recipe.yaml").read_text(encoding="utf-8")
    with pytest.raises(RecipeError) as personal:
        parse_recipe(recipe.replace("{field: Klacht", "{field: Subject"))
    (message,) = re.findall(r"`(crm\.complaint\.field names[^`]*)`", prose())
    assert personal.value.problems[0].message == message


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    monkeypatch.chdir(ROOT)  # the page's paths are relative to the repository
    return tmp_path / "kg"


def test_the_commands_on_the_page_sync_the_example_as_shown(store_dir: Path) -> None:
    (commands,) = blocks("sh")
    (shown,) = blocks("console")
    *loads, sync_command = [shlex.split(line) for line in commands.splitlines()]
    for command in loads:
        assert command[:2] == ["journeykg", "load"]
        loaded = runner.invoke(app, [*command[1:], "--store-dir", str(store_dir)])
        assert loaded.exit_code == 0, loaded.output
    assert sync_command[:2] == ["journeykg", "sync"]
    args = [*sync_command[1:], "--store-dir", str(store_dir)]

    first = runner.invoke(app, args)
    assert first.exit_code == 1, first.output  # the refused ticket, as the page says
    for line in shown.splitlines():
        assert line in first.output, f"the page shows {line!r}; the sync printed:\n{first.output}"

    again = runner.invoke(app, [*args, "--json"])
    report = json.loads(again.stdout)
    assert (report["written"], report["unchanged"], report["rejected"]) == (0, 6, 1)
