"""Two per-node SPARQL rules of the core shapes, evaluated with one pass over the data.

shapes/core-mandatory.ttl writes two rules as SPARQL constraints, which stay
the rules' definitions (their IRIs and their messages in nl and en):

- ``jkgsh:Step-sequence-unique``: no two steps of one journey share a
  sequence number;
- ``jkgsh:BackofficeProcess-dependsOn-notSelf``: a process does not depend
  on itself.

pySHACL runs such a constraint as one SPARQL query per focus node: about
3,200 queries (51 s of a 113 s load) for a 10,000-node organisation, and the
queries grow with the organisation. :func:`core_rule_results` reaches the
same results with one index per rule (journey → sequence number → steps;
the processes among their own ``jkg:dependsOn`` values), so the gate runs
pySHACL without these constraints (:mod:`.pyshacl_shapes`) and adds these
results, as it does for :mod:`.label_index`. The same is done for
``jkgsh:DisjointCoreClasses-type`` (one kind of core element per IRI, a
qualified value shape over ``rdf:type``), not SPARQL but as costly: pySHACL
re-reads its 15-class ``sh:in`` list for every focus node.
``tests/validation/test_core_rules_index.py`` holds them to plain pySHACL's.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import BNode, Graph, Literal
from rdflib.collection import Collection as RdfList
from rdflib.term import Node

from journeykg.namespaces import JKG, JKGSH, RDF, RDFS, SH
from journeykg.ontology_graph import load_shapes
from journeykg.validation.graph_index import NOTHING, subject_index

SEQUENCE_UNIQUE_SHAPE = JKGSH["Step-sequence-unique"]
NOT_SELF_SHAPE = JKGSH["BackofficeProcess-dependsOn-notSelf"]
#: The shapes whose SPARQL constraints this module evaluates.
CORE_RULE_SHAPES = (SEQUENCE_UNIQUE_SHAPE, NOT_SELF_SHAPE)
#: "One kind of core element" (a qualified value shape over rdf:type): pySHACL
#: rebuilds the sh:in list of jkgsh:CoreClass for every focus node, half of the
#: gate's time at 100k nodes; this module evaluates it with a set instead.
DISJOINT_SHAPE = JKGSH["DisjointCoreClasses-type"]


def _focus_nodes(data: Graph, shape: Node) -> set[Node]:
    """The nodes ``shape`` targets in ``data``, as pySHACL finds them for ``sh:targetClass``.

    The shape is reached through ``sh:property`` of a node shape with a
    target class (or has one itself); its focus nodes are the instances of
    that class and of its subclasses (``rdfs:subClassOf*`` in ``data``).
    """
    shapes = load_shapes()
    holders = [shape, *shapes.subjects(SH.property, shape)]
    classes = {c for holder in holders for c in shapes.objects(holder, SH.targetClass)}
    assert classes, f"the shapes lost the target of {shape}"
    todo, seen = list(classes), set(classes)
    while todo:
        for sub in data.subjects(RDFS.subClassOf, todo.pop()):
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return {s for cls in seen for s in data.subjects(RDF.type, cls)}


def _duplicate_sequences(data: Graph) -> list[tuple[Node, Node]]:
    """(step, sequence number) rows of ``Step-sequence-unique``'s query, in one pass.

    The query: ``$this`` has ``?value`` and a journey that another step
    (``?other != $this``) also has, with the same ``?value``; DISTINCT.
    """
    path = load_shapes().value(SEQUENCE_UNIQUE_SHAPE, SH.path)
    steps_at: dict[tuple[Node, Node], set[Node]] = defaultdict(set)  # (journey, value) → steps
    journeys: dict[Node, list[Node]] = defaultdict(list)
    for step, journey in data.subject_objects(JKG.stepOf):
        journeys[step].append(journey)
    for step, value in data.subject_objects(path):
        for journey in journeys.get(step, ()):
            steps_at[(journey, value)].add(step)
    focus = _focus_nodes(data, SEQUENCE_UNIQUE_SHAPE)
    rows: set[tuple[Node, Node]] = set()
    for (_, value), steps in steps_at.items():
        if len(steps) > 1:
            rows.update((step, value) for step in steps if step in focus)
    return sorted(rows)


def _self_dependencies(data: Graph) -> list[tuple[Node, Node]]:
    """(process, itself) rows of ``BackofficeProcess-dependsOn-notSelf``'s query."""
    path = load_shapes().value(NOT_SELF_SHAPE, SH.path)
    focus = _focus_nodes(data, NOT_SELF_SHAPE)
    return sorted((s, o) for s, o in data.subject_objects(path) if s == o and s in focus)


def _several_core_types(data: Graph) -> list[Node]:
    """Focus nodes of ``DisjointCoreClasses-type`` with more than one type in jkgsh:CoreClass.

    The shape: its path is rdf:type, its qualified value shape a node shape
    with only ``sh:in`` (the core classes), ``sh:qualifiedMaxCount`` 1.
    """
    shapes = load_shapes()
    qualified = shapes.value(DISJOINT_SHAPE, SH.qualifiedValueShape)
    listed = shapes.value(qualified, SH["in"])
    limit = shapes.value(DISJOINT_SHAPE, SH.qualifiedMaxCount)
    assert listed is not None, f"{DISJOINT_SHAPE} lost its sh:in list"
    assert isinstance(limit, Literal), f"{DISJOINT_SHAPE} lost its sh:qualifiedMaxCount"
    core = set(RdfList(shapes, listed))
    focus = _focus_nodes(data, DISJOINT_SHAPE)
    most, rdf_type = int(limit), RDF.type
    spo = subject_index(data)  # rdflib's own index where it has one: a lookup per focus node
    if spo is not None:
        several = [
            n for n in focus if len(core.intersection(spo.get(n, NOTHING).get(rdf_type, ()))) > most
        ]
    else:
        several = [n for n in focus if len(core & set(data.objects(n, rdf_type))) > most]
    return sorted(several, key=str)


def core_rule_results(data: Graph) -> Graph:
    """Both rules' results over ``data``, in SHACL's report vocabulary.

    One result per row of the constraint's query, as pySHACL gives: focus
    node ``$this``, the shape's path, value ``?value``, the messages with
    ``{$this}`` and ``{?value}`` filled in.
    """
    results = Graph()
    for shape, rows in (
        (SEQUENCE_UNIQUE_SHAPE, _duplicate_sequences(data)),
        (NOT_SELF_SHAPE, _self_dependencies(data)),
    ):
        for focus, value in rows:
            _add_result(results, shape, focus, value)
    shapes = load_shapes()
    messages = [m for m in shapes.objects(DISJOINT_SHAPE, SH.message) if isinstance(m, Literal)]
    severity = shapes.value(DISJOINT_SHAPE, SH.severity) or SH.Violation
    for focus in _several_core_types(data):
        # As pySHACL reports a core constraint: no value, the messages as written.
        result = BNode()
        results.add((result, RDF.type, SH.ValidationResult))
        results.add((result, SH.focusNode, focus))
        results.add((result, SH.resultPath, RDF.type))
        results.add((result, SH.sourceConstraintComponent, SH.QualifiedMaxCountConstraintComponent))
        results.add((result, SH.sourceShape, DISJOINT_SHAPE))
        results.add((result, SH.resultSeverity, severity))
        for message in messages:
            results.add((result, SH.resultMessage, message))
    return results


def _add_result(results: Graph, shape: Node, focus: Node, value: Node) -> None:
    shapes = load_shapes()
    constraint = shapes.value(shape, SH.sparql)
    assert constraint is not None, f"the shapes lost the SPARQL constraint of {shape}"
    path = shapes.value(shape, SH.path)
    assert path is not None, f"the shapes lost the path of {shape}"
    severity = shapes.value(shape, SH.severity) or SH.Violation
    # pySHACL reports the shape's messages and the constraint's own (it has none today).
    templates = [
        m
        for node in (shape, constraint)
        for m in shapes.objects(node, SH.message)
        if isinstance(m, Literal)
    ]
    result = BNode()
    results.add((result, RDF.type, SH.ValidationResult))
    results.add((result, SH.focusNode, focus))
    results.add((result, SH.resultPath, path))
    results.add((result, SH.value, value))
    results.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    results.add((result, SH.sourceShape, shape))
    results.add((result, SH.sourceConstraint, constraint))
    results.add((result, SH.resultSeverity, severity))
    for template in templates:
        text = str(template)
        for name, term in (("this", focus), ("value", value), ("path", path)):
            text = text.replace(f"{{${name}}}", str(term)).replace(f"{{?{name}}}", str(term))
        results.add((result, SH.resultMessage, Literal(text, lang=template.language)))
