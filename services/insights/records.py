"""Insights and initiatives as plain values, read from the store; their IRIs."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace

from rdflib import Graph, Literal, URIRef

from journeykg.graph.edges import follow
from journeykg.graph.elements import refs, resolve
from journeykg.graph.errors import UnknownElementError, UnsupportedElementError
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, PROV, RDFS
from journeykg.services.insights.statuses import (
    INITIATIVE_STATUSES,
    INSIGHT_STATUSES,
    status_name,
)


def slug(text: str) -> str:
    """``Nummerbehoud binnen een dag`` -> ``nummerbehoud-binnen-een-dag``."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "item"


@dataclass(frozen=True)
class Insight:
    """An insight: its statement, status, owner, what it concerns and its evidence (ids)."""

    id: str
    statement: str
    status: str
    owner: str
    confidence: float | None
    concerns: tuple[str, ...]
    evidence: tuple[str, ...]
    signal: str | None
    """The key of the signal that drafted it, if one did."""
    statements: tuple[tuple[str, str], ...] = ()
    """The statement in each language it has: (language, text), by language."""
    journeys: tuple[str, ...] = ()
    """The journeys it is about: those it concerns, and those of the steps, touchpoints,
    contact reasons and KPIs it concerns (the board per journey shows it there)."""

    def statement_in(self, language: str) -> str:
        """The statement in ``language``, else :attr:`statement`."""
        return next((text for lang, text in self.statements if lang == language), self.statement)


@dataclass(frozen=True)
class Effect:
    """The change an initiative expects on one KPI."""

    kpi: str
    change: float


@dataclass(frozen=True)
class Initiative:
    """An initiative and what it addresses, changes and expects."""

    id: str
    name: str
    status: str
    owner: str
    addresses: tuple[str, ...]
    cost: float | None
    target_date: str | None
    done_on: str | None
    changes: tuple[str, ...]
    effects: tuple[Effect, ...]


def _text(graph: Graph, node: URIRef, predicate: URIRef) -> str | None:
    value = graph.value(node, predicate)
    return str(value) if value is not None else None


def _number(graph: Graph, node: URIRef, predicate: URIRef) -> float | None:
    value = graph.value(node, predicate)
    return float(value) if isinstance(value, Literal) else None


def _keys(store: Store, graph: Graph, node: URIRef, predicate: URIRef) -> tuple[str, ...]:
    return tuple(sorted(store.ids.key(str(o)) for o in graph.objects(node, predicate)))


def _typed(store: Store, ident: str, kind: str) -> URIRef:
    ref = resolve(store, ident)
    if ref.type != kind:
        raise UnsupportedElementError(ident, ref.type, kind)
    return URIRef(ref.iri)


def read_insight(store: Store, ident: str) -> Insight:
    """The insight ``ident``; UnknownElementError if none, UnsupportedElementError if not one."""
    iri = _typed(store, ident, "Insight")
    return _insight(store, store.describe([iri]), iri)


def _statements(graph: Graph, iri: URIRef) -> tuple[tuple[str, str], ...]:
    return tuple(
        sorted(
            (o.language or "", str(o))
            for o in graph.objects(iri, RDFS.label)
            if isinstance(o, Literal)
        )
    )


def _insight(store: Store, graph: Graph, iri: URIRef) -> Insight:
    evidence = [o for o in graph.objects(iri, PROV.wasDerivedFrom) if isinstance(o, URIRef)]
    signals = store.describe([e for e in evidence if "/signal/" in str(e)])
    key = next((str(k) for k in signals.objects(None, JKG.signalKey)), None)
    statements = _statements(graph, iri)
    english = next((text for lang, text in statements if lang == "en"), None)
    return Insight(
        id=store.ids.key(str(iri)),
        statement=english or (statements[0][1] if statements else ""),
        status=status_name(INSIGHT_STATUSES, graph.value(iri, JKG.insightStatus)) or "",
        owner=store.ids.key(str(graph.value(iri, JKG.ownedBy) or "")),
        confidence=_number(graph, iri, JKG.confidence),
        concerns=_keys(store, graph, iri, JKG.concerns),
        evidence=_keys(store, graph, iri, PROV.wasDerivedFrom),
        signal=key,
        statements=statements,
    )


def journeys_of(store: Store, elements: Collection[URIRef]) -> dict[URIRef, set[URIRef]]:
    """Per element, the journeys it belongs to (a journey: itself)."""
    found: dict[URIRef, set[URIRef]] = {e: set() for e in elements}
    kinds = refs(store, elements)
    for e, ref in kinds.items():
        if ref.type == "Journey":
            found[e].add(e)
    for reason, journey in follow(store, JKG.placedOn, elements, inverse=True):
        found[reason].add(journey)
    for kpi, measured in follow(store, JKG.measures, elements):
        found[kpi].add(measured)  # a journey, or a touchpoint resolved below
    steps = dict(follow(store, JKG.atStep, elements))
    for step, journey in follow(store, JKG.stepOf, {*elements, *steps.values()}):
        for e in elements:
            if e == step or steps.get(e) == step:
                found[e].add(journey)
    journeys = set(store.instances(JKG.Journey))
    return {e: {j for j in js if j in journeys} for e, js in found.items()}


def insights(store: Store) -> list[Insight]:
    """Every insight, by id, with the journeys it is about."""
    iris = sorted(store.instances(JKG.Insight))
    graph = store.describe(iris)
    concerned = {o for i in iris for o in graph.objects(i, JKG.concerns) if isinstance(o, URIRef)}
    on = journeys_of(store, concerned)
    found = []
    for iri in iris:
        one = _insight(store, graph, iri)
        about = {j for c in graph.objects(iri, JKG.concerns) for j in on.get(URIRef(str(c)), set())}
        keys = tuple(sorted(store.ids.key(str(j)) for j in about))
        found.append(replace(one, journeys=keys))
    return found


def read_initiative(store: Store, ident: str) -> Initiative:
    """The initiative ``ident``; UnknownElementError if none."""
    iri = _typed(store, ident, "Initiative")
    return _initiative(store, iri)


def _initiative(store: Store, iri: URIRef) -> Initiative:
    graph = store.describe([iri])
    effect_nodes = sorted(o for o in graph.objects(iri, JKG.expects) if isinstance(o, URIRef))
    effects_graph = store.describe(effect_nodes)
    effects = tuple(
        Effect(
            store.ids.key(str(effects_graph.value(e, JKG.onKpi))),
            _number(effects_graph, e, JKG.expectedChange) or 0.0,
        )
        for e in effect_nodes
    )
    return Initiative(
        id=store.ids.key(str(iri)),
        name=_text(graph, iri, RDFS.label) or "",
        status=status_name(INITIATIVE_STATUSES, graph.value(iri, JKG.initiativeStatus)) or "",
        owner=store.ids.key(str(graph.value(iri, JKG.ownedBy) or "")),
        addresses=_keys(store, graph, iri, JKG.addresses),
        cost=_number(graph, iri, JKG.costEur),
        target_date=_text(graph, iri, JKG.targetDate),
        done_on=_text(graph, iri, JKG.doneOn),
        changes=_keys(store, graph, iri, JKG.changesElement),
        effects=tuple(sorted(effects, key=lambda e: e.kpi)),
    )


def initiatives(store: Store) -> list[Initiative]:
    """Every initiative, by id."""
    return [_initiative(store, iri) for iri in sorted(store.instances(JKG.Initiative))]


__all__ = [
    "Effect",
    "Initiative",
    "Insight",
    "UnknownElementError",
    "initiatives",
    "insights",
    "read_initiative",
    "read_insight",
    "slug",
]
