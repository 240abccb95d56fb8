"""A source kind from outside journeykg: a tiny distribution on the path, found through its
entry point by importlib.metadata as an installed plug-in is, and synced end to end.

The distribution is written as pip installs one: the module, and a ``*.dist-info`` folder
with its METADATA and an entry_points.txt naming the kind. Nothing in journeykg names it.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from journeykg.graph.store import Store
from journeykg.loaders import source_kinds
from journeykg.loaders.recipe import RecipeError, load_recipe, parse_recipe
from journeykg.loaders.sync import sync
from journeykg.loaders.sync_recipes import open_source, options_for
from journeykg.namespaces import JKG
from tests.conftest import BASE

MODULE = "jkg_process_list"

#: The plug-in: back-office processes from a text file, one ``key = name`` per line.
PLUGIN = '''
"""Back-office processes from a plain list: one ``key = name`` per line."""

from collections.abc import Iterator

from pydantic import Field
from rdflib import Graph, Literal

from journeykg.loaders.recipe_model import StrictConfig
from journeykg.loaders.source import MappedRecord, SourceBatch
from journeykg.loaders.source_kinds import SourceKind
from journeykg.loaders.sources import RecipeSource, batches, decode, input_files
from journeykg.namespaces import JKG, RDF, RDFS
from journeykg.validation.problems import Problem


class ProcessListConfig(StrictConfig):
    prefix: str = "process/"
    language: str = Field(default="nl", pattern="^[a-z]{2}$")


class ProcessListSource(RecipeSource):
    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        config = self.recipe.section(ProcessListConfig) or ProcessListConfig()
        records, rejected, read = [], [], 0
        for file in input_files(self.recipe, self.payload, self.recipe_dir):
            for line_number, line in enumerate(decode(file).splitlines(), start=1):
                if not line.strip():
                    continue
                read += 1
                key, equals, name = (part.strip() for part in line.partition("="))
                if not equals or not key or not name:
                    rejected.append(
                        Problem(file.name, "line is key = name", line, line=line_number)
                    )
                    continue
                iri = self.ids.iri(config.prefix + key)
                graph = Graph()
                graph.add((iri, RDF.type, JKG.BackofficeProcess))
                graph.add((iri, RDFS.label, Literal(name, lang=config.language)))
                origin = f"{file.name}:{line_number}"
                records.append(MappedRecord(self.name, config.prefix + key, origin, graph))
        yield from batches(
            records, self.recipe.batch_size, rejected=rejected, unmapped={}, read=read,
            bookmark=None,
        )


KIND = SourceKind(
    name="process-list",
    open=ProcessListSource,
    section="process_list",
    config=ProcessListConfig,
)
'''

RECIPE = """\
name: procesregister
kind: process-list
input: {files: [processen.txt]}
process_list: {prefix: process/, language: nl}
"""


def install(site: Path, name: str, entry_points: str, module: str | None = None) -> None:
    """Lay out a distribution in ``site`` as pip would: its module and its dist-info."""
    info = site / f"{name}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(textwrap.dedent(entry_points))
    if module is not None:
        (site / f"{name}.py").write_text(module)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty site directory at the front of ``sys.path``; the registry scans it afresh."""
    directory = tmp_path / "site"
    directory.mkdir()
    monkeypatch.syspath_prepend(str(directory))
    source_kinds.rescan()
    yield directory
    source_kinds.rescan()
    for name in [m for m in sys.modules if m.startswith(("jkg_", "broken_"))]:
        del sys.modules[name]


@pytest.fixture
def plugin(site: Path) -> Path:
    """The process-list plug-in, installed into ``site``."""
    install(site, MODULE, f"[journeykg.sources]\nprocess-list = {MODULE}:KIND\n", PLUGIN)
    return site


def test_a_plugin_kind_is_found_without_importing_it(plugin: Path) -> None:
    assert "process-list" in source_kinds.kind_names()
    assert {"rdf", "salesforce", "ticket-csv"} <= set(source_kinds.kind_names())
    assert MODULE not in sys.modules


def test_a_recipe_of_a_plugin_kind_syncs_end_to_end(
    plugin: Path, tmp_path: Path, embedded_store: Store
) -> None:
    recipes = tmp_path / "recipes"
    recipes.mkdir()
    (recipes / "processen.txt").write_text(
        "facturatie = Facturatie\nnummerbehoud = Nummerbehoud\nzonder naam\n", encoding="utf-8"
    )
    (recipes / "procesregister.yaml").write_text(RECIPE, encoding="utf-8")
    recipe = load_recipe(recipes / "procesregister.yaml")
    assert recipe.kind == "process-list"
    assert MODULE in sys.modules  # the kind's module, imported for its recipe

    report = sync(embedded_store, open_source(recipe, embedded_store.ids), options_for(recipe))
    assert (report.status, report.read, report.records, report.written, report.rejected) == (
        "rejected",  # the line without a name, reported with its file and line
        3,
        2,
        2,
        1,
    )
    assert [(p.file, p.line, p.rule) for r in report.rejections for p in r.problems] == [
        ("processen.txt", 3, "line is key = name")
    ]
    stored = embedded_store.export()
    facturatie = URIRef(f"{BASE}process/facturatie")
    assert (facturatie, RDF.type, JKG.BackofficeProcess) in stored
    assert (facturatie, RDFS.label, Literal("Facturatie", lang="nl")) in stored
    assert (facturatie, JKG.syncedFrom, None) in stored

    again = sync(embedded_store, open_source(recipe, embedded_store.ids), options_for(recipe))
    assert (again.written, again.unchanged) == (0, 2)


def test_a_plugin_section_is_checked_with_the_plugin_model(plugin: Path) -> None:
    text = RECIPE.replace("language: nl}", "language: dutch, prefx: p/}")
    with pytest.raises(RecipeError) as raised:
        parse_recipe(text, "procesregister.yaml")
    assert sorted((p.property, p.line, p.rule) for p in raised.value.problems) == [
        ("process_list.language", 4, "recipe: string_pattern_mismatch"),
        ("process_list.prefx", 4, "recipe: extra_forbidden"),
    ]


def test_a_plugin_section_does_not_apply_to_other_kinds(plugin: Path) -> None:
    with pytest.raises(RecipeError, match="section 'process_list' does not apply to kind 'rdf'"):
        parse_recipe("name: kaart\nkind: rdf\nprocess_list: {}\n")


def test_without_the_plugin_its_kind_is_unknown_and_the_others_are_named(site: Path) -> None:
    with pytest.raises(RecipeError) as raised:
        parse_recipe(RECIPE, "procesregister.yaml")
    # its section is one more unknown key: without the plug-in no one knows it is a section
    problem, section = raised.value.problems
    assert (problem.property, problem.line, problem.rule) == ("kind", 2, "recipe: unknown kind")
    assert (section.property, section.rule) == ("process_list", "recipe: extra_forbidden")
    assert "unknown kind 'process-list'" in problem.message
    assert "bpmn, csv-bundle, dynamics, hubspot, rdf, salesforce, survey, ticket-csv" in (
        problem.message
    )


def test_a_plugin_that_does_not_import_says_which_and_why(site: Path) -> None:
    install(site, "broken_plugin", "[journeykg.sources]\nbroken = broken_plugin:KIND\n")
    with pytest.raises(RecipeError) as raised:
        parse_recipe("name: b\nkind: broken\n", "b.yaml")
    (problem,) = raised.value.problems
    assert (problem.property, problem.rule) == ("kind", "recipe: kind loads")
    assert "broken_plugin:KIND" in problem.message
    assert "ModuleNotFoundError" in problem.message
    assert "rdf" in source_kinds.kind_names()  # one broken plug-in leaves the others


def test_an_entry_point_that_is_not_a_source_kind_is_refused(site: Path) -> None:
    install(site, "jkg_wrong", "[journeykg.sources]\nwrong = jkg_wrong:KIND\n", "KIND = 42\n")
    with pytest.raises(source_kinds.SourceKindError, match="is a int, not a SourceKind"):
        source_kinds.source_kind("wrong")


def test_an_entry_point_must_name_the_kind_its_object_declares(site: Path) -> None:
    module = "from journeykg.loaders.sources.rdf import KIND\n"
    install(site, "jkg_alias", "[journeykg.sources]\nturtle = jkg_alias:KIND\n", module)
    with pytest.raises(source_kinds.SourceKindError, match="declares the kind 'rdf'"):
        source_kinds.source_kind("turtle")


def test_two_distributions_claiming_one_kind_are_refused(site: Path, plugin: Path) -> None:
    install(site, "jkg_other", f"[journeykg.sources]\nprocess-list = {MODULE}:KIND\n")
    with pytest.raises(source_kinds.SourceKindError, match="more than one distribution"):
        source_kinds.source_kind("process-list")
