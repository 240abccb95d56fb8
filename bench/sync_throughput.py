"""Sync throughput with the validation gate on, and the cost of validating a delta.

    python -m bench.sync_throughput --sizes 10000,100000 [--budget 900]
        [--delta-graph-nodes 270000] [--full-timeout 300]

Part 1 (per size, per backend; Neo4j when JOURNEYKG_NEO4J_URI is set): a
fresh store holding a lifecycle framework and channels, then one full sync
of SIZE synthetic CRM aggregates (ContactVolume records keyed on
reason|channel|year|segment, 7 triples each, in batches of 1,000) through
:func:`journeykg.loaders.sync.sync`, with the SHACL gate on; then the same
sync again (every record unchanged). Bounded: the source stops handing out
batches once ``--budget`` seconds have passed, and the figure is for what
was synced by then.

Part 2 (embedded): a synthetic organisation of about 1M triples
(bench/synthetic.py), then the gate on a delta of 1,000 CRM records
(:func:`journeykg.loaders.sync_gate.check_records`), against a full pySHACL
validation of the whole graph in a child process killed after
``--full-timeout`` seconds ("> N s").

Until the CRM sources land, the records are synthetic MappedRecords shaped
like CRM aggregates; the figures are for the engine, not for parsing exports.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef

from bench.synthetic import BASE, batches, generate
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.store import Store
from journeykg.loaders.source import MappedRecord, SourceBatch, record_iri
from journeykg.loaders.sync import SyncOptions, sync
from journeykg.loaders.sync_gate import check_records
from journeykg.loaders.validation import merged_view, run_shacl
from journeykg.namespaces import JKG, RDF, RDFS, SKOS, XSD

BATCH = 1_000
REASONS, CHANNELS = 60, 8
SOURCE = "crm-bench"


def framework() -> Graph:
    """Stages, phases, contact reasons and channels, as bench/synthetic.py names them."""
    graph = Graph()
    for i in range(6):
        stage = URIRef(f"{BASE}stage/s{i}")
        graph.add((stage, RDF.type, JKG.LifecycleStage))
        graph.add((stage, SKOS.prefLabel, Literal(f"Fase {i}", lang="nl")))
        graph.add((stage, SKOS.prefLabel, Literal(f"Stage {i}", lang="en")))
    for i in range(18):
        phase = URIRef(f"{BASE}phase/p{i}")
        graph.add((phase, RDF.type, JKG.Phase))
        graph.add((phase, SKOS.prefLabel, Literal(f"Subfase {i}", lang="nl")))
        graph.add((phase, SKOS.prefLabel, Literal(f"Phase {i}", lang="en")))
        graph.add((phase, JKG.inStage, URIRef(f"{BASE}stage/s{i % 6}")))
    for i in range(REASONS):
        reason = URIRef(f"{BASE}reason/r{i}")
        graph.add((reason, RDF.type, JKG.ContactReason))
        graph.add((reason, SKOS.prefLabel, Literal(f"Contactreden {i}", lang="nl")))
        graph.add((reason, SKOS.prefLabel, Literal(f"Contact reason {i}", lang="en")))
        graph.add((reason, JKG.inPhase, URIRef(f"{BASE}phase/p{i % 18}")))
    for i in range(CHANNELS):
        channel = URIRef(f"{BASE}channel/c{i}")
        graph.add((channel, RDF.type, JKG.Channel))
        graph.add((channel, RDFS.label, Literal(f"Kanaal {i}", lang="nl")))
    return graph


def crm_record(ids: Any, n: int) -> MappedRecord:
    """The n-th synthetic CRM aggregate: contacts per reason x channel x year x segment."""
    reason, channel = n % REASONS, (n // REASONS) % CHANNELS
    rest = n // (REASONS * CHANNELS)
    year, segment = 2000 + rest % 26, rest // 26
    key = f"r{reason}|c{channel}|{year}|s{segment}"
    iri = record_iri(ids, "volume", SOURCE, key)
    graph = Graph()
    graph.add((iri, RDF.type, JKG.ContactVolume))
    graph.add((iri, RDFS.label, Literal(f"Contacten {key}", lang="nl")))
    graph.add((iri, JKG.volumeOf, URIRef(f"{BASE}reason/r{reason}")))
    graph.add((iri, JKG.viaChannel, URIRef(f"{BASE}channel/c{channel}")))
    graph.add((iri, JKG.period, Literal(str(year), datatype=XSD.gYear)))
    graph.add((iri, JKG.contacts, Literal(100 + n % 997)))
    graph.add((iri, JKG.complaints, Literal(n % 13)))
    return MappedRecord(SOURCE, key, f"bench#{n}", graph)


@dataclass
class CrmSource:
    """SIZE synthetic records in batches of 1,000; stops handing out batches after the budget."""

    ids: Any
    size: int
    deadline: float
    name: str = SOURCE
    incremental: bool = False

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        for start in range(0, self.size, BATCH):
            if time.monotonic() > self.deadline:
                return
            records = [crm_record(self.ids, n) for n in range(start, min(start + BATCH, self.size))]
            yield SourceBatch(records=records, read=len(records) * 25)  # ~25 cases per aggregate


def open_backend(name: str, directory: Path) -> Store:
    if name == "embedded":
        return EmbeddedStore(directory, BASE)
    from journeykg.graph.factory import open_store
    from journeykg.settings import Settings

    store = open_store(
        Settings(backend="neo4j", neo4j_uri=os.environ["JOURNEYKG_NEO4J_URI"], base_iri=BASE)
    )
    store.clear()
    return store


def throughput(backend: str, size: int, budget: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        store = open_backend(backend, Path(tmp) / "store")
        try:
            store.upsert(framework())
            figures: dict[str, Any] = {"backend": backend, "size": size}
            for run in ("first", "rerun"):
                source = CrmSource(store.ids, size, time.monotonic() + budget)
                started, cpu = time.perf_counter(), time.process_time()
                report = sync(store, source, SyncOptions(retire_max_share=1.0))
                seconds = time.perf_counter() - started
                cpu_seconds = time.process_time() - cpu
                done = report.written + report.unchanged
                figures[run] = {
                    "records": done,
                    "written": report.written,
                    "unchanged": report.unchanged,
                    "rejected": report.rejected,
                    "seconds": round(seconds, 1),
                    "records_per_s": round(done / seconds, 1),
                    "cpu_s": round(cpu_seconds, 1),
                    "records_per_cpu_s": round(done / max(cpu_seconds, 1e-9), 1),
                    "validate_s": report.validate_seconds,
                    "write_s": report.write_seconds,
                    "complete": done == size,
                }
                print(json.dumps(figures[run] | {"backend": backend, "size": size, "run": run}))
                if done < size:
                    break  # the budget ran out: no rerun of a partial sync
            return figures
        finally:
            store.close()


def _union(records: list[MappedRecord]) -> Graph:
    graph = Graph()
    for record in records:
        graph += record.graph
    return graph


def _full_validation(directory: str, queue: Any) -> None:
    store = EmbeddedStore(Path(directory), BASE)
    data = store.export()
    started = time.perf_counter()
    conforms, _ = run_shacl(data)
    queue.put((time.perf_counter() - started, conforms, len(data)))


def delta_validation(nodes: int, full_timeout: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "store"
        store = EmbeddedStore(directory, BASE)
        org = generate(nodes)
        started = time.perf_counter()
        for delta in batches(org.graph, 5_000):
            store.upsert(delta)
        load_seconds = time.perf_counter() - started
        triples = len(org.graph)
        del org
        records = [crm_record(store.ids, n) for n in range(1_000)]
        subjects = {r.graph.value(None, RDF.type, JKG.ContactVolume) for r in records}
        timings, cpu_timings = [], []
        for _ in range(3):
            started, cpu = time.perf_counter(), time.process_time()
            referrers = store.referrers([s for s in subjects if isinstance(s, URIRef)])
            gate = check_records(records, store, store.ids, referrers=referrers)
            timings.append(time.perf_counter() - started)
            cpu_timings.append(time.process_time() - cpu)
            assert not gate.rejected(), gate.problems
        started, cpu = time.perf_counter(), time.process_time()
        # The same delta through pySHACL alone (the gate without the compiled shapes).
        data = merged_view(_union(records), store)
        run_shacl(data, sorted(s for s in subjects if isinstance(s, URIRef)))
        pyshacl_delta = (time.perf_counter() - started, time.process_time() - cpu)
        store.close()
        queue: Any = multiprocessing.get_context("spawn").Queue()
        child = multiprocessing.get_context("spawn").Process(
            target=_full_validation, args=(str(directory), queue)
        )
        started = time.perf_counter()
        child.start()
        child.join(full_timeout)
        if child.is_alive():
            child.kill()
            child.join()
            full = f"> {full_timeout:.0f} s (killed)"
        else:
            seconds, conforms, _ = queue.get(timeout=10)
            full = f"{seconds:.1f} s (conforms: {conforms})"
        figures = {
            "graph_triples": triples,
            "load_s": round(load_seconds, 1),
            "delta_1000_gate_s": [round(t, 2) for t in timings],
            "delta_1000_gate_cpu_s": [round(t, 2) for t in cpu_timings],
            "delta_1000_pyshacl_only_s": [round(t, 2) for t in pyshacl_delta],
            "full_validation": full,
        }
        print(json.dumps(figures))
        return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--budget", type=float, default=900.0, help="seconds per sync run")
    parser.add_argument("--delta-graph-nodes", type=int, default=270_000)
    parser.add_argument("--full-timeout", type=float, default=300.0)
    parser.add_argument("--skip-delta", action="store_true")
    args = parser.parse_args()
    print(json.dumps({"loadavg": os.getloadavg(), "cpus": os.cpu_count()}))
    backends = ["embedded"] + (["neo4j"] if os.environ.get("JOURNEYKG_NEO4J_URI") else [])
    for size in (int(s) for s in args.sizes.split(",")):
        for backend in backends:
            throughput(backend, size, args.budget)
    if not args.skip_delta:
        delta_validation(args.delta_graph_nodes, args.full_timeout)
    print(json.dumps({"loadavg": os.getloadavg()}))


if __name__ == "__main__":
    main()
