"""The lifecycle picture kept between generations and updated from what a write changed.

A full picture of a 1M-node organisation takes seconds (30,000 journeys' figures,
docs/benchmarks.md); a write changes a few of them. So the picture's parts
(:class:`.lifecycle.PictureParts`) are kept with the generation they were
computed for, and after a write :func:`updated` asks the store what changed
since (:meth:`.Store.changes_since`), works out which journeys and reason cells
those subjects can affect, and recomputes only those, with the same functions
a full computation uses (:func:`.quantify.figures_of`, :func:`.factors.reason_volume`;
the reasons' volumes kept with their facts, of which only the changed ones are read).

What a changed subject can affect is found from its edges **before and after**
the write (the log's ``links_before``, and the store now): a subject's old and
new objects along the predicates below lead, through the edges of subjects
that did not change (the same before and after), to every journey whose
figures could read it:

- a cost (``costOf``): every journey reaching its holder (the journey itself,
  a touchpoint at one of its steps, a process supporting such a touchpoint);
- a contact volume (``volumeOf``): its reason's cell and every journey placed on it;
- a KPI value (``valueOf``), a KPI (``measures``), a KPI type (KPIs ``kpiType`` it):
  the journeys of the measured element (a journey, or a touchpoint's journeys);
- an insight (``concerns``): the journeys of what it is about (a journey, a
  touchpoint, a reason, a KPI);
- a journey's mining (``minedJourney``), a step (``stepOf``), a touchpoint
  (``atStep``): their journeys; a journey itself (its names, placements, owners);
- an owner: the journeys it owns (its names).

A journey reached only through a contact volume (a reason's volume moved, nothing
else of the journey) is not read again: its contacts, complaints and first-contact
resolution are its reasons' volumes summed (:func:`.quantify.volume_figures`), so
after a CRM sync of a thousand aggregates every journey on their reasons takes the
reasons' new volumes without a read. A journey made is read and placed; a journey
retracted leaves the picture. A stage, phase or reason changed is read again when
the framework keeps its shape (the same stages, phases and reasons, linked the same
way: a name, a definition, a stage's code that moves its column); a change to its
shape (one made, retracted or moved), and every case :meth:`.Store.changes_since`
cannot vouch for (None), computes the whole picture again. Scores are relative to
each factor's largest value among all journeys, so they are computed again for
every journey when a largest value moved, else for the recomputed ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from rdflib import Graph, URIRef

from journeykg.graph.change_log import Changes
from journeykg.graph.collector_pause import collector_paused
from journeykg.graph.edges import follow
from journeykg.graph.factors import (
    VOLUME_FACTS,
    ReasonVolume,
    VolumeFact,
    reason_volume,
    volume_facts_in,
)
from journeykg.graph.lifecycle import (
    LifecyclePicture,
    PictureParts,
    PlacedJourney,
    _named,
    _order,
    _ref,
    journey_order,
    picture_of,
    picture_parts,
    placed_journey,
    stage_columns,
    stage_positions,
)
from journeykg.graph.quantify import (
    JourneyFigures,
    checked_weights,
    factor_maxima,
    factor_values,
    figures_of,
    score_of,
    volume_figures,
)
from journeykg.graph.store import EdgeRequest, Store
from journeykg.graph.stored_terms import stored_iri
from journeykg.namespaces import JKG, RDF, SKOS

#: The predicates whose objects :func:`affected` follows, and the type.
LINKS_FOLLOWED = (
    RDF.type, JKG.costOf, JKG.volumeOf, JKG.concerns, JKG.valueOf, JKG.measures,
    JKG.atStep, JKG.stepOf, JKG.minedJourney, JKG.minedAt,
)  # fmt: skip

#: Classes whose elements make the picture's frame: a change to one recomputes it all.
FRAMEWORK_CLASSES = frozenset({JKG.LifecycleStage, JKG.Phase, JKG.ContactReason})


@dataclass(frozen=True)
class KeptPicture:
    """A picture with the parts it was made of, for the generation it was computed for."""

    generation: str
    parts: PictureParts
    picture: LifecyclePicture
    values: Mapping[URIRef, Mapping[str, float]]
    """Per journey, its value of each factor of the score (:func:`.quantify.factor_values`)."""
    maxima: Mapping[str, float]
    """Each factor's largest value: what the scores are relative to."""
    placed: Mapping[URIRef, PlacedJourney]
    """Per journey, as the picture shows it."""
    order: Mapping[URIRef, tuple[int, str]]
    """Per journey, where it comes on the picture (:func:`.lifecycle.journey_order`)."""
    recomputed: int | None = None
    """How many journeys the last update recomputed or dropped (None: the whole picture)."""
    read: int | None = None
    """How many of them it read from the store (the others took only their volumes again)."""


def computed(store: Store, generation: str) -> KeptPicture:
    """The whole picture, computed for ``generation`` (read before it is computed)."""
    parts = picture_parts(store)
    values = {j: factor_values(f) for j, f in parts.figures.items()}
    picture = picture_of(parts)
    journey_of = {str(j): j for j in parts.figures}  # the parts' own IRI objects
    placed = {journey_of[j.journey.iri]: j for j in picture.journeys}
    position = stage_positions(picture.stages)
    order = {journey: journey_order(j, position) for journey, j in placed.items()}
    maxima = factor_maxima(list(values.values()))
    return KeptPicture(generation, parts, picture, values, maxima, placed, order)


# As a full computation is (graph/collector_pause.py): after a sync over every reason
# the update scores and copies every journey's figures again, 30,000 at 1M nodes.
@collector_paused()
def updated(store: Store, kept: KeptPicture | None, generation: str) -> KeptPicture:
    """The picture for ``generation`` (read before this is called): ``kept`` updated from
    what the writes since changed, or computed in full when that cannot be known."""
    if kept is None:
        return computed(store, generation)
    if kept.generation == generation:
        return kept
    changes = store.changes_since(kept.generation)
    if changes is None:
        return computed(store, generation)
    if not changes.subjects:
        return replace(kept, generation=generation, recomputed=0, read=0)
    found = _updated_parts(store, kept.parts, changes)
    if found is None:
        return computed(store, generation)
    parts, fresh, revolumed, gone, framework = found
    figures, values, maxima, again = _rescored(kept, fresh, revolumed, gone)
    parts = replace(parts, figures=figures)
    placed = {j: p for j, p in kept.placed.items() if j not in gone}
    order = {j: o for j, o in kept.order.items() if j not in gone}
    position = stage_positions(kept.picture.stages)
    if framework:
        # Its names or codes changed, not its shape: a stage's code moves its column,
        # and with it where each journey comes.
        moved = stage_positions(stage_columns(parts, {}))
        if moved != position:
            position = moved
            order = {j: journey_order(p, position) for j, p in placed.items()}
    for journey in again:
        if journey in fresh:
            placed[journey] = placed_journey(parts, journey)
            order[journey] = journey_order(placed[journey], position)
        else:
            # Only its score or its volumes moved: its names, owners and stages (its
            # place on the picture) are those kept.
            was = placed[journey]
            placed[journey] = PlacedJourney(was.journey, figures[journey], was.owners)
    picture = picture_of(parts, placed, order)
    return KeptPicture(
        generation,
        parts,
        picture,
        values,
        maxima,
        placed,
        order,
        len(fresh) + len(revolumed) + len(gone),
        len(fresh),
    )


@dataclass(frozen=True)
class Affected:
    """What the writes may have moved on the picture."""

    journeys: set[URIRef]
    """Journeys whose figures are read again (all of them)."""
    by_volume: set[URIRef]
    """Journeys of which only their reasons' volumes may have moved (nothing to read)."""


#: Per journey, the figures it takes from its reasons' volumes (quantify.volume_figures).
VolumeFigures = dict[URIRef, dict[str, Any]]


def _updated_parts(
    store: Store, parts: PictureParts, changes: Changes
) -> (
    tuple[PictureParts, dict[URIRef, JourneyFigures], VolumeFigures, frozenset[URIRef], bool] | None
):
    """``parts`` with what ``changes`` may have affected read again (None: recompute all).

    Also: the figures of the journeys read again, unscored; the volume figures of the
    journeys that only took their reasons' volumes again (those whose volumes moved);
    the journeys retracted; whether the framework's elements changed (their names or
    codes: a change to its shape recomputes all).
    """
    subjects = changes.subjects
    # Only the links :func:`affected` follows (a synced volume's provenance and record
    # key are most of its statements).
    now = store.describe_only(subjects, (*LINKS_FOLLOWED, *VOLUME_FACTS))
    links, made, gone, framework = _links(parts, subjects, changes.links_before, now)
    if framework:
        if not _same_shape(store, parts):
            return None
        # The codes (skos:notation) of the stages and phases that changed, read again.
        coded = sorted(subjects & {*parts.stages, *(p for _, p in parts.phases)}, key=str)
        order = {k: v for k, v in parts.order.items() if k not in subjects}
        order.update(_order(store.describe_only(coded, [SKOS.notation])) if coded else {})
        parts = replace(parts, order=order)
    found = affected(store, parts, subjects, links, made=made, gone=gone)
    volumes, per_reason = _volumes_again(parts, subjects, volume_facts_in(now, subjects))
    chosen = sorted(found.journeys, key=str)
    by_volume = []
    for journey in found.by_volume:
        # A journey also placed on a reason off the framework takes that reason's
        # volume, which is not kept: its figures are read again.
        if all(r in volumes for r in parts.placed_on[journey]):
            by_volume.append(journey)
        else:
            chosen.append(journey)
    chosen.sort(key=str)
    revolumed: VolumeFigures = {}
    # Summed once per set of reasons: many journeys share theirs (30,000 journeys on
    # 60 reasons at 1M nodes); the figures are read, never changed, below.
    summed: dict[tuple[URIRef, ...], dict[str, Any]] = {}
    for journey in by_volume:
        on = parts.placed_on[journey]
        fields = summed.get(on)
        if fields is None:
            fields = summed[on] = volume_figures(volumes, on)
        was = parts.figures[journey]
        if (fields["contacts"], fields["complaints"], fields["first_contact_resolution"]) != (
            was.contacts,
            was.complaints,
            was.first_contact_resolution,
        ):
            revolumed[journey] = fields
    placed_on = {j: r for j, r in parts.placed_on.items() if j not in gone}
    owned_by = {j: o for j, o in parts.owned_by.items() if j not in gone}
    kept_figures = {j: f for j, f in parts.figures.items() if j not in gone}
    parts = replace(
        parts,
        volumes=volumes,
        volume_facts=per_reason,
        placed_on=placed_on,
        owned_by=owned_by,
        figures=kept_figures,
    )
    # Names again of any changed subject that is named on the picture (a reason or an
    # owner renamed); the journeys read again below are named with them.
    renamed = sorted((subjects & set(parts.named)) - set(chosen) - gone, key=str)
    if renamed:
        named = _named(store, renamed, store.element_facts({str(i) for i in renamed}))
        parts = replace(parts, named={**parts.named, **named})
    if not chosen:
        return parts, {}, revolumed, gone, framework
    placements, ownership = store.edges(
        [
            EdgeRequest(str(JKG.placedOn), [str(j) for j in chosen]),
            EdgeRequest(str(JKG.ownedBy), [str(j) for j in chosen]),
        ]
    ).found
    for journey in chosen:
        placed_on[journey] = ()
        owned_by[journey] = ()
    for journey_text, reason in placements:
        placed_on[stored_iri(journey_text)] += (stored_iri(reason),)
    for journey_text, owner in ownership:
        owned_by[stored_iri(journey_text)] += (stored_iri(owner),)
    # Names again for the journeys and their owners.
    owners = {o for j in chosen for o in owned_by[j]}
    names = [*chosen, *sorted(owners, key=str)]
    facts = store.element_facts({str(i) for i in names})
    named = {**parts.named, **_named(store, names, facts)}
    refs = {j: _ref(named[j], facts.get(str(j), ((), ()))) for j in chosen}
    fresh = figures_of(store, chosen, refs, volumes)
    return replace(parts, named=named), fresh, revolumed, gone, framework


def _volumes_again(
    parts: PictureParts,
    subjects: frozenset[URIRef],
    now: Mapping[URIRef, tuple[frozenset[URIRef], VolumeFact]],
) -> tuple[dict[URIRef, ReasonVolume], dict[URIRef, Mapping[URIRef, VolumeFact]]]:
    """The framework's reasons' volumes and volume facts, with the changed subjects' facts
    as they are ``now`` (:func:`.factors.volume_facts_in`) in place of the kept ones.

    Only the reasons a changed volume was or is a volume of are summed again, from
    the volumes kept and the changed ones read: a sync's thousand aggregates, not
    every volume of every month the store holds.
    """
    on_framework = parts.volume_facts.keys()
    touched: set[URIRef] = set()
    for subject in subjects:
        touched |= parts.volume_holders.get(subject, frozenset())
        if subject in now:
            touched |= now[subject][0] & on_framework
    if not touched:
        return dict(parts.volumes), dict(parts.volume_facts)
    volumes, facts = dict(parts.volumes), dict(parts.volume_facts)
    for reason in touched:
        of = {v: f for v, f in parts.volume_facts[reason].items() if v not in subjects}
        for volume, (reasons, fact) in now.items():
            if reason in reasons:
                of[volume] = fact
        facts[reason] = of
        volumes[reason] = reason_volume(of)
    return volumes, facts


def _links(
    parts: PictureParts,
    subjects: frozenset[URIRef],
    before: Iterable[tuple[URIRef, URIRef]],
    now: Graph,
) -> tuple[set[tuple[URIRef, URIRef]], frozenset[URIRef], frozenset[URIRef], bool]:
    """Every (predicate, object) the changed subjects had before or have now, the journeys
    made and those retracted, and whether a changed subject is, or was, or is now typed
    as, an element of the framework (a stage, phase or reason)."""
    links = set(before)
    types_now: dict[URIRef, set[URIRef]] = {}
    for s, p, o in now:
        if isinstance(o, URIRef):
            links.add((URIRef(str(p)), o))
            if p == RDF.type:
                types_now.setdefault(URIRef(str(s)), set()).add(o)
    framework = bool(subjects & parts.framework) or any(
        c in FRAMEWORK_CLASSES for p, c in links if p == RDF.type
    )
    made, gone = set(), set()
    for subject in subjects:
        is_journey = JKG.Journey in types_now.get(subject, set())
        if subject in parts.figures and not is_journey:
            gone.add(subject)
        elif is_journey and subject not in parts.figures:
            made.add(subject)
    return links, frozenset(made), frozenset(gone), framework


def _same_shape(store: Store, parts: PictureParts) -> bool:
    """Whether the framework has the stages, phases and reasons ``parts`` were made of,
    read as :func:`.lifecycle.picture_parts` reads them (a stage, phase or reason
    made, retracted or moved changes it; names and codes do not)."""
    stages = store.instances(JKG.LifecycleStage)
    phases = follow(store, JKG.inStage, stages, inverse=True)
    reasons = follow(store, JKG.inPhase, [p for _, p in phases], inverse=True)
    return (set(stages), set(phases), set(reasons)) == (
        set(parts.stages),
        set(parts.phases),
        set(parts.reasons),
    )


def affected(
    store: Store,
    parts: PictureParts,
    subjects: frozenset[URIRef],
    links: set[tuple[URIRef, URIRef]],
    *,
    made: frozenset[URIRef] = frozenset(),
    gone: frozenset[URIRef] = frozenset(),
) -> Affected:
    """The journeys whose figures, and the reasons whose volumes, the changes may have moved.

    ``links``: the changed subjects' (predicate, object) edges before and after;
    ``made``, ``gone``: the journeys the writes made and retracted. Each object
    is led to the journeys that read it through the edges in the store now,
    which are those of subjects that did not change (module docstring).
    """

    def objects(*predicates: URIRef) -> set[URIRef]:
        wanted = set(predicates)
        return {o for p, o in links if p in wanted}

    holders = objects(JKG.costOf)
    reasons = objects(JKG.volumeOf)
    about = objects(JKG.concerns)
    kpis = objects(JKG.valueOf) | about
    measured = objects(JKG.measures) | about | holders
    steps = objects(JKG.atStep)
    journeys = objects(JKG.stepOf, JKG.minedJourney, JKG.minedAt) | set(subjects)
    nodes = sorted(subjects, key=str)
    # Round 1: KPIs of a changed KPI type, journeys of a changed owner, the touchpoints
    # a process (a cost's holder) supports, those on a reason an insight is about,
    # what KPIs measure.
    typed, owned, supported, on_about, measuring = store.edges(
        [
            EdgeRequest(str(JKG.kpiType), [str(n) for n in nodes], inverse=True),
            EdgeRequest(str(JKG.ownedBy), [str(n) for n in nodes], inverse=True),
            EdgeRequest(str(JKG.supportedBy), _texts(holders), inverse=True),
            EdgeRequest(str(JKG.placedOn), _texts(about), inverse=True),
            EdgeRequest(str(JKG.measures), _texts(kpis)),
        ]
    ).found
    journeys |= {stored_iri(j) for _, j in owned} | {stored_iri(j) for _, j in on_about}
    measured |= {stored_iri(e) for _, e in measuring} | {stored_iri(t) for _, t in supported}
    if typed:
        (of_type,) = store.edges(
            [EdgeRequest(str(JKG.measures), sorted({k for _, k in typed}))]
        ).found
        measured |= {stored_iri(e) for _, e in of_type}
    # Round 2: the steps the touchpoints are at; round 3: the journeys of the steps.
    (at,) = store.edges([EdgeRequest(str(JKG.atStep), _texts(measured))]).found
    steps |= {stored_iri(s) for _, s in at}
    (of,) = store.edges([EdgeRequest(str(JKG.stepOf), _texts(steps))]).found
    journeys |= {stored_iri(j) for _, j in of} | measured
    on_picture = (set(parts.figures) | made) - gone
    journeys &= on_picture
    # The journeys on a reason whose volumes moved, from the placements kept: a journey
    # placed anew is a changed subject itself (read again above).
    by_volume = {
        j for j, on in parts.placed_on.items() if j in on_picture and not reasons.isdisjoint(on)
    } - journeys
    return Affected(journeys, by_volume)


def _texts(iris: Iterable[URIRef]) -> list[str]:
    return sorted(str(i) for i in iris)


def _rescored(
    kept: KeptPicture,
    fresh: Mapping[URIRef, JourneyFigures],
    revolumed: VolumeFigures,
    gone: frozenset[URIRef],
) -> tuple[
    dict[URIRef, JourneyFigures],
    dict[URIRef, Mapping[str, float]],
    dict[str, float],
    set[URIRef],
]:
    """Every journey's figures (``fresh`` over the kept ones, with the ``revolumed`` ones'
    volume figures, without those ``gone``) scored as :func:`.quantify.rank` scores
    them, their factor values and largest values, and the journeys whose figures changed.

    A score is relative to each factor's largest value among all journeys: the
    changed figures get a score, and so does every journey with a value in a
    factor whose largest value moved (with 0 there, its score does not change).
    """
    weights = checked_weights(None)
    values = {j: v for j, v in kept.values.items() if j not in gone}
    for journey, f in fresh.items():
        values[journey] = factor_values(f)
    for journey, moved_figures in revolumed.items():
        values[journey] = {
            **values[journey],
            "contacts": moved_figures["contacts"],
            "complaints": moved_figures["complaints"],
        }
    changed = [*fresh, *revolumed]
    left = [j for j in (*changed, *gone) if j in kept.values]
    maxima = dict(kept.maxima)
    for k in maxima:
        top = max((values[j][k] for j in changed), default=None)
        if top is not None and top > maxima[k]:
            maxima[k] = top
        elif any(kept.values[j][k] == maxima[k] for j in left):
            # A journey that held the largest value changed or went: found again.
            maxima[k] = max((v[k] for v in values.values()), default=0.0)
    moved = [k for k in maxima if maxima[k] != kept.maxima[k]]
    again = set(changed)
    if moved:
        again |= {j for j, v in values.items() if any(v[k] for k in moved)}
    figures = {j: f for j, f in kept.parts.figures.items() if j not in gone}
    for journey in again:
        base = fresh[journey] if journey in fresh else figures[journey]
        # One copy per journey: 30,000 of them after a sync over every reason.
        figures[journey] = replace(
            base,
            score=score_of(values[journey], maxima, weights),
            **revolumed.get(journey, {}),
        )
    return figures, values, maxima, again
