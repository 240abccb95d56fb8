"""An id that cannot be an IRI is a usage error (exit 2) in every command, naming the parameter."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from journeykg.cli.app import app
from tests.conftest import BASE

runner = CliRunner()

STEWARD = ["--role", "steward"]
#: (arguments, the parameter the error names).
CASES = [
    (["impact", "a b"], "'element'"),
    (["priorities", "--stage", "a<b"], "'--stage'"),
    (["governance", "show", "a b"], "'concept'"),
    (["governance", "history", "a\tb"], "'concept'"),
    (["governance", "submit", "a b", "--by", "owner/k"], "'concept'"),
    (["governance", "approve", "a b", "--by", "owner/s", "--reason", "r", *STEWARD], "'item'"),
    (["governance", "reject", "concept/x", "--by", "a b", "--reason", "r", *STEWARD], "'--by'"),
    (
        [
            "governance",
            "deprecate",
            "concept/x",
            "--by",
            "owner/s",
            "--reason",
            "r",
            "--replacement",
            "a b",
            *STEWARD,
        ],
        "'--replacement'",
    ),
    (
        [
            "governance",
            "propose",
            "concept/n",
            "--by",
            "owner/k",
            "--label",
            "nl=Nieuw",
            "--explains",
            "jkg:FCR",
            "--explains",
            "a b",
        ],
        "'--explains'",
    ),
    (["governance", "delete", "", *STEWARD], "'concept'"),
]


@pytest.fixture(autouse=True)
def embedded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    monkeypatch.setenv("JOURNEYKG_STORE_DIR", str(tmp_path / "kg"))


@pytest.mark.parametrize(("arguments", "parameter"), CASES, ids=[" ".join(c[0][:2]) for c in CASES])
def test_an_id_that_cannot_be_an_iri_is_a_usage_error(arguments: list[str], parameter: str) -> None:
    result = runner.invoke(app, arguments, env={"COLUMNS": "300"})
    assert result.exit_code == 2, result.output
    assert f"Invalid value for {parameter}" in result.output
    assert "is not a valid id" in result.output
    assert "no spaces, control characters" in result.output
