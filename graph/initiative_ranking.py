"""Which initiative first: expected effect on customers per euro of cost, weights visible.

For each open initiative (idea, planned, in progress; docs/insights.md,
"Prioritisation") the effect factors are read from the impact machinery: a
walk (:func:`journeykg.graph.impact.traverse`) from what it changes and what
the insights it addresses concern, quantified by
:func:`journeykg.graph.quantify.blast_radius`:

- ``contacts`` and ``complaints`` of the contact reasons reached,
- ``cost`` the annual cost at stake there,
- ``kpiGap`` the share of KPI targets its expected effects would close:
  per expected effect ``min(gap, max(0, ±change) / |target|)`` (the sign by
  ``jkg:higherIsBetter``), summed.

``effect = Σ_f w_f · x_f / max_i x_f`` (each factor over its largest value
among the ranked initiatives, as the impact score does), and the ranking is by
``effect / cost`` (per euro). An initiative without a cost cannot be put per
euro: it is listed after the others, with why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef

from journeykg.graph.elements import refs
from journeykg.graph.factors import kpi_statuses
from journeykg.graph.impact import traverse
from journeykg.graph.quantify import blast_radius
from journeykg.graph.relations import IMPACT_ROOTS
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDFS
from journeykg.ontology_graph import load_ontology

INITIATIVE_FACTORS = ("contacts", "complaints", "cost", "kpiGap")
DEFAULT_INITIATIVE_WEIGHTS: Mapping[str, float] = {f: 1.0 for f in INITIATIVE_FACTORS}
_OPEN = (JKG.initiativeIdea, JKG.initiativePlanned, JKG.initiativeInProgress)


@dataclass(frozen=True)
class RankedInitiative:
    """One initiative's expected effect, its cost and the two combined."""

    id: str
    label: str | None
    cost_eur: float | None
    contacts: int
    complaints: int
    cost_at_stake_eur: float
    kpi_gap_closed: float
    effect: float
    per_euro: float | None
    note: str | None = None


@dataclass(frozen=True)
class InitiativeRanking:
    """Open initiatives, best effect per euro first, and the weights used."""

    weights: Mapping[str, float]
    initiatives: tuple[RankedInitiative, ...]


def _number(graph: Graph, node: URIRef, predicate: URIRef) -> float | None:
    value = graph.value(node, predicate)
    return float(value) if isinstance(value, Literal) else None


def _gap_closed(store: Store, effects: list[tuple[URIRef, float]]) -> float:
    kpis = [k for k, _ in effects]
    measured = store.describe(kpis)
    on = {k: URIRef(str(m)) for k in kpis if (m := measured.value(k, JKG.measures)) is not None}
    statuses = {
        s.kpi.iri: s for found in kpi_statuses(store, set(on.values())).values() for s in found
    }
    closed = 0.0
    for kpi, change in effects:
        status = statuses.get(str(kpi))
        if status is None or not status.target:
            continue
        kind = measured.value(kpi, JKG.kpiType)
        better = load_ontology().value(kind, JKG.higherIsBetter) if kind is not None else None
        higher = not isinstance(better, Literal) or bool(better.toPython())
        toward = change if higher else -change
        closed += min(status.gap, max(0.0, toward) / abs(status.target))
    return round(closed, 6)


def rank_initiatives(store: Store, weights: Mapping[str, float] | None = None) -> InitiativeRanking:
    """Open initiatives ranked by expected effect per euro; ValueError for an unknown weight."""
    chosen = {**DEFAULT_INITIATIVE_WEIGHTS, **(weights or {})}
    unknown = set(chosen) - set(INITIATIVE_FACTORS)
    if unknown:
        raise ValueError(
            f"unknown weight(s) {sorted(unknown)}; use {', '.join(INITIATIVE_FACTORS)}"
        )
    initiatives = sorted(store.instances(JKG.Initiative))
    facts = store.describe(initiatives)
    open_ones = [i for i in initiatives if facts.value(i, JKG.initiativeStatus) in _OPEN]
    insights = {o for i in open_ones for o in facts.objects(i, JKG.addresses)}
    about = store.describe([URIRef(str(o)) for o in insights])
    rows = []
    for initiative in open_ones:
        effect_nodes = [URIRef(str(e)) for e in facts.objects(initiative, JKG.expects)]
        effect_facts = store.describe(effect_nodes)
        effects = [
            (
                URIRef(str(effect_facts.value(e, JKG.onKpi))),
                _number(effect_facts, e, JKG.expectedChange) or 0.0,
            )
            for e in effect_nodes
        ]
        starts = {URIRef(str(c)) for c in facts.objects(initiative, JKG.changesElement)}
        for insight in facts.objects(initiative, JKG.addresses):
            starts |= {URIRef(str(c)) for c in about.objects(insight, JKG.concerns)}
        roots = [r for r in refs(store, starts).values() if r.type in IMPACT_ROOTS]
        radius = blast_radius(store, traverse(store, sorted(roots))) if roots else None
        name = facts.value(initiative, RDFS.label)
        rows.append(
            (
                initiative,
                str(name) if name is not None else None,
                _number(facts, initiative, JKG.costEur),
                {
                    "contacts": float(radius.contacts) if radius else 0.0,
                    "complaints": float(radius.complaints) if radius else 0.0,
                    "cost": radius.cost_eur if radius else 0.0,
                    "kpiGap": _gap_closed(store, effects),
                },
            )
        )
    maxima = {f: max((r[3][f] for r in rows), default=0.0) for f in INITIATIVE_FACTORS}
    ranked = []
    for initiative, label, cost, values in rows:
        effect = round(
            sum(
                chosen[f] * (values[f] / maxima[f] if maxima[f] else 0.0)
                for f in INITIATIVE_FACTORS
            ),
            6,
        )
        per_euro = effect / cost if cost else None
        ranked.append(
            RankedInitiative(
                id=store.ids.key(str(initiative)),
                label=label,
                cost_eur=cost,
                contacts=int(values["contacts"]),
                complaints=int(values["complaints"]),
                cost_at_stake_eur=values["cost"],
                kpi_gap_closed=values["kpiGap"],
                effect=effect,
                per_euro=per_euro,
                note=None if cost else "no cost stated (jkg:costEur): cannot rank per euro",
            )
        )
    ranked.sort(key=lambda r: (r.per_euro is None, -(r.per_euro or 0.0), -r.effect, r.id))
    return InitiativeRanking(chosen, tuple(ranked))
