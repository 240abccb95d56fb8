"""The picture updated from what a write changed equals the picture computed in full.

On both backends: the demo organisation, then many randomised writes of the kinds
users make (a contact volume, a process cost, a KPI measurement, a KPI's target,
steps added to and removed from journeys, owners, touchpoints and KPIs re-pointed,
insights opened and closed, a journey retracted, a new reason, unrelated labels),
one at a time; after each the kept picture is updated and compared with a full
computation, field for field.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef

from journeykg.graph.lifecycle import lifecycle_picture
from journeykg.graph.lifecycle_kept import KeptPicture, computed, updated
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDF, RDFS, SKOS, XSD
from journeykg.resources import DEMO_DATASET
from tests.conftest import BASE

WRITES = 60


def _iri(key: str) -> URIRef:
    return URIRef(f"{BASE}{key}")


class _Writer:
    """Randomised writes against ``store``, each a realistic change of one kind."""

    def __init__(self, store: Store, seed: int) -> None:
        self.store = store
        self.rng = random.Random(seed)
        self.n = 0

    def pick(self, cls: URIRef) -> URIRef:
        return self.rng.choice(self.store.instances(cls))

    def fresh(self, kind: str) -> URIRef:
        self.n += 1
        return _iri(f"{kind}/test-{self.n}")

    def write(self, *triples: tuple[URIRef, URIRef, object]) -> None:
        g = Graph()
        for s, p, o in triples:
            g.add((s, p, o if isinstance(o, URIRef | Literal) else Literal(o)))
        self.store.upsert(g)

    # --- the kinds of writes -------------------------------------------------------

    def volume(self) -> None:
        v = self.fresh("volume")
        year = self.rng.choice(["2025", "2026"])
        triples = [
            (v, RDF.type, JKG.ContactVolume),
            (v, JKG.volumeOf, self.pick(JKG.ContactReason)),
            (v, JKG.viaChannel, self.pick(JKG.Channel)),
            (v, JKG.period, Literal(year, datatype=XSD.gYear)),
            (v, JKG.contacts, Literal(self.rng.randrange(10, 5000))),
            (v, JKG.complaints, Literal(self.rng.randrange(0, 50))),
        ]
        if self.rng.random() < 0.5:
            triples.append(
                (
                    v,
                    JKG.periodStart,
                    Literal(f"{year}-0{self.rng.randrange(1, 9)}-01", datatype=XSD.date),
                )
            )
        self.write(*triples)

    def cost(self) -> None:
        if self.rng.random() < 0.5:
            c = self.pick(JKG.Cost)  # a new amount for a stored cost
            self.write(
                (
                    c,
                    JKG.amountEur,
                    Literal(f"{self.rng.randrange(1000, 90000)}.00", datatype=XSD.decimal),
                )
            )
            return
        c = self.fresh("cost")
        holder = self.pick(self.rng.choice([JKG.BackofficeProcess, JKG.Touchpoint, JKG.Journey]))
        self.write(
            (c, RDF.type, JKG.Cost),
            (c, JKG.costOf, holder),
            (
                c,
                JKG.amountEur,
                Literal(f"{self.rng.randrange(1000, 90000)}.00", datatype=XSD.decimal),
            ),
            (c, JKG.period, Literal(self.rng.choice(["2025", "2026"]), datatype=XSD.gYear)),
        )

    def cost_moved(self) -> None:
        self.write((self.pick(JKG.Cost), JKG.costOf, self.pick(JKG.BackofficeProcess)))

    def kpi_value(self) -> None:
        v = self.fresh("kpivalue")
        self.write(
            (v, RDF.type, JKG.KPIValue),
            (v, JKG.valueOf, self.pick(JKG.KPI)),
            (v, JKG.value, Literal(float(self.rng.randrange(-20, 60)))),
            (v, JKG.periodEnd, Literal(f"2026-0{self.rng.randrange(1, 9)}-28", datatype=XSD.date)),
        )

    def kpi_target(self) -> None:
        self.write((self.pick(JKG.KPI), JKG.target, Literal(float(self.rng.randrange(1, 80)))))

    def kpi_moved(self) -> None:
        on = self.pick(self.rng.choice([JKG.Touchpoint, JKG.Journey]))
        self.write((self.pick(JKG.KPI), JKG.measures, on))

    def step_added(self) -> None:
        step, tp = self.fresh("step"), self.fresh("touchpoint")
        self.write(
            (step, RDF.type, JKG.Step),
            (step, RDFS.label, Literal("Stap", lang="nl")),
            (step, JKG.stepOf, self.pick(JKG.Journey)),
            (step, JKG.sequence, Literal(90 + self.n)),
            (tp, RDF.type, JKG.Touchpoint),
            (tp, RDFS.label, Literal("Contact", lang="nl")),
            (tp, JKG.atStep, step),
            (tp, JKG.supportedBy, self.pick(JKG.BackofficeProcess)),
        )

    def step_removed(self) -> None:
        self.store.retract([self.pick(JKG.Step)])

    def touchpoint_moved(self) -> None:
        tp = self.pick(JKG.Touchpoint)
        if self.rng.random() < 0.5:
            self.write((tp, JKG.atStep, self.pick(JKG.Step)))
        else:
            self.write((tp, JKG.supportedBy, self.pick(JKG.BackofficeProcess)))

    def owner(self) -> None:
        if self.rng.random() < 0.5:
            self.write((self.pick(JKG.Journey), JKG.ownedBy, self.pick(JKG.Owner)))
        else:
            self.write((self.pick(JKG.Owner), RDFS.label, Literal(f"Eigenaar {self.n}", lang="nl")))

    def placed(self) -> None:
        self.write((self.pick(JKG.Journey), JKG.placedOn, self.pick(JKG.ContactReason)))

    def journey_renamed(self) -> None:
        self.write((self.pick(JKG.Journey), SKOS.prefLabel, Literal(f"Reis {self.n}", lang="nl")))

    def insight(self) -> None:
        insights = self.store.instances(JKG.Insight)
        if insights and self.rng.random() < 0.4:
            status = self.rng.choice([JKG.insightClosed, JKG.insightValidated, JKG.insightNew])
            self.write((self.rng.choice(insights), JKG.insightStatus, status))
            return
        i = self.fresh("insight")
        about = self.pick(
            self.rng.choice([JKG.Touchpoint, JKG.ContactReason, JKG.KPI, JKG.Journey])
        )
        self.write(
            (i, RDF.type, JKG.Insight),
            (i, RDFS.label, Literal("Inzicht", lang="nl")),
            (i, JKG.concerns, about),
            (i, JKG.insightStatus, JKG.insightNew),
        )

    def unrelated(self) -> None:
        self.write((_iri("bench/picture-write"), RDFS.label, Literal(f"w{self.n}")))
        self.n += 1

    def new_reason(self) -> None:
        r = self.fresh("reason")
        self.write(
            (r, RDF.type, JKG.ContactReason),
            (r, SKOS.prefLabel, Literal("Nieuwe reden", lang="nl")),
            (r, JKG.inPhase, self.pick(JKG.Phase)),
        )

    def journey_made(self) -> None:
        j, step, tp = self.fresh("journey"), self.fresh("step"), self.fresh("touchpoint")
        triples = [
            (j, RDF.type, JKG.Journey),
            (j, SKOS.prefLabel, Literal(f"Nieuwe reis {self.n}", lang="nl")),
            (j, JKG.placedOn, self.pick(JKG.ContactReason)),
            (step, RDF.type, JKG.Step),
            (step, RDFS.label, Literal("Stap", lang="nl")),
            (step, JKG.stepOf, j),
            (step, JKG.sequence, Literal(1)),
            (tp, RDF.type, JKG.Touchpoint),
            (tp, RDFS.label, Literal("Contact", lang="nl")),
            (tp, JKG.atStep, step),
            (tp, JKG.supportedBy, self.pick(JKG.BackofficeProcess)),
        ]
        if self.rng.random() < 0.5:
            triples.append((j, JKG.ownedBy, self.pick(JKG.Owner)))
        self.write(*triples)

    def journey_retracted(self) -> None:
        self.store.retract([self.pick(JKG.Journey)])

    def volumes_synced(self) -> None:
        """A CRM sync's aggregates: a month of volumes for many reasons and channels at once."""
        reasons, channels = (
            self.store.instances(JKG.ContactReason),
            self.store.instances(JKG.Channel),
        )
        month = self.rng.randrange(1, 10)
        triples = []
        for reason in self.rng.sample(reasons, k=max(1, len(reasons) // 2)):
            v = self.fresh("volume")
            triples += [
                (v, RDF.type, JKG.ContactVolume),
                (v, JKG.volumeOf, reason),
                (v, JKG.viaChannel, self.rng.choice(channels)),
                (v, JKG.period, Literal("2026", datatype=XSD.gYear)),
                (v, JKG.periodStart, Literal(f"2026-0{month}-01", datatype=XSD.date)),
                (v, JKG.contacts, Literal(self.rng.randrange(10, 5000))),
                (v, JKG.complaints, Literal(self.rng.randrange(0, 50))),
            ]
        self.write(*triples)

    def volume_rewritten(self) -> None:
        """A sync's aggregate written again whole (retracted and rewritten, as a sync's
        batch writes its own records): new figures, a new period, or another reason."""
        volume = self.pick(JKG.ContactVolume)
        old = self.store.describe([volume])
        g = Graph()
        for p, o in old.predicate_objects(volume):
            if p not in (JKG.contacts, JKG.volumeOf, JKG.period):
                g.add((volume, p, o))
        g.add((volume, JKG.contacts, Literal(self.rng.randrange(10, 9000))))
        year = self.rng.choice(["2025", "2026", "2027"])
        g.add((volume, JKG.period, Literal(year, datatype=XSD.gYear)))
        moved = self.rng.random() < 0.5
        was = old.value(volume, JKG.volumeOf)
        reason = self.pick(JKG.ContactReason) if moved or not isinstance(was, URIRef) else was
        g.add((volume, JKG.volumeOf, reason))
        self.store.apply(g, retract=[volume])

    def volume_retracted(self) -> None:
        self.store.retract([self.pick(JKG.ContactVolume)])

    def reason_renamed(self) -> None:
        reason = self.pick(JKG.ContactReason)
        self.write((reason, SKOS.prefLabel, Literal(f"Reden {self.n}", lang="en")))
        self.n += 1

    def stage_recoded(self) -> None:
        """A stage's code (skos:notation) changed: its column moves."""
        self.write((self.pick(JKG.LifecycleStage), SKOS.notation, Literal(str(self.n))))
        self.n += 1

    def reason_moved(self) -> None:
        self.write((self.pick(JKG.ContactReason), JKG.inPhase, self.pick(JKG.Phase)))

    def kinds(self) -> list[Callable[[], None]]:
        local = [
            self.volume, self.cost, self.cost_moved, self.kpi_value, self.kpi_target,
            self.kpi_moved, self.step_added, self.step_removed, self.touchpoint_moved,
            self.owner, self.placed, self.journey_renamed, self.insight, self.unrelated,
            self.journey_made, self.journey_retracted, self.volumes_synced,
            self.reason_renamed, self.stage_recoded, self.volume_rewritten,
            self.volume_retracted,
        ]  # fmt: skip
        return local


def _demo(store: Store) -> Store:
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    return store


def test_the_updated_picture_is_the_full_one_after_every_write(store: Store) -> None:
    _demo(store)
    writer = _Writer(store, seed=16)
    kept = computed(store, store.generation())
    incremental = 0
    kinds = writer.kinds()
    plan = [kinds[i % len(kinds)] for i in range(WRITES)]
    writer.rng.shuffle(plan)
    # A global change among them, late, so that updates follow it too.
    plan[WRITES - 6 : WRITES - 6] = [writer.new_reason]
    for number, change in enumerate(plan):
        change()
        kept = updated(store, kept, store.generation())
        full = lifecycle_picture(store)
        assert kept.picture == full, f"write {number} ({change.__name__}): the update differs"
        incremental += kept.recomputed is not None
    # Most writes were updated locally, not recomputed: the test tests the update.
    assert incremental >= WRITES - 2


def test_a_label_on_an_unrelated_node_recomputes_no_journey(store: Store) -> None:
    _demo(store)
    kept = computed(store, store.generation())
    _Writer(store, seed=1).unrelated()
    after = updated(store, kept, store.generation())
    assert after.recomputed == 0
    assert after.picture == lifecycle_picture(store)


def test_a_cost_recomputes_only_the_journeys_reaching_its_holder(store: Store) -> None:
    _demo(store)
    kept = computed(store, store.generation())
    journey = store.instances(JKG.Journey)[0]
    cost = _iri("cost/test-direct")
    _Writer(store, seed=1).write(
        (cost, RDF.type, JKG.Cost),
        (cost, JKG.costOf, journey),
        (cost, JKG.amountEur, Literal("1234.00", datatype=XSD.decimal)),
        (cost, JKG.period, Literal("2025", datatype=XSD.gYear)),
    )
    after = updated(store, kept, store.generation())
    assert after.recomputed == 1
    assert after.picture == lifecycle_picture(store)


@pytest.mark.parametrize("change", ["new_reason", "reason_moved", "reason_retracted"])
def test_a_change_to_the_frameworks_shape_recomputes_the_whole_picture(
    store: Store, change: str
) -> None:
    _demo(store)
    kept = computed(store, store.generation())
    writer = _Writer(store, seed=3)
    if change == "reason_retracted":
        store.retract([writer.pick(JKG.ContactReason)])
    else:
        getattr(writer, change)()
    after = updated(store, kept, store.generation())
    assert after.recomputed is None
    assert after.picture == lifecycle_picture(store)


def test_a_reason_renamed_is_updated_not_recomputed(store: Store) -> None:
    _demo(store)
    kept = computed(store, store.generation())
    reason = store.instances(JKG.ContactReason)[0]
    _Writer(store, seed=3).write((reason, SKOS.prefLabel, Literal("Hernoemd", lang="nl")))
    after = updated(store, kept, store.generation())
    assert after.recomputed == 0
    assert after.picture == lifecycle_picture(store)
    cells = {c.reason.iri: c for c in after.picture.reasons()}
    assert cells[str(reason)].reason.label("nl") == "Hernoemd"


def test_a_stage_recoded_moves_its_column_and_the_journeys_order(store: Store) -> None:
    _demo(store)
    kept = computed(store, store.generation())
    # The column of the last journey that sits in one stage only, moved first.
    alone = [j for j in kept.picture.journeys if len(j.figures.stage_ids) == 1][-1]
    (sits_in,) = alone.figures.stage_ids
    moved = next(c.stage for c in kept.picture.stages if c.stage.id == sits_in)
    _Writer(store, seed=3).write((URIRef(moved.iri), SKOS.notation, Literal("0")))
    after = updated(store, kept, store.generation())
    assert after.recomputed == 0
    assert after.picture.stages[0].stage.iri == moved.iri
    assert after.picture.journeys[0].journey.id == alone.journey.id
    assert after.picture == lifecycle_picture(store)
    assert [j.journey.id for j in after.picture.journeys] != [
        j.journey.id for j in kept.picture.journeys
    ]


@pytest.mark.parametrize("change", ["journey_made", "journey_retracted"])
def test_a_journey_made_or_retracted_is_updated_not_recomputed(store: Store, change: str) -> None:
    _demo(store)
    kept = computed(store, store.generation())
    journeys = len(kept.picture.journeys)
    getattr(_Writer(store, seed=3), change)()
    after = updated(store, kept, store.generation())
    assert after.recomputed is not None
    assert after.picture == lifecycle_picture(store)
    assert len(after.picture.journeys) == journeys + (1 if change == "journey_made" else -1)


def test_volumes_alone_are_updated_without_reading_any_journey(store: Store) -> None:
    """A sync of volumes moves the contacts of every journey on their reasons, read from
    the kept placements: no journey's figures are read from the store again."""
    _demo(store)
    kept = computed(store, store.generation())
    _Writer(store, seed=5).volumes_synced()
    after = updated(store, kept, store.generation())
    assert after.recomputed, "the volumes moved some journey's contacts"
    assert after.read == 0
    assert after.picture == lifecycle_picture(store)


def test_unknown_changes_recompute_the_whole_picture(store: Store) -> None:
    _demo(store)
    kept = computed(store, store.generation())
    store.clear()
    _demo(store)
    after = updated(store, kept, store.generation())
    assert after.recomputed is None
    assert after.picture == lifecycle_picture(store)


def test_kept_for_its_generation_it_is_not_asked_again(store: Store) -> None:
    _demo(store)
    kept: KeptPicture = computed(store, store.generation())
    assert updated(store, kept, store.generation()) is kept


def test_the_journey_holding_a_largest_value_retracted_rescores_the_others(store: Store) -> None:
    _demo(store)
    kept = computed(store, store.generation())
    largest = max(kept.values, key=lambda j: (kept.values[j]["contacts"], str(j)))
    store.retract([largest])
    after = updated(store, kept, store.generation())
    assert after.recomputed is not None
    assert after.maxima["contacts"] < kept.maxima["contacts"]
    assert after.picture == lifecycle_picture(store)


def test_a_volume_of_a_reason_off_the_framework_reads_its_journeys_again(store: Store) -> None:
    """A reason in no phase is not on the picture, so its volumes are not kept; a journey
    placed on it takes its contacts all the same, read from the store."""
    _demo(store)
    writer = _Writer(store, seed=7)
    off = writer.fresh("reason")
    journey = writer.pick(JKG.Journey)
    writer.write(
        (off, RDF.type, JKG.ContactReason), (off, SKOS.prefLabel, Literal("Los", lang="nl"))
    )
    writer.write((journey, JKG.placedOn, off))
    kept = computed(store, store.generation())
    volume = writer.fresh("volume")
    writer.write(
        (volume, RDF.type, JKG.ContactVolume),
        (volume, JKG.volumeOf, off),
        (volume, JKG.viaChannel, writer.pick(JKG.Channel)),
        (volume, JKG.period, Literal("2026", datatype=XSD.gYear)),
        (volume, JKG.contacts, Literal(777_777)),
        (volume, JKG.complaints, Literal(7)),
    )
    after = updated(store, kept, store.generation())
    assert after.read == 1
    assert after.picture == lifecycle_picture(store)
    assert after.picture.journey(store.ids.key(str(journey))).figures.contacts >= 777_777
