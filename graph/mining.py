"""What journey mining measured, as stored: a question over the store port.

The measurements (ontology/mining.ttl) of one journey, per period, with the step and
touchpoint measurements in the designed order. The priorities' ``dropOff`` factor reads
them through :mod:`.mining_drop_off`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeGuard

from rdflib import Graph, Literal, URIRef

from journeykg.graph.edges import follow
from journeykg.graph.elements import refs
from journeykg.graph.model import ElementRef
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, PROV

_COUNTS = {
    "cases": JKG.minedCases,
    "customers": JKG.minedCustomers,
    "completed": JKG.casesCompleted,
    "reached": JKG.casesReached,
    "stopped": JKG.casesStopped,
    "skipped": JKG.casesSkipped,
    "looped": JKG.casesLooped,
    "repeated": JKG.casesRepeated,
    "out_of_order": JKG.casesOutOfOrder,
    "channel_switches": JKG.casesSwitchingChannel,
    "contacts": JKG.minedContacts,
    "repeat_contacts": JKG.repeatContacts,
}
_SHARES = {
    "fitness": JKG.fitness,
    "drop_off_rate": JKG.dropOffRate,
    "median_seconds_to_next": JKG.medianSecondsToNext,
}


@dataclass(frozen=True)
class Measurement:
    """One stored measurement: the element it is about and its figures (absent: None)."""

    element: ElementRef
    kind: str
    """``journey``, ``step`` or ``touchpoint``."""
    start: date
    end: date
    counts: dict[str, int] = field(default_factory=dict)
    shares: dict[str, float] = field(default_factory=dict)
    generated_by: str | None = None


@dataclass(frozen=True)
class MinedPeriod:
    journey: Measurement
    steps: tuple[Measurement, ...]
    touchpoints: tuple[Measurement, ...]


def _measurement_iris(store: Store, journeys: Collection[URIRef]) -> list[URIRef]:
    return sorted({m for _, m in follow(store, JKG.minedJourney, list(journeys), inverse=True)})


def _literal(facts: Graph, node: URIRef, predicate: URIRef) -> object:
    value = facts.value(node, predicate)
    return value.toPython() if isinstance(value, Literal) else None


def mined_periods(
    store: Store, journey: URIRef, start: date | None = None, end: date | None = None
) -> list[MinedPeriod]:
    """The stored mining of ``journey``, per period (oldest first); only the period from
    ``start`` to ``end`` when given."""
    iris = _measurement_iris(store, [journey])
    facts = store.describe(iris)
    at = {i: facts.value(i, JKG.minedAt) for i in iris}
    elements = sorted({e for e in at.values() if isinstance(e, URIRef)})
    named = refs(store, elements)
    steps_facts = store.describe([e for e in elements if e in named and named[e].type == "Step"])
    sequence = {e: _literal(steps_facts, e, JKG.sequence) for e in elements}
    periods: dict[tuple[date, date], list[Measurement]] = {}
    for iri in iris:
        element = at[iri]
        first, last = _literal(facts, iri, JKG.periodStart), _literal(facts, iri, JKG.periodEnd)
        if (
            not isinstance(element, URIRef)
            or not isinstance(first, date)
            or not isinstance(last, date)
        ):
            continue
        if (start is not None and first != start) or (end is not None and last != end):
            continue
        counts = {
            k: int(v) for k, p in _COUNTS.items() if isinstance(v := _literal(facts, iri, p), int)
        }
        shares = {
            k: float(v) for k, p in _SHARES.items() if _is_number(v := _literal(facts, iri, p))
        }
        run = facts.value(iri, PROV.wasGeneratedBy)
        if element not in named:
            continue
        kind = named[element].type.lower()
        periods.setdefault((first, last), []).append(
            Measurement(
                named[element],
                kind,
                first,
                last,
                counts,
                shares,
                str(run) if run is not None else None,
            )
        )
    answers = []
    for key in sorted(periods):
        found = periods[key]
        whole = next((m for m in found if m.kind == "journey"), None)
        if whole is None:
            continue
        steps = sorted(
            (m for m in found if m.kind == "step"),
            key=lambda m: (_order(sequence.get(store.ids.iri(m.element.id))), m.element.id),
        )
        touchpoints = sorted(
            (m for m in found if m.kind == "touchpoint"), key=lambda m: m.element.id
        )
        answers.append(MinedPeriod(whole, tuple(steps), tuple(touchpoints)))
    return answers


def _is_number(value: object) -> TypeGuard[int | float | Decimal]:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _order(value: object) -> int:
    return int(value) if isinstance(value, int) else 1_000_000
