"""The CSV bundle: the documented example organisation, and a bundle with every kind of mistake."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from journeykg.loaders.sources import SourceError
from journeykg.namespaces import JKG
from journeykg.validation.gate import run_shacl
from tests.loaders.sources_helpers import FIXTURES, IDS, run, run_recipe

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "csv-bundle"
FRAMEWORK = EXAMPLE / "framework" / "lifecycle.ttl"
BAD = FIXTURES / "csv-bundle-bad"


def test_the_example_bundle_maps_every_row_and_conforms_with_its_framework() -> None:
    result = run_recipe(EXAMPLE / "recipe.yaml")
    assert result.rejected == []
    assert result.read == 74
    assert len(result.records) == 67  # the 7 dependency rows live in their processes' records
    data = Graph().parse(FRAMEWORK, format="turtle")
    data += result.graph
    focus = sorted({s for s in result.graph.subjects() if isinstance(s, URIRef)})
    conforms, report = run_shacl(data, focus)
    assert conforms, report.serialize(format="turtle")


def test_keys_are_kind_and_id_and_references_resolve() -> None:
    result = run_recipe(EXAMPLE / "recipe.yaml")
    v = result.values("touchpoint/verhuizen-app-meterstand")
    assert v["jkg:atStep"] == "step/verhuizen-2"
    assert v["jkg:viaChannel"] == "channel/app"
    assert v["jkg:momentOfTruth"] is True
    assert v["jkg:emotionScore"] == 1
    assert result.by_id["touchpoint/verhuizen-app-meterstand"].origin == "touchpoints.csv:4"


def test_dependencies_are_folded_into_the_process_that_needs_them() -> None:
    result = run_recipe(EXAMPLE / "recipe.yaml")
    graph = result.by_id["process/verhuisafhandeling"].graph
    needs = {IDS.key(str(o)) for o in graph.objects(None, JKG.dependsOn)}
    assert needs == {"process/klantregistratie", "process/meterstanden-verwerken"}
    # the cycle storingsafhandeling <-> werkplanning is data, not an error
    assert result.values("process/werkplanning")["jkg:dependsOn"] == "process/storingsafhandeling"


def test_kpi_values_get_their_year() -> None:
    result = run_recipe(EXAMPLE / "recipe.yaml")
    v = result.values("kpi-value/rekening-csat-2026-q1")
    assert (v["jkg:valueOf"], v["jkg:period"], v["jkg:value"]) == (
        "kpi/rekening-csat",
        "2026",
        pytest.approx(73.5),
    )


def test_every_mistake_names_file_line_column_and_rule() -> None:
    result = run_recipe(BAD / "recipe.yaml")
    assert {(p.file, p.line, p.property, p.rule) for p in result.rejected} == {
        ("klanten.csv", None, None, "bundle file is named after a kind"),
        ("processes.csv", 1, "lable_en", "known column"),
        ("volumes.csv", 1, "contacts", "required column"),
        ("volumes.csv", 1, "kanaal", "known column"),
        (
            "owners.csv",
            2,
            "roles",
            "a list of journey-owner, kpi-owner, insight-owner, process-owner",
        ),
        (
            "journeys.csv",
            3,
            "reasons",
            "a key of the lifecycle framework, such as reason/<id>",
        ),
        ("reasons.csv", None, None, "the lifecycle framework is governed"),
        ("steps.csv", 3, "sequence", "a whole number"),
        ("steps.csv", 4, "id", "unique id"),
        (
            "touchpoints.csv",
            3,
            "channel",
            "an id defined in channels.csv (or a key such as channel/<id>)",
        ),
        ("touchpoints.csv", 3, "moment_of_truth", "true or false"),
        ("touchpoints.csv", 3, "emotion_score", "a number from -2 up to 2"),
        ("touchpoints.csv", 4, "id", "id is a slug"),  # a row whose cell spans two lines
        ("costs.csv", 2, "amount_eur", "a decimal number (e.g. 12.5)"),
        (
            "costs.csv",
            3,
            "element",
            "a key with its kind, such as process/facturatie or journey/verhuizen",
        ),
        ("costs.csv", 3, "period", "a year such as 2025"),
        ("dependencies.csv", 3, "process", "an id defined in processes.csv"),
        ("dependencies.csv", 4, "depends_on", "a process does not depend on itself"),
    }
    # the rows without mistakes go on
    assert sorted(result.by_id) == [
        "channel/telefoon",
        "journey/verhuizen",
        "owner/teamleider",
        "process/verhuisafhandeling",
        "step/verhuizen-1",
        "touchpoint/tp-1",
    ]
    # a dependency on a process outside the bundle is written as its key
    assert result.values("process/verhuisafhandeling")["jkg:dependsOn"] == (
        "process/klantregistratie"
    )


def test_an_unknown_file_is_never_read() -> None:
    result = run_recipe(BAD / "recipe.yaml")
    assert "example.nl" not in result.graph.serialize(format="nt")
    assert all("piet" not in str(p).lower() for p in result.rejected)


def test_a_bundle_is_posted_as_a_zip() -> None:
    from journeykg.loaders.recipe import load_recipe

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(EXAMPLE.glob("*.csv")):
            archive.write(path, f"zuiderzee/{path.name}")
    result = run(load_recipe(EXAMPLE / "recipe.yaml"), payload=buffer.getvalue())
    assert len(result.records) == 67
    assert result.rejected == []
    flat = io.BytesIO()  # the files at the ZIP's root, as a zip of the folder's files has them
    with zipfile.ZipFile(flat, "w") as archive:
        for path in sorted(EXAMPLE.glob("*.csv")):
            archive.write(path, path.name)
    result = run(load_recipe(EXAMPLE / "recipe.yaml"), payload=flat.getvalue())
    assert (len(result.records), result.rejected) == (67, [])
    with pytest.raises(SourceError, match="not a ZIP"):
        run(load_recipe(EXAMPLE / "recipe.yaml"), payload=b"id,label_nl\n")


def test_a_file_in_another_encoding_names_its_line_and_the_way_to_read_it(
    tmp_path: Path,
) -> None:
    import shutil

    from journeykg.loaders.recipe import load_recipe
    from journeykg.loaders.sync_recipes import recipe_with_encoding

    bundle = tmp_path / "bundle"
    shutil.copytree(EXAMPLE, bundle)
    units = bundle / "units.csv"
    text = units.read_text(encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if not row.isascii())
    units.write_bytes(text.encode("cp1252"))  # as Excel on Windows saves it
    recipe = load_recipe(bundle / "recipe.yaml")
    with pytest.raises(SourceError) as raised:
        run(recipe)
    (problem,) = raised.value.problems
    assert (problem.file, problem.line) == ("units.csv", line)
    assert "name it with --encoding (e.g. --encoding latin-1 or cp1252)" in problem.message
    # --encoding sets the bundle's own encoding for the run
    for_run = recipe_with_encoding(recipe, "cp1252")
    assert (for_run.input.encoding, getattr(for_run.config, "encoding", None)) == (
        "cp1252",
        "cp1252",
    )
    assert run(for_run).rejected == []
