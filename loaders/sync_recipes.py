"""From a recipe to a source, for the CLI and the REST endpoint.

Recipes (:mod:`journeykg.loaders.recipe`) name a kind; the registry of
kinds (:mod:`journeykg.loaders.source_kinds`) ties it to its source
(:mod:`journeykg.loaders.sources`). The engine needs exactly two calls from them,
re-exported here for the CLI and the REST endpoint:

- ``load_recipe(path) -> Recipe`` (the engine reads ``name``, ``kind``, ``mode``,
  ``retire_max_share``); a recipe that cannot be read or used raises
  :class:`RecipeError`, a :class:`~journeykg.validation.problems.LoadError` naming the
  file, the key path, the line and the rule;
- ``open_source(recipe, ids, payload=..., recipe_dir=...) -> Source``.
"""

from __future__ import annotations

import logging
from pathlib import Path

from journeykg.loaders.recipe import Recipe, RecipeError, load_recipe
from journeykg.loaders.source_kinds import open_source
from journeykg.loaders.sync import SyncOptions
from journeykg.validation.problems import Problem

__all__ = [
    "Recipe",
    "RecipeError",
    "UnknownSourceError",
    "find_recipe",
    "load_recipe",
    "open_source",
    "options_for",
    "recipe_with_encoding",
]

_log = logging.getLogger(__name__)


def find_recipe(recipes_dir: Path, source: str) -> tuple[Recipe, Path]:
    """The recipe whose ``name`` is ``source`` among ``recipes_dir``/*.yaml (or *.yml).

    A broken recipe does not block the others: it is skipped (and logged), so
    one bad file cannot stop every source's sync. Its own error is raised
    when it is the one asked for, i.e. its file is named after ``source``, or
    no readable recipe has that name (then the error names the broken files).
    """
    paths = sorted([*recipes_dir.glob("*.yaml"), *recipes_dir.glob("*.yml")])
    broken: list[tuple[Path, RecipeError]] = []
    for path in paths:
        try:
            recipe = load_recipe(path)
        except RecipeError as exc:
            _log.warning("recipe %s skipped: %s", path, str(exc).splitlines()[0])
            broken.append((path, exc))
            continue
        if recipe.name == source:
            return recipe, path
    for path, error in broken:
        if path.stem == source:
            raise error
    raise UnknownSourceError(source, recipes_dir, [path for path, _ in broken])


class UnknownSourceError(LookupError):
    """No readable recipe in the recipes directory has this name."""

    def __init__(self, source: str, recipes_dir: Path, broken: list[Path] | None = None) -> None:
        self.source = source
        unreadable = (
            f"; these recipes could not be read and may be the one: "
            f"{', '.join(p.name for p in broken)}"
            if broken
            else ""
        )
        super().__init__(
            f"no recipe named {source!r} in {recipes_dir} (JOURNEYKG_RECIPES_DIR); "
            f"a recipe's `name` is the source name{unreadable}"
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


def recipe_with_encoding(recipe: Recipe, encoding: str) -> Recipe:
    """``recipe`` with its CSV input read in ``encoding`` (``journeykg sync --encoding``):
    ``input.encoding``, and the section's own ``encoding`` where the kind has one (a CSV
    bundle, a survey). An encoding Python does not know is a RecipeError."""
    import codecs

    try:
        codecs.lookup(encoding)
    except LookupError:
        raise RecipeError(
            f"unknown encoding {encoding!r}",
            [
                Problem(
                    recipe.file,
                    "known encoding",
                    f"--encoding {encoding!r} is not an encoding Python knows "
                    "(e.g. utf-8, latin-1, cp1252)",
                    value=encoding,
                )
            ],
        ) from None
    changed = recipe.model_copy(
        update={"input": recipe.input.model_copy(update={"encoding": encoding})}
    )
    section = recipe.config
    if section is not None and "encoding" in type(section).model_fields:
        changed._section = section.model_copy(update={"encoding": encoding})
    return changed
