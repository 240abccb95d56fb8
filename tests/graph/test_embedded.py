"""What only the embedded backend promises: it persists in a directory."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from journeykg.graph.canonical import canonical
from journeykg.graph.elements import classes
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.impact import impact
from journeykg.graph.store import EdgeRequest, Facts
from tests.conftest import BASE, read_fixture


def types_of(store: EmbeddedStore, iris: list[str]) -> dict[str, list[str]]:
    return {i: list(types) for i, (types, _) in store.element_facts(iris, Facts.TYPES).items()}


def test_reopening_the_directory_finds_the_data(tmp_path: Path) -> None:
    data = read_fixture("impact_small.ttl")
    with EmbeddedStore(tmp_path / "kg", BASE) as store:
        store.upsert(data)
    with EmbeddedStore(tmp_path / "kg", BASE) as reopened:
        assert canonical(reopened.export()) == canonical(data)
        assert impact(reopened, "process/x").journeys


def test_a_write_that_fails_leaves_nothing_behind(tmp_path: Path) -> None:
    from rdflib import Graph, Literal, URIRef

    from journeykg.namespaces import RDFS

    with EmbeddedStore(tmp_path / "kg", BASE) as store:
        store.upsert(read_fixture("impact_small.ttl"))
        before = canonical(store.export())
        delta = Graph()
        delta.add((URIRef(BASE + "process/x"), RDFS.label, Literal("nieuw", lang="nl")))
        # An IRI Oxigraph refuses makes the single update fail as a whole.
        delta.add((URIRef(BASE + "process/y"), RDFS.label, URIRef("not an iri")))
        with contextlib.suppress(Exception):  # the kind of failure is not the point here
            store.upsert(delta)
        assert canonical(store.export()) == before


def test_the_type_index_is_never_stale(tmp_path: Path) -> None:
    from rdflib import Graph, URIRef

    from journeykg.namespaces import JKG, RDF

    x, fresh = BASE + "process/x", BASE + "process/nieuw"
    store = EmbeddedStore(tmp_path / "kg", BASE)
    with store:
        store.upsert(read_fixture("impact_small.ttl"))
        store.build_type_index()
        assert store._types.get() is not None  # the walk below reads the index
        assert types_of(store, [x]) == {x: [str(JKG.BackofficeProcess)]}
        before = impact(store, "process/x")

        # A write drops the index; answers come from the disk until it is rebuilt.
        retype = Graph()
        retype.add((URIRef(x), RDF.type, JKG.ITSystem))
        store.upsert(retype)
        assert store._types._index is None
        assert types_of(store, [x]) == {x: [str(JKG.ITSystem)]}
        store.build_type_index()
        assert types_of(store, [x]) == {x: [str(JKG.ITSystem)]}

        added = Graph()
        added.add((URIRef(fresh), RDF.type, JKG.BackofficeProcess))
        store.upsert(added)
        store.build_type_index()
        assert classes(store, [fresh]) == {fresh: "BackofficeProcess"}

        store.retract([URIRef(fresh)])
        store.build_type_index()
        assert classes(store, [fresh]) == {}

        store.upsert(read_fixture("impact_small.ttl"))
        store.build_type_index()
        assert impact(store, "process/x") == before

        store.clear()
        store.build_type_index()
        assert types_of(store, [x]) == {}


def test_a_build_that_overlaps_a_write_is_thrown_away(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "kg", BASE)
    with store:
        store.upsert(read_fixture("impact_small.ttl"))
        index = store._types
        generation = index._generation
        with index.writing():  # a write under way while a scan that began before it ends
            index._build(generation)
        assert index._index is None
        index._build(index._generation)
        assert index._index is not None


def test_the_sync_write_drops_the_type_index_too(tmp_path: Path) -> None:
    from rdflib import Graph, URIRef

    from journeykg.namespaces import JKG, RDF

    x = BASE + "process/x"
    store = EmbeddedStore(tmp_path / "kg", BASE)
    with store:
        store.upsert(read_fixture("impact_small.ttl"))
        store.build_type_index()
        retype = Graph()
        retype.add((URIRef(x), RDF.type, JKG.ITSystem))
        store.apply(retype, retract=[URIRef(x)])
        assert store._types._index is None
        assert types_of(store, [x]) == {x: [str(JKG.ITSystem)]}
        store.build_type_index()
        assert classes(store, [x]) == {x: "ITSystem"}


def test_the_link_index_gives_what_the_disk_gives(tmp_path: Path) -> None:
    from rdflib import URIRef

    from journeykg.graph.relations import Relation
    from journeykg.namespaces import JKG

    store = EmbeddedStore(tmp_path / "kg", BASE)
    with store:
        store.upsert(read_fixture("impact_small.ttl"))
        stored = store.export()
        nodes = sorted(
            {str(t) for t in (*stored.subjects(), *stored.objects()) if isinstance(t, URIRef)}
        )
        # Every predicate a rule follows, and one no rule follows (the snapshot lacks it).
        predicates = [*(r.predicate for r in Relation), JKG.costOf]
        requests = [EdgeRequest(p, nodes, inverse) for p in predicates for inverse in (False, True)]
        store.build_indexes()
        assert store._links.get() is not None
        indexed = [sorted(edges) for edges in store.edges(requests).found]
        assert indexed == [sorted(edges) for edges in store._edges_on_disk(requests)]
        assert any(indexed)
        assert indexed[-1]  # costOf, inverse
        labels = {i: labels for i, (_, labels) in store.element_facts(nodes, Facts.LABELS).items()}
        assert labels
        assert labels == store._labels_on_disk(nodes)


def test_the_link_index_is_never_stale(tmp_path: Path) -> None:
    from rdflib import Graph, Literal, URIRef

    from journeykg.namespaces import JKG, RDF, RDFS

    x, fresh = URIRef(BASE + "process/x"), URIRef(BASE + "process/nieuw")
    store = EmbeddedStore(tmp_path / "kg", BASE)
    with store:
        store.upsert(read_fixture("impact_small.ttl"))
        store.build_indexes()
        before = impact(store, "process/x")
        assert "process/nieuw" not in {a.element.id for a in before.affected}

        # A write between two questions: the second sees it, index or not.
        added = Graph()
        added.add((fresh, RDF.type, JKG.BackofficeProcess))
        added.add((fresh, RDFS.label, Literal("Nieuw", lang="nl")))
        added.add((fresh, JKG.dependsOn, x))
        store.upsert(added)
        assert store._links._index is None
        after = {a.element.id: a for a in impact(store, "process/x").affected}
        store.build_indexes()
        assert store._links.get() is not None
        indexed = {a.element.id: a for a in impact(store, "process/x").affected}
        assert indexed == after
        assert indexed["process/nieuw"].element.label == "Nieuw"
        assert indexed["process/nieuw"].relation == "DEPENDS_ON"

        # The sync's write path drops it too.
        store.apply(Graph(), retract=[fresh])
        assert store._links._index is None
        store.build_indexes()
        assert impact(store, "process/x") == before

        store.clear()
        store.build_indexes()
        assert store.element_facts([str(x)], Facts.LABELS) == {}


def test_many_nodes_edges_from_one_pass_are_the_lookups_edges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # From _SCAN_FROM nodes a request is one pass over its predicate, abandoned
    # for the lookups past _SCAN_QUADS_PER_NODE quads a node: the same edges,
    # in the same order, every way.
    from journeykg.graph import embedded
    from journeykg.namespaces import JKG

    data = read_fixture("impact_small.ttl")
    # Reversed: the edges must follow the order the nodes are asked in.
    nodes = sorted({str(n) for n in data.all_nodes() if str(n).startswith(BASE)}, reverse=True)
    requests = [
        EdgeRequest(str(p), nodes, inverse)
        for p in (JKG.dependsOn, JKG.supportedBy, JKG.atStep, JKG.stepOf, JKG.placedOn)
        for inverse in (False, True)
    ]
    with EmbeddedStore(tmp_path / "store", BASE) as store:
        store.upsert(data)
        looked_up = store.edges(requests).found
        monkeypatch.setattr(embedded, "_SCAN_FROM", 1)
        assert store.edges(requests).found == looked_up  # one pass each
        monkeypatch.setattr(embedded, "_SCAN_QUADS_PER_NODE", 0)
        assert store.edges(requests).found == looked_up  # each pass given up
    assert sum(len(edges) for edges in looked_up) > 10
