"""bench/restore_parse.py runs and both parsers read the same file whole."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import restore_parse


def test_both_parsers_read_every_triple(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    restore_parse.main(["--nodes", "300", "--work", str(tmp_path), "--rounds", "1"])
    *rounds, summary = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["parser"] for r in rounds] == ["rdflib (before)", "read_large_rdf (now)"]
    assert rounds[0]["triples"] == rounds[1]["triples"] > 300
    assert summary["ratio"] > 0
