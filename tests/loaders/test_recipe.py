"""Recipes: parsed into a strict model; every mistake names file, key path, line and rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from journeykg.loaders.recipe import RecipeError, load_recipe, parse_recipe
from journeykg.loaders.sources.crm_config import CrmConfig
from tests.loaders.sources_helpers import FIXTURES

GOOD = """\
name: salesforce-service-cloud
kind: salesforce
input: {files: [cases.json]}
crm:
  reasons: {Nummerbehoud: reason/nummer-meenemen}
  channels: {Phone: channel/telefoon}
"""


def problems_of(text: str) -> list[tuple[str | None, int | None, str]]:
    with pytest.raises(RecipeError) as raised:
        parse_recipe(text, "sync.yaml")
    for problem in raised.value.problems:
        assert problem.file == "sync.yaml"
    return [(p.property, p.line, p.rule) for p in raised.value.problems]


def test_a_good_recipe_has_defaults_the_engine_reads() -> None:
    recipe = parse_recipe(GOOD)
    assert (recipe.name, recipe.kind, recipe.mode, recipe.retire_max_share) == (
        "salesforce-service-cloud",
        "salesforce",
        "full",
        0.05,
    )
    crm = recipe.section(CrmConfig)
    assert crm is not None
    assert crm.period == "month"


def test_every_fixture_recipe_loads_and_knows_its_directory() -> None:
    paths = sorted(FIXTURES.glob("*/recipe*.yaml"))
    assert len(paths) >= 4
    for path in paths:
        assert load_recipe(path).base_dir == path.parent


def test_an_unknown_key_is_refused_with_its_path_and_line() -> None:
    text = GOOD.replace("  channels:", "  chanels: {Web: channel/web}\n  channels:")
    assert problems_of(text) == [("crm.chanels", 6, "recipe: extra_forbidden")]


def test_a_missing_key_and_a_wrong_value() -> None:
    text = "name: Bad Name!\nkind: salesforce\nmode: sometimes\n"
    found = problems_of(text)
    assert ("name", 1, "recipe: string_pattern_mismatch") in found
    assert ("mode", 3, "recipe: literal_error") in found
    assert len(found) == 2  # the kind's own checks (a crm section) come once the fields are right


def test_codes_of_option_sets_may_be_written_as_numbers() -> None:
    recipe = parse_recipe(GOOD.replace("Phone: channel/telefoon", "1: channel/telefoon"))
    crm = recipe.section(CrmConfig)
    assert crm is not None
    assert crm.channels == {"1": "channel/telefoon"}


def test_a_field_with_personal_data_is_refused() -> None:
    text = GOOD + "  complaint: {field: SuppliedEmail, values: [x]}\n"
    ((_prop, _line, rule),) = problems_of(text)
    assert rule == "recipe: value_error"
    with pytest.raises(RecipeError, match="personal data"):
        parse_recipe(text)


def test_incremental_is_refused_for_sources_without_change_times() -> None:
    with pytest.raises(RecipeError, match="use mode 'full'"):
        parse_recipe("name: kaart\nkind: rdf\nmode: incremental\ninput: {files: [a.ttl]}\n")


def test_a_section_for_another_kind_is_refused() -> None:
    with pytest.raises(RecipeError, match="does not apply to kind 'rdf'"):
        parse_recipe("name: kaart\nkind: rdf\nbpmn: {}\n")


def test_yaml_syntax_errors_name_the_line() -> None:
    assert problems_of("name: a\nkind: [rdf\n") == [(None, 3, "recipe: YAML syntax")]


def test_duplicate_keys_are_refused() -> None:
    assert problems_of("name: a\nkind: rdf\nname: b\n") == [("name", 3, "recipe: unique keys")]


def test_unknown_time_zone() -> None:
    text = GOOD + "  timezone: Europe/Polderstad\n"
    with pytest.raises(RecipeError, match="unknown time zone"):
        parse_recipe(text)


def test_a_missing_recipe_file(tmp_path: Path) -> None:
    with pytest.raises(RecipeError, match="cannot read recipe"):
        load_recipe(tmp_path / "nope.yaml")


def test_the_recipes_in_the_docs_are_valid() -> None:
    import re

    docs = Path(__file__).resolve().parents[2] / "docs"
    blocks = [
        block
        for name in ("sync-recipes.md", "csv-bundle.md")
        for block in re.findall(r"```yaml\n(.*?)```", (docs / name).read_text(), re.DOTALL)
        if block.startswith("name:")
    ]
    assert len(blocks) == 6  # salesforce, hubspot, dynamics, survey, bpmn, csv-bundle
    for block in blocks:
        parse_recipe(block, "docs")
