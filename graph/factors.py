"""The factors of a journey's impact score, each read from the store on its own.

- :func:`reason_volumes`: contacts, complaints and first-contact resolution
  per contact reason (the factors ``contacts`` and ``complaints``);
- :func:`annual_costs`: the latest annual cost per element (``cost``);
- :func:`kpi_statuses`: each KPI's gap to its target per measured element
  (``kpiGap``).

:mod:`.quantify` sums them per journey and ranks the journeys; the
definitions are in its docstring and in docs/impact.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from journeykg.graph.edges import follow
from journeykg.graph.elements import refs
from journeykg.graph.model import ElementRef
from journeykg.graph.store import Store
from journeykg.namespaces import JKG
from journeykg.ontology_graph import load_ontology


@dataclass(frozen=True)
class ReasonVolume:
    """What one contact reason counts in its latest year, over its channels."""

    contacts: int = 0
    complaints: int = 0
    resolved: float = 0.0
    """Contacts resolved at first contact (FCR weighted by contacts)."""


@dataclass(frozen=True)
class KpiStatus:
    """A KPI with its baseline against its target."""

    kpi: ElementRef
    kpi_type: str | None
    measures: str
    baseline: float | None
    target: float | None
    gap: float
    """Share of the target not yet reached (0 when on or above target)."""
    measured: float | None = None
    """The latest measured value (a ``jkg:KPIValue``, e.g. from a survey sync), if any."""
    measured_until: str | None = None
    """The end of the period that value was measured over (ISO date)."""


# --- contacts, complaints, first-contact resolution ------------------------------------


#: What the figures read of a contact volume, a KPI and a KPI's value.
VOLUME_FACTS = (
    JKG.period, JKG.periodStart, JKG.viaChannel,
    JKG.contacts, JKG.complaints, JKG.firstContactResolution,
)  # fmt: skip
KPI_FACTS = (JKG.kpiType, JKG.baseline, JKG.target)
KPI_VALUE_FACTS = (JKG.value, JKG.periodEnd, JKG.period)


def reason_volumes(store: Store, reasons: Collection[URIRef]) -> dict[URIRef, ReasonVolume]:
    """Per contact reason, its contacts, complaints and resolved contacts in its latest year.

    Within a channel, a year's months replace that year's whole-year figure
    (:func:`_one_count_per_channel`); channels add up.
    """
    facts = volume_facts(store, reasons)
    return {reason: reason_volume(facts[reason]) for reason in reasons}


def channel_volumes(
    store: Store, reasons: Collection[URIRef]
) -> dict[URIRef, dict[str | None, ReasonVolume]]:
    """Per contact reason, its latest year's figures per channel (IRI; None: no channel).

    :func:`reason_volumes` is their sum, so a page that shows the channels
    adds up to the figure every other answer gives.
    """
    facts = volume_facts(store, reasons)
    return {reason: channel_figures(facts[reason]) for reason in reasons}


@dataclass(frozen=True)
class VolumeFact:
    """What one contact volume states, of what the figures read."""

    period: str
    """Its ``jkg:period`` ("" without one): only a reason's latest period counts."""
    monthly: bool
    """It has a ``jkg:periodStart``: a month (or any part of the year), not the whole year."""
    channel: str | None
    contacts: float
    complaints: float
    first_contact_resolution: float | None


def volume_facts(
    store: Store, reasons: Collection[URIRef]
) -> dict[URIRef, dict[URIRef, VolumeFact]]:
    """Per contact reason, every volume attached to it (``jkg:volumeOf``) with its facts.

    Every period's: :func:`channel_figures` picks the latest. Kept by the lifecycle
    picture between writes (graph/lifecycle_kept.py), which reads again only the
    volumes a write changed (:func:`volume_facts_in`).
    """
    volumes_of, facts = _attached(store, JKG.volumeOf, reasons, VOLUME_FACTS)
    return {r: {v: _volume_fact(v, facts) for v in volumes_of.get(r, [])} for r in reasons}


def volume_facts_in(
    described: Graph, nodes: Collection[URIRef]
) -> dict[URIRef, tuple[frozenset[URIRef], VolumeFact]]:
    """Of ``nodes``, those that are a volume of some reason (``jkg:volumeOf``): the reasons,
    and the volume's facts, from ``described`` (their statements of ``jkg:volumeOf`` and
    :data:`VOLUME_FACTS` at least, as :meth:`.Store.describe_only` reads them)."""
    facts = _Facts(described)
    # One pass over the volumeOf statements, not a lookup per node (a sync's thousand).
    reasons: dict[URIRef, set[URIRef]] = defaultdict(set)
    for node, _, reason in described.triples((None, JKG.volumeOf, None)):
        if isinstance(reason, URIRef):
            reasons[URIRef(str(node))].add(URIRef(str(reason)))
    wanted = set(nodes)
    return {
        node: (frozenset(of), _volume_fact(node, facts))
        for node, of in reasons.items()
        if node in wanted
    }


def _volume_fact(node: URIRef, facts: _Facts) -> VolumeFact:
    return VolumeFact(
        period=facts.text(node, JKG.period) or "",
        monthly=facts.text(node, JKG.periodStart) is not None,
        channel=facts.text(node, JKG.viaChannel),
        contacts=facts.number(node, JKG.contacts) or 0,
        complaints=facts.number(node, JKG.complaints) or 0,
        first_contact_resolution=facts.number(node, JKG.firstContactResolution),
    )


def channel_figures(volumes: Mapping[URIRef, VolumeFact]) -> dict[str | None, ReasonVolume]:
    """One reason's latest period's figures per channel, from its ``volumes``' facts.

    Within a channel, the period's months replace a whole-period figure
    (:func:`_one_count_per_channel`); the volumes are added up in the order of their
    IRIs, so that the same volumes give the same sums however they were read.
    """
    nodes = sorted(volumes, key=str)
    newest = max((volumes[n].period for n in nodes), default="")
    latest = [n for n in nodes if volumes[n].period == newest]
    per_channel: dict[str | None, ReasonVolume] = {}
    for v in _one_count_per_channel(latest, volumes):
        fact = volumes[v]
        contacts, fcr = fact.contacts, fact.first_contact_resolution
        one = ReasonVolume(
            contacts=int(contacts),
            complaints=int(fact.complaints),
            resolved=fcr * contacts if fcr is not None else 0.0,
        )
        per_channel[fact.channel] = sum_volumes(
            [per_channel.get(fact.channel, ReasonVolume()), one]
        )
    return per_channel


def reason_volume(volumes: Mapping[URIRef, VolumeFact]) -> ReasonVolume:
    """One reason's figure: its :func:`channel_figures` added up (what every answer gives)."""
    return sum_volumes(channel_figures(volumes).values())


def sum_volumes(volumes: Iterable[ReasonVolume]) -> ReasonVolume:
    """Volumes added up: contacts, complaints and resolved contacts."""
    counted = list(volumes)
    return ReasonVolume(
        contacts=sum(v.contacts for v in counted),
        complaints=sum(v.complaints for v in counted),
        resolved=sum(v.resolved for v in counted),
    )


def first_contact_resolution(volume: ReasonVolume) -> float | None:
    """Resolved contacts as a share of all, to 4 places (None without contacts)."""
    return round(volume.resolved / volume.contacts, 4) if volume.contacts else None


def _one_count_per_channel(
    volumes: list[URIRef], facts: Mapping[URIRef, VolumeFact]
) -> list[URIRef]:
    """Of one year's volumes, those that count each contact once per channel.

    A channel may hold both a whole-year figure (typed in, or from a CSV
    bundle) and the months a CRM sync aggregated: they count the same
    contacts, so the months (measured, and fresh) win and the year figure is
    left out. Volumes of different channels, or of several months, add up.
    """
    by_channel: dict[str | None, list[URIRef]] = defaultdict(list)
    for volume in volumes:
        by_channel[facts[volume].channel].append(volume)
    counted: list[URIRef] = []
    for same_channel in by_channel.values():
        months = [v for v in same_channel if facts[v].monthly]
        counted.extend(months or same_channel)
    return counted


# --- cost --------------------------------------------------------------------------------


def annual_costs(store: Store, holders: Collection[URIRef]) -> dict[URIRef, float]:
    """Per element with costs, the sum of its costs of the latest period.

    Summed in the store (:meth:`.Store.latest_totals`): reading every cost
    record out to add it up in Python took most of the priorities question
    and of the lifecycle picture at organisation scale (docs/benchmarks.md).
    """
    return store.latest_totals(JKG.costOf, holders, JKG.amountEur, JKG.period)


# --- KPI gaps ----------------------------------------------------------------------------


def kpi_statuses(store: Store, measured: Collection[URIRef]) -> dict[URIRef, list[KpiStatus]]:
    """Per element in ``measured``, the KPIs measured on it with their gaps to target."""
    kpis_of, facts = _attached(store, JKG.measures, measured, KPI_FACTS)
    kpi_types = {
        k: URIRef(str(t)) for ks in kpis_of.values() for k in ks
        if (t := facts.graph.value(k, JKG.kpiType)) is not None
    }  # fmt: skip
    better = _higher_is_better(store, set(kpi_types.values()))
    all_kpis = sorted({k for ks in kpis_of.values() for k in ks}, key=str)
    latest_value = _latest_values(store, all_kpis)
    # The KPIs' and their types' refs in one round trip.
    found = refs(store, [*all_kpis, *set(kpi_types.values())])
    result: dict[URIRef, list[KpiStatus]] = {}
    for element, kpis in kpis_of.items():
        result[element] = []
        for kpi in kpis:
            kind = kpi_types.get(kpi)
            measured_value, measured_until = latest_value.get(kpi, (None, None))
            baseline = facts.number(kpi, JKG.baseline)
            target = facts.number(kpi, JKG.target)
            current = measured_value if measured_value is not None else baseline
            higher = kind is None or better.get(kind, True)
            result[element].append(
                KpiStatus(
                    kpi=found[kpi],
                    kpi_type=_type_id(kind, found),
                    measures=store.ids.key(str(element)),
                    baseline=baseline,
                    target=target,
                    gap=round(kpi_gap(current, target, higher), 6),
                    measured=measured_value,
                    measured_until=measured_until,
                )
            )
    return result


def _type_id(kind: URIRef | None, type_refs: Mapping[URIRef, ElementRef]) -> str | None:
    """A KPI type's id (``jkg:NPS``), its IRI when the store has no ref for it, or None."""
    if kind is None:
        return None
    return type_refs[kind].id if kind in type_refs else (str(kind) if kind else None)


def kpi_gap(current: float | None, target: float | None, higher_is_better: bool) -> float:
    """The share of ``target`` that ``current`` falls short of (0 without both, or a 0 target)."""
    if current is None or not target:
        return 0.0
    shortfall = target - current if higher_is_better else current - target
    return max(0.0, shortfall) / abs(target)


def _latest_values(
    store: Store, kpis: Collection[URIRef]
) -> dict[URIRef, tuple[float | None, str | None]]:
    """Per KPI, its latest measured value and the end of that value's period.

    "Latest" is by the period's end (``jkg:periodEnd``, else the last day of
    the ``jkg:period`` year); values without a number are ignored.
    """
    values_of, facts = _attached(store, JKG.valueOf, kpis, KPI_VALUE_FACTS)
    latest: dict[URIRef, tuple[float | None, str | None]] = {}
    for kpi, values in values_of.items():
        dated = [
            (_period_end(v, facts), str(v), number)
            for v in values
            if (number := facts.number(v, JKG.value)) is not None
        ]
        if dated:
            until, _, number = max(dated)
            latest[kpi] = (number, until or None)
    return latest


def _higher_is_better(store: Store, kpi_types: Collection[URIRef]) -> dict[URIRef, bool]:
    ontology = load_ontology()
    stored = store.describe(kpi_types)
    result = {}
    for kpi_type in kpi_types:
        value = stored.value(kpi_type, JKG.higherIsBetter) or ontology.value(
            kpi_type, JKG.higherIsBetter
        )
        result[kpi_type] = not isinstance(value, Literal) or bool(value.toPython())
    return result


# --- reading facts -----------------------------------------------------------------------


@dataclass
class _Facts:
    """Literal facts of a set of nodes, read in batches."""

    graph: Graph

    @cached_property
    def _values(self) -> dict[tuple[Node, Node], Node]:
        # One pass over the triples: a lookup per (node, predicate) through rdflib's
        # index and generators cost the picture after a sync more than the read did.
        # Where a node holds several values, any one of them, as Graph.value gives.
        return {(s, p): o for s, p, o in self.graph}

    def number(self, node: URIRef, predicate: URIRef) -> float | None:
        value = self._values.get((node, predicate))
        return float(value) if isinstance(value, Literal) else None

    def text(self, node: URIRef, predicate: URIRef) -> str | None:
        value = self._values.get((node, predicate))
        return str(value) if value is not None else None


def _attached(
    store: Store, predicate: URIRef, targets: Collection[URIRef], facts: Collection[URIRef]
) -> tuple[dict[URIRef, list[URIRef]], _Facts]:
    """Nodes pointing at ``targets`` via ``predicate`` (volumes, KPIs, KPI values), and
    their ``facts`` (the predicates read of them).

    Only those predicates: a contact volume a CRM sync wrote has some 20 statements
    (provenance, the source's record key), of which the figures read six; reading all
    of them for every volume of 60 reasons made the picture after a sync spend most
    of its time building rdflib terms it never looked at.
    """
    by_target: dict[URIRef, list[URIRef]] = defaultdict(list)
    for target, node in follow(store, predicate, targets, inverse=True):
        by_target[target].append(node)
    nodes = {n for ns in by_target.values() for n in ns}
    return by_target, _Facts(store.describe_only(nodes, facts) if nodes else Graph())


def _period_end(node: URIRef, facts: _Facts) -> str:
    """The ISO date a fact's period ends on ('' when it has no period)."""
    end = facts.text(node, JKG.periodEnd)
    if end:
        return end
    year = facts.text(node, JKG.period)
    return f"{year}-12-31" if year else ""


# --- open insights -------------------------------------------------------------------------

#: Insight statuses that still ask for work (docs/insights.md); closed and rejected do not.
OPEN_INSIGHT_STATUSES = frozenset({JKG.insightNew, JKG.insightValidated, JKG.insightAddressed})


def open_insights(store: Store, subjects: Collection[URIRef]) -> dict[URIRef, set[URIRef]]:
    """Per element in ``subjects``, the open insights (new, validated, addressed) about it."""
    about: dict[URIRef, set[URIRef]] = defaultdict(set)
    for subject, insight in follow(store, JKG.concerns, subjects, inverse=True):
        about[subject].add(insight)
    insights = {i for found in about.values() for i in found}
    stored = store.describe_only(insights, [JKG.insightStatus]) if insights else Graph()
    open_ones = {i for i in insights if stored.value(i, JKG.insightStatus) in OPEN_INSIGHT_STATUSES}
    return {s: found & open_ones for s, found in about.items() if found & open_ones}
