"""Insights and initiatives as plain values, read from the store; their IRIs."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from journeykg.graph.elements import resolve
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


def _insight(store: Store, graph: Graph, iri: URIRef) -> Insight:
    evidence = [o for o in graph.objects(iri, PROV.wasDerivedFrom) if isinstance(o, URIRef)]
    signals = store.describe([e for e in evidence if "/signal/" in str(e)])
    key = next((str(k) for k in signals.objects(None, JKG.signalKey)), None)
    return Insight(
        id=store.ids.key(str(iri)),
        statement=_text(graph, iri, RDFS.label) or "",
        status=status_name(INSIGHT_STATUSES, graph.value(iri, JKG.insightStatus)) or "",
        owner=store.ids.key(str(graph.value(iri, JKG.ownedBy) or "")),
        confidence=_number(graph, iri, JKG.confidence),
        concerns=_keys(store, graph, iri, JKG.concerns),
        evidence=_keys(store, graph, iri, PROV.wasDerivedFrom),
        signal=key,
    )


def insights(store: Store) -> list[Insight]:
    """Every insight, by id."""
    iris = sorted(store.instances(JKG.Insight))
    graph = store.describe(iris)
    return [_insight(store, graph, iri) for iri in iris]


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
