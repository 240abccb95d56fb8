"""The shapes as the gate hands them to pySHACL: the same rules, in a form it runs in linear time.

pySHACL evaluates a property shape reached through ``sh:property`` once per
focus node, paying a fixed cost each time (it looks the shape's parameters
up again, comparing every predicate of the shape with every constraint
parameter it knows); a property shape with its own target is evaluated
once for all its focus nodes. With 16 property shapes on a glossary concept
that was 16,000 evaluations for 1,000 concepts. So, in the copy handed to
pySHACL only (shapes/ stays as written):

- a node shape that only groups property shapes under its targets hands
  its targets to those property shapes, which then stand alone. Their
  results are the same: each names the property shape, the focus node and
  the path, whichever way the property shape was reached;
- annotations that change no result (``sh:name``, ``sh:order``, labels)
  are left out, so that there are fewer predicates to compare;
- the unique-label SPARQL constraints are left out: they compare every
  concept with every other, and :mod:`.label_index` evaluates them with an
  index instead;
- so are the step-sequence and self-dependency SPARQL constraints: pySHACL
  runs each as one query per focus node, and :mod:`.core_rules_index`
  evaluates them in one pass instead, and so does it for
  ``jkgsh:DisjointCoreClasses-type`` (one kind of core element), which
  pySHACL re-reads a 15-class ``sh:in`` list for at every focus node.

``tests/validation/test_pyshacl_shapes.py`` holds the gate's results to
those of pySHACL on the shapes as written.
"""

from __future__ import annotations

from functools import cache

from rdflib import Graph

from journeykg.namespaces import RDF, RDFS, SH
from journeykg.ontology_graph import load_shapes
from journeykg.validation.core_rules_index import CORE_RULE_SHAPES, DISJOINT_SHAPE
from journeykg.validation.label_index import UNIQUE_LABEL_SHAPES

#: How a shape names its focus nodes.
_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
#: What a node shape may hold and still be only a group of property shapes.
_GROUPING = frozenset(
    {*_TARGETS, SH.property, RDF.type, RDFS.label, RDFS.comment, SH.name, SH.description}
)
#: Links through which a shape is used inside another (its properties must stay with it).
_NESTING = (SH.node, SH.qualifiedValueShape, SH["or"], SH["and"], SH["not"], SH.xone)
#: Annotations no validation result depends on.
_INERT = (SH.name, SH.order, SH.group, SH.description, RDFS.label, RDFS.comment)


@cache
def shapes_for_pyshacl() -> Graph:
    """The shapes (load_shapes()) rewritten as the module says. Read-only: it is shared."""
    shapes = Graph()
    shapes += load_shapes()
    for shape in (*UNIQUE_LABEL_SHAPES, *CORE_RULE_SHAPES):
        shapes.remove((shape, SH.sparql, None))
    nested = {o for link in _NESTING for o in shapes.objects(None, link)}
    for node in set(shapes.subjects(SH.property, None)):
        if node in nested or any(p not in _GROUPING for p in shapes.predicates(node)):
            continue
        targets = [(p, o) for p in _TARGETS for o in shapes.objects(node, p)]
        if not targets:
            continue
        for prop in list(shapes.objects(node, SH.property)):
            if prop in nested or len(set(shapes.subjects(SH.property, prop))) != 1:
                continue  # used elsewhere too: it must stay where it is
            shapes.remove((node, SH.property, prop))
            for p, o in targets:
                shapes.add((prop, p, o))
    for annotation in _INERT:
        shapes.remove((None, annotation, None))
    shapes.remove((DISJOINT_SHAPE, None, None))  # evaluated by core_rules_index
    shapes.remove((None, SH.property, DISJOINT_SHAPE))
    return shapes
