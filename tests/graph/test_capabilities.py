"""Each store declares what it can do, and does exactly that.

For every store (both backends and a scenario's read-only view) and every
capability: a capability it declares works; one it lacks is refused by name,
before anything is written. And the port is narrow: a backend that leaves
out one of its primitives cannot be made at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

import journeykg.graph.neo4j_store as neo4j_module
from journeykg.bootstrap import open_store
from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.concepts import concepts_labelled
from journeykg.graph.elements import resolve
from journeykg.graph.errors import LeaseHeldError, MissingCapabilityError
from journeykg.graph.leases import cross_process_lease
from journeykg.graph.relations import RULES, Direction
from journeykg.graph.scenario import OverlayStore
from journeykg.graph.store import Capability, LeaseScope, Store
from journeykg.graph.walk import HopByHop, start_walk
from journeykg.graph.walk_state import WalkState
from journeykg.loaders.pipeline import load_file
from journeykg.namespaces import JKG, RDF, RDFS, SKOS
from journeykg.services.scenarios import save
from journeykg.settings import Settings
from tests.conftest import BASE, FIXTURES, read_fixture

X = URIRef(BASE + "process/x")


@pytest.fixture(params=["embedded", "neo4j", "scenario"])
def any_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """Each backend holding impact_small.ttl, and a scenario's view of the embedded one."""
    kind = request.param
    backend: Store = request.getfixturevalue("neo4j_store" if kind == "neo4j" else "embedded_store")
    backend.upsert(read_fixture("impact_small.ttl"))
    if kind == "scenario":
        removed = Graph()
        removed.add((X, RDFS.label, Literal("Klantdata", lang="nl")))
        yield OverlayStore(backend, Graph(), removed)
    else:
        yield backend


def _refused(store: Store, capability: Capability) -> Any:
    """Expect a refusal that names the store and the capability it lacks."""
    return pytest.raises(MissingCapabilityError, match=f"{store.name}.*'{capability.value}'")


def _stored(store: Store) -> Graph:
    return store.base.export() if isinstance(store, OverlayStore) else store.export()


# --- what each store declares ---------------------------------------------------------


def test_each_store_declares_what_it_is(any_store: Store) -> None:
    declared = any_store.capabilities
    if any_store.name == "embedded":
        # One process only (its directory is locked); the walk runs in Python.
        assert declared == {Capability.WRITABLE, Capability.LABEL_INDEX}
    elif any_store.name == "neo4j":
        assert declared - {Capability.SERVER_WALK} == {
            Capability.WRITABLE,
            Capability.SHARED,
            Capability.LABEL_INDEX,
            Capability.BATCHED_WRITE,
        }
    else:
        assert declared == frozenset()


def test_a_wrapper_declares_what_it_wraps(any_store: Store, tmp_path: Path) -> None:
    journal = AuditJournal(tmp_path / "audit.sqlite")
    assert AuditedStore(any_store, journal).capabilities == any_store.capabilities
    journal.close()


# --- WRITABLE ---------------------------------------------------------------------


def test_writable(any_store: Store) -> None:
    delta = Graph()
    delta.add((X, RDFS.comment, Literal("written")))
    before = _stored(any_store)
    if Capability.WRITABLE in any_store.capabilities:
        any_store.upsert(delta)
        written = any_store.describe([X]).objects(X, RDFS.comment)
        assert [str(o) for o in written] == ["written"]
        any_store.retract([X])
        assert len(any_store.describe([X])) == 0
        return
    writes: list[Callable[[], object]] = [
        lambda: any_store.upsert(delta),
        lambda: any_store.apply(delta, [X]),
        lambda: any_store.retract([X]),
        any_store.clear,
        lambda: save(any_store, "plan", []),
        lambda: load_file(any_store, FIXTURES / "impact_small.ttl"),
    ]
    for write in writes:
        with _refused(any_store, Capability.WRITABLE):
            write()
    assert len(_stored(any_store) ^ before) == 0  # nothing was written


# --- SHARED -----------------------------------------------------------------------


def test_shared(
    any_store: Store, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "capabilities-test"
    if Capability.SHARED not in any_store.capabilities:
        for scope in LeaseScope:
            with _refused(any_store, Capability.SHARED), any_store.lease(scope, key):
                pass
        # Nobody else can open it: holding nothing keeps nobody out, and is not an error.
        with cross_process_lease(any_store, LeaseScope.SYNC, key):
            pass
        return
    # Another opener of the same store (another process, as far as the server knows).
    settings: Settings = request.getfixturevalue("neo4j_settings")
    monkeypatch.setattr(neo4j_module, "LEASE_PROBE_SECONDS", 0.5)
    with open_store(settings, audited=False) as other:
        with (
            cross_process_lease(any_store, LeaseScope.SYNC, key),
            pytest.raises(LeaseHeldError),
            other.lease(LeaseScope.SYNC, key),
        ):
            pass
        with other.lease(LeaseScope.SYNC, key):  # released: free again
            pass


# --- SERVER_WALK --------------------------------------------------------------------


def test_server_walk(any_store: Store) -> None:
    roots = [resolve(any_store, "process/x")]
    rules = RULES[Direction.DOWNSTREAM]

    def no_fallback() -> WalkState:
        raise AssertionError("the server walk fell back to hop by hop")

    hop_by_hop = HopByHop(any_store, roots, rules, None)
    hop_by_hop.advance()
    if Capability.SERVER_WALK not in any_store.capabilities:
        with _refused(any_store, Capability.SERVER_WALK):
            any_store.server_walk(roots, rules, None, fallback=no_fallback)
        assert isinstance(start_walk(any_store, roots, rules, None), HopByHop)
        return
    walk = any_store.server_walk(roots, rules, None, fallback=no_fallback)
    walk.advance()
    assert walk.levels == hop_by_hop.levels
    assert not isinstance(start_walk(any_store, roots, rules, None), HopByHop)


# --- LABEL_INDEX ------------------------------------------------------------------


def test_label_index(any_store: Store) -> None:
    concept = URIRef(BASE + "concept/verhuizen")
    if Capability.WRITABLE in any_store.capabilities:
        glossary = Graph()
        glossary.add((concept, RDF.type, SKOS.Concept))
        glossary.add((concept, SKOS.prefLabel, Literal("Verhuizen", lang="nl")))
        any_store.upsert(glossary)
    labels = {Literal("Verhuizen", lang="nl"), Literal("Verhuizen", lang="en")}
    # The answer from every stored concept, read through the primitives alone.
    read = any_store.describe(any_store.instances(SKOS.Concept))
    expected = {s for s, o in read.subject_objects(SKOS.prefLabel) if o in labels}
    assert concepts_labelled(any_store, labels) == expected
    if Capability.LABEL_INDEX not in any_store.capabilities:
        with _refused(any_store, Capability.LABEL_INDEX):
            any_store.pref_labelled(SKOS.Concept, labels)
        return
    assert any_store.pref_labelled(SKOS.Concept, labels) == expected == {concept}
    # Only the class asked for: a contact reason carries the same label.
    assert any_store.pref_labelled(JKG.ContactReason, labels) == {URIRef(BASE + "reason/r")}


# --- the port itself ----------------------------------------------------------------

#: What a backend must implement: nothing more (the questions are functions over these).
PORT = {
    "capabilities",
    "apply",
    "clear",
    "describe",
    "export",
    "instances",
    "element_facts",
    "edges",
    "referrers",
    "latest_totals",
    "generation",
    "check_ready",
    "close",
}


def _backend_without(left_out: str) -> type[Store]:
    """A backend class implementing every primitive but ``left_out``."""

    def primitive(self: Store, *args: object, **kwargs: object) -> None:
        return None

    body: dict[str, object] = {
        name: property(lambda self: frozenset()) if name == "capabilities" else primitive
        for name in PORT - {left_out}
    }
    return type(f"Without_{left_out}", (Store,), body)


def test_the_port_is_narrow() -> None:
    assert Store.__abstractmethods__ == PORT


@pytest.mark.parametrize("left_out", sorted(PORT))
def test_a_backend_missing_a_primitive_cannot_be_made(left_out: str) -> None:
    with pytest.raises(TypeError, match=f"abstract method.*{left_out}"):
        _backend_without(left_out)(BASE)


def test_a_backend_with_every_primitive_can_be_made() -> None:
    store = _backend_without("")(BASE)
    assert store.capabilities == frozenset()


def test_declaring_a_capability_without_its_method_is_a_bug_not_a_refusal() -> None:
    class Claims(_backend_without("capabilities")):  # type: ignore[misc]
        @property
        def capabilities(self) -> frozenset[Capability]:
            return frozenset({Capability.SHARED})

    with pytest.raises(NotImplementedError, match="declares 'shared between processes'"):
        Claims(BASE).lease(LeaseScope.SYNC, "x")
