"""bench/load_critical_path.py runs, and its gate reports the synthetic organisation's problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import load_critical_path
from bench.synthetic import BASE, organisation_file
from journeykg.ids import Identifiers
from journeykg.loaders.rdf_fast_read import read_large_rdf
from journeykg.validation.compiled_gate import check_compiled


def test_the_chain_is_the_parse_and_the_gate_of_the_whole_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    load_critical_path.main(["--nodes", "300", "--work", str(tmp_path), "--no-rudof"])
    (figures,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    path = organisation_file(300, tmp_path)
    parsed = read_large_rdf(path, "nt")
    assert figures["triples"] == len(parsed) > 300
    gate = check_compiled(parsed, None, str(path), Identifiers(BASE))
    assert figures["gate_problems"] == len(gate.problems) > 0
    assert figures["critical_path_s"] == round(figures["parse_s"][0] + figures["gate_s"][0], 1)
    assert "rudof_core_shapes_s" not in figures
