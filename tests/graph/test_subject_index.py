"""A graph's triples by subject, from rdflib's own index or grouped: the same either way."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, Literal
from rdflib.plugins.stores.memory import SimpleMemory

from journeykg.graph import subject_index as subject_index_module
from journeykg.graph.neo4j_bulk import subject_batches
from journeykg.graph.property_graph import PropertyGraphMapping
from journeykg.graph.subject_index import SubjectSlice, grouped, sliced, subject_index
from journeykg.namespaces import JKG, RDF, RDFS
from journeykg.ontology_graph import load_ontology
from journeykg.resources import DEMO_DATASET
from journeykg.validation.graph_index import iri_objects_of, subjects_of
from journeykg.validation.graph_index import subject_index as rdflib_index

mapping = PropertyGraphMapping.from_ontology(load_ontology())


def _demo(store: SimpleMemory | None = None) -> Graph:
    """The demo organisation, as a load's delta holds it (SimpleMemory) or in rdflib's default."""
    graph = Graph(store=store) if store is not None else Graph()
    graph.parse(DEMO_DATASET, format="turtle")
    # A property with several values of each kind, so that rows lists them.
    for n in range(3):
        graph.add((JKG[f"x{n}"], RDF.type, JKG.Process))
        graph.add((JKG[f"x{n}"], RDFS.label, Literal(f"label {n}", lang="nl")))
        graph.add((JKG[f"x{n}"], RDFS.label, Literal(f"label {n + 1}", lang="nl")))
        graph.add((JKG[f"x{n}"], JKG.dependsOn, JKG[f"x{(n + 1) % 3}"]))
        graph.add((JKG[f"x{n}"], JKG.dependsOn, JKG[f"x{(n + 2) % 3}"]))
    return graph


def _as_sets(index: object) -> dict[object, dict[object, set[object]]]:
    return {s: {p: set(o) for p, o in by_p.items()} for s, by_p in index.items()}  # type: ignore[attr-defined]


def test_the_memory_index_is_read_and_holds_what_grouping_the_triples_gives() -> None:
    fast = _demo(SimpleMemory())
    generic = _demo()
    assert subject_index(fast) is fast.store._SimpleMemory__spo  # type: ignore[attr-defined]
    assert _as_sets(subject_index(fast)) == _as_sets(grouped(generic))
    assert sum(len(list(o)) for by_p in subject_index(fast).values() for o in by_p.values()) == len(
        generic
    )


def test_rows_and_their_count_are_the_same_from_either_store() -> None:
    fast_rows, fast_count = mapping.rows_counted(_demo(SimpleMemory()), lambda iri: iri[-8:])
    rows, count = mapping.rows_counted(_demo(), lambda iri: iri[-8:])
    assert fast_count == count == len(_demo())
    assert [r.iri for r in fast_rows] == sorted(r.iri for r in rows)
    for a, b in zip(fast_rows, rows, strict=True):
        assert (a.key, a.labels, a.properties, a.replaced_predicates, a.replaces_types) == (
            b.key,
            b.labels,
            b.properties,
            b.replaced_predicates,
            b.replaces_types,
        )
        # Edge targets in any order: a graph's triples are a set.
        assert {k: sorted(v) for k, v in a.relationships.items()} == {
            k: sorted(v) for k, v in b.relationships.items()
        }


def test_batches_hold_whole_subjects_in_iri_order_and_resume_after_a_subject() -> None:
    delta = _demo(SimpleMemory())
    subjects = sorted(str(s) for s in set(delta.subjects()))
    batches = subject_batches(delta, 7)
    cut = [sorted(str(s) for s in set(b.subjects())) for b in batches]
    assert [s for part in cut for s in part] == subjects
    assert all(len(part) == 7 for part in cut[:-1])
    assert sum(len(b) for b in batches) == len(delta)
    # Each subject's triples whole, in the batch it falls in.
    for batch in batches:
        for s in set(batch.subjects()):
            assert set(batch.triples((s, None, None))) == set(delta.triples((s, None, None)))
    resumed = subject_batches(delta, 7, after=cut[1][-1])
    assert [sorted(str(s) for s in set(b.subjects())) for b in resumed] == cut[2:]


def test_batches_of_a_context_aware_graph_read_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    # journeykg restore parses into a context-aware graph, which has no subject index
    # to read: the triples are grouped once for all batches, not once per batch
    # (a 1M restore's 41 batches each walked all 3.7M triples).
    delta = _demo(None)
    assert rdflib_index(delta) is None
    passes: list[int] = []

    def counted(triples: Any) -> Any:
        passes.append(1)
        return grouped(triples)

    monkeypatch.setattr(subject_index_module, "grouped", counted)
    batches = subject_batches(delta, 7)
    assert len(batches) > 3
    assert len(passes) == 1
    assert sum(len(b) for b in batches) == len(delta)


def test_a_subject_whose_triples_were_removed_makes_no_row_and_no_batch_triples() -> None:
    # rdflib keeps the emptied entries of removed triples in its index: a delta that a
    # reader trimmed (loaders/skos_glossary.py removes statuses) must not write an empty
    # node for a subject it no longer holds, nor a predicate it no longer names.
    fast = _demo(SimpleMemory())
    fast.remove((JKG.x0, None, None))
    fast.remove((JKG.x1, JKG.dependsOn, None))
    rows, count = mapping.rows_counted(fast, lambda iri: iri[-8:])
    assert count == len(_demo()) - 5 - 2
    assert str(JKG.x0) not in {r.iri for r in rows}
    x1 = next(r for r in rows if r.iri == str(JKG.x1))
    assert "dependsOn" not in " ".join(x1.relationships)
    assert x1.replaces_types
    batched = subject_batches(fast, 1000)
    assert sum(len(b) for b in batched) == count


def test_a_slice_answers_every_question_as_a_copy_of_its_subjects_would() -> None:
    # A batch of a bulk write is a read-only view of the delta's entries
    # (graph/subject_index.py, SubjectSlice): the same answers as a graph that holds
    # a copy of the same subjects' triples, for every shape of question.
    delta = _demo(SimpleMemory())
    chosen = sorted({s for s in delta.subjects() if str(s) < str(JKG["x1"])}, key=str)[-40:]
    view = sliced(delta, chosen)
    assert isinstance(view.store, SubjectSlice)
    copy = Graph()
    for s in chosen:
        for triple in delta.triples((s, None, None)):
            copy.add(triple)
    assert len(copy) > 40
    assert len(view) == len(copy)
    assert set(view) == set(copy)
    assert _as_sets(subject_index(view)) == _as_sets(grouped(copy))
    assert subjects_of(view) == subjects_of(copy)
    assert iri_objects_of(view) == iri_objects_of(copy)
    some = next(iter(copy))
    patterns = [
        (s, p, o)
        for s in (None, some[0])
        for p in (None, some[1], RDF.type)
        for o in (None, some[2], JKG.Process)
    ]
    for pattern in patterns:
        assert set(view.triples(pattern)) == set(copy.triples(pattern)), pattern
    with pytest.raises(TypeError, match="read-only"):
        view.add((JKG.x0, RDFS.label, Literal("nieuw")))
    # The delta is left as it was.
    assert len(delta) == len(_demo(SimpleMemory()))
