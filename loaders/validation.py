"""The SHACL gate: a delta is checked against the shapes before anything is written.

Only the delta's own subjects are validated (pySHACL's focus nodes), against
the delta merged over what the store already holds about them and about the
nodes they point to. That is what the write would produce, so the answer is
the same as validating the whole graph for those nodes, at a fraction of the
cost.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from journeykg.graph.ids import Identifiers
from journeykg.graph.store import Store
from journeykg.loaders.errors import Problem
from journeykg.namespaces import PREFIXES, SH
from journeykg.ontology_graph import load_ontology, load_shapes

MESSAGE_LANGUAGES = ("en", "nl", None)


@dataclass
class GateResult:
    """The outcome of the SHACL gate for one delta."""

    conforms: bool
    problems: list[Problem] = field(default_factory=list)

    @property
    def violations(self) -> list[Problem]:
        """The problems that block a write (Warnings and Infos only advise)."""
        return [p for p in self.problems if p.severity == "Violation"]


def merged_view(delta: Graph, store: Store | None) -> Graph:
    """What the store would hold about the delta's subjects (and their neighbours) after writing."""
    data = Graph()
    subjects = {s for s in delta.subjects() if isinstance(s, URIRef)}
    neighbours = {o for o in delta.objects() if isinstance(o, URIRef)}
    if store is not None:
        replaced = {(s, p) for s, p, _ in delta}
        for s, p, o in store.describe(subjects | neighbours):
            if (s, p) not in replaced:
                data.add((s, p, o))
    for triple in delta:
        data.add(triple)
    return data


def run_shacl(data: Graph, focus_nodes: list[URIRef] | None = None) -> tuple[bool, Graph]:
    """pySHACL exactly as journeykg runs it: (conforms, results graph).

    No RDFS inference: it would type every value by its property's
    ``rdfs:range`` and so make every ``sh:class`` check pass. The whole
    ontology is added to the data instead, so that ``sh:class`` sees
    ``rdfs:subClassOf`` and the model's own individuals (``jkg:NPS``,
    ``jkg:JourneyOwner``); pySHACL's ``ont_graph`` would copy only the axioms.
    """
    combined = Graph()
    combined += data
    combined += load_ontology()
    focus: list[str | URIRef] | None = list(focus_nodes) if focus_nodes is not None else None
    conforms, results, _ = pyshacl.validate(
        combined,
        shacl_graph=load_shapes(),
        inference="none",
        advanced=True,
        focus_nodes=focus,
        allow_warnings=True,
        inplace=True,  # combined is ours to change; spares pySHACL a copy
    )
    return bool(conforms), results


def check(delta: Graph, store: Store | None, source: str, ids: Identifiers) -> GateResult:
    """Validate ``delta`` (as it would be stored) against the shapes."""
    data = merged_view(delta, store)
    focus = sorted({s for s in delta.subjects() if isinstance(s, URIRef)})
    if not focus:
        return GateResult(conforms=True)
    conforms, results = run_shacl(data, focus)
    problems = sorted(_problems(results, source, ids), key=_order)
    return GateResult(conforms=conforms, problems=problems)


def _problems(results: Graph, source: str, ids: Identifiers) -> Iterable[Problem]:
    for result in results.subjects(predicate=SH.sourceConstraintComponent):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        component = results.value(result, SH.sourceConstraintComponent)
        shape = results.value(result, SH.sourceShape)
        severity = results.value(result, SH.resultSeverity)
        messages = list(results.objects(result, SH.resultMessage))
        yield Problem(
            file=source,
            node=ids.key(str(focus)) if focus is not None else None,
            property=curie(path) if path is not None else None,
            value=_show(value) if value is not None else None,
            rule=f"{_curie_or(shape)} ({_curie_or(component).removeprefix('sh:')})",
            message=_message(messages) or f"violates {_curie_or(shape)}",
            severity=curie(severity).removeprefix("sh:") if severity is not None else "Violation",
        )


def curie(term: Node) -> str:
    """``jkg:ownedBy`` for a term in a known namespace, else the IRI itself."""
    text = str(term)
    for prefix, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return text


def _curie_or(term: Node | None) -> str:
    return curie(term) if term is not None else "unnamed shape"


def _show(value: Node) -> str:
    return str(value) if isinstance(value, Literal) else curie(value)


def _message(messages: list[Node]) -> str | None:
    by_lang = {m.language if isinstance(m, Literal) else None: str(m) for m in messages}
    for lang in MESSAGE_LANGUAGES:
        if lang in by_lang:
            return by_lang[lang]
    return None


def _order(problem: Problem) -> tuple[str, str, str]:
    return (problem.node or "", problem.property or "", problem.rule)
