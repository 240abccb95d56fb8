"""The lifecycle picture: stages → phases → contact reasons, with figures and journeys.

One question for the web workspace's start page (and any other entry point):
the framework in its order, each contact reason's figures, the journeys
placed on it, and the gaps in coverage. Every figure comes from the functions
the rest of the graph layer uses: a reason's volumes from
:func:`.factors.reason_volumes`, a journey's figures (contacts, complaints,
cost, KPIs, stages) from :func:`.quantify.prioritise`, as GraphQL's
``priorities`` gives them.

Order: stages and phases by ``skos:notation`` (SKOS's code for a concept,
"1", "2", ...), then by key; the framework has no other order. Reasons
within a phase by key.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

from rdflib import Graph, Literal, URIRef

from journeykg.graph.collector_pause import collector_paused
from journeykg.graph.edges import follow
from journeykg.graph.elements import element_type, pick_label
from journeykg.graph.factors import (
    KpiStatus,
    ReasonVolume,
    VolumeFact,
    first_contact_resolution,
    reason_volume,
    volume_facts,
)
from journeykg.graph.model import ElementRef
from journeykg.graph.quantify import JourneyFigures, KnownJourneys, prioritise
from journeykg.graph.store import EdgeRequest, ElementFacts, Store
from journeykg.graph.stored_terms import stored_iri
from journeykg.namespaces import JKG, SKOS


@dataclass(frozen=True)
class Named:
    """An element with its labels per language (``None``: a label without language)."""

    id: str
    iri: str
    labels: Mapping[str | None, str]

    def label(self, language: str) -> str:
        """The label in ``language``, else in Dutch, English, any; else the id."""
        for lang in (language, "nl", "en", None):
            if lang in self.labels:
                return self.labels[lang]
        return next(iter(self.labels.values()), self.id)


@dataclass(frozen=True)
class ReasonCell:
    """One contact reason on the picture, with its figures and the journeys placed on it."""

    reason: Named
    volume: ReasonVolume
    journeys: tuple[str, ...]
    """Ids of the journeys placed on it, sorted."""

    @property
    def first_contact_resolution(self) -> float | None:
        return first_contact_resolution(self.volume)


@dataclass(frozen=True)
class PhaseRow:
    phase: Named
    reasons: tuple[ReasonCell, ...]


@dataclass(frozen=True)
class StageColumn:
    stage: Named
    phases: tuple[PhaseRow, ...]


@dataclass(frozen=True)
class PlacedJourney:
    """A journey on the picture: its figures (as ``priorities`` ranks them) and its gaps."""

    journey: Named
    figures: JourneyFigures
    owners: tuple[Named, ...]

    @property
    def kpis(self) -> tuple[KpiStatus, ...]:
        return self.figures.kpis


@dataclass(frozen=True)
class LifecyclePicture:
    stages: tuple[StageColumn, ...]
    journeys: tuple[PlacedJourney, ...]
    """Every journey, in the order of the first stage it sits in, then by id."""

    def reasons(self) -> Iterable[ReasonCell]:
        """Every reason cell, stage by stage."""
        for stage in self.stages:
            for phase in stage.phases:
                yield from phase.reasons

    def journey(self, ident: str) -> PlacedJourney:
        """The journey ``ident`` (a KeyError for one not on the picture)."""
        return self._by_id[ident]

    @cached_property
    def _by_id(self) -> dict[str, PlacedJourney]:
        # A cell's cost or KPI looks up each of its journeys: a scan of every journey per
        # lookup made that quadratic (30,000 journeys: 9e8 comparisons).
        return {j.journey.id: j for j in self.journeys}


def lifecycle_picture(store: Store, *, sum_in_store: bool = True) -> LifecyclePicture:
    """The lifecycle framework with each reason's figures and the journeys placed on it.

    ``sum_in_store``: as :func:`.quantify.prioritise`'s (False: the costs summed in
    Python, the benchmark's baseline).
    """
    return picture_of(picture_parts(store, sum_in_store=sum_in_store))


@dataclass(frozen=True)
class PictureParts:
    """What the picture is made of, kept so that a write need not recompute all of it.

    :func:`picture_of` makes the picture from these alone (no store read), so the
    picture updated from what a write changed (:mod:`.lifecycle_kept`) is, by
    construction, the one a full computation makes from the same parts.
    """

    stages: tuple[URIRef, ...]
    phases: tuple[tuple[URIRef, URIRef], ...]
    """(stage, phase) edges."""
    reasons: tuple[tuple[URIRef, URIRef], ...]
    """(phase, reason) edges: the reasons on the framework."""
    order: Mapping[URIRef, str]
    """Each stage's and phase's ``skos:notation``, padded."""
    named: Mapping[URIRef, Named]
    """The framework's elements, every journey and every owner."""
    volumes: Mapping[URIRef, ReasonVolume]
    """Every reason on the framework's."""
    volume_facts: Mapping[URIRef, Mapping[URIRef, VolumeFact]]
    """Per reason on the framework, its volumes with their facts (every period's)."""
    placed_on: Mapping[URIRef, tuple[URIRef, ...]]
    """Per journey, the reasons it is placed on (also off the framework)."""
    owned_by: Mapping[URIRef, tuple[URIRef, ...]]
    """Per journey, its owners."""
    figures: Mapping[URIRef, JourneyFigures]
    """Per journey, its figures with their score (as ``priorities`` ranks them)."""

    @cached_property
    def volume_holders(self) -> dict[URIRef, frozenset[URIRef]]:
        """Per volume in :attr:`volume_facts`, the reasons it is a volume of."""
        holders: dict[URIRef, set[URIRef]] = defaultdict(set)
        for reason, volumes in self.volume_facts.items():
            for volume in volumes:
                holders[volume].add(reason)
        return {volume: frozenset(reasons) for volume, reasons in holders.items()}

    @cached_property
    def framework(self) -> frozenset[URIRef]:
        """The stages, phases and reasons on the picture."""
        return frozenset(
            {*self.stages, *(p for _, p in self.phases), *(r for _, r in self.reasons)}
        )


# The cyclic collector paused: at 1M nodes it walked the records and IRIs of 30,000
# journeys again and again, ~1.0 s of the question's 2.3 s of CPU (graph/collector_pause.py).
@collector_paused()
def picture_parts(store: Store, *, sum_in_store: bool = True) -> PictureParts:
    """Every part of the picture, read and computed in full."""
    stages = store.instances(JKG.LifecycleStage)
    phases = follow(store, JKG.inStage, stages, inverse=True)
    reasons = follow(store, JKG.inPhase, [p for _, p in phases], inverse=True)
    # Read once for every reason, and handed to priorities' own sums.
    # Every volume of every reason, kept with the parts: after a write the kept
    # picture reads again only the volumes it changed (graph/lifecycle_kept.py).
    per_reason = volume_facts(store, [r for _, r in reasons])
    volumes = {reason: reason_volume(of) for reason, of in per_reason.items()}
    # Every journey with its names, where it is placed and who owns it: read here
    # once and handed to priorities (which would read the journeys, their placements
    # and their refs again): on Neo4j each round trip over 30,000 journeys costs
    # 0.3–0.9 s.
    journey_facts = store.class_facts(JKG.Journey)
    # IRIs read out of the store: stored_iri spares rdflib's check of each (240k here).
    journeys = sorted((stored_iri(j) for j in journey_facts), key=str)
    placements, ownership = (
        store.edges(
            [
                EdgeRequest(str(JKG.placedOn), [str(j) for j in journeys]),
                EdgeRequest(str(JKG.ownedBy), [str(j) for j in journeys]),
            ]
        ).found
        if journeys
        else ([], [])
    )
    owners = [(stored_iri(j), stored_iri(o)) for j, o in ownership]
    framework = [*stages, *(p for _, p in phases), *(r for _, r in reasons)]
    others = [*framework, *{o for _, o in owners}]
    facts = {**store.element_facts({str(i) for i in others}), **journey_facts}
    named = _named(store, [*others, *journeys], facts)
    known = KnownJourneys(
        journeys, {j: _ref(named[j], facts[str(j)]) for j in journeys}, placements
    )
    ranked = prioritise(store, volumes=volumes, sum_in_store=sum_in_store, known=known).journeys
    order = _order(store.describe([*stages, *(p for _, p in phases)]))
    journey_of = {str(j): j for j in journeys}
    placed_on = _grouped((journey_of[j], stored_iri(r)) for j, r in placements)
    owned_by = _grouped(owners)
    return PictureParts(
        stages=tuple(stages),
        phases=tuple(phases),
        reasons=tuple(reasons),
        order=order,
        named=named,
        volumes=volumes,
        volume_facts=per_reason,
        placed_on={j: tuple(placed_on.get(j, ())) for j in journeys},
        owned_by={j: tuple(owned_by.get(j, ())) for j in journeys},
        # Keyed by the journeys' own IRI objects, as the other parts are: a dict lookup
        # with an equal but other object calls rdflib's __eq__ (30,000 per update).
        figures={journey_of[f.journey.iri]: f for f in ranked},
    )


@collector_paused()  # as picture_parts is: 30,000 journeys placed and ordered at 1M nodes
def picture_of(
    parts: PictureParts,
    placed: Mapping[URIRef, PlacedJourney] | None = None,
    order: Mapping[URIRef, tuple[int, str]] | None = None,
) -> LifecyclePicture:
    """The picture made of ``parts``, without reading the store.

    ``placed``: every journey as :func:`placed_journey` makes it from ``parts``, and
    ``order`` their :func:`journey_order`, when the caller has them (the kept picture
    makes again only those of the journeys a write changed: 30,000 made and keyed
    again cost 0.2 s).
    """
    named = parts.named
    on_framework = {r for _, r in parts.reasons}
    journeys_on: dict[URIRef, set[str]] = defaultdict(set)
    for journey, reasons in parts.placed_on.items():
        for reason in reasons:
            if reason in on_framework:
                journeys_on[reason].add(named[journey].id)
    columns = stage_columns(parts, journeys_on)
    if placed is None:
        placed = {journey: placed_journey(parts, journey) for journey in parts.figures}
    if order is None:
        position = stage_positions(columns)
        order = {journey: journey_order(j, position) for journey, j in placed.items()}
    placed_journeys = tuple(placed[j] for j in sorted(placed, key=order.__getitem__))
    return LifecyclePicture(columns, placed_journeys)


def stage_columns(
    parts: PictureParts, journeys_on: Mapping[URIRef, set[str]]
) -> tuple[StageColumn, ...]:
    """The framework's stages, phases and reason cells in their order."""
    named = parts.named
    reasons_in = _grouped(parts.reasons)
    phases_in = _grouped(parts.phases)
    order = parts.order

    def key(iri: URIRef) -> tuple[str, str]:
        return (order.get(iri, "~"), named[iri].id)

    return tuple(
        StageColumn(
            named[stage],
            tuple(
                PhaseRow(
                    named[phase],
                    tuple(
                        ReasonCell(
                            named[r], parts.volumes[r], tuple(sorted(journeys_on.get(r, ())))
                        )
                        for r in sorted(reasons_in[phase], key=key)
                    ),
                )
                for phase in sorted(phases_in[stage], key=key)
            ),
        )
        for stage in sorted(parts.stages, key=key)
    )


def stage_positions(columns: Iterable[StageColumn]) -> dict[str, int]:
    """Each stage's column (by stage id)."""
    return {c.stage.id: i for i, c in enumerate(columns)}


def journey_order(journey: PlacedJourney, position: Mapping[str, int]) -> tuple[int, str]:
    """Where ``journey`` comes on the picture: by the first stage it sits in, then by id."""
    return (_first_stage(journey.figures.stage_ids, position), journey.journey.id)


def placed_journey(parts: PictureParts, journey: URIRef) -> PlacedJourney:
    """``journey`` on the picture: its name, figures and owners from ``parts``."""
    named = parts.named
    return PlacedJourney(
        named[journey],
        parts.figures[journey],
        tuple(named[o] for o in sorted(parts.owned_by.get(journey, ()))),
    )


def _first_stage(stage_ids: Iterable[str], position: Mapping[str, int]) -> int:
    """The position of the earliest of ``stage_ids`` on the picture (past the end: none).

    ``position``: each stage's column. Looked up per stage of the journey, not a
    scan of the columns with a set built per column (0.5 s for 30,000 journeys).
    """
    return min((position[s] for s in stage_ids if s in position), default=len(position))


def _grouped(edges: Iterable[tuple[URIRef, URIRef]]) -> defaultdict[URIRef, list[URIRef]]:
    grouped: defaultdict[URIRef, list[URIRef]] = defaultdict(list)
    for node, neighbour in edges:
        grouped[node].append(neighbour)
    return grouped


def named_elements(store: Store, iris: list[URIRef]) -> dict[URIRef, Named]:
    """Each of ``iris`` with its key and its labels per language, in one batch."""
    return _named(store, iris, store.element_facts({str(i) for i in iris}))


def _ref(named: Named, facts: ElementFacts) -> ElementRef:
    """The ref :func:`.elements.refs` gives a stored element, from the facts read for its name."""
    types, labels = facts
    return ElementRef(
        id=named.id, iri=named.iri, type=element_type(types), label=pick_label(labels)
    )


def _named(
    store: Store, iris: list[URIRef], facts: Mapping[str, ElementFacts]
) -> dict[URIRef, Named]:
    """Each of ``iris`` with its key and its labels per language, from ``facts``."""
    named = {}
    for iri in iris:
        _types, labels = facts.get(str(iri), ((), ()))
        by_language: dict[str | None, str] = {}
        for text, language in labels:
            by_language.setdefault(language, text)
        named[iri] = Named(store.ids.key(str(iri)), str(iri), by_language)
    return named


def _order(described: Graph) -> dict[URIRef, str]:
    """Each concept's ``skos:notation``, zero-padded so that "10" sorts after "9"."""
    return {
        URIRef(str(s)): str(o).zfill(8)
        for s, o in described.subject_objects(SKOS.notation)
        if isinstance(o, Literal)
    }


@dataclass(frozen=True)
class ChannelVolume:
    channel: Named | None
    volume: ReasonVolume


@dataclass(frozen=True)
class ProcessBeneath:
    """A process supporting a touchpoint of a journey on the reason, with its IT systems."""

    process: Named
    systems: tuple[Named, ...]


@dataclass(frozen=True)
class ReasonDetail:
    """One contact reason: where it sits, its volumes per channel, what lies beneath it."""

    reason: Named
    phase: Named | None
    stage: Named | None
    channels: tuple[ChannelVolume, ...]
    total: ReasonVolume
    journeys: tuple[Named, ...]
    processes: tuple[ProcessBeneath, ...]


def reason_detail(store: Store, reason: URIRef) -> ReasonDetail:
    """The contact reason ``reason`` (an IRI the caller has resolved) with what hangs on it.

    Processes are those that directly support a touchpoint of a journey placed
    on the reason (:func:`.quantify.journey_scope`), with the systems they use.
    """
    from journeykg.graph.factors import channel_volumes, sum_volumes
    from journeykg.graph.quantify import journey_scope

    phase = next((p for _, p in follow(store, JKG.inPhase, [reason])), None)
    stage = next((s for _, s in follow(store, JKG.inStage, [phase])), None) if phase else None
    journeys = sorted(j for _, j in follow(store, JKG.placedOn, [reason], inverse=True))
    scope = journey_scope(store, journeys, None, None)
    processes = sorted({p for ps in scope.supporters.values() for p in ps})
    systems = _grouped(follow(store, JKG.usesSystem, processes))
    per_channel = channel_volumes(store, [reason])[reason]
    channels = [URIRef(c) for c in per_channel if c is not None]
    everything = [reason, *(x for x in (phase, stage) if x), *journeys, *processes, *channels]
    named = named_elements(store, [*everything, *(s for ss in systems.values() for s in ss)])

    def channel_of(iri: str | None) -> Named | None:
        return named[URIRef(iri)] if iri is not None else None

    return ReasonDetail(
        reason=named[reason],
        phase=named[phase] if phase else None,
        stage=named[stage] if stage else None,
        channels=tuple(
            sorted(
                (ChannelVolume(channel_of(c), v) for c, v in per_channel.items()),
                key=lambda cv: (-cv.volume.contacts, cv.channel.id if cv.channel else ""),
            )
        ),
        total=sum_volumes(per_channel.values()),
        journeys=tuple(named[j] for j in journeys),
        processes=tuple(
            ProcessBeneath(named[p], tuple(named[s] for s in sorted(systems[p]))) for p in processes
        ),
    )
