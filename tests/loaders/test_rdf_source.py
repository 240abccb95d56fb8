"""The RDF source: one record per subject, across files and formats."""

from __future__ import annotations

import pytest

from journeykg.loaders.recipe import load_recipe
from journeykg.namespaces import JKG
from journeykg.validation.problems import ParseError
from tests.loaders.sources_helpers import FIXTURES, IDS, run, run_recipe

RDF_DIR = FIXTURES / "rdf"


def test_one_record_per_subject_keyed_on_its_key() -> None:
    result = run_recipe(RDF_DIR / "recipe.yaml")
    assert sorted(result.by_id) == [
        "cost/process-fraudedetectie-2025",
        "process/fraudedetectie",
        "role/fraude-analist",
        "system/fraudescore",
    ]
    assert result.rejected == []
    assert result.read == 4


def test_a_subject_described_in_two_files_is_one_record() -> None:
    result = run_recipe(RDF_DIR / "recipe.yaml")
    record = result.by_id["process/fraudedetectie"]
    assert record.origin == "processen.ttl, systemen.jsonld"
    systems = {IDS.key(str(o)) for o in record.graph.objects(None, JKG.usesSystem)}
    assert systems == {"system/fraudescore"}
    assert len(record.graph) == 6


def test_a_posted_turtle_document() -> None:
    recipe = load_recipe(RDF_DIR / "recipe.yaml").model_copy(
        update={
            "input": load_recipe(RDF_DIR / "recipe.yaml").input.model_copy(
                update={"format": "turtle"}
            )
        }
    )
    result = run(recipe, payload=(RDF_DIR / "processen.ttl").read_bytes())
    assert sorted(result.by_id) == ["process/fraudedetectie", "role/fraude-analist"]


def test_a_file_that_does_not_parse_is_refused_naming_the_input() -> None:
    recipe = load_recipe(RDF_DIR / "recipe.yaml")
    with pytest.raises(ParseError) as raised:
        run(
            recipe.model_copy(
                update={"input": recipe.input.model_copy(update={"format": "turtle"})}
            ),
            payload=b"@prefix jkg: <https://w3id.org/journeykg/ontology#> .\n<a> jkg:x \n",
        )
    (problem,) = raised.value.problems
    assert problem.file.startswith("<payload>")
    assert "/tmp" not in str(raised.value)
