"""Initiatives: plan one against validated insights, move it along, show its impact,
measure its KPIs before and after once it is done.

Its impact on customers is the impact machinery's (:func:`journeykg.graph.impact.traverse`
from the processes and systems it changes, quantified by
:func:`journeykg.graph.quantify.blast_radius`); the before/after is
:func:`journeykg.graph.before_after.before_after`. Nothing is re-computed here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime

from rdflib import Graph, Literal, URIRef

from journeykg.graph.before_after import BeforeAfter, before_after
from journeykg.graph.elements import refs
from journeykg.graph.impact import traverse
from journeykg.graph.model import ImpactAnswer
from journeykg.graph.quantify import BlastRadius, blast_radius
from journeykg.graph.store import Store
from journeykg.namespaces import DCTERMS, JKG, RDF, RDFS, XSD
from journeykg.services.insights.errors import InsightError
from journeykg.services.insights.insights import checked_elements, checked_owner, now
from journeykg.services.insights.records import (
    Initiative,
    insights,
    read_initiative,
    read_insight,
    slug,
)
from journeykg.services.insights.statuses import (
    ADDRESSABLE,
    INITIATIVE_LIFECYCLE,
    INITIATIVE_STATUSES,
    INSIGHT_STATUSES,
)
from journeykg.services.insights.writing import gated_write

#: What an initiative may change.
CHANGEABLE = frozenset({"BackofficeProcess", "ITSystem"})


@dataclass(frozen=True)
class PlannedEffect:
    """An expected effect as a caller states it: a KPI (id) and its change on the KPI's scale."""

    kpi: str
    change: float


def _decimal(value: float) -> Literal:
    return Literal(str(value), datatype=XSD.decimal)


def _checked_date(record: str, field: str, rule: str, text: str) -> Literal:
    try:
        day = date.fromisoformat(text)
    except ValueError as error:
        raise InsightError(
            "DATE", record, field, rule, f"{text!r} is not a date (YYYY-MM-DD)"
        ) from error
    return Literal(day.isoformat(), datatype=XSD.date)


def _addressed_insights(store: Store, record: str, idents: Sequence[str]) -> list[URIRef]:
    if not idents:
        raise InsightError(
            "ADDRESSES_REQUIRED",
            record,
            "jkg:addresses",
            "jkgsh:Initiative-addresses",
            "an initiative addresses at least one insight",
        )
    iris = checked_elements(
        store,
        record,
        "jkg:addresses",
        "jkgsh:Initiative-addresses",
        idents,
        frozenset({"Insight"}),
    )
    for ident in idents:
        found = read_insight(store, ident)
        if found.status not in ADDRESSABLE:
            raise InsightError(
                "NOT_VALIDATED",
                record,
                "jkg:addresses",
                "an initiative addresses validated insights",
                f"insight {found.id} is {found.status}; validate it first",
            )
    return iris


def create_initiative(
    store: Store,
    name: str,
    *,
    owner: str | None,
    addresses: Sequence[str],
    cost: float | None = None,
    target_date: str | None = None,
    changes: Sequence[str] = (),
    effects: Sequence[PlannedEffect] = (),
    lang: str = "en",
    why: str | None = None,
) -> Initiative:
    """A new initiative (status idea) as ``initiative/<slug of name>``; refusals name the field."""
    record = f"initiative/{slug(name)}"
    if not name.strip():
        raise InsightError(
            "NAME_REQUIRED",
            record,
            "rdfs:label",
            "jkgsh:Initiative-label",
            "an initiative needs a name",
        )
    iri = store.ids.iri(record)
    if refs(store, [iri]):
        raise InsightError(
            "EXISTS",
            record,
            "rdf:type",
            "one initiative per id",
            "an initiative with this id exists already",
        )
    owner_iri = checked_owner(store, record, owner, "jkgsh:Initiative-owner")
    insight_iris = _addressed_insights(store, record, addresses)
    changed = checked_elements(
        store, record, "jkg:changesElement", "jkgsh:Initiative-changes", changes, CHANGEABLE
    )
    kpis = checked_elements(
        store,
        record,
        "jkg:expects",
        "jkgsh:ExpectedEffect-kpi",
        [e.kpi for e in effects],
        frozenset({"KPI"}),
    )
    if cost is not None and cost < 0:
        raise InsightError(
            "COST",
            record,
            "jkg:costEur",
            "jkgsh:Initiative-cost",
            f"a cost is not negative (found: {cost})",
        )
    delta = Graph()
    delta.add((iri, RDF.type, JKG.Initiative))
    delta.add((iri, RDFS.label, Literal(name.strip(), lang=lang)))
    delta.add((iri, JKG.initiativeStatus, INITIATIVE_STATUSES["idea"]))
    delta.add((iri, JKG.ownedBy, owner_iri))
    delta.add((iri, DCTERMS.created, now()))
    for i in insight_iris:
        delta.add((iri, JKG.addresses, i))
    for c in changed:
        delta.add((iri, JKG.changesElement, c))
    if cost is not None:
        delta.add((iri, JKG.costEur, _decimal(cost)))
    if target_date is not None:
        day = _checked_date(record, "jkg:targetDate", "jkgsh:Initiative-targetDate", target_date)
        delta.add((iri, JKG.targetDate, day))
    for effect, kpi in zip(effects, kpis, strict=True):
        node = store.ids.iri(f"{record}/effect/{slug(store.ids.key(str(kpi)))}")
        delta.add((iri, JKG.expects, node))
        delta.add((node, RDF.type, JKG.ExpectedEffect))
        delta.add((node, JKG.onKpi, kpi))
        delta.add((node, JKG.expectedChange, _decimal(effect.change)))
    gated_write(store, delta, record, why=why)
    return read_initiative(store, record)


def set_initiative_status(
    store: Store,
    ident: str,
    status: str,
    *,
    done_on: str | None = None,
    why: str | None = None,
) -> Initiative:
    """Move an initiative one allowed step (idea → planned → in progress → done, or dropped).

    Planning it marks the validated insights it addresses as addressed, in the
    same write; marking it done records the day (``done_on``, today by default)
    its KPIs are measured around.
    """
    current = read_initiative(store, ident)
    target = INITIATIVE_LIFECYCLE.check_step(current.id, current.status, status)
    iri = store.ids.iri(current.id)
    delta = Graph()
    delta.add((iri, JKG.initiativeStatus, target))
    delta.add((iri, DCTERMS.modified, now()))
    if status in ("planned", "in-progress"):
        for insight in current.addresses:
            if read_insight(store, insight).status == "validated":
                delta.add(
                    (store.ids.iri(insight), JKG.insightStatus, INSIGHT_STATUSES["addressed"])
                )
    if status == "done":
        day = done_on or datetime.now(UTC).date().isoformat()
        delta.add(
            (
                iri,
                JKG.doneOn,
                _checked_date(current.id, "jkg:doneOn", "jkgsh:Initiative-doneOn", day),
            )
        )
    gated_write(store, delta, current.id, why=why)
    return read_initiative(store, current.id)


@dataclass(frozen=True)
class InitiativeImpact:
    """What the processes and systems an initiative changes reach, and what is at stake there."""

    initiative: str
    answer: ImpactAnswer | None
    """None when the initiative names nothing it changes."""
    radius: BlastRadius | None


def initiative_impact(store: Store, ident: str) -> InitiativeImpact:
    """The impact of the elements the initiative changes (the impact machinery's answer)."""
    current = read_initiative(store, ident)
    roots = list(refs(store, [store.ids.iri(c) for c in current.changes]).values())
    if not roots:
        return InitiativeImpact(current.id, None, None)
    answer = traverse(store, sorted(roots))
    return InitiativeImpact(current.id, answer, blast_radius(store, answer))


def measure(store: Store, ident: str) -> list[BeforeAfter]:
    """Each KPI the initiative expects an effect on, before and after the day it was done."""
    current = read_initiative(store, ident)
    if current.status != "done" or current.done_on is None:
        raise InsightError(
            "NOT_DONE",
            current.id,
            "jkg:doneOn",
            "measured once done",
            f"the initiative is {current.status}; its KPIs are measured "
            "before and after the day it is done",
        )
    if not current.effects:
        raise InsightError(
            "NO_EFFECTS",
            current.id,
            "jkg:expects",
            "measured on named KPIs",
            "the initiative names no KPI it expects an effect on",
        )
    return [before_after(store, e.kpi, current.done_on) for e in current.effects]


__all__ = [
    "InitiativeImpact",
    "PlannedEffect",
    "create_initiative",
    "initiative_impact",
    "insights",
    "measure",
    "set_initiative_status",
]
