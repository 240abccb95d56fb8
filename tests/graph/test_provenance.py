"""Where an element comes from, on both backends: a loaded file and a sync."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from rdflib import Graph

from journeykg.graph.errors import UnknownElementError
from journeykg.graph.provenance import provenance_of
from journeykg.graph.store import Store
from journeykg.loaders.pipeline import load_file
from journeykg.loaders.sync import sync
from journeykg.loaders.sync_recipes import load_recipe, open_source
from journeykg.namespaces import JKG
from tests.conftest import FIXTURES
from tests.sync_salesforce import FRAMEWORK, NAME, clean_recipe


def test_a_loaded_element_names_its_load_and_no_source(store: Store) -> None:
    load_file(store, FIXTURES / "impact_small.ttl")
    found = provenance_of(store, "process/x")
    assert (found.element.id, found.source, found.external_id) == ("process/x", None, None)
    assert found.generated_by is not None
    assert found.generated_by.label == "load of impact_small.ttl"
    assert found.last_seen == found.generated_by.ended_at
    with pytest.raises(UnknownElementError):
        provenance_of(store, "process/bestaat-niet")


def test_a_synced_element_names_its_source_record_and_run(store: Store, tmp_path: Path) -> None:
    store.upsert(Graph().parse(FRAMEWORK, format="turtle"))
    recipe = clean_recipe(tmp_path / "recipes")
    report = sync(store, open_source(load_recipe(recipe), store.ids, recipe_dir=recipe.parent))
    volume = store.instances(JKG.ContactVolume)[0]
    found = provenance_of(store, str(volume))
    assert found.element.type == "ContactVolume"
    assert found.source == NAME
    assert found.external_id is not None
    assert found.element.id == f"volume/{NAME}/{quote(found.external_id, safe='')}"
    assert found.generated_by is not None
    assert (found.generated_by.id, found.generated_by.status) == (report.run, "ok")
