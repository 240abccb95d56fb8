"""ARCHITECTURE.md stays true: the paths it names exist and its layers are the enforced ones."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "ARCHITECTURE.md").read_text()

#: Named in the document as where future work goes, before it exists.
NOT_YET: set[str] = set()


def test_every_path_the_document_names_exists() -> None:
    named = set(re.findall(r"`((?:[\w.-]+/)+[\w.<>-]*)`", DOC))
    paths = {p for p in named if "<" not in p and p not in NOT_YET}
    assert paths, "the document names no paths: the pattern is wrong"
    assert sorted(p for p in paths if not (ROOT / p).exists()) == []


def test_every_enforced_layer_is_in_the_document() -> None:
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = [c for c in contracts["contracts"] if c["type"] == "layers"]
    assert layers
    modules = {
        name.strip().removeprefix("journeykg.")
        for layer in layers[0]["layers"]
        for name in re.split(r"[|:]", layer)
    }
    missing = sorted(m for m in modules if m != "__main__" and m not in DOC)
    assert missing == []
