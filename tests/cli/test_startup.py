"""The command line starts without its heavy libraries: a command imports what it runs.

Not timed (bench/cli_startup.py times it): each case runs in a fresh
interpreter with ``-X importtime``, which names every module imported, and
fails if one of the libraries below is among them.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from journeykg.cli import glossary as cli_glossary
from journeykg.cli import governance as cli_governance
from journeykg.loaders.skos_glossary import IMPORT_STATUSES
from journeykg.services.governance.glossary import GLOSSARY_SCHEME

#: What costs a command's start the most and is needed only by some commands.
HEAVY = frozenset(
    {
        "rdflib",
        "pyshacl",
        "oxrdflib",
        "pyoxigraph",
        "strawberry",
        "fastapi",
        "uvicorn",
        "neo4j",
        "owlready2",
        "pydantic_settings",
    }
)


def imported(*python_args: str) -> set[str]:
    """The top-level packages a fresh interpreter imports to run ``python_args``."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *python_args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    packages = {name.split(".")[0] for name in modules}
    assert "typer" in packages  # the listing is read at all
    return packages


def test_importing_the_command_line_imports_no_heavy_library() -> None:
    assert imported("-c", "import journeykg.cli.app") & HEAVY == set()


@pytest.mark.parametrize(
    "command",
    [
        ["--help"],
        ["impact", "--help"],
        ["governance", "--help"],
        ["glossary", "import", "--help"],
        ["token", "--help"],
        ["sync", "--help"],
    ],
)
def test_help_imports_no_heavy_library(command: list[str]) -> None:
    assert imported("-m", "journeykg", *command) & HEAVY == set()


def test_the_defaults_written_out_for_help_are_the_services() -> None:
    assert cli_governance.GLOSSARY_SCHEME == GLOSSARY_SCHEME
    assert tuple(IMPORT_STATUSES) == cli_glossary.IMPORT_STATUSES
