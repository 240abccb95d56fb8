"""The core-rules index gives plain pySHACL's results for the two SPARQL rules it replaces.

validation/core_rules_index.py evaluates ``jkgsh:Step-sequence-unique`` and
``jkgsh:BackofficeProcess-dependsOn-notSelf`` in one pass instead of one
SPARQL query per focus node. Here the gate (pySHACL on the rewritten shapes
plus the indexes) is held to plain pySHACL on shapes/ as written: on the
shape fixtures (tests/validation/test_pyshacl_shapes.py covers every one)
and on a generated organisation with violations planted in it.
"""

from __future__ import annotations

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from journeykg.namespaces import JKG, RDF, RDFS, SH
from journeykg.validation.core_rules_index import (
    CORE_RULE_SHAPES,
    DISJOINT_SHAPE,
    NOT_SELF_SHAPE,
    SEQUENCE_UNIQUE_SHAPE,
    core_rule_results,
)
from journeykg.validation.pyshacl_shapes import shapes_for_pyshacl
from tests.validation.test_pyshacl_shapes import FIXTURES, _as_written, _gate

EX = Namespace("https://id.journeykg.example/test/")
CTX = Namespace("https://id.journeykg.example/test/context/")


def _step(data: Graph, name: str, journey: URIRef | None, *sequences: Literal) -> URIRef:
    step = EX[name]
    data.add((step, RDF.type, JKG.Step))
    data.add((step, RDFS.label, Literal(name, lang="nl")))
    if journey is not None:
        data.add((step, JKG.stepOf, journey))
    for sequence in sequences:
        data.add((step, JKG.sequence, sequence))
    return step


def _n(number: int) -> Literal:
    return Literal(number, datatype=XSD.integer)


def _planted() -> Graph:
    """Three journeys of ten steps, with duplicates and self-dependencies planted."""
    data = Graph().parse(FIXTURES / "_context.ttl")
    journeys = []
    for j in range(3):
        journey = EX[f"journey-{j}"]
        journeys.append(journey)
        data.add((journey, RDF.type, JKG.Journey))
        data.add((journey, RDFS.label, Literal(f"Reis {j}", lang="nl")))
        data.add((journey, JKG.placedOn, CTX.reason))
        data.add((journey, JKG.ownedBy, CTX.owner))
        for s in range(1, 11):  # the same numbers in every journey: no clash across journeys
            _step(data, f"journey-{j}/step-{s}", journey, _n(s))
    # Within a journey: a pair and a triple sharing a number.
    _step(data, "pair", journeys[0], _n(4))
    _step(data, "triple-a", journeys[1], _n(11))
    _step(data, "triple-b", journeys[1], _n(11))
    _step(data, "triple-c", journeys[1], _n(11))
    # Two numbers, one of them taken; a step in two journeys, clashing in one.
    _step(data, "two-numbers", journeys[2], _n(12), _n(7))
    two = _step(data, "two-journeys", journeys[0], _n(13))
    data.add((two, JKG.stepOf, journeys[2]))
    _step(data, "alone-in-2", journeys[2], _n(13))
    # The same number as another datatype is another term: no clash (SPARQL joins on terms).
    _step(data, "other-datatype", journeys[0], Literal("5", datatype=XSD.decimal))
    # A step of a subclass of jkg:Step is a focus node too; a non-step is not.
    data.add((EX.SpecialStep, RDFS.subClassOf, JKG.Step))
    special = EX["special-step"]
    data.add((special, RDF.type, EX.SpecialStep))
    data.add((special, RDFS.label, Literal("Bijzonder", lang="nl")))
    data.add((special, JKG.stepOf, journeys[2]))
    data.add((special, JKG.sequence, _n(2)))
    data.add((EX["not-a-step"], JKG.stepOf, journeys[2]))
    data.add((EX["not-a-step"], JKG.sequence, _n(3)))
    # Processes: one depends on itself and another, one only on another.
    for name, depends in (("proc-self", ("proc-self", "proc-other")), ("proc-other", ("proc-a",))):
        process = EX[name]
        data.add((process, RDF.type, JKG.BackofficeProcess))
        data.add((process, RDFS.label, Literal(name, lang="nl")))
        for other in depends:
            data.add((process, JKG.dependsOn, EX[other]))
    data.add((EX["proc-a"], RDF.type, JKG.BackofficeProcess))
    data.add((EX["proc-a"], RDFS.label, Literal("A", lang="nl")))
    data.add((EX["not-a-process"], JKG.dependsOn, EX["not-a-process"]))
    # One IRI of two kinds of core element; a subclass of one is no second kind
    # (sh:in compares the rdf:type terms, no inference).
    data.add((EX["proc-a"], RDF.type, JKG.Channel))
    data.add((EX["journey-1/step-1"], RDF.type, JKG.Touchpoint))
    data.add((special, RDF.type, JKG.Journey))
    data.add((EX["journey-1"], RDF.type, EX.SpecialStep))
    return data


def test_the_index_agrees_with_pyshacl_on_planted_violations() -> None:
    data = _planted()
    conforms, rows = _gate(data)
    assert (conforms, rows) == _as_written(data)
    found = {(focus, value, shape) for focus, _, value, _, shape, *_ in rows}
    # The plants are hit: if none were, agreeing would prove nothing.
    expected = {
        (EX["journey-0/step-4"], _n(4), SEQUENCE_UNIQUE_SHAPE),
        (EX["pair"], _n(4), SEQUENCE_UNIQUE_SHAPE),
        (EX["triple-a"], _n(11), SEQUENCE_UNIQUE_SHAPE),
        (EX["triple-b"], _n(11), SEQUENCE_UNIQUE_SHAPE),
        (EX["triple-c"], _n(11), SEQUENCE_UNIQUE_SHAPE),
        (EX["two-numbers"], _n(7), SEQUENCE_UNIQUE_SHAPE),
        (EX["journey-2/step-7"], _n(7), SEQUENCE_UNIQUE_SHAPE),
        (EX["two-journeys"], _n(13), SEQUENCE_UNIQUE_SHAPE),
        (EX["alone-in-2"], _n(13), SEQUENCE_UNIQUE_SHAPE),
        (EX["special-step"], _n(2), SEQUENCE_UNIQUE_SHAPE),
        (EX["journey-2/step-2"], _n(2), SEQUENCE_UNIQUE_SHAPE),
        (EX["journey-2/step-3"], _n(3), SEQUENCE_UNIQUE_SHAPE),
        (EX["proc-self"], EX["proc-self"], NOT_SELF_SHAPE),
    }
    assert {r for r in found if r[2] in CORE_RULE_SHAPES} == expected
    two_kinds = {f for f, _, s in found if s == DISJOINT_SHAPE}
    assert two_kinds == {EX["proc-a"], EX["journey-1/step-1"]}


def test_the_index_agrees_with_pyshacl_on_the_fixtures_of_its_rules() -> None:
    for name in ("step.bad.ttl", "step.ok.ttl", "backoffice-process.bad.ttl"):
        data = Graph().parse(FIXTURES / "_context.ttl").parse(FIXTURES / name)
        assert _gate(data) == _as_written(data), name
    bad = Graph().parse(FIXTURES / "_context.ttl").parse(FIXTURES / "step.bad.ttl")
    assert len(core_rule_results(bad)) > 0


def test_the_core_rules_are_left_to_the_index() -> None:
    shapes = shapes_for_pyshacl()
    for shape in CORE_RULE_SHAPES:
        assert (shape, SH.sparql, None) not in shapes
        assert (shape, SH.path, None) in shapes  # the shape stays, without its query
    assert (None, None, DISJOINT_SHAPE) not in shapes
    assert (DISJOINT_SHAPE, None, None) not in shapes
