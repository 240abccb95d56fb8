"""dataAsOf: the answer says when the facts it used were last written."""

from __future__ import annotations

from datetime import UTC, datetime

from rdflib import URIRef

from journeykg.graph.freshness import data_as_of
from journeykg.graph.impact import impact
from journeykg.graph.store import Store
from journeykg.loaders.pipeline import load_file
from tests.conftest import FIXTURES, read_fixture


def _elements(store: Store, key: str) -> list[URIRef]:
    answer = impact(store, key)
    return [URIRef(answer.of.iri), *(URIRef(a.element.iri) for a in answer.affected)]


def test_loaded_facts_carry_the_time_of_their_load(store: Store) -> None:
    before = datetime.now(UTC).isoformat(timespec="milliseconds")
    load_file(store, FIXTURES / "impact_small.ttl")
    after = datetime.now(UTC).isoformat(timespec="milliseconds")
    stamp = data_as_of(store, _elements(store, "process/x"))
    assert stamp is not None
    assert before <= stamp <= after


def test_facts_written_without_a_loader_have_no_freshness(store: Store) -> None:
    store.upsert(read_fixture("impact_small.ttl"))
    assert data_as_of(store, _elements(store, "process/x")) is None


def test_a_later_load_moves_the_time_forward(store: Store) -> None:
    load_file(store, FIXTURES / "impact_small.ttl")
    first = data_as_of(store, _elements(store, "process/x"))
    load_file(store, FIXTURES / "impact_small.ttl")
    second = data_as_of(store, _elements(store, "process/x"))
    assert first is not None
    assert second is not None
    assert second > first
