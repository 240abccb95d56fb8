"""What the sources produce can be written, and writing it again changes nothing (both backends).

The sync engine (loaders/sync.py) does the real writing with provenance and
retirement; this proves the sources' side of idempotence: the same input gives
the same records, which pass the gate against what the store holds and, written
twice, leave the store as it was after the first write.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph

from journeykg.graph.canonical import canonical
from journeykg.graph.gate_view import GateView
from journeykg.graph.store import Store
from journeykg.loaders.pipeline import load_file
from journeykg.resources import DEMO_DATASET
from journeykg.validation.gate import check
from tests.loaders.sources_helpers import FIXTURES, run_recipe

RECIPES = [
    FIXTURES / "salesforce" / "recipe.yaml",
    FIXTURES / "hubspot" / "recipe.yaml",
    FIXTURES / "dynamics" / "recipe.yaml",
    FIXTURES / "survey" / "recipe.yaml",
]
# BPMN re-describes processes the demo already has; the gate on main validates a stored
# process without the types of what its *stored* values point at, so it is checked against
# the whole demo graph in test_sources_conform.py instead.


def delta_of(recipe: Path) -> Graph:
    delta = Graph()
    for record in run_recipe(recipe).records:
        delta += record.graph
    return delta


def test_synced_facts_pass_the_gate_and_rewrite_idempotently(store: Store) -> None:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))  # the demo conforms (its own test)
    for recipe in RECIPES:
        delta = delta_of(recipe)
        gate = check(delta, GateView(store), recipe.parent.name, store.ids)
        assert gate.violations == [], [str(p) for p in gate.violations]
        store.upsert(delta)
    after_first = canonical(store.export())
    for recipe in RECIPES:
        store.upsert(delta_of(recipe))
    assert canonical(store.export()) == after_first


def test_the_example_bundle_loads_into_a_store_with_its_framework(embedded_store: Store) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "csv-bundle"
    load_file(
        embedded_store, example / "framework" / "lifecycle.ttl"
    )  # governed: loaded, not synced
    before = len(embedded_store.export())
    delta = delta_of(example / "recipe.yaml")
    gate = check(delta, GateView(embedded_store), "csv-bundle", embedded_store.ids)
    assert gate.violations == [], [str(p) for p in gate.violations]
    embedded_store.upsert(delta)
    assert len(embedded_store.export()) == before + len(delta)
