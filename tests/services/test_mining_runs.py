"""A mining run on both backends: measurements written through the gate and the audit,
read back as the GraphQL field and the page read them, replaced when mined again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from rdflib import Graph, URIRef

from journeykg.graph.audit_journal import AuditFilter, AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.quantify import prioritise
from journeykg.graph.store import Store
from journeykg.loaders.event_logs.errors import EventLogError
from journeykg.namespaces import JKG
from journeykg.resources import DEMO_DATASET
from journeykg.services.mining_runs import (
    MiningKeyMissingError,
    journey_mining,
    run_mining,
)
from journeykg.settings import Settings

RECIPES = DEMO_DATASET.parent / "mining"
SETTINGS = Settings(mining_key=SecretStr("test-secret"), mining_min_customers=10)


@pytest.fixture
def demo(store: Store, tmp_path: Path) -> Iterator[AuditedStore]:
    store.upsert(Graph().parse(DEMO_DATASET))
    journal = AuditJournal(tmp_path / "audit.sqlite")
    yield AuditedStore(store, journal)
    journal.close()


def _measurements(store: Store) -> set[URIRef]:
    return set(store.instances(JKG.MiningMeasurement))


def test_a_run_writes_dated_measurements_that_read_back_as_mined(demo: AuditedStore) -> None:
    outcome = run_mining(demo, RECIPES / "verhuizen.yaml", SETTINGS, actor="tester")
    (january, february) = outcome.periods
    assert february.customers < 10  # one straggler case: mined, never written
    assert outcome.measurements == len(_measurements(demo)) == 1 + 5 + 5
    (stored,) = journey_mining(demo, "journey/verhuizen", "2026-01")
    assert stored.journey.counts["cases"] == january.cases
    assert stored.journey.counts["completed"] == january.completed
    assert stored.journey.shares["fitness"] == pytest.approx(january.fitness, abs=1e-4)
    assert stored.journey.counts["skipped"] == january.deviation_cases("skipped")
    assert stored.journey.counts["channel_switches"] == january.deviation_cases("channel_switch")
    assert [m.element.id for m in stored.steps] == [f"step/verhuizen-{i}" for i in range(1, 6)]
    assert [(m.counts["reached"], m.counts["stopped"]) for m in stored.steps] == [
        (d.reached, d.stopped) for d in january.drop_off
    ]
    assert {m.element.id for m in stored.touchpoints} == {t.touchpoint for t in january.touchpoints}
    assert stored.journey.generated_by is not None
    assert "run/mining-" in stored.journey.generated_by
    assert journey_mining(demo, "journey/verhuizen", "2026-02") == []
    (entry,) = demo.journal.entries(AuditFilter())[0]
    assert (entry.actor, entry.action) == ("tester", "cli:mine:demo-verhuizen")


def test_mining_the_same_period_again_replaces_its_measurements(demo: AuditedStore) -> None:
    run_mining(demo, RECIPES / "storing-melden.yaml", SETTINGS, actor="tester")
    first = _measurements(demo)
    before = journey_mining(demo, "journey/storing-melden")
    run_mining(demo, RECIPES / "storing-melden.yaml", SETTINGS, actor="tester")
    assert _measurements(demo) == first
    after = journey_mining(demo, "journey/storing-melden")
    assert [(p.journey.counts, p.journey.shares) for p in after] == [
        (p.journey.counts, p.journey.shares) for p in before
    ]
    described = demo.describe([next(iter(first))])
    assert len(set(described.objects(None, JKG.minedCases))) == 1


def test_a_dry_run_writes_nothing(demo: AuditedStore) -> None:
    outcome = run_mining(demo, RECIPES / "verhuizen.yaml", SETTINGS, actor="t", dry_run=True)
    assert outcome.measurements == 0
    assert outcome.periods[0].cases > 0
    assert _measurements(demo) == set()


def test_without_a_key_nothing_is_read_or_written(demo: AuditedStore) -> None:
    with pytest.raises(MiningKeyMissingError) as caught:
        run_mining(demo, RECIPES / "verhuizen.yaml", Settings(mining_key=None), actor="t")
    (problem,) = caught.value.problems
    assert problem.property == "mining_key"
    assert "JOURNEYKG_MINING_KEY" in problem.message
    assert _measurements(demo) == set()


def test_a_recipe_mapping_to_another_journeys_step_is_refused(
    demo: AuditedStore, tmp_path: Path
) -> None:
    text = (RECIPES / "verhuizen.yaml").read_text(encoding="utf-8")
    recipe = tmp_path / "verhuizen.yaml"
    recipe.write_text(
        text.replace("step: step/verhuizen-2,", "step: step/opzeggen-2,").replace(
            "file: verhuizen.jsonocel", f"file: {RECIPES / 'verhuizen.jsonocel'}"
        ),
        encoding="utf-8",
    )
    with pytest.raises(EventLogError) as caught:
        run_mining(demo, recipe, SETTINGS, actor="t")
    (problem,) = caught.value.problems
    assert problem.property == "activities.Beschikbaarheid op het nieuwe adres.step"
    assert problem.value == "step/opzeggen-2"
    assert _measurements(demo) == set()


def test_a_measurement_the_new_run_does_not_make_is_removed_not_left_stale(
    demo: AuditedStore,
) -> None:
    run_mining(demo, RECIPES / "verhuizen.yaml", SETTINGS, actor="tester")
    assert len(_measurements(demo)) == 11
    # With k = 300, only the steps and touchpoints at least 300 customers reached remain.
    strict = Settings(mining_key=SecretStr("test-secret"), mining_min_customers=300)
    outcome = run_mining(demo, RECIPES / "verhuizen.yaml", strict, actor="tester")
    assert 0 < outcome.measurements < 11
    assert len(_measurements(demo)) == outcome.measurements


def test_priorities_rank_by_the_mined_drop_off(demo: AuditedStore) -> None:
    outcome = run_mining(demo, RECIPES / "verhuizen.yaml", SETTINGS, actor="tester")
    january = outcome.periods[0]
    only_drop_off = {"contacts": 0.0, "complaints": 0.0, "cost": 0.0, "kpiGap": 0.0}
    ranked = prioritise(demo, only_drop_off).journeys
    assert ranked[0].journey.id == "journey/verhuizen"
    assert ranked[0].drop_off == pytest.approx(1 - january.completed / january.cases, abs=1e-4)
    assert ranked[0].score == pytest.approx(1.0)
    assert all(f.drop_off == 0.0 and f.score == 0.0 for f in ranked[1:])
    # The factor is one of the score's: with its weight at 0 the mining changes nothing.
    unmined = prioritise(demo, {**only_drop_off, "dropOff": 0.0}).journeys
    assert all(f.score == 0.0 for f in unmined)


def test_a_period_now_below_k_customers_loses_its_measurements(demo: AuditedStore) -> None:
    run_mining(demo, RECIPES / "verhuizen.yaml", SETTINGS, actor="tester")
    assert journey_mining(demo, "journey/verhuizen", "2026-01") != []
    # k above the period's 375 customers: the period is mined but shows nothing, not even
    # the measurements of the earlier run.
    strict = Settings(mining_key=SecretStr("test-secret"), mining_min_customers=1000)
    assert run_mining(demo, RECIPES / "verhuizen.yaml", strict, actor="tester").measurements == 0
    assert _measurements(demo) == set()
