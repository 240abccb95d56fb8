"""Placeholder: this source is being written."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from journeykg.graph.ids import Identifiers
from journeykg.loaders.recipe import Recipe
from journeykg.loaders.source import SourceBatch
from journeykg.loaders.sources._common import SourceError


class SurveySource:
    """Not yet implemented."""

    incremental = False

    def __init__(
        self,
        recipe: Recipe,
        ids: Identifiers,
        *,
        payload: bytes | None = None,
        recipe_dir: Path | None = None,
    ) -> None:
        self.name = recipe.name

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        """Not yet implemented."""
        raise SourceError(f"source kind of {self.name} is not implemented yet", [])
