"""docs/examples/ is what `make examples` writes today: diagrams and the board pack stay true."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).parents[1]
EXAMPLES = ROOT / "docs" / "examples"


def _write_examples(folder: Path) -> list[Path]:
    spec = importlib.util.spec_from_file_location("examples", ROOT / "tools" / "examples.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written: list[Path] = module.write_examples(folder)
    return written


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return _write_examples(tmp_path_factory.mktemp("examples"))


def test_the_committed_examples_are_todays(fresh: list[Path]) -> None:
    assert sorted(p.name for p in fresh) == sorted(p.name for p in EXAMPLES.iterdir())
    for path in fresh:
        committed = EXAMPLES / path.name
        hint = f"docs/examples/{path.name} is stale: run `make examples`"
        if path.suffix == ".pdf":
            # A PDF carries its creation time: its text is what must not change.
            assert _pdf_text(committed) == _pdf_text(path), hint
        else:
            assert committed.read_bytes() == path.read_bytes(), hint


def test_the_examples_show_what_they_say(fresh: list[Path]) -> None:
    text = _pdf_text(EXAMPLES / "board-pack.pdf")
    assert "What a change to Kredietcheck affects" in text
    assert "scenario/kredietcheck-uitfaseren" in text
    assert "clustered by class and hop" in (EXAMPLES / "impact-crm-clustered.svg").read_text()
    assert (EXAMPLES / "lifecycle.png").read_bytes().startswith(b"\x89PNG")
