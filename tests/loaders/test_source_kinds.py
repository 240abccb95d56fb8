"""The registry of source kinds: journeykg's own kinds are entry points like any plug-in's,
and they are loaded only when a recipe needs one (test_source_plugin.py adds a kind)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from journeykg.loaders.recipe_model import StrictConfig
from journeykg.loaders.source_kinds import (
    GROUP,
    SourceKind,
    UnknownKindError,
    kind_names,
    source_kind,
)
from journeykg.loaders.sources.crm_config import CrmConfig
from journeykg.loaders.sources.rdf import RdfSource
from tests.loaders.sources_helpers import FIXTURES

BUILT_IN = [
    "bpmn",
    "csv-bundle",
    "dynamics",
    "hubspot",
    "rdf",
    "salesforce",
    "survey",
    "ticket-csv",
]
CRM = {"dynamics", "hubspot", "salesforce", "ticket-csv"}


def test_every_built_in_kind_is_registered_and_declares_itself() -> None:
    assert set(BUILT_IN) <= set(kind_names())
    for name in BUILT_IN:
        kind = source_kind(name)
        assert kind.name == name
        assert kind.crm == (name in CRM)
        if kind.crm:
            assert (kind.section, kind.config, kind.section_required) == ("crm", CrmConfig, True)
            assert kind.personal_fields, f"{name} declares no personal fields"
    assert {n for n in BUILT_IN if source_kind(n).incremental} == CRM | {"survey"}
    assert source_kind("salesforce").input_formats == ("rest-json", "bulk-csv")


def test_an_unknown_kind_names_the_kinds_there_are() -> None:
    with pytest.raises(UnknownKindError, match="the kinds available are bpmn, csv-bundle, "):
        source_kind("zendesk")


def loaded_after(code: str) -> set[str]:
    """The loader modules a fresh interpreter has imported after running ``code``."""
    report = "import json, sys\nprint(json.dumps([m for m in sys.modules if 'loaders' in m]))"
    done = subprocess.run(
        [sys.executable, "-c", f"{code}\n{report}"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_sync_command_imports_no_source_module_before_it_reads_the_recipe() -> None:
    # what `journeykg sync` has imported when it calls load_recipe
    loaded = loaded_after("import journeykg.cli.app\nimport journeykg.services.sync_runs")
    assert "journeykg.loaders.source_kinds" in loaded
    assert {m for m in loaded if m.startswith("journeykg.loaders.sources")} == set()


def test_reading_a_recipe_imports_its_own_kind_only() -> None:
    recipe = FIXTURES / "bpmn" / "recipe.yaml"
    loaded = loaded_after(
        "from pathlib import Path\n"
        "from journeykg.loaders.recipe import load_recipe\n"
        f"load_recipe(Path({str(recipe)!r}))"
    )
    assert {m for m in loaded if m.startswith("journeykg.loaders.sources")} == {
        "journeykg.loaders.sources",
        "journeykg.loaders.sources._common",
        "journeykg.loaders.sources.bpmn",
        # the BPMN kind's own modules (reading, keys, calls, what is read)
        "journeykg.loaders.sources.bpmn_calls",
        "journeykg.loaders.sources.bpmn_keys",
        "journeykg.loaders.sources.bpmn_model",
        "journeykg.loaders.sources.bpmn_read",
    }


def test_the_kinds_are_entry_points_of_the_installed_distribution() -> None:
    from importlib.metadata import entry_points

    ours = {p.name: p.value for p in entry_points(group=GROUP) if p.module.startswith("journeykg.")}
    assert ours["ticket-csv"] == "journeykg.loaders.sources.ticket_csv:KIND"
    assert sorted(ours) == BUILT_IN
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    for name, value in ours.items():
        assert f'{name} = "{value}"' in pyproject


class _Options(StrictConfig):
    depth: int = 1


@pytest.mark.parametrize(
    ("make", "rule"),
    [
        (lambda: SourceKind("Salesforce", RdfSource), "lower-case letters, digits and hyphens"),
        (lambda: SourceKind("x", RdfSource, section="x"), "a section and its config model"),
        (lambda: SourceKind("x", RdfSource, section_required=True), "a required section needs"),
        (lambda: SourceKind("x", RdfSource, "input", _Options), "a key every recipe has"),
        (lambda: SourceKind("x", RdfSource, crm=True), "a CRM kind has the 'crm' section"),
    ],
)
def test_a_kind_that_contradicts_itself_is_refused(make: Callable[[], object], rule: str) -> None:
    with pytest.raises(ValueError, match=rule):
        make()
