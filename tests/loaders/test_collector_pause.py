"""A load pauses Python's cyclic garbage collector and leaves it as it found it."""

from __future__ import annotations

import gc
from typing import Any

import pytest

from journeykg.graph.errors import StoreError
from journeykg.graph.store import Store
from journeykg.loaders import pipeline
from journeykg.loaders.collector_pause import collector_paused
from journeykg.loaders.rdf_fast_read import read_large_rdf
from journeykg.loaders.sync import SyncFailedError, engine, sync
from journeykg.loaders.sync.plan import plan_batch
from journeykg.resources import DEMO_DATASET
from tests.conftest import read_fixture
from tests.loaders.sync_sources import ListSource, volume


@pytest.mark.usefixtures("collector_enabled")
def test_paused_inside_and_enabled_again_after_even_on_error() -> None:
    inside: list[bool] = []

    def failing_load() -> None:
        with collector_paused():
            inside.append(gc.isenabled())
            raise RuntimeError("a load that fails")

    with pytest.raises(RuntimeError):
        failing_load()
    assert inside == [False]
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_enabled")
def test_a_collector_paused_before_stays_paused() -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


@pytest.mark.usefixtures("collector_enabled")
def test_a_load_runs_with_the_collector_paused_and_leaves_it_running(
    embedded_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[bool] = []

    def reading(*args: object, **kwargs: object) -> object:
        seen.append(gc.isenabled())
        return read_large_rdf(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "read_large_rdf", reading)
    pipeline.load_file(embedded_store, DEMO_DATASET)
    assert seen == [False]
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_enabled")
def test_a_sync_plans_its_batches_with_the_collector_paused_and_leaves_it_running(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.upsert(read_fixture("impact_small.ttl"))
    seen: list[bool] = []

    def planning(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return plan_batch(*args, **kwargs)

    monkeypatch.setattr(engine, "plan_batch", planning)
    records = [volume("crm", f"r|app|{i}", 10 * i) for i in range(4)]
    report = sync(store, ListSource("crm", [records[:2], records[2:]]))
    assert (report.status, report.written) == ("ok", 4)
    assert seen == [False, False]
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_enabled")
def test_a_failing_sync_leaves_the_collector_running(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.upsert(read_fixture("impact_small.ttl"))

    def failing(*args: Any, **kwargs: Any) -> Any:
        raise StoreError("the store went away")

    monkeypatch.setattr(engine, "plan_batch", failing)
    with pytest.raises(SyncFailedError):
        sync(store, ListSource("crm", [[volume("crm", "r|app|1", 10)]]))
    assert gc.isenabled()
