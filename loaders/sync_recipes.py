"""From a recipe to a source, for the CLI and the REST endpoint.

The recipe format and the sources are the sources half of issue 4
(:mod:`journeykg.loaders.recipe`, :mod:`journeykg.loaders.sources`). The
engine needs exactly two calls from them, re-exported here for the CLI and
the REST endpoint:

- ``load_recipe(path) -> Recipe`` (the engine reads ``name``, ``kind``, ``mode``,
  ``retire_max_share``); a recipe that cannot be read or used raises
  :class:`RecipeError`, a :class:`~journeykg.loaders.errors.LoadError` naming the
  file, the key path, the line and the rule;
- ``open_source(recipe, ids, payload=..., recipe_dir=...) -> Source``.
"""

from __future__ import annotations

from pathlib import Path

from journeykg.loaders.recipe import Recipe, RecipeError, load_recipe
from journeykg.loaders.sources import open_source
from journeykg.loaders.sync import SyncOptions

__all__ = [
    "Recipe",
    "RecipeError",
    "UnknownSourceError",
    "find_recipe",
    "load_recipe",
    "open_source",
    "options_for",
]


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
