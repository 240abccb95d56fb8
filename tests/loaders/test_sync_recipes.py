"""Finding a source's recipe in the recipes directory (CLI and REST use it)."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeykg.loaders.sync_recipes import RecipeError, UnknownSourceError, find_recipe
from tests.sync_salesforce import RECIPE, recipes_dir

BROKEN = "name: broken\nkind: crm\nnot_a_key: 1\n"


def _fixture_name() -> str:
    for line in RECIPE.read_text(encoding="utf-8").splitlines():
        if line.startswith("name:"):
            return line.split(":", 1)[1].strip()
    raise AssertionError("the fixture recipe has no name")


def test_a_broken_recipe_does_not_block_the_others(tmp_path: Path) -> None:
    directory = recipes_dir(tmp_path)
    (directory / "aaa-broken.yaml").write_text(BROKEN, encoding="utf-8")
    recipe, path = find_recipe(directory, _fixture_name())
    assert (recipe.name, path.name) == (_fixture_name(), RECIPE.name)


def test_the_broken_recipe_asked_for_by_file_name_raises_its_own_error(tmp_path: Path) -> None:
    directory = recipes_dir(tmp_path)
    (directory / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    with pytest.raises(RecipeError, match="not_a_key"):
        find_recipe(directory, "broken")


def test_an_unknown_source_names_the_unreadable_recipes(tmp_path: Path) -> None:
    directory = recipes_dir(tmp_path)
    (directory / "aaa-broken.yaml").write_text(BROKEN, encoding="utf-8")
    with pytest.raises(UnknownSourceError, match=r"could not be read.*aaa-broken\.yaml"):
        find_recipe(directory, "nowhere")


def test_an_unknown_source_without_broken_recipes_says_only_that(tmp_path: Path) -> None:
    directory = recipes_dir(tmp_path)
    with pytest.raises(UnknownSourceError) as caught:
        find_recipe(directory, "nowhere")
    assert "could not be read" not in str(caught.value)
