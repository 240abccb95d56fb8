"""The SHACL gate: a delta is checked against the shapes before anything is written.

Only results about the delta's own subjects count. They are validated as
part of the delta merged over what the store already holds about them, about
the nodes they point to, and about the stored concepts that share a label
with them: that is what the write would produce, so the answer is the same
as validating the whole graph for those nodes, at a fraction of the cost.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection as RdfList
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from journeykg.ids import Identifiers
from journeykg.namespaces import PREFIXES, RDF, SH, SKOS
from journeykg.ontology_graph import load_ontology, load_shapes
from journeykg.validation.problems import Problem

#: One triple as rdflib terms.
Triple = tuple[Node, Node, Node]

MESSAGE_LANGUAGES = ("en", "nl", None)


class StoredContext(Protocol):
    """What the gate reads from a store: the triples it holds about a delta's neighbourhood.

    A protocol, not graph.Store, so that validation sits below the graph
    layer: :class:`journeykg.graph.gate_view.GateView` reads it from any store.
    """

    def describe(self, iris: set[URIRef]) -> Graph:
        """All stored triples whose subject is one of ``iris``."""
        ...

    def concepts_labelled(self, labels: set[Literal]) -> set[URIRef]:
        """Stored skos:Concepts whose skos:prefLabel is one of ``labels``."""
        ...


@dataclass
class GateResult:
    """The outcome of the SHACL gate for one delta."""

    conforms: bool
    problems: list[Problem] = field(default_factory=list)

    @property
    def violations(self) -> list[Problem]:
        """The problems that block a write (Warnings and Infos only advise)."""
        return [p for p in self.problems if p.severity == "Violation"]


def merged_view(
    delta: Graph,
    store: StoredContext | None,
    retract: Collection[URIRef] = (),
    *,
    into: Graph | None = None,
) -> Graph:
    """What the store would hold about the delta's subjects (and their neighbours) after writing.

    Neighbours include the stored concepts that share a preferred label with
    the delta, so that "one label names one concept" sees the concept it
    would collide with. Subjects in ``retract`` are written whole by the delta
    (``Store.apply``): none of their stored triples stay.

    ``into``: the (empty) graph to build the view in, e.g. the one pySHACL is
    to validate (:func:`run_shacl` with ``owned``), which spares a copy of it.
    """
    return merged_view_of(list(delta.triples((None, None, None))), store, retract, into=into)


def merged_view_of(
    delta: Sequence[Triple],
    store: StoredContext | None,
    retract: Collection[URIRef] = (),
    *,
    into: Graph | None = None,
) -> Graph:
    """:func:`merged_view` of the delta's triples (no rdflib graph needed to hold them)."""
    # No contexts unless asked: half the cost of rdflib's default store.
    data = into if into is not None else Graph(store=SimpleMemory())
    add = data.store.add  # Graph.add re-checks each term; these come from graphs already
    subjects = {s for s, _, _ in delta if isinstance(s, URIRef)}
    neighbours = {o for _, _, o in delta if isinstance(o, URIRef)}
    if store is not None:
        pref_label = SKOS.prefLabel
        labels = {o for _, p, o in delta if p == pref_label and isinstance(o, Literal)}
        if labels:
            neighbours |= store.concepts_labelled(labels) - subjects
        gone = set(retract)
        # What a retracted subject held is not read: none of it stays (a sync's batch
        # rewrites its own elements whole, so its view is the records and their links).
        stored = store.describe((subjects | neighbours) - gone)
        # Nothing stored about them (a first load): no stored triple to keep or replace,
        # and the (subject, predicate) pairs of a large delta cost seconds to collect.
        if next(iter(stored), None) is not None:
            replaced = {(s, p) for s, p, _ in delta}
            # A delta that touches a stored element (a status, a label) keeps that
            # element's stored links; the nodes they point to must be in view too,
            # or a rule such as sh:class would fail on a value the delta never changed.
            kept = {o for s, p, o in stored if s in subjects and (s, p) not in replaced}
            further = {o for o in kept if isinstance(o, URIRef)} - subjects - neighbours
            for graph in (stored, store.describe(further)) if further else (stored,):
                for s, p, o in graph:
                    if (s, p) not in replaced and s not in gone:
                        add((s, p, o), data)
    for triple in delta:
        add(triple, data)
    return data


def run_shacl(
    data: Graph, focus_nodes: list[URIRef] | None = None, *, owned: bool = False
) -> tuple[bool, Graph]:
    """pySHACL exactly as journeykg runs it: (conforms, results graph).

    No RDFS inference: it would type every value by its property's
    ``rdfs:range`` and so make every ``sh:class`` check pass. The whole
    ontology is added to the data instead, so that ``sh:class`` sees
    ``rdfs:subClassOf`` and the model's own individuals (``jkg:NPS``,
    ``jkg:JourneyOwner``); pySHACL's ``ont_graph`` would copy only the axioms.

    ``focus_nodes`` limits the *results* to those nodes. pySHACL's own
    ``focus_nodes`` option cannot be used: it also filters the value nodes of
    nested shapes (``sh:qualifiedValueShape``, ``sh:node``, ``sh:or``), which
    then pass unchecked, so "a Dutch label is missing" would never be reported
    (pySHACL 0.40, ``Shape.validate``). The data is already cut down to the
    focus nodes and their neighbours, so validating all of it costs little.

    ``owned``: ``data`` is the caller's to give up, a graph with contexts
    (rdflib's default store, which pySHACL needs): the ontology is added to it
    and pySHACL validates it as it is, instead of a copy (at 3.7M triples the
    copy alone took longer than the parse).
    """
    from journeykg.validation.core_rules_index import core_rule_results
    from journeykg.validation.label_index import label_clashes

    if owned:
        combined = data
    else:
        combined = Graph()
        combined += data
    conforms, results = run_pyshacl(combined)
    conforms = with_results(results, label_clashes(combined)) and conforms
    conforms = with_results(results, core_rule_results(combined)) and conforms
    if focus_nodes is None:
        return bool(conforms), results
    return results_about(results, set(focus_nodes))


def run_pyshacl(combined: Graph) -> tuple[bool, Graph]:
    """pySHACL alone on ``combined`` (a graph with contexts, the caller's to give up):
    the ontology is added to it, and the shapes are :func:`shapes_for_pyshacl`'s, so
    the indexed rules (:mod:`.label_index`, :mod:`.core_rules_index`) are not run."""
    # Imported here, not with the module: reading the graph (an impact question,
    # the governance workflow's reads) imports this module, and only a write runs pySHACL.
    import pyshacl

    from journeykg.validation.pyshacl_shapes import shapes_for_pyshacl
    from journeykg.validation.sparql import thread_safe_sparql

    thread_safe_sparql()  # pySHACL's SPARQL constraints are queries
    combined += load_ontology()
    conforms, results, _ = pyshacl.validate(
        combined,
        shacl_graph=shapes_for_pyshacl(),  # all but the indexed rules
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,  # combined is ours to change; spares pySHACL a copy
    )
    return bool(conforms), results


def with_results(results: Graph, extra: Graph) -> bool:
    """Add ``extra`` (Violations) to pySHACL's report ``results``; False if it added any."""
    report = results.value(predicate=RDF.type, object=SH.ValidationReport)
    added = False
    for result in extra.subjects(RDF.type, SH.ValidationResult):
        added = True
        if report is not None:
            results.add((report, SH.result, result))
    if not added:
        return True
    for triple in extra:
        results.add(triple)
    if report is not None:
        results.set((report, SH.conforms, Literal(False)))
    return False


def results_about(results: Graph, focus: set[URIRef]) -> tuple[bool, Graph]:
    """The report cut down to results whose focus node is in ``focus``."""
    kept = Graph()
    conforms = True
    for result in results.subjects(RDF.type, SH.ValidationResult):
        if results.value(result, SH.focusNode) not in focus:
            continue
        if results.value(result, SH.resultSeverity) == SH.Violation:
            conforms = False
        todo, seen = [result], set()
        while todo:  # the result with its blank-node parts (paths, constraints)
            node = todo.pop()
            seen.add(node)
            for s, p, o in results.triples((node, None, None)):
                kept.add((s, p, o))
                if isinstance(o, BNode) and o not in seen:
                    todo.append(o)
    return conforms, kept


def check(
    delta: Graph,
    store: StoredContext | None,
    source: str,
    ids: Identifiers,
    *,
    context: Graph | None = None,
    retract: Collection[URIRef] = (),
) -> GateResult:
    """Validate ``delta`` (as it would be stored) against the shapes.

    ``context`` adds stored triples beyond the delta's neighbourhood that a
    rule needs to see (the governance workflow adds the stored concepts that
    share a label with the delta); the delta still replaces what it mentions.
    ``retract`` names subjects the write retracts before writing the delta
    (``Store.apply``), so that the delta is all that is left of them.
    """
    data = merged_view(delta, store, retract, into=Graph())  # the graph pySHACL validates
    if context is not None:
        replaced = {(s, p) for s, p, _ in delta}
        for s, p, o in context:
            if (s, p) not in replaced:
                data.add((s, p, o))
    # IRIs sort as their text: a string key spares rdflib's Python comparisons.
    focus = sorted({s for s in delta.subjects() if isinstance(s, URIRef)}, key=str)
    if not focus:
        return GateResult(conforms=True)
    conforms, results = run_shacl(data, focus, owned=True)
    problems = sorted(_problems(results, source, ids), key=_order)
    return GateResult(conforms=conforms, problems=problems)


def _problems(results: Graph, source: str, ids: Identifiers) -> Iterable[Problem]:
    for result in results.subjects(predicate=SH.sourceConstraintComponent):
        path = results.value(result, SH.resultPath)
        shape = results.value(result, SH.sourceShape)
        yield problem(
            source,
            ids,
            focus=results.value(result, SH.focusNode),
            path=_path_text(results, path) if path is not None else None,
            value=results.value(result, SH.value),
            component=results.value(result, SH.sourceConstraintComponent),
            shape=shape,
            severity=results.value(result, SH.resultSeverity),
            messages=list(results.objects(result, SH.resultMessage)),
            constraint=results.value(result, SH.sourceConstraint),
        )


def problem(
    source: str,
    ids: Identifiers,
    *,
    focus: Node | None,
    path: str | None,
    value: Node | None,
    component: Node | None,
    shape: Node | None,
    severity: Node | None,
    messages: Sequence[Node],
    constraint: Node | None = None,
) -> Problem:
    """The problem one SHACL result states: record, field, rule, message (and severity).

    ``path`` is the result's path as written (:func:`_path_text`), ``messages`` its
    ``sh:resultMessage`` values, ``constraint`` its ``sh:sourceConstraint``: what a
    results graph holds about a result, or a compiled result holds without one
    (validation/compiled_gate.py).
    """
    localised = _localised(messages, _templates(shape, constraint), focus, value, ids)
    return Problem(
        file=source,
        node=ids.key(str(focus)) if focus is not None else None,
        property=path,
        value=_show(value) if value is not None else None,
        rule=f"{_curie_or(shape)} ({_curie_or(component).removeprefix('sh:')})",
        message=_message(localised) or f"violates {_curie_or(shape)}",
        severity=curie(severity).removeprefix("sh:") if severity is not None else "Violation",
    )


@functools.lru_cache(maxsize=4096)
def _templates(shape: Node | None, constraint: Node | None) -> tuple[Literal, ...]:
    # Kept per shape and constraint: a large load's gate names tens of thousands of
    # problems from a few hundred shapes.
    shapes = load_shapes()
    # The result's source constraint is a blank node of the shapes graph pySHACL
    # ran with; if that is another copy than load_shapes() gives now, the node is
    # not found. The shape's own SPARQL constraints (named by the shape's IRI)
    # are then the templates, so the language never depends on which copy ran.
    nodes = [shape, constraint]
    if shape is not None:
        nodes += list(shapes.objects(shape, SH.sparql))
    return tuple(
        m
        for node in nodes
        if node is not None
        for m in shapes.objects(node, SH.message)
        if isinstance(m, Literal) and m.language
    )


#: The known namespaces, longest first (one inside another is matched as the longer one);
#: sorted once: a large load's gate names tens of thousands of problems, four terms each.
_LONGEST_FIRST = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))


def curie(term: Node) -> str:
    """``jkg:ownedBy`` for a term in a known namespace, else the IRI itself."""
    text = str(term)
    for prefix, ns in _LONGEST_FIRST:
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text


def _path_text(results: Graph, path: Node) -> str:
    """A property path as written in Turtle: ``jkg:ownedBy``, ``(a b)``, ``a|b`` or ``^a``."""
    if isinstance(path, BNode) and results.value(path, RDF.first) is not None:
        return "(" + " ".join(curie(step) for step in RdfList(results, path)) + ")"
    alternatives = results.value(path, SH.alternativePath)
    if alternatives is not None:
        return "|".join(curie(step) for step in RdfList(results, alternatives))
    inverse = results.value(path, SH.inversePath)
    if inverse is not None:
        return f"^{curie(inverse)}"
    return curie(path)


def _curie_or(term: Node | None) -> str:
    return curie(term) if term is not None else "unnamed shape"


def _show(value: Node) -> str:
    return str(value) if isinstance(value, Literal) else curie(value)


_PLACEHOLDER = re.compile(r"\{[?$](\w+)\}")
_VALUE_ASIDE = re.compile(r"\s*\([^()]*\{[?$]value\}[^()]*\)")


def _localised(
    messages: Sequence[Node],
    templates: Sequence[Literal],
    focus: Node | None,
    value: Node | None,
    ids: Identifiers,
) -> list[Node]:
    """The result's messages with their language and with ``{$value}``/``{$this}`` filled in.

    pySHACL fills placeholders only for SPARQL-based constraints, and then drops
    the message's language tag; for the others it leaves ``{$value}`` as is. So
    the language is recovered from the constraint's own message templates, and
    the placeholders of core-constraint messages are filled here.
    """
    filled = {
        "value": _show(value) if value is not None else "",
        "this": ids.key(str(focus)) if focus is not None else "",
    }
    out: list[Node] = []
    for message in messages:
        if not isinstance(message, Literal):
            continue
        language = message.language or _language_of(str(message), templates)
        text = str(message)
        if value is None:  # e.g. a missing value: drop the "(found: {$value})" aside
            text = _VALUE_ASIDE.sub("", text)
        text = _PLACEHOLDER.sub(lambda m: filled.get(m.group(1), m.group(0)), text)
        text = text.replace(ids.base_iri, "")  # element keys, as everywhere else
        out.append(Literal(text, lang=language))
    return out


def _language_of(text: str, templates: Sequence[Literal]) -> str | None:
    for template in templates:
        if _filled_form(str(template)).fullmatch(text):
            return template.language
    return None


@functools.lru_cache(maxsize=1024)
def _filled_form(template: str) -> re.Pattern[str]:
    """What ``template`` reads as once its placeholders are filled, as a pattern.

    Kept per template: the shapes hold a few hundred, and a large load's gate
    asks this of every problem it names."""
    return re.compile(
        "".join(
            ".*?" if part.startswith("{") else re.escape(part)
            for part in re.split(r"(\{[?$]\w+\})", template)
        ),
        flags=re.DOTALL,
    )


def _message(messages: list[Node]) -> str | None:
    by_lang = {m.language if isinstance(m, Literal) else None: str(m) for m in messages}
    for lang in MESSAGE_LANGUAGES:
        if lang in by_lang:
            return by_lang[lang]
    return None


def _order(problem: Problem) -> tuple[str, str, str]:
    return (problem.node or "", problem.property or "", problem.rule)
