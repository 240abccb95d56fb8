"""Every model of the BPMN regression corpus syncs with the outcome it should (both backends).

The corpus (tests/loaders/bpmn_corpus.py) writes the MIWG reference shapes
as eight modelling tools export them; each case is synced into an empty
store with its own recipe. Before the interchange fixes 26 of the 75 were
partly refused and 8 refused whole (bench/bpmn_acceptance.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from journeykg.graph.store import Store
from journeykg.loaders.recipe import load_recipe
from journeykg.loaders.sources import open_source
from journeykg.loaders.sync import sync
from tests.loaders.bpmn_corpus import Case, corpus, run_case

CASES = corpus()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_model_syncs_as_expected(case: Case, store: Store, tmp_path: Path) -> None:
    observed = run_case(case, store, tmp_path / "case")
    assert observed.expected() == case.expected, observed.message
    if observed.written:
        # keys come from the model alone: the same model again writes and retires nothing
        recipe = load_recipe(tmp_path / "case" / "recipe.yaml")
        again = sync(store, open_source(recipe, store.ids, recipe_dir=tmp_path / "case"))
        assert (again.written, again.retired, again.unchanged) == (0, 0, observed.written)


def test_the_corpus_covers_every_tool_and_shape() -> None:
    tools = {c.name.split("/")[1] for c in CASES}
    shapes = {c.name.split("/")[0] for c in CASES}
    assert len(tools) == 8
    assert {"A.1.0", "A.3.0", "A.4.1", "B.1.0", "B.2.0", "C.1.0", "C.2.0"} <= shapes
    assert {"empty-definitions", "imports-only", "collaboration-only"} <= shapes
