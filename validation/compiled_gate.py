"""The SHACL gate of a large delta (a file load): compiled shapes, indexes, pySHACL where needed.

:func:`journeykg.validation.gate.check` hands the whole merged view to pySHACL:
for the 1M organisation (3.7M triples) that was 92 s of a 329 s load, most of
it pySHACL's per-node bookkeeping and a copy of the data into a graph with
contexts. :func:`check_compiled` reaches the same results (the same problems:
record, field, rule, messages) this way:

- the focus nodes every targeting shape of which compiles
  (:func:`.fast_shacl.compiled_gate_shapes`) are validated by the compiled
  subset, on the view as it is (no copy);
- the rules evaluated by an index over the whole data
  (:mod:`.label_index`, :mod:`.core_rules_index`) are run as the gate runs
  them, on the whole view;
- the other focus nodes go to pySHACL (without the indexed rules, as
  always), on a cut of the view: their own triples and those of every node
  within :data:`HOPS` links of them, plus the triples that point at them.
  No shape of journeykg looks further (a SPARQL constraint or target reads
  at most two links out, ``$this jkg:valueOf/jkg:kpiType``; ``sh:class``
  reads a value's types, one link), and the ontology is added as always;
- when the store holds nothing about the delta's neighbourhood (a first load)
  the view *is* the delta: nothing is copied.

``tests/validation/test_compiled_gate.py`` holds it to :func:`check` on every
shape fixture and on generated organisations with a violation of each rule
injected.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from journeykg.ids import Identifiers
from journeykg.namespaces import SKOS
from journeykg.ontology_graph import load_ontology
from journeykg.validation.fast_shacl import Result, compiled_gate_shapes
from journeykg.validation.gate import (
    GateResult,
    StoredContext,
    _order,
    _problems,
    curie,
    merged_view,
    problem,
    results_about,
    run_pyshacl,
    with_results,
)
from journeykg.validation.graph_index import iri_objects_of, subjects_of
from journeykg.validation.problems import Problem

#: How many links out of a focus node pySHACL's cut of the view reaches (see the module).
HOPS = 2


def check_compiled(
    delta: Graph,
    store: StoredContext | None,
    source: str,
    ids: Identifiers,
    *,
    retract: Collection[URIRef] = (),
) -> GateResult:
    """:func:`journeykg.validation.gate.check` (without ``context``): the same problems, faster.

    ``delta`` is left as it was given (the ontology is added to it for the
    validation only when it is used as the view itself, and taken out again).
    """
    focus = sorted(subjects_of(delta), key=str)
    if not focus:
        return GateResult(conforms=True)
    data = _view(delta, store, retract)
    with _with_ontology(data):
        compiled, results = _validate(data, focus)
    # The compiled shapes' results become problems as they are: a results graph of them
    # would be built only to be read back (seconds for the 30,084 of the 1M organisation).
    problems = sorted(
        [*(_problem(result, source, ids) for result in compiled), *_problems(results, source, ids)],
        key=_order,
    )
    return GateResult(
        conforms=not any(p.severity == "Violation" for p in problems), problems=problems
    )


def _problem(result: Result, source: str, ids: Identifiers) -> Problem:
    """The problem a compiled result states, as :func:`.gate._problems` reads it from a
    results graph (the compiled subset has no path but a property IRI)."""
    return problem(
        source,
        ids,
        focus=result.focus,
        path=curie(result.path) if result.path is not None else None,
        value=result.value,
        component=result.component,
        shape=result.shape,
        severity=result.severity,
        messages=result.messages,
    )


def _view(delta: Graph, store: StoredContext | None, retract: Collection[URIRef]) -> Graph:
    """The merged view (:func:`.gate.merged_view`); the delta itself when nothing is stored."""
    if store is None:
        return delta
    # The delta's subjects and the IRIs it points at, from its indexes where it has them.
    subjects, neighbours = subjects_of(delta), iri_objects_of(delta)
    labels = {o for o in delta.objects(None, SKOS.prefLabel) if isinstance(o, Literal)}
    if labels:
        neighbours |= store.concepts_labelled(labels) - subjects
    if next(iter(store.describe(subjects | neighbours)), None) is None:
        return delta  # nothing stored to keep or replace: the view is the delta
    return merged_view(delta, store, retract, into=Graph(store=SimpleMemory()))


@contextmanager
def _with_ontology(data: Graph) -> Iterator[None]:
    """``data`` with the ontology's triples in it inside the block (those it lacked, out after).

    pySHACL's gate validates the data with the ontology added (``sh:class``
    sees ``rdfs:subClassOf``, the indexes find a class's subclasses); the
    compiled shapes and the indexes see it the same way here, without a copy
    of a view of millions of triples.
    """
    add, remove = data.store.add, data.store.remove
    added = [t for t in load_ontology() if t not in data]
    for triple in added:
        add(triple, data)
    try:
        yield
    finally:
        for triple in added:
            remove(triple, data)


def _validate(data: Graph, focus: list[URIRef]) -> tuple[list[Result], Graph]:
    """The SHACL results about ``focus`` in ``data`` (the ontology in it), as :func:`.gate.check`'s.

    Compiled shapes where every shape targeting a node compiles (their results as
    they are), the indexed rules over all of ``data`` and pySHACL on a cut of
    ``data`` for the rest (their results as a graph).
    """
    from journeykg.validation.core_rules_index import core_rule_results
    from journeykg.validation.label_index import label_clashes

    compiled = compiled_gate_shapes()
    fast, slow = compiled.split(focus, data)
    compiled_results = compiled.validate(fast, data)
    results = Graph(store=SimpleMemory())
    wanted = set(focus)
    for extra in (label_clashes(data), core_rule_results(data)):
        _, about = results_about(extra, wanted)
        with_results(results, about)
    if slow:
        _, found = run_pyshacl(neighbourhood(data, slow))
        _, about = results_about(found, set(slow))
        for triple in about:
            results.add(triple)
    return compiled_results, results


def neighbourhood(data: Graph, nodes: Collection[URIRef], hops: int = HOPS) -> Graph:
    """The triples of ``data`` about ``nodes`` and every node within ``hops`` links out of
    them, and the triples that point at ``nodes``: pySHACL's cut of the view (a graph
    with contexts, as pySHACL wants it)."""
    cut = Graph()
    add = cut.store.add
    frontier: set[Node] = set(nodes)
    seen: set[Node] = set()
    for _ in range(hops + 1):
        reached: set[Node] = set()
        for node in frontier - seen:
            seen.add(node)
            for triple in data.triples((node, None, None)):
                add(triple, cut)
                reached.add(triple[2])
        frontier = {n for n in reached if not isinstance(n, Literal)}
    for node in nodes:
        for triple in data.triples((None, None, node)):
            add(triple, cut)
    return cut
