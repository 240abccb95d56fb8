"""The lifecycle picture computed in full runs with the cyclic collector paused, and leaves it
running (graph/collector_pause.py; the loads' and syncs' cases: tests/loaders/)."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from rdflib import Graph, URIRef

from journeykg.graph import lifecycle
from journeykg.graph.lifecycle import lifecycle_picture
from journeykg.graph.store import ElementFacts, Store
from journeykg.resources import DEMO_DATASET


@pytest.mark.usefixtures("collector_enabled")
def test_the_picture_is_computed_with_the_collector_paused_and_leaves_it_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    seen: list[tuple[str, bool]] = []
    # Spies around the real functions: whether the collector runs while each is at work.
    class_facts = store.class_facts

    def reading(cls: URIRef) -> dict[str, ElementFacts]:
        seen.append(("read", gc.isenabled()))
        return class_facts(cls)

    placed_journey = lifecycle.placed_journey

    def placing(*args: Any) -> Any:
        seen.append(("placed", gc.isenabled()))
        return placed_journey(*args)

    monkeypatch.setattr(store, "class_facts", reading)
    monkeypatch.setattr(lifecycle, "placed_journey", placing)
    picture = lifecycle_picture(store)
    assert picture.journeys
    assert ("read", False) in seen
    assert ("placed", False) in seen
    assert all(not enabled for _, enabled in seen), seen
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_enabled")
def test_the_kept_picture_is_updated_with_the_collector_paused_and_leaves_it_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journeykg.graph import lifecycle_kept
    from journeykg.namespaces import JKG, RDF

    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    kept = lifecycle_kept.computed(store, store.generation())
    volume = URIRef("https://id.journeykg.example/volume/collector-test")
    store.upsert(
        Graph()
        .add((volume, RDF.type, JKG.ContactVolume))
        .add((volume, JKG.volumeOf, store.instances(JKG.ContactReason)[0]))
    )
    seen: list[bool] = []
    describe_only = store.describe_only

    def reading(*args: Any) -> Graph:
        seen.append(gc.isenabled())
        return describe_only(*args)

    monkeypatch.setattr(store, "describe_only", reading)
    after = lifecycle_kept.updated(store, kept, store.generation())
    assert after.recomputed is not None
    assert seen
    assert not any(seen), seen
    assert gc.isenabled()
