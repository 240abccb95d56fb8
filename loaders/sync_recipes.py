"""From a recipe to a source, for the CLI and the REST endpoint.

The recipe format and the sources are the sources half of issue 4
(:mod:`journeykg.loaders.recipe`, :mod:`journeykg.loaders.sources`). The
engine needs exactly two calls from them, made here and nowhere else:

- ``load_recipe(path) -> Recipe`` (``name``, ``kind``, ``mode``, ``retire_max_share``)
- ``open_source(recipe, ids, payload=..., recipe_dir=...) -> Source``
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any, Literal, Protocol, cast

from journeykg.graph.ids import Identifiers
from journeykg.loaders.errors import LoadError, Problem
from journeykg.loaders.source import Source
from journeykg.loaders.sync import SyncOptions


class Recipe(Protocol):
    """What the engine reads from a recipe."""

    name: str
    kind: str
    mode: Literal["full", "incremental"]
    retire_max_share: float


class RecipeError(LoadError):
    """A recipe cannot be found, read or used."""


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        raise RecipeError(
            f"sync recipes need {name}, which this installation lacks",
            [Problem(name, "sources installed", "install journeykg with its sync sources")],
        ) from exc


def load_recipe(path: Path) -> Recipe:
    """The recipe in ``path`` (YAML), checked by the sources' own model."""
    try:
        return cast(Recipe, _module("journeykg.loaders.recipe").load_recipe(path))
    except (OSError, ValueError) as exc:  # pydantic's ValidationError is a ValueError
        raise RecipeError(
            f"{path} is not a usable recipe", [Problem(str(path), "recipe", str(exc))]
        ) from exc


def open_source(
    recipe: Recipe, ids: Identifiers, *, payload: bytes | None = None, recipe_dir: Path | None
) -> Source:
    """The source a recipe describes, reading ``payload`` (REST) or the recipe's files (CLI)."""
    module = _module("journeykg.loaders.sources")
    return cast(Source, module.open_source(recipe, ids, payload=payload, recipe_dir=recipe_dir))


def find_recipe(recipes_dir: Path, source: str) -> tuple[Recipe, Path]:
    """The recipe whose ``name`` is ``source`` among ``recipes_dir``/*.yaml (or *.yml)."""
    paths = sorted([*recipes_dir.glob("*.yaml"), *recipes_dir.glob("*.yml")])
    for path in paths:
        recipe = load_recipe(path)
        if recipe.name == source:
            return recipe, path
    raise UnknownSourceError(source, recipes_dir)


class UnknownSourceError(LookupError):
    """No recipe in the recipes directory has this name."""

    def __init__(self, source: str, recipes_dir: Path) -> None:
        self.source = source
        super().__init__(
            f"no recipe named {source!r} in {recipes_dir} (JOURNEYKG_RECIPES_DIR); "
            "a recipe's `name` is the source name"
        )


def options_for(
    recipe: Recipe,
    *,
    dry_run: bool = False,
    strict: bool = False,
    force: bool = False,
    quarantine: Path | None = None,
) -> SyncOptions:
    """The engine's options for a recipe and the flags of one run."""
    return SyncOptions(
        mode=recipe.mode,
        dry_run=dry_run,
        strict=strict,
        force=force,
        retire_max_share=recipe.retire_max_share,
        quarantine=quarantine,
    )
