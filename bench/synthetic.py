"""A generator of synthetic organisations with a realistic shape, for benchmarks.

The shape follows what real organisations look like: a lifecycle framework
of a few stages, many journeys with a handful of steps, touchpoints in
several channels, and back-office processes in 10 dependency levels (chains
up to 10 deep) plus a few hubs (a CRM, master data, billing) that a third of
the processes depend on, with some cycles. Deterministic for a given size and seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from journeykg.namespaces import JKG, RDF, RDFS, SKOS, XSD

BASE = "https://id.journeykg.example/"
HUBS = 5
LAYERS = 10


def _iri(key: str) -> URIRef:
    return URIRef(BASE + key)


@dataclass(frozen=True)
class Organisation:
    """What a generated organisation holds, for the benchmark to pick questions from."""

    graph: Graph
    processes: list[str]
    hubs: list[str]
    nodes: int
    systems: list[str] = field(default_factory=list)
    framework: list[str] = field(default_factory=list)
    """Lifecycle stages, phases and contact reasons: questions with larger answers."""


def generate(nodes: int, seed: int = 7) -> Organisation:
    """An organisation of about ``nodes`` elements (each with a type and a label)."""
    rng = random.Random(seed)
    graph = Graph()
    add = graph.add
    count = 0

    def element(key: str, cls: URIRef, label: str) -> URIRef:
        nonlocal count
        count += 1
        iri = _iri(key)
        add((iri, RDF.type, cls))
        if cls in (JKG.LifecycleStage, JKG.Phase, JKG.ContactReason):
            add((iri, SKOS.prefLabel, Literal(label, lang="nl")))
            add((iri, SKOS.prefLabel, Literal(label, lang="en")))
        else:
            add((iri, RDFS.label, Literal(label, lang="nl")))
        return iri

    # Share of each kind in the total, roughly as in a large service company.
    n_process = max(20, nodes * 20 // 100)
    n_journey = max(8, nodes * 3 // 100)
    n_system = max(5, nodes // 200)
    n_owner = max(5, nodes // 100)

    stages = [element(f"stage/s{i}", JKG.LifecycleStage, f"Fase {i}") for i in range(6)]
    phases = []
    for i in range(18):
        phase = element(f"phase/p{i}", JKG.Phase, f"Subfase {i}")
        add((phase, JKG.inStage, stages[i % 6]))
        phases.append(phase)
    reasons = []
    for i in range(60):
        reason = element(f"reason/r{i}", JKG.ContactReason, f"Contactreden {i}")
        add((reason, JKG.inPhase, phases[i % 18]))
        reasons.append(reason)
    channels = [element(f"channel/c{i}", JKG.Channel, f"Kanaal {i}") for i in range(8)]
    owners = []
    for i in range(n_owner):
        owner = element(f"owner/o{i}", JKG.Owner, f"Eigenaar {i}")
        add((owner, JKG.ownerRole, JKG.JourneyOwner))
        owners.append(owner)
    systems = [element(f"system/s{i}", JKG.ITSystem, f"Systeem {i}") for i in range(n_system)]

    processes: list[URIRef] = []
    for i in range(n_process):
        process = element(f"process/p{i}", JKG.BackofficeProcess, f"Proces {i}")
        add((process, JKG.usesSystem, rng.choice(systems)))
        processes.append(process)
    hubs = processes[:HUBS]
    # Processes sit in LAYERS levels; each depends on one or two processes of
    # the level below, so dependency chains are up to LAYERS deep, as in real
    # organisations, and an ordinary process reaches tens to thousands of
    # elements. Hub links (a CRM, master data) give the fan-in that makes hubs.
    rest = processes[HUBS:]
    layers = [rest[k::LAYERS] for k in range(LAYERS)]
    for level in range(1, LAYERS):
        below = layers[level - 1]
        for process in layers[level]:
            add((process, JKG.dependsOn, rng.choice(below)))
            if rng.random() < 0.2:
                add((process, JKG.dependsOn, rng.choice(below)))
            if rng.random() < 0.3:
                add((process, JKG.dependsOn, rng.choice(hubs)))
            if rng.random() < 0.01:  # a few cycles, as in real data
                add((rng.choice(below), JKG.dependsOn, process))

    per_journey = max(1, (nodes - count) // max(1, n_journey))
    step_count = max(1, min(6, per_journey // 6))
    for j in range(n_journey):
        journey = element(f"journey/j{j}", JKG.Journey, f"Klantreis {j}")
        add((journey, JKG.placedOn, rng.choice(reasons)))
        add((journey, JKG.ownedBy, rng.choice(owners)))
        for s in range(step_count):
            step = element(f"step/j{j}-{s}", JKG.Step, f"Stap {s}")
            add((step, JKG.stepOf, journey))
            add((step, JKG.sequence, Literal(s + 1)))
            for t in range(2):
                touchpoint = element(f"touchpoint/j{j}-{s}-{t}", JKG.Touchpoint, f"Contact {t}")
                add((touchpoint, JKG.atStep, step))
                add((touchpoint, JKG.viaChannel, rng.choice(channels)))
                add((touchpoint, JKG.supportedBy, rng.choice(processes)))
    for i, process in enumerate(processes):
        if count >= nodes:
            break
        cost = element(f"cost/p{i}", JKG.Cost, f"Kosten {i}")
        add((cost, JKG.costOf, process))
        add(
            (
                cost,
                JKG.amountEur,
                Literal(f"{rng.randrange(10_000, 5_000_000)}.00", datatype=XSD.decimal),
            )
        )
        add((cost, JKG.period, Literal("2025", datatype=XSD.gYear)))
    return Organisation(
        graph=graph,
        processes=[str(p)[len(BASE) :] for p in processes[HUBS:]],
        hubs=[str(p)[len(BASE) :] for p in hubs],
        nodes=count,
        systems=[str(s)[len(BASE) :] for s in systems],
        framework=[str(e)[len(BASE) :] for e in [*stages, *phases, *reasons]],
    )


def organisation_file(nodes: int, work: Path) -> Path:
    """The synthetic organisation of ``nodes`` as N-Triples (generated once, then reused)."""
    path = work / f"org{nodes}.nt"
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        generate(nodes).graph.serialize(partial, format="nt", encoding="utf-8")
        partial.rename(path)
    return path


def batches(graph: Graph, size: int) -> Iterator[Graph]:
    """The graph in deltas of about ``size`` subjects each (for loading with progress)."""
    subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef)})
    for start in range(0, len(subjects), size):
        delta = Graph()
        for subject in subjects[start : start + size]:
            for p, o in graph.predicate_objects(subject):
                delta.add((subject, p, o))
        yield delta
