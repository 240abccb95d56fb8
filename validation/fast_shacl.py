"""A compiled subset of SHACL Core, for the sync gate's hot path.

pySHACL spends milliseconds per focus node on bookkeeping (it looks up a
shape's parameters again for every nested value shape it evaluates), which
makes it validate about a hundred CRM records a second on a 2-core machine.
The shapes journeykg's records meet use a small part of SHACL Core; this
module compiles exactly that part into plain Python checks over rdflib
graphs, and produces results in SHACL's report vocabulary, so that the
gate turns them into problems with the same code as pySHACL's.

It is conservative: a shape using anything outside the supported set
(SPARQL constraints, sh:or, sh:node, property paths, ...) is not compiled,
and every focus node such a shape targets is validated by pySHACL instead
(:meth:`CompiledShapes.split`). ``tests/validation/test_fast_shacl.py`` checks
that both give the same results on every shape fixture.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cache
from typing import cast

from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection as RdfList
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from journeykg.namespaces import RDF, RDFS, SH, XSD
from journeykg.ontology_graph import load_ontology, load_shapes, vocabulary_term
from journeykg.validation.graph_index import NOTHING, subject_index

#: Parameters a compiled shape may have: constraints, and what does not change the results.
_CONSTRAINTS = frozenset(
    {
        SH.minCount,
        SH.maxCount,
        SH.datatype,
        SH["class"],
        SH.nodeKind,
        SH.uniqueLang,
        SH.languageIn,
        SH["in"],
        SH.minInclusive,
        SH.maxInclusive,
        SH.qualifiedValueShape,
        SH.qualifiedMinCount,
        SH.qualifiedMaxCount,
    }
)
_STRUCTURE = frozenset({SH.property, SH.path, SH.targetClass, SH.severity, SH.message, RDF.type})
_INERT = frozenset(
    {SH.name, SH.description, SH.order, SH.group, RDFS.label, RDFS.comment, SH.defaultValue}
)
_COMPONENT = {
    SH.minCount: SH.MinCountConstraintComponent,
    SH.maxCount: SH.MaxCountConstraintComponent,
    SH.datatype: SH.DatatypeConstraintComponent,
    SH["class"]: SH.ClassConstraintComponent,
    SH.nodeKind: SH.NodeKindConstraintComponent,
    SH.uniqueLang: SH.UniqueLangConstraintComponent,
    SH.languageIn: SH.LanguageInConstraintComponent,
    SH["in"]: SH.InConstraintComponent,
    SH.minInclusive: SH.MinInclusiveConstraintComponent,
    SH.maxInclusive: SH.MaxInclusiveConstraintComponent,
}
_CLASS, _IN = SH["class"], SH["in"]
_MIN_COUNT, _MAX_COUNT = SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent
_DATATYPE, _CLASS_C = SH.DatatypeConstraintComponent, SH.ClassConstraintComponent
_NODE_KIND, _LANGUAGE_IN = SH.NodeKindConstraintComponent, SH.LanguageInConstraintComponent
_IN_C, _UNIQUE_LANG = SH.InConstraintComponent, SH.UniqueLangConstraintComponent
_MIN_INCL, _MAX_INCL = SH.MinInclusiveConstraintComponent, SH.MaxInclusiveConstraintComponent
_QMIN, _QMAX = SH.QualifiedMinCountConstraintComponent, SH.QualifiedMaxCountConstraintComponent
_TYPE = RDF.type
_XSD_STRING, _LANG_STRING = XSD.string, RDF.langString
_RDFS_LITERAL, _RDFS_DATATYPE = RDFS.Literal, RDFS.Datatype
_PYTHON_TYPES: dict[Node, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


class UnsupportedError(Exception):
    """A shape uses SHACL beyond the compiled subset."""


@dataclass(frozen=True)
class Result:
    """One validation result, as pySHACL reports it."""

    focus: Node
    path: Node | None
    value: Node | None
    component: URIRef
    shape: Node
    severity: URIRef
    messages: tuple[Node, ...]


@dataclass
class _Shape:
    node: Node
    path: URIRef | None
    severity: URIRef
    messages: tuple[Node, ...]
    params: dict[URIRef, list[Node]]
    properties: list[_Shape] = field(default_factory=list)
    qualified: _Shape | None = None
    # The parameters, unpacked once (attribute access is what the hot loop pays).
    min_count: int | None = None
    max_count: int | None = None
    datatype: Node | None = None
    cls: Node | None = None
    node_kind: Node | None = None
    languages: frozenset[str] | None = None
    one_of: frozenset[Node] | None = None
    min_inclusive: Node | None = None
    max_inclusive: Node | None = None
    unique_lang: bool = False
    qualified_min: int | None = None
    qualified_max: int | None = None
    per_value: bool = False

    def unpack(self) -> None:
        p = self.params

        def one(key: URIRef) -> Node | None:
            return p[key][0] if key in p else None

        def number(key: URIRef) -> int | None:
            value = one(key)
            return int(value) if value is not None else None  # type: ignore[call-overload]

        self.min_count, self.max_count = number(SH.minCount), number(SH.maxCount)
        self.datatype, self.cls, self.node_kind = one(SH.datatype), one(_CLASS), one(SH.nodeKind)
        languages = one(SH.languageIn)
        if languages is not None:
            self.languages = frozenset(str(x).lower() for x in cast(tuple[Node, ...], languages))
        one_of = one(_IN)
        if one_of is not None:
            self.one_of = frozenset(cast(tuple[Node, ...], one_of))
        self.min_inclusive, self.max_inclusive = one(SH.minInclusive), one(SH.maxInclusive)
        self.unique_lang = one(SH.uniqueLang) == Literal(True)
        self.qualified_min = number(SH.qualifiedMinCount)
        self.qualified_max = number(SH.qualifiedMaxCount)
        self.per_value = any(
            x is not None
            for x in (
                self.datatype,
                self.cls,
                self.node_kind,
                self.languages,
                self.one_of,
                self.min_inclusive,
                self.max_inclusive,
            )
        )


def _compile(
    shapes: Graph, node: Node, *, nested: bool = False, indexed: frozenset[Node] = frozenset()
) -> _Shape:
    params: dict[URIRef, list[Node]] = {}
    for p, o in shapes.predicate_objects(node):
        if p in _INERT:
            continue
        if p not in _CONSTRAINTS and p not in _STRUCTURE:
            raise UnsupportedError(f"{node}: {p}")
        assert isinstance(p, URIRef)
        params.setdefault(p, []).append(o)
    path = params.pop(SH.path, [None])[0]
    if path is not None and not isinstance(path, URIRef):
        raise UnsupportedError(f"{node}: a property path")
    if path is not None:
        path = vocabulary_term(path)  # the parse's own object for it: lookups by identity
    if nested and (SH.property in params or path is not None):
        raise UnsupportedError(f"{node}: a nested shape with properties")
    severity = params.pop(SH.severity, [SH.Violation])[0]
    assert isinstance(severity, URIRef)
    shape = _Shape(
        node=node,
        path=path,
        severity=severity,
        messages=tuple(params.pop(SH.message, [])),
        params=params,
    )
    for child in params.pop(SH.property, []):
        if child not in indexed:  # evaluated by an index over the whole data instead
            shape.properties.append(_compile(shapes, child, indexed=indexed))
    qualified = params.pop(SH.qualifiedValueShape, [])
    if len(qualified) > 1:
        raise UnsupportedError(f"{node}: several qualified value shapes")
    if qualified:
        if path is None:
            raise UnsupportedError(f"{node}: a qualified value shape on a node shape")
        shape.qualified = _compile(shapes, qualified[0], nested=True)
    for key in (SH.languageIn, SH["in"]):
        if key in params:
            params[key] = [tuple(RdfList(shapes, params[key][0]))]  # type: ignore[list-item]
    for key, values in params.items():
        if key not in (SH.targetClass, RDF.type) and len(values) != 1:
            raise UnsupportedError(f"{node}: {key} given {len(values)} times")
    shape.unpack()
    return shape


class CompiledShapes:
    """The shapes that target classes, compiled where they can be; other targets noted.

    ``indexed``: shapes left out because the caller evaluates them another way
    over the whole data (:func:`compiled_gate_shapes`: the rules of
    :mod:`.core_rules_index` and :mod:`.label_index`, as the gate's pySHACL run
    leaves them out too); a node shape's property among them is dropped from it.
    """

    def __init__(
        self, shapes: Graph, ontology: Graph, *, indexed: frozenset[Node] = frozenset()
    ) -> None:
        # A context-free copy: every focus node looks its types up here, and rdflib's
        # default store answers each lookup through a context index first.
        self.ontology = Graph(store=SimpleMemory())
        for triple in ontology:
            self.ontology.add(triple)
        self.by_class: dict[Node, list[_Shape | None]] = {}
        for node in set(shapes.subjects(SH.targetClass, None)):
            if node in indexed:
                continue
            try:
                compiled: _Shape | None = _compile(shapes, node, indexed=indexed)
            except UnsupportedError:
                compiled = None
            for cls in shapes.objects(node, SH.targetClass):
                key = vocabulary_term(cls) if isinstance(cls, URIRef) else cls
                self.by_class.setdefault(key, []).append(compiled)
        # Shapes that target nodes any other way are never compiled: a node they
        # target is left to pySHACL, so that no shape is skipped unnoticed.
        self.subjects_of = set(shapes.objects(None, SH.targetSubjectsOf))
        self.objects_of = set(shapes.objects(None, SH.targetObjectsOf))
        self.target_nodes = set(shapes.objects(None, SH.targetNode))
        self.sparql_targets: list[tuple[str, dict[str, str]]] = []
        self.opaque_targets = False
        for target in shapes.objects(None, SH.target):
            select = shapes.value(target, SH.select)
            if select is None:
                self.opaque_targets = True  # a target kind this module cannot evaluate
                continue
            prefixes = {
                str(shapes.value(d, SH.prefix)): str(shapes.value(d, SH.namespace))
                for declared in shapes.objects(target, SH.prefixes)
                for d in shapes.objects(declared, SH.declare)
            }
            self.sparql_targets.append((str(select), prefixes))

    def _otherwise_targeted(self, nodes: list[URIRef], data: Graph) -> set[URIRef]:
        """Those of ``nodes`` that a shape not targeting a class targets in ``data``."""
        if self.opaque_targets:
            return set(nodes)
        # The subjects (objects) of each target predicate, collected once: the same
        # nodes as asking for each node, without a lookup per node and predicate.
        targeted = set(self.target_nodes)
        for p in self.subjects_of:
            targeted.update(data.subjects(p, None))
        for p in self.objects_of:
            targeted.update(data.objects(None, p))
        found = {n for n in nodes if n in targeted}
        wanted = set(nodes) - found
        if self.sparql_targets:
            # Imported here: it builds rdflib's SPARQL grammar, which only these targets need.
            from journeykg.validation.sparql import thread_safe_sparql

            thread_safe_sparql()
        for select, prefixes in self.sparql_targets:
            if not wanted:
                break
            for row in data.query(select, initNs=prefixes):
                target = row[0]  # type: ignore[index]
                if isinstance(target, URIRef) and target in wanted:
                    found.add(target)
                    wanted.discard(target)
        return found

    # --- validation ----------------------------------------------------------------------

    def split(self, focus: Iterable[URIRef], data: Graph) -> tuple[list[URIRef], list[URIRef]]:
        """(focus nodes this module validates, focus nodes pySHACL must validate)."""
        run = _Run(self, data)
        nodes = list(focus)
        elsewhere = self._otherwise_targeted(nodes, data)
        fast, slow = [], []
        for node in nodes:
            if node in elsewhere or None in run.shapes_for(node):
                slow.append(node)
            else:
                fast.append(node)
        return fast, slow

    def validate(self, focus: Iterable[URIRef], data: Graph) -> list[Result]:
        """Every result for ``focus`` (nodes :meth:`split` called fast) in ``data``."""
        run = _Run(self, data)
        results: list[Result] = []
        for node in focus:
            shapes = run.shapes_for(node)
            if not shapes:
                continue
            values = run.values_of(node)
            for shape in shapes:
                assert shape is not None
                if not run.surely_passes(shape, (node,)):
                    results.extend(run.constraints(shape, node, [node]))
                for prop in shape.properties:
                    assert prop.path is not None
                    got = values.get(prop.path, ())
                    if not run.surely_passes(prop, got):
                        results.extend(run.constraints(prop, node, got))
        return results


class _Run:
    """One validation over one data graph, with its caches.

    The compiled shapes are shared by every thread of the process; what a
    validation learns about its data (types, superclasses, verdicts per value)
    lives here, so that two validations running at once never see each
    other's data.
    """

    def __init__(self, compiled: CompiledShapes, data: Graph) -> None:
        self.compiled = compiled
        self.data = data
        self._supers: dict[Node, frozenset[Node]] = {}
        self._type_cache: dict[Node, frozenset[Node]] = {}
        self._is_a_cache: dict[tuple[Node, Node], bool] = {}
        self._value_memo: dict[tuple[int, int], tuple[Node, tuple[URIRef, ...]]] = {}
        self._spo = subject_index(data)
        self._shapes_of_types: dict[frozenset[Node], list[_Shape | None]] = {}
        self._ontology_spo = subject_index(compiled.ontology) or {}
        self._type = vocabulary_term(_TYPE)  # the parse's own object: found by identity

    def values_of(self, node: Node) -> Mapping[Node, Collection[Node]]:
        """``node``'s values in the data, by predicate."""
        if self._spo is not None:
            return self._spo.get(node, NOTHING)
        values: dict[Node, list[Node]] = {}
        for p, o in self.data.predicate_objects(node):
            values.setdefault(p, []).append(o)
        return values

    # --- types ---------------------------------------------------------------------

    def _superclasses(self, cls: Node) -> frozenset[Node]:
        """``cls`` and everything it is an ``rdfs:subClassOf*`` of (ontology and data)."""
        found = self._supers.get(cls)
        if found is None:
            todo, seen = [cls], {cls}
            while todo:
                current = todo.pop()
                for graph in (self.compiled.ontology, self.data):
                    for parent in graph.objects(current, RDFS.subClassOf):
                        if parent not in seen:
                            seen.add(parent)
                            todo.append(parent)
            found = self._supers[cls] = frozenset(seen)
        return found

    def _types(self, node: Node) -> frozenset[Node]:
        found = self._type_cache.get(node)
        if found is None:
            found = self._type_cache[node] = frozenset(
                self.values_of(node).get(self._type, ())
            ) | frozenset(self._ontology_spo.get(node, NOTHING).get(self._type, ()))
        return found

    def _is_a(self, node: Node, cls: Node) -> bool:
        key = (node, cls)
        found = self._is_a_cache.get(key)
        if found is None:
            found = self._is_a_cache[key] = any(
                cls in self._superclasses(t) for t in self._types(node)
            )
        return found

    def shapes_for(self, node: Node) -> list[_Shape | None]:
        """The compiled shapes targeting ``node`` by class (None for one not compiled)."""
        types = self._types(node)
        # Nodes of one kind share their types: the shapes are found once per set of types.
        known = self._shapes_of_types.get(types)
        if known is not None:
            return known
        found: dict[int, _Shape | None] = {}
        for t in types:
            for cls in self._superclasses(t):
                for shape in self.compiled.by_class.get(cls, ()):
                    found[id(shape) if shape is not None else -1] = shape
        known = self._shapes_of_types[types] = list(found.values())
        return known

    def _value_failures(self, shape: _Shape, value: Node) -> Iterator[URIRef]:
        """The components ``value`` fails among ``shape``'s per-value constraints, in order."""
        if shape.datatype is not None and not _has_datatype(value, shape.datatype):
            yield _DATATYPE
        if shape.cls is not None and (
            isinstance(value, Literal) or not self._is_a(value, shape.cls)
        ):
            yield _CLASS_C
        if shape.node_kind is not None and not _has_kind(value, shape.node_kind):
            yield _NODE_KIND
        if shape.languages is not None and not _in_languages(value, shape.languages):
            yield _LANGUAGE_IN
        if shape.one_of is not None and value not in shape.one_of:
            yield _IN_C
        if shape.min_inclusive is not None and not _compares(value, shape.min_inclusive, min_=True):
            yield _MIN_INCL
        if shape.max_inclusive is not None and not _compares(
            value, shape.max_inclusive, min_=False
        ):
            yield _MAX_INCL

    def surely_passes(self, shape: _Shape, values: Collection[Node]) -> bool:
        """True if :meth:`constraints` would find nothing: counts in bounds and every value
        known to pass (most of a large load). False means "look": it may still pass."""
        if shape.unique_lang or shape.qualified is not None:
            return False
        count = len(values)
        if (shape.min_count is not None and count < shape.min_count) or (
            shape.max_count is not None and count > shape.max_count
        ):
            return False
        if not shape.per_value:
            return True
        memo, key = self._value_memo, id(shape)
        for value in values:
            entry = memo.get((key, id(value)))
            if entry is None or entry[0] is not value or entry[1]:
                return False
        return True

    def _conforms(self, shape: _Shape, value: Node) -> bool:
        return not any(True for _ in self.constraints(shape, value, [value]))

    def constraints(self, shape: _Shape, focus: Node, values: Collection[Node]) -> Iterator[Result]:
        """The results of ``shape``'s own constraints on ``values`` of ``focus``."""

        def result(component: URIRef, value: Node | None = None) -> Result:
            return Result(
                focus, shape.path, value, component, shape.node, shape.severity, shape.messages
            )

        if shape.min_count is not None and len(values) < shape.min_count:
            yield result(_MIN_COUNT)
        if shape.max_count is not None and len(values) > shape.max_count:
            yield result(_MAX_COUNT)
        if shape.per_value:
            # The per-value checks depend only on the shape, the value and (sh:class) the
            # data, which is fixed during one validation: each (shape, value) is checked once.
            # A batch's aggregates share most of their values (counts, years, days, reasons,
            # channels). Keyed by identity (the data holds every value for the memo's life);
            # the entry keeps its value and is used only for that very object.
            memo = self._value_memo
            for value in values:
                entry = memo.get((id(shape), id(value)))
                if entry is None or entry[0] is not value:
                    entry = memo[(id(shape), id(value))] = (
                        value,
                        tuple(self._value_failures(shape, value)),
                    )
                for component in entry[1]:
                    yield result(component, value)
        if shape.unique_lang:
            seen: set[str] = set()
            duplicates: set[str] = set()
            for value in values:
                if isinstance(value, Literal) and value.language:
                    lang = value.language.lower()
                    (duplicates if lang in seen else seen).add(lang)
            for _ in duplicates:
                yield result(_UNIQUE_LANG)
        if shape.qualified is not None:
            conforming = sum(1 for v in values if self._conforms(shape.qualified, v))
            if shape.qualified_min is not None and conforming < shape.qualified_min:
                yield result(_QMIN)
            if shape.qualified_max is not None and conforming > shape.qualified_max:
                yield result(_QMAX)


def _has_datatype(value: Node, datatype: Node) -> bool:
    # As pySHACL 0.40 (DatatypeConstraintComponent): the declared datatype, well formed.
    # Simple literals first (most of a load's values: names, labels, codes), and the
    # datatypes compared with constants: ``XSD.string`` builds a new URIRef at each use.
    if not isinstance(value, Literal):
        return False
    own = value.datatype
    if own is None:
        if datatype == _XSD_STRING:
            return value.language is None and isinstance(value.value, (str, bytes))
        if datatype == _LANG_STRING:
            return bool(value.language) and isinstance(value.value, (str, bytes))
        return datatype == _RDFS_LITERAL
    if own is datatype or own == datatype:
        if getattr(value, "ill_typed", None) is True:
            return False
        expected = _PYTHON_TYPES.get(datatype)
        return expected is None or isinstance(value.value, expected)
    return datatype in (_RDFS_LITERAL, _RDFS_DATATYPE)


# The node kinds each kind of term has; looked up once (``SH.x`` builds a new URIRef each time).
_IRI_KINDS = frozenset({SH.IRI, SH.BlankNodeOrIRI, SH.IRIOrLiteral})
_BNODE_KINDS = frozenset({SH.BlankNode, SH.BlankNodeOrIRI, SH.BlankNodeOrLiteral})
_LITERAL_KINDS = frozenset({SH.Literal, SH.BlankNodeOrLiteral, SH.IRIOrLiteral})


def _has_kind(value: Node, kind: Node) -> bool:
    if isinstance(value, URIRef):
        return kind in _IRI_KINDS
    if isinstance(value, BNode):
        return kind in _BNODE_KINDS
    return kind in _LITERAL_KINDS


def _in_languages(value: Node, wanted: frozenset[str]) -> bool:
    if not isinstance(value, Literal) or not value.language:
        return False
    lang = value.language.lower()
    return "*" in wanted or lang in wanted or lang.split("-")[0] in wanted


def _compares(value: Node, bound: Node, *, min_: bool) -> bool:
    # As pySHACL 0.40 (Min/MaxInclusiveConstraintComponent).
    if not isinstance(value, Literal) or not isinstance(bound, Literal):
        return False
    if isinstance(value.value, str) != isinstance(bound.value, str):
        return False
    try:
        cmp = compare_literal(value, bound)  # type: ignore[no-untyped-call]
    except (TypeError, NotImplementedError):
        return False
    return bool(cmp >= 0) if min_ else bool(cmp <= 0)


def results_graph(results: Iterable[Result]) -> Graph:
    """The results in SHACL's report vocabulary, as pySHACL's results graph holds them."""
    graph = Graph(store=SimpleMemory())
    for r in results:
        node = BNode()
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.focusNode, r.focus))
        if r.path is not None:
            graph.add((node, SH.resultPath, r.path))
        if r.value is not None:
            graph.add((node, SH.value, r.value))
        graph.add((node, SH.sourceConstraintComponent, r.component))
        graph.add((node, SH.sourceShape, r.shape))
        graph.add((node, SH.resultSeverity, r.severity))
        for message in r.messages:
            graph.add((node, SH.resultMessage, message))
    return graph


@cache
def compiled_shapes() -> CompiledShapes:
    """journeykg's shapes, compiled once per process."""
    return CompiledShapes(load_shapes(), load_ontology())


@cache
def compiled_gate_shapes() -> CompiledShapes:
    """journeykg's shapes compiled for the load gate: the indexed rules left out.

    The rules :mod:`.core_rules_index` and :mod:`.label_index` evaluate in one
    pass over the whole data (a step's sequence number unique in its journey, a
    process not depending on itself, one kind of core element, one label per
    concept) are what kept a step or a process out of the compiled subset; the
    load gate (:mod:`.compiled_gate`) runs those indexes itself, so here they
    are left out, as :func:`.pyshacl_shapes.shapes_for_pyshacl` leaves them out
    of pySHACL's run.
    """
    # Imported here: both modules read the shapes, and only the load gate needs them.
    from journeykg.validation.core_rules_index import CORE_RULE_SHAPES, DISJOINT_SHAPE
    from journeykg.validation.label_index import UNIQUE_LABEL_SHAPES

    indexed = frozenset({*CORE_RULE_SHAPES, DISJOINT_SHAPE, *UNIQUE_LABEL_SHAPES})
    return CompiledShapes(load_shapes(), load_ontology(), indexed=indexed)
