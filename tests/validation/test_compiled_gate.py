"""The load gate by compiled shapes gives exactly the problems of the pySHACL gate.

validation/compiled_gate.py validates most focus nodes by the compiled subset
of SHACL, the indexed rules over the whole view and the rest by pySHACL on a
cut of the view; validation/gate.py's ``check`` runs pySHACL on all of it.
Both must name the same problems (record, field, rule, value, message,
severity): on every shape fixture, and on a generated organisation with every
bad fixture (a violation of each rule) planted in it, with and without a
store that holds part of the data.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory

from bench.synthetic import BASE, generate
from journeykg.graph.gate_view import GateView
from journeykg.graph.store import Store
from journeykg.ids import Identifiers
from journeykg.namespaces import JKG, RDF, RDFS
from journeykg.validation.compiled_gate import check_compiled, neighbourhood
from journeykg.validation.gate import GateResult, check
from journeykg.validation.graph_index import subjects_of

SHAPES = Path(__file__).resolve().parents[1] / "shapes"
FIXTURE_DIRS = ("fixtures", "fixtures-insights", "fixtures-mining", "fixtures-sync", "governance")
CASES = sorted(
    p for d in FIXTURE_DIRS for p in (SHAPES / d).glob("*.ttl") if not p.name.startswith("_")
)
IDS = Identifiers(BASE)


def _fixture(path: Path) -> Graph:
    data = Graph(store=SimpleMemory())
    context = path.parent / "_context.ttl"
    if context.exists():
        data.parse(context)
    return data.parse(path)


def _copy(graph: Graph) -> Graph:
    out = Graph(store=SimpleMemory())
    for triple in graph:
        out.add(triple)
    return out


def _problems(result: GateResult) -> Counter[tuple[object, ...]]:
    """The problems as a multiset: the order of equal keys is pySHACL's own, not a rule."""
    return Counter(
        (p.file, p.node, p.property, p.value, p.rule, p.message, p.severity)
        for p in result.problems
    )


def _organisation() -> Graph:
    return _copy(generate(300).graph)


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_a_fixture_gets_the_same_problems(path: Path) -> None:
    data = _fixture(path)
    before = set(data)
    compiled = check_compiled(data, None, "f.ttl", IDS)
    assert set(data) == before  # the delta is given back as it came
    expected = check(_copy(data), None, "f.ttl", IDS)
    assert _problems(compiled) == _problems(expected)
    assert compiled.conforms == expected.conforms
    if path.name.endswith(".bad.ttl"):
        assert expected.violations or expected.problems  # a bad fixture breaks a rule


@pytest.mark.parametrize(
    "path", [p for p in CASES if p.name.endswith(".bad.ttl")], ids=lambda p: p.name
)
def test_a_violation_planted_in_an_organisation_is_found_alike(path: Path) -> None:
    data = _organisation()
    for triple in _fixture(path):
        data.add(triple)
    compiled = check_compiled(data, None, "org.nt", IDS)
    expected = check(_copy(data), None, "org.nt", IDS)
    assert _problems(compiled) == _problems(expected)
    assert compiled.conforms == expected.conforms
    planted = {IDS.key(str(s)) for s in subjects_of(_fixture(path))}
    assert {p.node for p in expected.problems} & planted  # the planted rule fired


def test_an_organisation_with_broken_core_rules_is_refused_alike() -> None:
    data = _organisation()
    steps = sorted((s for s in data.subjects(RDF.type, JKG.Step)), key=str)
    processes = sorted((s for s in data.subjects(RDF.type, JKG.BackofficeProcess)), key=str)
    touchpoints = sorted((s for s in data.subjects(RDF.type, JKG.Touchpoint)), key=str)
    data.set((steps[1], JKG.sequence, Literal(1)))  # the same number as step 0 of its journey
    data.add((processes[7], JKG.dependsOn, processes[7]))  # depends on itself
    data.add((touchpoints[3], RDF.type, JKG.Step))  # two kinds of core element
    data.remove((processes[9], RDFS.label, None))  # no label
    data.add((processes[11], RDFS.label, Literal("zonder taal")))  # a label without language
    data.set((touchpoints[5], JKG.viaChannel, processes[2]))  # not a channel
    compiled = check_compiled(data, None, "org.nt", IDS)
    expected = check(_copy(data), None, "org.nt", IDS)
    assert len(expected.violations) >= 6
    assert _problems(compiled) == _problems(expected)
    assert not compiled.conforms


def test_the_view_merged_with_a_store_gets_the_same_problems(store: Store) -> None:
    organisation = _organisation()
    subjects = sorted(subjects_of(organisation), key=str)
    held = set(subjects[::2])
    stored = Graph(store=SimpleMemory())
    for triple in organisation:
        if triple[0] in held:
            stored.add(triple)
    store.upsert(stored)
    delta = Graph(store=SimpleMemory())
    for triple in organisation:
        if triple[0] not in held:
            delta.add(triple)
    processes = sorted((s for s in delta.subjects(RDF.type, JKG.BackofficeProcess)), key=str)
    delta.add((processes[0], JKG.dependsOn, processes[0]))
    delta.remove((processes[1], RDFS.label, None))
    compiled = check_compiled(delta, GateView(store), "org.nt", store.ids)
    expected = check(_copy(delta), GateView(store), "org.nt", store.ids)
    assert expected.violations
    assert _problems(compiled) == _problems(expected)


def test_pyshacl_sees_the_nodes_two_links_out_and_what_points_in() -> None:
    a, b, c, d, e = (URIRef(f"{BASE}n/{x}") for x in "abcde")
    data = Graph(store=SimpleMemory())
    for triple in [(a, JKG.dependsOn, b), (b, JKG.dependsOn, c), (c, JKG.dependsOn, d)]:
        data.add(triple)
    data.add((e, JKG.dependsOn, a))
    cut = neighbourhood(data, [a], hops=2)
    assert set(cut) == {
        (a, JKG.dependsOn, b),
        (b, JKG.dependsOn, c),
        (c, JKG.dependsOn, d),
        (e, JKG.dependsOn, a),
    }
    assert (c, JKG.dependsOn, d) in cut  # c is two links out: its own triples are in
    assert set(neighbourhood(data, [a], hops=1)) == {
        (a, JKG.dependsOn, b),
        (b, JKG.dependsOn, c),
        (e, JKG.dependsOn, a),
    }
