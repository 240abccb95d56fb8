"""Mining results as triples: dated measurements with provenance, at journeys, steps, touchpoints.

One ``jkg:MiningMeasurement`` per element (journey, designed step, mapped touchpoint) and
period (ontology/mining.ttl), each at an IRI made of the journey, the period and the
element (``mining/journey/verhuizen/2026-01/step/verhuizen-doorgeven``), so that mining
the same period again replaces its measurements instead of adding a second set. Only an
element reached by at least k customers gets one; the events themselves are not written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from journeykg.ids import Identifiers
from journeykg.mining.journey import JourneyMining
from journeykg.mining.periods import period_bounds
from journeykg.namespaces import JKG, RDF, RDFS, XSD


@dataclass(frozen=True)
class MeasurementWrite:
    """What one write holds: the triples, and the measurements of the periods it replaces."""

    delta: Graph
    subjects: list[URIRef]
    prefixes: list[str]
    """IRI prefixes of the periods written: every stored measurement under one is replaced."""


def period_prefix(ids: Identifiers, journey: str, period: str) -> str:
    """The IRI prefix of every measurement of ``journey`` in ``period``."""
    return str(ids.iri(f"mining/{journey}/{period}/"))


def _share(value: float) -> Literal:
    return Literal(Decimal(str(round(value, 4))), datatype=XSD.decimal)


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def measurements(ids: Identifiers, results: Sequence[JourneyMining]) -> MeasurementWrite:
    """The measurements of ``results`` (one per period of one journey)."""
    delta = Graph()
    prefixes: list[str] = []
    for mined in results:
        prefix = period_prefix(ids, mined.journey, mined.period)
        prefixes.append(prefix)  # replaced even when nothing of it is written now
        if mined.customers < mined.k:
            continue  # a period of fewer than k customers is not shown, not even in total
        whole = _node(
            delta,
            ids,
            mined,
            prefix,
            mined.journey,
            "Mining van de klantreis",
            "Mining of the journey",
        )
        facts = {
            JKG.casesCompleted: mined.completed,
            JKG.casesSkipped: mined.deviation_cases("skipped"),
            JKG.casesLooped: mined.deviation_cases("loops"),
            JKG.casesRepeated: mined.deviation_cases("repeats"),
            JKG.casesOutOfOrder: mined.deviation_cases("out_of_order"),
            JKG.casesSwitchingChannel: mined.deviation_cases("channel_switch"),
            JKG.minedContacts: sum(r.contacts for r in mined.repeats),
            JKG.repeatContacts: sum(r.repeated for r in mined.repeats),
        }
        for predicate, value in facts.items():
            delta.add((whole, predicate, _count(value)))
        delta.add((whole, JKG.fitness, _share(mined.fitness)))
        gaps = {g.source: g for g in mined.gaps}
        for step in mined.drop_off:
            if step.customers < mined.k:
                continue
            at = _node(
                delta, ids, mined, prefix, step.step, "Uitval bij de stap", "Drop-off at the step"
            )
            delta.add((at, JKG.casesReached, _count(step.reached)))
            delta.add((at, JKG.casesStopped, _count(step.stopped)))
            delta.add((at, JKG.dropOffRate, _share(step.rate)))
            delta.add((at, JKG.casesSkipped, _count(mined.deviation_cases("skipped", step.step))))
            delta.add((at, JKG.casesLooped, _count(mined.deviation_cases("loops", step.step))))
            gap = gaps.get(step.step)
            if gap is not None:
                delta.add((at, JKG.medianSecondsToNext, _share(gap.median_seconds)))
        for touchpoint in mined.touchpoints:
            if touchpoint.customers < mined.k:
                continue
            at = _node(
                delta,
                ids,
                mined,
                prefix,
                touchpoint.touchpoint,
                "Uitval bij het touchpoint",
                "Drop-off at the touchpoint",
            )
            delta.add((at, JKG.casesReached, _count(touchpoint.reached)))
            delta.add((at, JKG.casesStopped, _count(touchpoint.stopped)))
            delta.add((at, JKG.dropOffRate, _share(touchpoint.rate)))
    subjects = sorted(
        {s for s in delta.subjects(RDF.type, JKG.MiningMeasurement) if isinstance(s, URIRef)}
    )
    return MeasurementWrite(delta, subjects, prefixes)


def _node(
    delta: Graph,
    ids: Identifiers,
    mined: JourneyMining,
    prefix: str,
    element: str,
    label_nl: str,
    label_en: str,
) -> URIRef:
    """A measurement of ``element`` in the period, with what every measurement has."""
    start, end = period_bounds(mined.period)
    subject = URIRef(prefix + element)
    delta.add((subject, RDF.type, JKG.MiningMeasurement))
    delta.add((subject, RDFS.label, Literal(f"{label_nl}, {mined.period}", lang="nl")))
    delta.add((subject, RDFS.label, Literal(f"{label_en}, {mined.period}", lang="en")))
    delta.add((subject, JKG.minedAt, ids.iri(element)))
    delta.add((subject, JKG.minedJourney, ids.iri(mined.journey)))
    delta.add((subject, JKG.period, Literal(str(start.year), datatype=XSD.gYear)))
    delta.add((subject, JKG.periodStart, Literal(start, datatype=XSD.date)))
    delta.add((subject, JKG.periodEnd, Literal(end, datatype=XSD.date)))
    delta.add((subject, JKG.minedCases, _count(mined.cases)))
    delta.add((subject, JKG.minedCustomers, _count(mined.customers)))
    return subject
