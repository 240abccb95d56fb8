"""Saved what-if scenarios on both backends: kept, listed, loaded, compared and discarded."""

from __future__ import annotations

import pytest

from journeykg.graph.errors import UnknownElementError
from journeykg.graph.scenario import ScenarioError, compare, parse_changes
from journeykg.graph.store import Store
from journeykg.services.scenarios import compare_saved, discard, load, save, saved
from tests.conftest import read_fixture


@pytest.fixture
def small(store: Store) -> Store:
    store.upsert(read_fixture("impact_small.ttl"))
    return store


RETIRE_B = parse_changes([{"op": "retire", "element": "process/b"}])
SET_COST = parse_changes(
    [{"op": "setCost", "element": "process/a", "amountEur": 50000, "period": "2025"}]
)


def test_save_list_load_and_discard(small: Store) -> None:
    kept = save(small, "Adresbeheer uitfaseren", RETIRE_B)
    assert kept.id == "scenario/adresbeheer-uitfaseren"
    assert [s.id for s in saved(small)] == [kept.id]
    assert load(small, kept.id).changes == tuple(RETIRE_B)
    discard(small, kept.id)
    assert saved(small) == []
    with pytest.raises(UnknownElementError):
        load(small, kept.id)


def test_saving_checks_the_changes_first(small: Store) -> None:
    with pytest.raises(ScenarioError):
        save(small, "kapot", parse_changes([{"op": "retire", "element": "process/nope"}]))
    assert saved(small) == []


def test_two_saved_scenarios_compare_as_their_change_sets_do(small: Store) -> None:
    a, b = save(small, "Zonder B", RETIRE_B), save(small, "Duurder A", SET_COST)
    assert compare_saved(small, a.id, b.id) == compare(small, RETIRE_B, SET_COST)
    with pytest.raises(UnknownElementError):
        compare_saved(small, a.id, "scenario/geen")
