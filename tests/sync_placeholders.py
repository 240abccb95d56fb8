"""Test-only stand-ins for the recipe and source modules of the sources half of issue 4.

``journeykg.loaders.recipe.load_recipe`` and ``journeykg.loaders.sources.open_source``
are written on another branch. Until it is merged, the CLI and REST tests
install these in ``sys.modules`` (and take them out again); they are never
shipped. The source they open is real: it maps a JSON payload of aggregated
contact counts to ContactVolume records.
"""

from __future__ import annotations

import json
import sys
import threading
import types
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import pytest

from journeykg.graph.ids import Identifiers
from journeykg.loaders.errors import ParseError, Problem
from journeykg.loaders.source import SourceBatch
from tests.loaders.sync_sources import volume

#: When set, a source waits for it before it reads (to hold a sync open).
HOLD: dict[str, threading.Event] = {}
#: Set by a source once it has started reading.
STARTED: dict[str, threading.Event] = {}


@dataclass
class PlaceholderRecipe:
    name: str
    kind: str
    mode: Literal["full", "incremental"] = "full"
    retire_max_share: float = 0.05
    file: str | None = None


def load_recipe(path: Path) -> PlaceholderRecipe:
    return PlaceholderRecipe(**json.loads(path.read_text()))  # JSON is YAML


@dataclass
class JsonVolumes:
    """Rows ``{"id", "contacts", "reason"?}`` as ContactVolume records, one batch."""

    name: str
    raw: bytes
    incremental: bool = False

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        STARTED.setdefault(self.name, threading.Event()).set()
        if self.name in HOLD:
            HOLD[self.name].wait(30)
        try:
            rows: list[dict[str, Any]] = json.loads(self.raw)
        except json.JSONDecodeError as exc:
            raise ParseError(
                "the payload is not JSON", [Problem("payload", "JSON syntax", exc.msg)]
            ) from exc
        batch = SourceBatch(read=len(rows))
        for number, row in enumerate(rows):
            if "contacts" not in row:
                batch.rejected.append(
                    Problem(f"payload#[{number}]", "contacts given", "a row without contacts")
                )
                continue
            batch.records.append(
                volume(self.name, row["id"], row["contacts"], reason=row.get("reason", "reason/r"))
            )
        yield batch


def open_source(
    recipe: PlaceholderRecipe,
    ids: Identifiers,
    *,
    payload: bytes | None = None,
    recipe_dir: Path | None = None,
) -> JsonVolumes:
    if payload is None:
        assert recipe_dir is not None
        assert recipe.file is not None
        payload = (recipe_dir / recipe.file).read_bytes()
    return JsonVolumes(recipe.name, payload)


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put the stand-ins where the engine looks for the real modules."""
    recipe = types.ModuleType("journeykg.loaders.recipe")
    recipe.load_recipe = load_recipe  # type: ignore[attr-defined]
    sources = types.ModuleType("journeykg.loaders.sources")
    sources.open_source = open_source  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "journeykg.loaders.recipe", recipe)
    monkeypatch.setitem(sys.modules, "journeykg.loaders.sources", sources)


def write_recipe(directory: Path, name: str, rows: list[dict[str, Any]]) -> Path:
    """A recipe (and its data file) in ``directory``; returns the recipe's path."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.json").write_text(json.dumps(rows))
    path = directory / f"{name}.yaml"
    path.write_text(json.dumps({"name": name, "kind": "json-volumes", "file": f"{name}.json"}))
    return path
