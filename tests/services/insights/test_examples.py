"""examples/complaint-spike/ and examples/nps-survey/ (the README's closed loop) are what
tests/services/insights/exports.py generates: regenerate them from there, never by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.services.insights.exports import write_survey, write_tickets

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


@pytest.mark.parametrize(
    ("folder", "write"), [("complaint-spike", write_tickets), ("nps-survey", write_survey)]
)
def test_the_examples_are_the_generated_exports(folder: str, write: object, tmp_path: Path) -> None:
    assert callable(write)
    write(tmp_path)
    for made in sorted(tmp_path.iterdir()):
        assert (EXAMPLES / folder / made.name).read_bytes() == made.read_bytes(), made.name
