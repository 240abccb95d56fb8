"""The lifecycle picture of a large organisation, rendered by the server: target ≤ 1 s.

    python -m bench.web_picture_scale [--nodes 100000] [--cache /tmp/jkg-web-picture] [--requests 5]
    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:17707 python -m bench.web_picture_scale --backend neo4j
    python -m bench.web_picture_scale --ntriples /tmp/jkg-1m/org1000000.nt --cache /tmp/jkg-pic

The organisation is ``bench/synthetic.py``'s, loaded into an embedded store
kept under ``--cache`` (``emb<nodes>``): generating and loading it takes
minutes at 1M, so a later run opens it and says so. ``--ntriples`` takes the
organisation from an N-Triples file instead (``bench/synthetic.py``'s, written
out beforehand) and loads it with Oxigraph's bulk loader into
``--cache``/``nt-<file name>`` (about a minute at 1M nodes; ``upsert`` would
take far longer, and the load is not what is timed). With ``--backend neo4j``
the server at JOURNEYKG_NEO4J_URI is cleared and the organisation loaded
into it (not kept); ``--backend neo4j --keep`` uses what the server holds
(e.g. loaded by ``bench/neo4j_bulk_load.py``). Timed in one run:

- the picture's question, :func:`journeykg.graph.lifecycle.lifecycle_picture`,
  asked afresh each time (what the first request after a write pays);
- the page ``/`` asked right after a write (the question and the render), and
  then again (the kept picture, web/kept_per_generation.py, and the render);
- the baseline: GraphQL's ``priorities`` question (:func:`.quantify.prioritise`,
  every journey ranked) on the same store, which the picture asks within it;
- before: ``priorities``, the picture's question and the page after a write
  along main's path before the 1M work (bench/picture_baseline.py: Neo4j's
  reached costs in two statements that each summed every (journey, holder)
  pair, the journeys, their placements and refs read twice); with
  ``--summed-in-python`` also both questions with each journey's costs summed
  in Python (``sum_in_store=False``), the path before
  :meth:`.Store.reached_totals`.

``same_answers_as_before`` is true when main's path and today's give equal
``priorities`` and pictures (and, with ``--summed-in-python``, that path too).
Every run prints the load average, the client's CPU per request and, for a
Neo4j server started by tools/neo4j/neo4j-server with JOURNEYKG_NEO4J_STATE
naming its state directory, the server's CPU per request.

Prints p50/p95/max in ms and a JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef

from bench.impact_latency import load
from bench.picture_baseline import main_path, picture_before
from bench.picture_profile import server_cpu
from bench.stores import open_embedded, open_neo4j
from bench.sync_incremental import later_cases, seed_cases, write_export
from bench.synthetic import BASE, generate
from bench.timings import Samples, print_rows
from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.bootstrap import with_audit_trail
from journeykg.graph.lifecycle import LifecyclePicture, lifecycle_picture
from journeykg.graph.quantify import prioritise
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDF, RDFS, SKOS, XSD
from journeykg.settings import Settings
from journeykg.web import kept_per_generation
from journeykg.web.kept_per_generation import KeptPerGeneration, UpdatedPicture

TARGET_MS = 1000.0
LOADED = "loaded.json"


class UserWrites:
    """The writes a user makes, one kind at a time, each a real write through the store.

    A contact-volume point for one reason and channel, a process's cost for the
    period, a KPI measurement, and a label on a node the picture does not show.
    The synthetic organisation has no KPI: :meth:`prepare` adds one on a
    touchpoint (untimed), as a survey recipe would. Also a new journey (three
    steps, their touchpoints, a placement and an owner), and a nightly CRM sync:
    bench/sync_incremental.py's 1,010-record incremental Salesforce sync through
    the product's path (audited store, gate, write, and the loop that drafts
    signals and insights after it), seeded once in :meth:`prepare`.
    """

    KINDS = (
        "volume",
        "cost",
        "KPI measurement",
        "unrelated label",
        "journey made",
        "CRM sync (1,010 records)",
    )

    def __init__(self, store: Store, state: Path) -> None:
        self.store = store
        self.reasons = store.instances(JKG.ContactReason)
        self.channels = store.instances(JKG.Channel)
        self.processes = store.instances(JKG.BackofficeProcess)
        self.owners = store.instances(JKG.Owner)
        self.kpi = URIRef(f"{BASE}kpi/bench-picture")
        self.n = 0
        self.state = state
        # The sync writes through the audited store, as `journeykg sync` does, wrapping
        # the same store instance the page reads (the embedded store's change log is
        # its instance's).
        settings = Settings(base_iri=BASE, state_dir=state)
        self.audited = with_audit_trail(store, settings)
        self.source = f"sf-picture-{os.getpid()}-{time.strftime('%H%M%S')}"
        self.cases: list[dict[str, Any]] = []
        self.syncs = 0

    def prepare(self) -> None:
        touchpoint = self.store.instances(JKG.Touchpoint)[0]
        kpi = Graph()
        kpi.add((self.kpi, RDF.type, JKG.KPI))
        kpi.add((self.kpi, RDFS.label, Literal("NPS bench", lang="nl")))
        kpi.add((self.kpi, JKG.kpiType, JKG.NPS))
        kpi.add((self.kpi, JKG.measures, touchpoint))
        kpi.add((self.kpi, JKG.target, Literal(30.0)))
        self.store.upsert(kpi)
        # The CRM source's first sync (960 aggregates), so that each timed one is
        # incremental, as a nightly sync is.
        self.cases = seed_cases()
        self._sync(self.cases, "seed")

    def writer(self, kind: str) -> Callable[[int], None]:
        return {
            "volume": self.volume,
            "cost": self.cost,
            "KPI measurement": self.kpi_value,
            "unrelated label": self.label,
            "journey made": self.journey,
            "CRM sync (1,010 records)": self.crm_sync,
        }[kind]

    def _sync(self, cases: list[dict[str, Any]], run: str) -> None:
        from journeykg.services.sync_runs import Requester, recipe_at, run_recipe

        path = write_export(self.state / f"{self.source}-{run}", self.source, cases)
        report = run_recipe(self.audited, recipe_at(path), Requester("bench", None, "cli"))
        assert report.written, f"the CRM sync wrote nothing: {report.status}"

    def crm_sync(self, i: int) -> None:
        """bench/sync_incremental.py's 1,010-record incremental sync, with its loop."""
        self.cases += later_cases(len(self.cases), self.syncs)
        self._sync(self.cases, str(self.syncs))
        self.syncs += 1

    def journey(self, i: int) -> None:
        """A journey of three steps, each with a touchpoint supported by a process."""
        j, g = self._node("journey"), Graph()
        g.add((j, RDF.type, JKG.Journey))
        g.add((j, SKOS.prefLabel, Literal(f"Nieuwe reis {self.n}", lang="nl")))
        g.add((j, JKG.placedOn, self.reasons[i % len(self.reasons)]))
        g.add((j, JKG.ownedBy, self.owners[i % len(self.owners)]))
        for n in range(3):
            step, tp = self._node("step"), self._node("touchpoint")
            g.add((step, RDF.type, JKG.Step))
            g.add((step, RDFS.label, Literal(f"Stap {n + 1}", lang="nl")))
            g.add((step, JKG.stepOf, j))
            g.add((step, JKG.sequence, Literal(n + 1)))
            g.add((tp, RDF.type, JKG.Touchpoint))
            g.add((tp, RDFS.label, Literal(f"Contact {n + 1}", lang="nl")))
            g.add((tp, JKG.atStep, step))
            g.add((tp, JKG.supportedBy, self.processes[(7919 * (i + n)) % len(self.processes)]))
        self.store.upsert(g)

    def _node(self, kind: str) -> URIRef:
        self.n += 1
        return URIRef(f"{BASE}bench/{kind}-{os.getpid()}-{self.n}")

    def volume(self, i: int) -> None:
        v, g = self._node("volume"), Graph()
        g.add((v, RDF.type, JKG.ContactVolume))
        g.add((v, JKG.volumeOf, self.reasons[i % len(self.reasons)]))
        g.add((v, JKG.viaChannel, self.channels[i % len(self.channels)]))
        g.add((v, JKG.period, Literal("2025", datatype=XSD.gYear)))
        g.add((v, JKG.periodStart, Literal(f"2025-{1 + i % 12:02d}-01", datatype=XSD.date)))
        g.add((v, JKG.contacts, Literal(100 + i)))
        self.store.upsert(g)

    def cost(self, i: int) -> None:
        c, g = self._node("cost"), Graph()
        g.add((c, RDF.type, JKG.Cost))
        g.add((c, JKG.costOf, self.processes[(7919 * i) % len(self.processes)]))
        g.add((c, JKG.amountEur, Literal(f"{1000 + i}.00", datatype=XSD.decimal)))
        g.add((c, JKG.period, Literal("2025", datatype=XSD.gYear)))
        self.store.upsert(g)

    def kpi_value(self, i: int) -> None:
        v, g = self._node("kpivalue"), Graph()
        g.add((v, RDF.type, JKG.KPIValue))
        g.add((v, JKG.valueOf, self.kpi))
        g.add((v, JKG.value, Literal(float(10 + i))))
        g.add((v, JKG.periodEnd, Literal(f"2026-01-{1 + i % 28:02d}", datatype=XSD.date)))
        self.store.upsert(g)

    def label(self, i: int) -> None:
        g = Graph()
        g.add((URIRef(f"{BASE}bench/picture-write"), RDFS.label, Literal(f"w{self.n}-{i}")))
        self.n += 1
        self.store.upsert(g)


def organisation(directory: Path, nodes: int) -> tuple[Store, dict[str, Any]]:
    """The synthetic organisation of ``nodes`` in an embedded store in ``directory``, kept."""
    marker = directory / LOADED
    if marker.exists():
        return open_embedded(directory), {**json.loads(marker.read_text()), "reused": True}
    directory.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    org = generate(nodes)
    generated = time.perf_counter() - started
    store = open_embedded(directory)
    loaded = load(store, org.graph)
    facts = {
        "nodes": org.nodes,
        "triples": len(org.graph),
        "generate_s": round(generated, 1),
        "load_s": round(loaded, 1),
    }
    marker.write_text(json.dumps(facts))
    return store, {**facts, "reused": False}


def organisation_from_ntriples(directory: Path, ntriples: Path) -> tuple[Store, dict[str, Any]]:
    """The organisation in ``ntriples``, bulk-loaded into an embedded store in ``directory``."""
    marker = directory / LOADED
    if not marker.exists():
        directory.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        # Oxigraph's bulk loader writes the database files directly, without a
        # transaction per triple: for a benchmark's set-up only (no SHACL gate,
        # no audit), as bench/neo4j_bulk_load.py is for Neo4j.
        bulk = ox.Store(str(directory))
        bulk.bulk_load(path=str(ntriples), format=ox.RdfFormat.N_TRIPLES)
        bulk.optimize()
        triples = len(bulk)
        nodes = sum(1 for _ in bulk.quads_for_pattern(None, ox.NamedNode(str(RDF.type)), None))
        del bulk  # Oxigraph lets go of the directory's lock with its last reference
        facts = {
            "nodes": nodes,
            "triples": triples,
            "bulk_load_s": round(time.perf_counter() - started, 1),
            "source": str(ntriples),
        }
        marker.write_text(json.dumps(facts))
        return open_embedded(directory), {**facts, "reused": False}
    return open_embedded(directory), {**json.loads(marker.read_text()), "reused": True}


def organisation_in_neo4j(nodes: int) -> tuple[Store, dict[str, Any]]:
    """The synthetic organisation of ``nodes`` loaded into the (cleared) Neo4j server."""
    started = time.perf_counter()
    org = generate(nodes)
    generated = time.perf_counter() - started
    store = open_neo4j()
    store.clear()
    loaded = load(store, org.graph)
    return store, {
        "backend": "neo4j",
        "nodes": org.nodes,
        "triples": len(org.graph),
        "generate_s": round(generated, 1),
        "load_s": round(loaded, 1),
    }


def timed(
    ask: Callable[[], object], requests: int, before: Callable[[int], object] | None = None
) -> dict[str, float | None]:
    """p50/p95/max wall ms (and CPU p50) of ``ask()`` over ``requests`` runs.

    ``before(i)`` runs untimed before the i-th.
    """
    samples = Samples(server_cpu)
    for i in range(requests):
        if before is not None:
            before(i)
        samples.measure(ask)
    return samples.figures()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/jkg-web-picture"))
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument(
        "--before-requests", type=int, help="requests of the *before* rows (default --requests)"
    )
    parser.add_argument("--backend", choices=("embedded", "neo4j"), default="embedded")
    parser.add_argument("--ntriples", type=Path, help="the organisation from this file")
    parser.add_argument(
        "--keep", action="store_true", help="neo4j: time what the server holds, load nothing"
    )
    parser.add_argument(
        "--older-baseline",
        action="store_true",
        help="also time priorities and the picture along a1acef8's path (slow at 1M)",
    )
    args = parser.parse_args()
    before_requests = args.before_requests or args.requests
    store: Store
    if args.backend == "neo4j" and args.keep:
        store = open_neo4j()
        facts = {"backend": "neo4j", "kept": True}
    elif args.backend == "neo4j":
        store, facts = organisation_in_neo4j(args.nodes)
    elif args.ntriples is not None:
        store, facts = organisation_from_ntriples(
            args.cache / f"nt-{args.ntriples.name}", args.ntriples
        )
    else:
        store, facts = organisation(args.cache / f"emb{args.nodes}", args.nodes)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(base_iri=BASE, anonymous_read=True, state_dir=Path(tmp))
        made: list[UpdatedPicture] = []

        def keeping(store: Store) -> Callable[[], LifecyclePicture]:
            made.append(UpdatedPicture(store))
            return made[-1]

        def main_keeping(store: Store) -> Callable[[], LifecyclePicture]:
            # Main's path: the whole picture computed again after any write.
            return KeptPerGeneration(store, lifecycle_picture)

        today = kept_per_generation.picture_keeper
        try:
            kept_per_generation.picture_keeper = keeping
            app = create_app(store, settings=settings, tokens=TokenStore(Path(tmp) / "tokens.db"))
            kept_per_generation.picture_keeper = main_keeping
            app_before = create_app(
                store, settings=settings, tokens=TokenStore(Path(tmp) / "tokens-before.db")
            )
        finally:
            kept_per_generation.picture_keeper = today
        client = TestClient(app)
        (keeper,) = made
        client_before = TestClient(app_before)
        lifecycle_picture(store)  # warm: the embedded store builds its in-memory indexes once
        rows: dict[str, dict[str, float | None]] = {}
        if args.older_baseline:

            def priorities_before() -> object:
                with main_path():
                    return prioritise(store)

            rows["older: priorities (a1acef8's path)"] = timed(priorities_before, before_requests)
            rows["older: picture question (a1acef8's path)"] = timed(
                lambda: picture_before(store), before_requests
            )
        rows["baseline: priorities question"] = timed(lambda: prioritise(store), args.requests)
        rows["picture question (computed in full)"] = timed(
            lambda: lifecycle_picture(store), args.requests
        )
        writes = UserWrites(store, Path(tmp))
        writes.prepare()
        # Both pages hold the picture of the graph as it is now before the timed rows.
        client.get("/?lang=nl").raise_for_status()
        client_before.get("/?lang=nl").raise_for_status()
        same = True
        for kind in UserWrites.KINDS:
            write = writes.writer(kind)
            rows[f"before: page / after a {kind} (main's path)"] = timed(
                lambda: client_before.get("/?lang=nl").raise_for_status(),
                before_requests,
                before=write,
            )
            rows[f"page / after a {kind} (updated + render)"] = timed(
                lambda: client.get("/?lang=nl").raise_for_status(), args.requests, before=write
            )
            kept = keeper.kept
            facts[f"journeys recomputed after a {kind}"] = (
                kept.recomputed if kept is not None else None
            )
            facts[f"of them read from the store after a {kind}"] = (
                kept.read if kept is not None else None
            )
            # The page's picture (updated) against one computed in full: untimed.
            same = same and keeper() == lifecycle_picture(store)
        rows["page / kept (render)"] = timed(
            lambda: client.get("/?lang=nl").raise_for_status(), args.requests
        )
    picture = lifecycle_picture(store)
    facts["cells"] = sum(1 for _ in picture.reasons())
    facts["journeys"] = len(picture.journeys)
    facts["same_answers_as_before"] = same
    facts["load_average"] = [round(x, 2) for x in os.getloadavg()]
    store.close()
    print(f"{facts}")
    print(f"target: the page after a write ≤ {TARGET_MS:.0f} ms")
    print_rows(rows)
    print(json.dumps({"organisation": facts, "rows": rows}))


if __name__ == "__main__":
    main()
