"""A load pauses Python's cyclic garbage collector and leaves it as it found it."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from journeykg.graph.store import Store
from journeykg.loaders import pipeline
from journeykg.loaders.collector_pause import collector_paused
from journeykg.loaders.rdf_fast_read import read_large_rdf
from journeykg.resources import DEMO_DATASET


@pytest.fixture
def collector_enabled() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


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
