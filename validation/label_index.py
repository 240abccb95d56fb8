""" "One preferred label names one concept", checked with an index instead of all pairs.

The glossary's rule is written in shapes/glossary.ttl as a SPARQL constraint
(``jkgsh:GlossaryConcept-prefLabel-unique``), which stays the rule's
definition: its IRI, its messages and its exceptions (closed concepts, a
change proposal and the concept it changes). pySHACL evaluates that
constraint once per concept, and each evaluation compares the concept's
labels with every label of the data: quadratic, 1,011 s for a 236-concept
glossary on a loaded 2-core machine. :func:`label_clashes` reaches the same
results in one pass, with an index from (scheme, language, lower-cased
label) to the concepts that use it; the gate runs pySHACL without these
constraints (:mod:`.pyshacl_shapes`) and adds these results. The governed
definitions' rule (``jkgsh:GovernedItem-uniqueLabel``, shapes/governance.ttl)
has the same form and the same cost, and is evaluated here too.
``tests/validation/test_pyshacl_shapes.py`` holds both to the SPARQL's results.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import BNode, Graph, Literal
from rdflib.term import Node

from journeykg.namespaces import JKG, JKGSH, RDF, REG, SH, SKOS
from journeykg.ontology_graph import load_shapes

#: The shapes whose SPARQL constraints this module evaluates: the glossary's
#: (shapes/glossary.ttl) and the governed definitions' outside glossaries (shapes/governance.ttl).
UNIQUE_LABEL_SHAPE = JKGSH["GlossaryConcept-prefLabel-unique"]
GOVERNED_UNIQUE_LABEL_SHAPE = JKGSH["GovernedItem-uniqueLabel"]
UNIQUE_LABEL_SHAPES = (UNIQUE_LABEL_SHAPE, GOVERNED_UNIQUE_LABEL_SHAPE)

#: Statuses of closed concepts, which neither clash nor are clashed with.
_CLOSED = frozenset({JKG.statusRetired, JKG.statusSuperseded, JKG.statusRejected})

#: (scheme, language, lower-cased label): what a clash is found by.
_Key = tuple[Node, str | None, str]


def _constraint(shape: Node) -> tuple[Node, list[Literal]]:
    shapes = load_shapes()
    constraint = shapes.value(shape, SH.sparql)
    assert constraint is not None, f"the shapes lost the SPARQL constraint of {shape}"
    messages = [m for m in shapes.objects(constraint, SH.message) if isinstance(m, Literal)]
    return constraint, messages


def _key(scheme: Node, label: Literal) -> _Key:
    return scheme, label.language, str(label).lower()


def label_clashes(data: Graph) -> Graph:
    """Both unique-label constraints' results over ``data``, in SHACL's report vocabulary.

    One result per (focus, label, other concept), as pySHACL gives one per
    row of the SPARQL query: an element whose preferred label another
    element of the same scheme also uses in the same language, ignoring case.
    """
    glossaries = set(data.subjects(RDF.type, JKG.Glossary))
    closed = {s for s, o in data.subject_objects(REG.status) if o in _CLOSED}
    changes = set(data.subject_objects(JKG.proposedChangeTo))
    concepts = set(data.subjects(RDF.type, SKOS.Concept))
    in_glossary: dict[_Key, set[Node]] = defaultdict(set)  # any member of a glossary
    typed: dict[_Key, set[Node]] = defaultdict(set)  # skos:Concepts, for governed items
    schemes: dict[Node, list[Node]] = defaultdict(list)
    for member, scheme in data.subject_objects(SKOS.inScheme):
        schemes[member].append(scheme)
        if member in closed:
            continue
        for label in data.objects(member, SKOS.prefLabel):
            if isinstance(label, Literal):
                if scheme in glossaries:
                    in_glossary[_key(scheme, label)].add(member)
                if member in concepts:
                    typed[_key(scheme, label)].add(member)
    results = Graph()
    rows: list[tuple[Node, Literal, Node, Node]] = []
    for (scheme, _, _), members in in_glossary.items():
        for member in members:
            for label in data.objects(member, SKOS.prefLabel):
                if not isinstance(label, Literal) or _key(scheme, label) not in in_glossary:
                    continue
                for other in in_glossary[_key(scheme, label)]:
                    pair = (member, other)
                    if other != member and pair not in changes and pair[::-1] not in changes:
                        rows.append((member, label, other, UNIQUE_LABEL_SHAPE))
    for item in set(data.subjects(REG.status)):
        if item in closed or any(s in glossaries for s in schemes.get(item, ())):
            continue
        changed = [o for o in data.objects(item, JKG.proposedChangeTo)] or [item]
        for label in data.objects(item, SKOS.prefLabel):
            if not isinstance(label, Literal):
                continue
            for concept in changed:
                for scheme in schemes.get(concept, ()):
                    for other in typed.get(_key(scheme, label), ()):
                        if other not in (concept, item):
                            rows.append((item, label, other, GOVERNED_UNIQUE_LABEL_SHAPE))
    seen: set[tuple[Node, Literal, Node, Node]] = set()
    for row in rows:
        if row not in seen:  # rows are sets of bindings: a pair found twice is one row
            seen.add(row)
            _add_result(results, *row)
    return results


def _add_result(results: Graph, concept: Node, label: Literal, other: Node, shape: Node) -> None:
    constraint, templates = _constraint(shape)
    result = BNode()
    results.add((result, RDF.type, SH.ValidationResult))
    results.add((result, SH.focusNode, concept))
    results.add((result, SH.resultPath, SKOS.prefLabel))
    results.add((result, SH.value, label))
    results.add((result, SH.sourceConstraintComponent, SH.SPARQLConstraintComponent))
    results.add((result, SH.sourceShape, shape))
    results.add((result, SH.sourceConstraint, constraint))
    results.add((result, SH.resultSeverity, SH.Violation))
    for template in templates:
        text = str(template).replace("{?value}", str(label)).replace("{?other}", str(other))
        text = text.replace("{$this}", str(concept)).replace("{?this}", str(concept))
        results.add((result, SH.resultMessage, Literal(text, lang=template.language)))
