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
(:func:`journeykg.loaders.sync.gate.check_records`), against a full pySHACL
validation of the whole graph in a child process killed after
``--full-timeout`` seconds ("> N s"). ``--delta-store DIR`` keeps that store
in DIR and reuses it on the next run (loading 1M triples takes minutes on a
busy machine); ``--delta-runs`` sets how often the gate runs on the delta.

Part 1 uses synthetic MappedRecords shaped like CRM aggregates: the figures
are for the engine alone. Part 3 (``--crm-sizes``) is the issue's measure:

    python -m bench.sync_throughput --crm-sizes 10000,100000,1000000 --crm-timeout 900 \
        --skip-records --skip-delta

CASES Salesforce cases (REST query pages of 2,000 records with the fields of
tests/loaders/fixtures/salesforce/, personal data included as a real export
has it) are written to disk with a recipe mapping the 60 contact reasons and
8 channels of the synthetic organisation (spread over 24 months: up to
11,520 aggregates); then one full ``sync()`` of the
recipe's source (read the files + parse + aggregate per reason x channel x
month + governance + gate + write) into a fresh store, per backend. Each
run is a child process killed after ``--crm-timeout`` seconds; the figure is
cases per second, wall and CPU (the child's own CPU: parsing, aggregation,
the gate and Oxigraph, not the Neo4j server).
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
from rdflib.plugins.stores.memory import SimpleMemory

from bench.stores import open_bench_store, open_embedded
from bench.synthetic import BASE, batches, generate
from journeykg.graph.gate_view import GateView
from journeykg.graph.store import Store
from journeykg.loaders.source import MappedRecord, SourceBatch, record_iri
from journeykg.loaders.sync import SyncOptions, sync
from journeykg.loaders.sync.gate import check_records
from journeykg.namespaces import JKG, RDF, RDFS, SKOS, XSD
from journeykg.validation.gate import merged_view, run_shacl

BATCH = 1_000
REASONS, CHANNELS = 60, 8
SOURCE = "crm-bench"
CRM_SOURCE = "salesforce-bench"
CRM_PAGE = 2_000
CRM_MONTHS = 24


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
    graph = Graph(store=SimpleMemory())  # as the CRM sources make their records
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
    store = open_bench_store(name, directory)
    if name == "neo4j":
        store.clear()  # the server outlives the run: start each from nothing
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
    store = open_embedded(Path(directory))
    data = store.export()
    started = time.perf_counter()
    conforms, _ = run_shacl(data)
    queue.put((time.perf_counter() - started, conforms, len(data)))


def delta_validation(
    nodes: int, full_timeout: float, keep: Path | None = None, runs: int = 3
) -> dict[str, Any]:
    """The gate on a 1,000-record delta over the synthetic organisation, against pySHACL.

    With ``keep``, the organisation's store is kept in (or reused from) that directory:
    loading 1M triples takes minutes, the gate a fraction of a second.
    """
    with tempfile.TemporaryDirectory() as tmp:
        directory = keep or Path(tmp) / "store"
        reuse = directory.exists()
        store = open_embedded(directory)
        started = time.perf_counter()
        if reuse:
            triples = len(store._ox)  # pyoxigraph counts without converting each triple
        else:
            org = generate(nodes)
            for delta in batches(org.graph, 5_000):
                store.upsert(delta)
            triples = len(org.graph)
            del org
        load_seconds = time.perf_counter() - started
        records = [crm_record(store.ids, n) for n in range(1_000)]
        subjects = {r.graph.value(None, RDF.type, JKG.ContactVolume) for r in records}
        timings, cpu_timings = [], []
        for _ in range(runs):
            started, cpu = time.perf_counter(), time.process_time()
            referrers = store.referrers([s for s in subjects if isinstance(s, URIRef)])
            gate = check_records(records, store, store.ids, referrers=referrers)
            timings.append(time.perf_counter() - started)
            cpu_timings.append(time.process_time() - cpu)
            assert not gate.rejected(), gate.problems
        started, cpu = time.perf_counter(), time.process_time()
        # The same delta through pySHACL alone (the gate without the compiled shapes).
        data = merged_view(_union(records), GateView(store))
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
            "load_s" if not reuse else "reused_store_count_s": round(load_seconds, 1),
            "delta_1000_gate_s": [round(t, 2) for t in timings],
            "delta_1000_gate_cpu_s": [round(t, 2) for t in cpu_timings],
            "delta_1000_pyshacl_only_s": [round(t, 2) for t in pyshacl_delta],
            "full_validation": full,
            "loadavg_after": round(os.getloadavg()[0], 2),
        }
        print(json.dumps(figures))
        return figures


# --- part 3: CRM cases end to end ------------------------------------------------------

_ORIGINS = [f"Origin {i}" for i in range(CHANNELS)]
_REASONS = [f"Reason {i}" for i in range(REASONS)]
_NAMES = ["Fatima El Amrani", "Joost Bakker", "Sanne de Vries", "Mehmet Yilmaz", "Lotte Jansen"]


def crm_recipe(pages: int) -> str:
    """A Salesforce recipe for the synthetic organisation's reasons and channels."""
    reasons = "\n".join(f"    {r}: reason/r{i}" for i, r in enumerate(_REASONS))
    channels = "\n".join(f"    {c}: channel/c{i}" for i, c in enumerate(_ORIGINS))
    files = ", ".join(f"cases-page-{n:05d}.json" for n in range(1, pages + 1))
    return f"""name: {CRM_SOURCE}
kind: salesforce
mode: full
retire_max_share: 1.0
batch_size: 500
input:
  files: [{files}]
  format: rest-json
crm:
  reasons:
{reasons}
  channels:
{channels}
  complaint: {{field: Type, values: [Complaint]}}
  escalation: {{field: IsEscalated, values: [true]}}
  first_contact_resolution:
    rule: closed-same-day
    closed: {{field: Status, values: [Closed]}}
  period: month
  timezone: Europe/Amsterdam
"""


def crm_case(n: int) -> dict[str, Any]:
    """The n-th synthetic Salesforce case (deterministic), with the fields of a real export."""
    case_id = f"5003X{n:013d}"
    mix = (n * 2654435761) % 2**32  # spreads cases over every reason x channel x month
    reason, channel, month = mix % REASONS, (mix // REASONS) % CHANNELS, (mix // 480) % CRM_MONTHS
    day, hour = 1 + (n // 7) % 28, 6 + (n // 3) % 14
    created = f"{2024 + month // 12}-{1 + month % 12:02d}-{day:02d}T{hour:02d}:15:00.000+0000"
    closed_same_day = n % 3 != 0
    closed_day = day if closed_same_day else min(day + 2, 28)
    closed = f"{created[:8]}{closed_day:02d}T{min(hour + 2, 23):02d}:40:00.000+0000"
    status = "Closed" if n % 10 else "New"
    name = _NAMES[n % len(_NAMES)]
    return {
        "attributes": {"type": "Case", "url": f"/services/data/v60.0/sobjects/Case/{case_id}"},
        "Id": case_id,
        "CaseNumber": f"{n:08d}",
        "Origin": _ORIGINS[channel],
        "Reason": _REASONS[reason],
        "Type": "Complaint" if n % 11 == 0 else "Question",
        "Status": status,
        "Priority": ("Low", "Medium", "High")[n % 3],
        "IsEscalated": n % 17 == 0,
        "IsClosed": status == "Closed",
        "CreatedDate": created,
        "ClosedDate": closed if status == "Closed" else None,
        "LastModifiedDate": closed if status == "Closed" else created,
        "SystemModstamp": closed if status == "Closed" else created,
        "Subject": f"Vraag over de rekening - {name}",
        "Description": f"Klant {name} belde vanaf 06-{n % 10**8:08d} over de rekening.",
        "SuppliedName": name,
        "SuppliedEmail": f"klant{n}@example.com",
        "SuppliedPhone": f"06-{n % 10**8:08d}",
        "ContactId": f"0033X{n:013d}",
        "AccountId": f"0013X{n // 3:013d}",
        "OwnerId": f"0053X{n % 40:013d}",
    }


def write_crm_export(directory: Path, cases: int) -> Path:
    """CASES cases as a chain of REST query pages, and the recipe; returns the recipe's path."""
    directory.mkdir(parents=True, exist_ok=True)
    pages = max(1, -(-cases // CRM_PAGE))
    for page in range(pages):
        start, end = page * CRM_PAGE, min((page + 1) * CRM_PAGE, cases)
        body: dict[str, Any] = {"totalSize": cases, "done": page == pages - 1}
        if page < pages - 1:
            body["nextRecordsUrl"] = f"/services/data/v60.0/query/01gRO0000016PIAYA2-{end}"
        body["records"] = [crm_case(n) for n in range(start, end)]
        (directory / f"cases-page-{page + 1:05d}.json").write_text(json.dumps(body))
    recipe = directory / "recipe.yaml"
    recipe.write_text(crm_recipe(pages))
    return recipe


def _children_cpu() -> float:
    times = os.times()
    return times.children_user + times.children_system


def _crm_child(backend: str, cases: int, tmp: str, queue: Any) -> None:
    from journeykg.loaders.recipe import load_recipe
    from journeykg.loaders.sources import open_source

    directory = Path(tmp)
    started = time.perf_counter()
    recipe_path = write_crm_export(directory / "export", cases)
    generate_s = time.perf_counter() - started
    store = open_backend(backend, directory / "store")
    try:
        store.upsert(framework())
        recipe = load_recipe(recipe_path)
        source = open_source(recipe, store.ids, recipe_dir=recipe_path.parent)
        started, cpu, children = time.perf_counter(), time.process_time(), _children_cpu()
        report = sync(store, source, SyncOptions(retire_max_share=1.0))
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu
        # the CRM source's page workers (reaped when its pool shuts down)
        workers_cpu_s = _children_cpu() - children
    finally:
        store.close()
    queue.put(
        {
            "backend": backend,
            "cases": cases,
            "read": report.read,
            "aggregates": report.records,
            "written": report.written,
            "rejected": report.rejected,
            "status": report.status,
            "export_mb": round(
                sum(f.stat().st_size for f in (directory / "export").iterdir()) / 1e6, 1
            ),
            "generate_s": round(generate_s, 1),
            "seconds": round(seconds, 2),
            "cpu_s": round(cpu_seconds, 2),
            "workers_cpu_s": round(workers_cpu_s, 2),
            "cases_per_s": round(report.read / seconds),
            "cases_per_cpu_s": round(report.read / max(cpu_seconds, 1e-9)),
            "validate_s": report.validate_seconds,
            "write_s": report.write_seconds,
        }
    )


def crm_throughput(backend: str, cases: int, timeout: float) -> dict[str, Any]:
    """One full sync of CASES Salesforce cases, in a child process killed after ``timeout``."""
    before = os.getloadavg()
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        queue: Any = context.Queue()
        child = context.Process(target=_crm_child, args=(backend, cases, tmp, queue))
        child.start()
        figures: dict[str, Any]
        try:
            figures = queue.get(timeout=timeout)
        except Exception:  # queue.Empty: the budget ran out (or the child died)
            figures = {"backend": backend, "cases": cases, "result": f"> {timeout:.0f} s (killed)"}
        if child.is_alive():
            child.kill()
        child.join()
    figures["loadavg_before_after"] = [round(before[0], 2), round(os.getloadavg()[0], 2)]
    print(json.dumps(figures), flush=True)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--budget", type=float, default=900.0, help="seconds per sync run")
    parser.add_argument("--delta-graph-nodes", type=int, default=270_000)
    parser.add_argument("--full-timeout", type=float, default=300.0)
    parser.add_argument("--skip-delta", action="store_true")
    parser.add_argument("--skip-records", action="store_true", help="skip part 1")
    parser.add_argument("--crm-sizes", default="", help="cases per CRM run, e.g. 10000,100000")
    parser.add_argument("--crm-timeout", type=float, default=900.0, help="seconds per CRM run")
    parser.add_argument("--backends", default="embedded,neo4j")
    parser.add_argument(
        "--delta-store", type=Path, default=None, help="keep/reuse part 2's store in this directory"
    )
    parser.add_argument("--delta-runs", type=int, default=3, help="gate runs on the delta")
    args = parser.parse_args()
    print(json.dumps({"loadavg": os.getloadavg(), "cpus": os.cpu_count()}))
    backends = [
        b
        for b in args.backends.split(",")
        if b == "embedded" or (b == "neo4j" and os.environ.get("JOURNEYKG_NEO4J_URI"))
    ]
    if not args.skip_records:
        for size in (int(s) for s in args.sizes.split(",")):
            for backend in backends:
                throughput(backend, size, args.budget)
    for cases in (int(s) for s in args.crm_sizes.split(",") if s):
        for backend in backends:
            crm_throughput(backend, cases, args.crm_timeout)
    if not args.skip_delta:
        delta_validation(
            args.delta_graph_nodes, args.full_timeout, args.delta_store, args.delta_runs
        )
    print(json.dumps({"loadavg": os.getloadavg()}))


if __name__ == "__main__":
    main()
