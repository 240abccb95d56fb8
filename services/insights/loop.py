"""The closed loop: after a sync, the signal rules run and each signal drafts an insight.

:func:`close_loop` asks :func:`journeykg.graph.signals.all_signals` what the
rules find now. Each finding is kept as a ``jkg:Signal`` under its key (the
rule, the element, the channel: ``signal/complaint-spike-reason-x-channel-y``)
and drafts an insight ``insight/<same key>`` (status new) for the owner of
what it concerns (:func:`journeykg.graph.signals.owner_of`), derived from the
signal and the facts it read. The same cause found again, in a later period
or a later sync, updates that signal and adds its new evidence to that
insight: never a second one. The insight's status is its owner's: a signal
never changes it. Signal and insight are written together, through the shapes
and the audit, or not at all.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph, Literal, URIRef

from journeykg.graph.elements import refs
from journeykg.graph.model import ElementRef
from journeykg.graph.series import Touched, touched_by
from journeykg.graph.signals import Found, all_signals, owner_of, owners_of
from journeykg.graph.store import Capability, Store
from journeykg.namespaces import DCTERMS, JKG, PROV, RDF, RDFS, XSD
from journeykg.services.insights.errors import InsightError
from journeykg.services.insights.insights import now
from journeykg.services.insights.records import slug
from journeykg.services.insights.statuses import INSIGHT_STATUSES
from journeykg.services.insights.writing import gated_write

_RULES = {
    "complaint-spike": (JKG.ruleComplaintSpike, "Complaint spike", "Piek in klachten"),
    "contact-spike": (JKG.ruleContactSpike, "Contact spike", "Piek in contacten"),
    "kpi-below-target": (JKG.ruleKpiBelowTarget, "KPI below target", "KPI onder doel"),
    "score-drop": (JKG.ruleScoreDrop, "Score drop", "Daling van de score"),
}

#: The statement a drafted insight starts with: figures and names only, never verbatim text.
_STATEMENTS = {
    "en": {
        "complaint-spike": "Complaints about {what}{via} spike in {month}: "
        "{observed} against a baseline of {expected}",
        "contact-spike": "Contacts about {what}{via} spike in {month}: "
        "{observed} against a baseline of {expected}",
        "kpi-below-target": "{what} stays below its target of {expected} for {periods} periods "
        "(last {observed}, {month})",
        "score-drop": "{what} drops to {observed} in {month} (median before {expected})",
    },
    "nl": {
        "complaint-spike": "Klachten over {what}{via} pieken in {month}: "
        "{observed} tegen een basislijn van {expected}",
        "contact-spike": "Contacten over {what}{via} pieken in {month}: "
        "{observed} tegen een basislijn van {expected}",
        "kpi-below-target": "{what} blijft {periods} perioden onder het doel van {expected} "
        "(laatst {observed}, {month})",
        "score-drop": "{what} daalt in {month} naar {observed} (mediaan daarvoor {expected})",
    },
}


@dataclass
class LoopReport:
    """What one run of the loop did, by signal key."""

    drafted: list[str] = field(default_factory=list)
    """Insights drafted (ids)."""
    updated: list[str] = field(default_factory=list)
    """Insights that got new evidence (ids)."""
    unchanged: list[str] = field(default_factory=list)
    """Signal keys found again with nothing new."""
    unowned: list[str] = field(default_factory=list)
    """Signal keys kept without a draft insight: nobody owns what they concern."""
    refused: list[str] = field(default_factory=list)
    """Why a signal could not be written (the refusal's message)."""


def signal_key(store: Store, found: Found) -> str:
    """The cause in keys: ``complaint-spike|reason/nummer-meenemen|channel/telefoon``."""
    channel = store.ids.key(found.channel) if found.channel else ""
    return "|".join((found.rule, store.ids.key(found.element), channel))


def _number(value: float) -> Literal:
    # Plain decimal notation: an xsd:decimal has no exponent (a p-value of 1e-09).
    return Literal(format(Decimal(repr(value)), "f"), datatype=XSD.decimal)


def _statement(store: Store, found: Found, lang: str, names: Mapping[URIRef, ElementRef]) -> str:
    what = names[URIRef(found.element)].label or store.ids.key(found.element)
    via = ""
    if found.channel:
        ref = names.get(URIRef(found.channel))
        via = f" via {ref.label if ref and ref.label else store.ids.key(found.channel)}"
    values = {
        "what": what,
        "via": via,
        "month": found.period_start[:7],
        "observed": f"{found.observed:g}",
        "expected": f"{found.expected:g}",
        "periods": f"{found.statistic:g}",
    }
    return _STATEMENTS[lang][found.rule].format(**values)


def _signal_delta(store: Store, found: Found, key: str, iri: URIRef) -> Graph:
    rule, en, nl = _RULES[found.rule]
    delta = Graph()
    delta.add((iri, RDF.type, JKG.Signal))
    delta.add((iri, RDFS.label, Literal(f"{en}: {key}", lang="en")))
    delta.add((iri, RDFS.label, Literal(f"{nl}: {key}", lang="nl")))
    delta.add((iri, JKG.signalKey, Literal(key)))
    delta.add((iri, JKG.signalRule, rule))
    delta.add((iri, JKG.concerns, URIRef(found.element)))
    if found.channel:
        delta.add((iri, JKG.viaChannel, URIRef(found.channel)))
    delta.add((iri, JKG.periodStart, Literal(found.period_start, datatype=XSD.date)))
    delta.add((iri, JKG.observed, _number(found.observed)))
    delta.add((iri, JKG.expected, _number(found.expected)))
    delta.add((iri, JKG.statistic, _number(found.statistic)))
    delta.add((iri, JKG.threshold, _number(found.threshold)))
    for fact in found.evidence:
        delta.add((iri, PROV.wasDerivedFrom, URIRef(fact)))
    delta.add((iri, DCTERMS.modified, now()))
    return delta


@dataclass
class _Read:
    """What the loop reads about every finding at once, before it writes any: a store
    answers one question about all of them faster than one per finding (on Neo4j each
    question is a round trip). Each finding writes only its own signal and insight, so
    what one write changes is never what another finding read here."""

    stored: Graph
    """The findings' signals and insights as stored."""
    elements: Graph
    """What the findings concern, as stored (what a KPI measures)."""
    names: dict[URIRef, ElementRef]
    """Keys and labels of what the findings concern and their channels."""
    owners: dict[URIRef, URIRef | None] = field(default_factory=dict)
    """The owner of each element the findings concern, looked up for all at once."""

    @classmethod
    def of(cls, store: Store, found: list[Found]) -> _Read:
        keyed = [_iris(store, signal_key(store, f)) for f in found]
        elements = {URIRef(f.element) for f in found}
        channels = {URIRef(f.channel) for f in found if f.channel}
        # One read for both (a round trip on Neo4j): each is looked up by its subjects.
        both = store.describe({i for pair in keyed for i in pair} | elements)
        return cls(
            stored=both,
            elements=both,
            names=refs(store, elements | channels),
            owners=owners_of(store, elements),
        )

    def owner(self, store: Store, element: URIRef) -> URIRef | None:
        if element not in self.owners:
            self.owners[element] = owner_of(store, element)
        return self.owners[element]


def _iris(store: Store, key: str) -> tuple[URIRef, URIRef]:
    """The signal and the insight of a cause's key."""
    return store.ids.iri(f"signal/{slug(key)}"), store.ids.iri(f"insight/{slug(key)}")


def _subjects(found: Found, read: _Read) -> list[URIRef]:
    """What the drafted insight concerns: the element, and what a KPI measures."""
    element = URIRef(found.element)
    measured = read.elements.value(element, JKG.measures)
    return [element, *([URIRef(str(measured))] if measured is not None else [])]


def _apply(store: Store, found: Found, report: LoopReport, read: _Read) -> None:
    key = signal_key(store, found)
    signal, insight = _iris(store, key)
    stored = read.stored
    newest = URIRef(found.evidence[0])
    if (
        str(stored.value(signal, JKG.periodStart) or "") == found.period_start
        and (insight, PROV.wasDerivedFrom, newest) in stored
    ):
        report.unchanged.append(key)
        return
    delta = _signal_delta(store, found, key, signal)
    owner = read.owner(store, URIRef(found.element))
    if (insight, RDF.type, JKG.Insight) in stored:
        for e in {*stored.objects(insight, PROV.wasDerivedFrom), signal, newest}:
            delta.add((insight, PROV.wasDerivedFrom, e))
        delta.add((insight, DCTERMS.modified, now()))
        gated_write(store, delta, store.ids.key(str(signal)), why=f"signal {key}")
        report.updated.append(store.ids.key(str(insight)))
        return
    if owner is None:
        gated_write(store, delta, store.ids.key(str(signal)), why=f"signal {key}")
        report.unowned.append(key)
        return
    delta.add((insight, RDF.type, JKG.Insight))
    for lang in ("en", "nl"):
        delta.add(
            (insight, RDFS.label, Literal(_statement(store, found, lang, read.names), lang=lang))
        )
    delta.add((insight, JKG.insightStatus, INSIGHT_STATUSES["new"]))
    delta.add((insight, JKG.ownedBy, owner))
    for subject in _subjects(found, read):
        delta.add((insight, JKG.concerns, subject))
    delta.add((insight, PROV.wasDerivedFrom, signal))
    delta.add((insight, PROV.wasDerivedFrom, newest))
    delta.add((insight, DCTERMS.created, now()))
    gated_write(store, delta, store.ids.key(str(insight)), why=f"signal {key}")
    report.drafted.append(store.ids.key(str(insight)))


def close_loop(
    store: Store,
    written: Collection[URIRef] | None = None,
    *,
    touched: Touched | None = None,
) -> LoopReport:
    """Run the signal rules and draft or update an insight per cause; see the module docstring.

    ``written``: the subjects a sync just wrote; the rules then look only at
    the series and KPIs those belong to (:func:`~journeykg.graph.series.touched_by`),
    which is all a sync can have changed. ``touched``: those series and KPIs
    already known (a sync's report knows them from its batches:
    :func:`~journeykg.graph.series.touched_in`). Without either they look at everything.
    """
    report = LoopReport()
    if Capability.WRITABLE not in store.capabilities:
        return report
    if touched is None and written is not None:
        touched = touched_by(store, written)
    found_now = all_signals(store, touched)
    if not found_now:
        return report
    read = _Read.of(store, found_now)
    for found in found_now:
        try:
            _apply(store, found, report, read)
        except InsightError as refused:
            report.refused.append(str(refused))
    return report
