"""``journeykg load`` of a synthetic organisation into Neo4j: the batched path against today's.

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:17706 \
        python -m bench.neo4j_product_load --nodes 100000 --paths batched,single,embedded
    python -m bench.neo4j_product_load --nodes 20000 --batch-sizes 5000,10000,20000,50000

Each run loads the same N-Triples file (bench/synthetic.py, written once into
``--work``) exactly as ``journeykg load`` does: :func:`load_file` on the store
``journeykg.bootstrap`` opens, audited, with a fresh state directory, into an
emptied database. The paths:

- ``batched``: the product's path on Neo4j (graph/neo4j_bulk.py), batches of
  ``--batch`` subjects, each one audited transaction;
- ``single``: today's path before it, one transaction for the whole load
  (``Neo4jStore.batched_write = False``);
- ``embedded``: the embedded store, for the comparison the issue asks for;
- ``batched-baseline``, ``single-baseline``: those paths with the Neo4j write
  as it was before issue 20 (bench/neo4j_write_baseline.py), so that the
  figures before and after come from the same run;
- ``batched-previous``: the batched path with the write as main had it
  before the 1M work (5dc33a9, bench/neo4j_write_previous.py).
- ``batched-cypher``: the batched path written with Cypher only
  (``Neo4jStore.write_in_server = False``): main's write before the plugin's
  bulk procedures (graph/neo4j_columns.py), with this branch's rows;
- ``offline``: ``journeykg load --offline-import`` (graph/neo4j_offline_import.py):
  Neo4j's import tool into a staging directory, the server stopped, the files
  swapped in, the server started and the schema made; the home is the one
  tools/neo4j/neo4j-server keeps (JOURNEYKG_NEO4J_STATE). The rows, the CSV and
  the import tool run in a child process beside the gate and the audit;
  ``offline-inline`` runs them in the loading process, one after the other.
  ``server_cpu_s`` is the restarted server's, ``children_cpu_s`` the child's and
  the import tool's;
- ``batched-main``: the batched path with the write as main has it at
  a1acef8 (bench/neo4j_write_main.py): Cypher, and main's rows and batches.
- ``batched-serial``: the batched path with each batch prepared and committed
  in the loading thread, one after the other (``neo4j_bulk.PREPARED_AHEAD = 0``,
  the default, as main has it); ``batched-overlap`` prepares the next batch
  while one commits in a writer thread (``PREPARED_AHEAD = 1``).
  Main's own code runs with ``JOURNEYKG_BENCH_CODE`` (bench/other_code.py):
  a staged copy of main, driven by this bench, in the same run;
- ``embedded-oldclient``, ``batched-oldclient`` (any path with that suffix):
  the client side of the load (parse, governance checks, gate, audit) as it
  was before issue 20's client work (bench/client_baseline.py), the write as
  the path has it.
- ``embedded-mainclient``, ``batched-mainclient``: the client as main had it
  before the compiled load gate (a1acef8, bench/client_main.py): pySHACL on
  the whole view, two reads of the store, the audit's spelling as it was.

Every run also prints ``store_write_s``, the time spent inside the backend's
own write (the inner store's ``apply``: the Neo4j transactions, or
Oxigraph's update), and ``client_s``, the wall time less that: the client's
share of the load, which the embedded path measures without a server
(since the batches overlap with the preparation of the next, the client's
share is less than that: the two run at once);
``write_stage_s`` the whole write stage (provenance, batches, the audit and
the backend's write); ``client_cpu_s`` the CPU seconds of this process and
``server_cpu_s`` the Neo4j server's (from /proc, when JOURNEYKG_NEO4J_STATE
names the state directory of tools/neo4j/neo4j-server): on a shared machine
they say more than wall times.

It prints, per run, parse / validate / write seconds, the wall time, the load
average before and after (the machine is shared), and with ``--profile`` the
functions where the client spent its time. ``--batch-sizes`` repeats the
batched path once per size, which is how ``BATCH_SUBJECTS`` was chosen.
``--write-only`` times only the audited write of the parsed file on each path
(no governance checks, no gate, no provenance: the same on both paths).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import logging
import os
import pstats
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from rdflib import Graph

from bench import other_code  # first: JOURNEYKG_BENCH_CODE picks the code (main's, as before)
from bench.client_baseline import baseline_client
from bench.client_main import main_client
from bench.machine_speed import reference_seconds
from bench.neo4j_write_baseline import baseline_write
from bench.neo4j_write_main import main_write
from bench.neo4j_write_previous import previous_write
from bench.server_cpu import DEFAULT_STATE, children_cpu_seconds, neo4j_server_cpu
from bench.synthetic import BASE, organisation_file
from journeykg.bootstrap import load_settings, open_store
from journeykg.graph import neo4j_bulk
from journeykg.graph.audited import AuditedStore
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.loaders.collector_pause import collector_paused
from journeykg.loaders.pipeline import load_file
from journeykg.loaders.rdf_fast_read import read_large_rdf


@contextmanager
def _cypher_write() -> Iterator[None]:
    """Every Neo4j store writes with Cypher only inside the block.

    That is main's write before the plugin's procedures (graph/neo4j_columns.py)."""
    Neo4jStore.write_in_server = False
    try:
        yield
    finally:
        Neo4jStore.write_in_server = True


@contextmanager
def _prepared_ahead(batches: int) -> Iterator[None]:
    """Inside the block, ``batches`` prepared batches may wait while one commits (0: none)."""
    saved = getattr(neo4j_bulk, "PREPARED_AHEAD", 0)
    neo4j_bulk.PREPARED_AHEAD = batches
    try:
        yield
    finally:
        neo4j_bulk.PREPARED_AHEAD = saved


@contextmanager
def _staged_inline() -> Iterator[None]:
    """Inside the block an offline import is staged in this process, before the swap."""
    from journeykg.graph import neo4j_offline_import

    saved = neo4j_offline_import.STAGE_IN_CHILD
    neo4j_offline_import.STAGE_IN_CHILD = False
    try:
        yield
    finally:
        neo4j_offline_import.STAGE_IN_CHILD = saved


def _write_of(path: str) -> tuple[str, AbstractContextManager[None]]:
    """``path`` without its write's suffix (``-baseline``, ``-main``, ...), and that write."""
    if path.endswith("-inline"):
        return path.removesuffix("-inline"), _staged_inline()
    if path.endswith("-serial"):
        return path.removesuffix("-serial"), _prepared_ahead(0)
    if path.endswith("-overlap"):
        return path.removesuffix("-overlap"), _prepared_ahead(1)
    if path.endswith("-cypher"):
        return path.removesuffix("-cypher"), _cypher_write()
    if path.endswith("-main"):
        return path.removesuffix("-main"), main_write()
    if path.endswith("-baseline"):
        return path.removesuffix("-baseline"), baseline_write()
    if path.endswith("-previous"):
        return path.removesuffix("-previous"), previous_write()
    return path, nullcontext()


def _client_of(path: str) -> tuple[str, AbstractContextManager[None]]:
    """``path`` without its ``-oldclient`` or ``-mainclient`` suffix, and the client it runs."""
    if path.endswith("-oldclient"):
        return path.removesuffix("-oldclient"), baseline_client()
    if path.endswith("-mainclient"):
        return path.removesuffix("-mainclient"), main_client()
    return path, nullcontext()


@contextmanager
def _timing_store_writes(store: AuditedStore, spent: list[float]) -> Iterator[None]:
    """Add the seconds each write of ``store``'s backend takes to ``spent`` inside the block."""
    inner = store.inner
    write = inner.apply

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return write(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - started)

    inner.apply = timed  # type: ignore[method-assign]
    try:
        yield
    finally:
        del inner.apply  # the class's own method again


class _OverlapNote(logging.Handler):
    """Keeps what graph/neo4j_bulk.py logs after a batched write: which side waited how long."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.waits: list[float] = []

        self.offline = ""
        """What graph/neo4j_offline_import.py logs after an offline import: its parts' times."""

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("batched write:") and isinstance(record.args, tuple):
            self.waits = [round(float(str(x)), 1) for x in record.args]
        if record.msg.startswith("offline import:"):
            self.offline = record.getMessage()


@contextmanager
def _noting_overlap() -> Iterator[_OverlapNote]:
    loggers = [
        logging.getLogger("journeykg.graph.neo4j_bulk"),
        logging.getLogger("journeykg.graph.neo4j_offline_import"),
    ]
    note, levels = _OverlapNote(), [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(note)
        logger.setLevel(logging.INFO)
    try:
        yield note
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(note)
            logger.setLevel(level)


def _stage_clock(stages: dict[str, float]) -> Callable[[str], None]:
    """A stage hook that notes when each stage of the load began (``write`` to the end is
    the whole write stage: provenance, batches, audit and the backend's write)."""

    def began(name: str) -> None:
        stages[name] = time.perf_counter()

    return began


def _load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run_once(path: str, file: Path, work: Path, batch: int, profile: bool) -> dict[str, Any]:
    """One load of ``file`` along ``path`` into an empty store; its figures."""
    client_path, client = _client_of(path)
    name, writing = _write_of(client_path)
    state = Path(tempfile.mkdtemp(prefix="state-", dir=work))
    overrides: dict[str, Any] = {"base_iri": BASE, "state_dir": state}
    home = None
    if name == "embedded":
        overrides |= {"backend": "embedded", "neo4j_uri": None, "store_dir": work / "embedded"}
        shutil.rmtree(work / "embedded", ignore_errors=True)
    else:
        overrides["backend"] = "neo4j"
    if name == "offline":
        home = _server_home()
    store = open_store(load_settings(**overrides))
    assert isinstance(store, AuditedStore)
    if isinstance(store.inner, Neo4jStore):
        store.inner.clear()
        store.inner.batched_write = name == "batched"
    # Read by write_in_batches when it is called: the size this run tries.
    neo4j_bulk.BATCH_SUBJECTS = batch
    reference = reference_seconds()  # before the load: its memory would slow it
    before = _load_average()
    profiler = cProfile.Profile() if profile else None
    store_writes: list[float] = []
    stages: dict[str, float] = {}
    started = time.perf_counter()
    # As `journeykg load` runs it: the collector paused for the whole command and left
    # paused, the process ending without collecting or freeing the load's objects
    # (cli/app.py); here the pause ends, and they are collected, once the figures are taken.
    pause = ExitStack()
    pause.enter_context(collector_paused())
    cpu, server_cpu, tools_cpu = time.process_time(), _server_cpu(), children_cpu_seconds()
    if profiler is not None:
        profiler.enable()
    try:
        with writing, client, _timing_store_writes(store, store_writes), _noting_overlap() as note:
            report = load_file(store, file, on_stage=_stage_clock(stages), offline_import=home)
    finally:
        if profiler is not None:
            profiler.disable()
    # Closing is part of the command: the audit journal's last write reaches its file.
    closing = time.perf_counter()
    store.close()
    close_s = time.perf_counter() - closing
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu
    server_after = _server_cpu()
    children_cpu = children_cpu_seconds() - tools_cpu
    if home is not None and server_after is not None:
        # The server was stopped and started again: its CPU is the new process's (its
        # start and the schema's build); the stopped server's few reads before the
        # stop are not counted.
        server_cpu = 0.0
    stages["end"] = time.perf_counter()
    result: dict[str, Any] = {
        "path": path,
        "code": other_code.CODE or "this tree",
        "batch_subjects": batch if name == "batched" else None,
        "triples": report.triples,
        "subjects": report.subjects,
        "parse_s": round(report.parse_seconds, 1),
        "validate_s": round(report.validate_seconds, 1),
        "write_s": round(report.write_seconds, 1),
        "wall_s": round(wall, 1),
        "close_s": round(close_s, 1),
        "write_stage_s": round(stages["end"] - stages["write"], 1),
        "store_write_s": round(sum(store_writes), 1),
        "client_s": round(wall - sum(store_writes), 1),
        "client_cpu_s": round(cpu, 1),
        "server_cpu_s": None
        if server_cpu is None or server_after is None or name == "embedded"
        else round(server_after - server_cpu, 1),
        # The offline import's staging process (rows, CSV) and the import tool it runs.
        "children_cpu_s": round(children_cpu, 1),
        "triples_per_s": round(report.triples / wall),
        # Seconds the preparing thread waited for the writer, and the writer for it.
        "prepare_waited_s": note.waits[0] if note.waits else None,
        "writer_waited_s": note.waits[1] if note.waits else None,
        "offline_import": note.offline or None,
        "load_average_before": before,
        "load_average_after": _load_average(),
        # This machine's speed at journeykg's kind of work (bench/machine_speed.py).
        "machine_reference_s": reference,
    }
    pause.close()
    if profiler is not None:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(70)
        result["profile"] = text.getvalue()
    shutil.rmtree(state, ignore_errors=True)
    return result


def write_only(path: str, file: Path, work: Path, batch: int) -> dict[str, Any]:
    """Only the write of a load (no parse, governance or gate timed), audited, into an empty store.

    What the batched path changes is the write; the gate is the same on both
    paths (and dominates a whole load, see the docs), so this isolates the write.
    """
    from rdflib.plugins.stores.memory import SimpleMemory

    name, writing = _write_of(path)
    graph = Graph(store=SimpleMemory()).parse(file, format="nt")
    state = Path(tempfile.mkdtemp(prefix="state-", dir=work))
    store = open_store(load_settings(backend="neo4j", base_iri=BASE, state_dir=state))
    assert isinstance(store, AuditedStore)
    assert isinstance(store.inner, Neo4jStore)
    store.inner.clear()
    before = _load_average()
    started = time.perf_counter()
    with writing:
        if name == "batched":
            resume = neo4j_bulk.Resume("bench")
            neo4j_bulk.write_in_batches(store, graph, journal=None, resume=resume, size=batch)
        else:
            store.upsert(graph)
    wall = time.perf_counter() - started
    store.close()
    shutil.rmtree(state, ignore_errors=True)
    return {
        "path": f"{path}, write only",
        "batch_subjects": batch if name == "batched" else None,
        "triples": len(graph),
        "wall_s": round(wall, 1),
        "triples_per_s": round(len(graph) / wall),
        "load_average_before": before,
        "load_average_after": _load_average(),
    }


def _server_home() -> Any:
    """The home of the server tools/neo4j/neo4j-server runs (JOURNEYKG_NEO4J_STATE), for
    the ``offline`` path: a Neo4j installation's layout (bin/neo4j, bin/neo4j-admin)."""
    from journeykg.graph.neo4j_offline_import import Neo4jHome

    state = Path(os.environ.get("JOURNEYKG_NEO4J_STATE", DEFAULT_STATE))
    return Neo4jHome(Path((state / "dir").read_text().strip()) / "home")


def _server_cpu() -> float | None:
    """CPU seconds the local Neo4j server has used, if tools/neo4j/neo4j-server started it.

    On a shared machine the wall time says more about the others than about
    the write; CPU seconds of the client and of the server do not."""
    return neo4j_server_cpu(DEFAULT_STATE)


def _server_settled(timeout: float = 60.0) -> None:
    """Wait until the server has finished what a ``clear`` left it (< 0.1 CPU second a second).

    After deleting a large graph the server goes on cleaning up for seconds; its
    CPU then would be counted to the next write's."""
    deadline = time.monotonic() + timeout
    last = _server_cpu()
    while last is not None and time.monotonic() < deadline:
        time.sleep(1.0)
        now = _server_cpu()
        if now is None or now - last < 0.1:
            return
        last = now


def store_writes(paths: list[str], file: Path, work: Path, batch: int) -> list[dict[str, Any]]:
    """Only ``Neo4jStore.apply`` of each batch, per path: the Neo4j write itself.

    The file is parsed and cut into batches once (not timed), then each path
    writes every batch into an emptied database straight through the Neo4j
    store: no audit, no governance guard, no batching (the client side, which
    is the same on every path), so the figures are the write's alone:
    ``wall_s`` every ``apply``; ``rows_s`` the mapping of the triples onto
    rows (client Python) timed alone just before; ``transactions_s`` the
    difference (the statements and their parameters: driver and server);
    ``client_cpu_s`` and ``server_cpu_s`` the CPU seconds each side spent in
    the ``apply`` calls (the server's from /proc, when JOURNEYKG_NEO4J_STATE
    names the state directory of tools/neo4j/neo4j-server). Since issue 20's
    plugin write (docs/benchmarks.md), the file is read as a load reads it and
    the collector is paused, as in a load; figures before that ran with it.
    """
    # Parsed as a load parses it (a SimpleMemory graph), with Python's cyclic
    # collector paused as load_file pauses it for the whole load
    # (loaders/collector_pause.py): the write measured as the product runs it.
    with collector_paused():
        return _store_writes(paths, read_large_rdf(file), work, batch)


def _store_writes(paths: list[str], graph: Graph, work: Path, batch: int) -> list[dict[str, Any]]:
    batches = neo4j_bulk.subject_batches(graph, batch)
    del graph
    state = Path(tempfile.mkdtemp(prefix="state-", dir=work))
    store = open_store(load_settings(backend="neo4j", base_iri=BASE, state_dir=state))
    assert isinstance(store, AuditedStore)
    inner = store.inner
    assert isinstance(inner, Neo4jStore)
    results = []
    for path in paths:
        _, writing = _write_of(path)
        inner.clear()
        _server_settled()
        before = _load_average()
        rows_s = 0.0
        with writing:
            for each in batches:
                mapped = time.perf_counter()
                inner.mapping.rows(each, inner.ids.key)  # once more, to time it alone
                rows_s += time.perf_counter() - mapped
            rows_done = time.perf_counter()
            client, server = time.process_time(), _server_cpu()
            for each in batches:
                inner.apply(each)
        wall = time.perf_counter() - rows_done
        client_cpu = time.process_time() - client
        server_after = _server_cpu()
        server_cpu = None if server is None or server_after is None else server_after - server
        triples = sum(len(each) for each in batches)
        results.append(
            {
                "path": f"{path}, Neo4jStore.apply only",
                "batch_subjects": batch,
                "triples": triples,
                "wall_s": round(wall, 1),
                "rows_s": round(rows_s, 1),
                "transactions_s": round(wall - rows_s, 1),
                "triples_per_s": round(triples / wall),
                "client_cpu_s": round(client_cpu, 1),
                "server_cpu_s": None if server_cpu is None else round(server_cpu, 1),
                "load_average_before": before,
                "load_average_after": _load_average(),
            }
        )
    store.close()
    shutil.rmtree(state, ignore_errors=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument(
        "--paths",
        default="batched,single",
        help="batched, single, embedded, batched-baseline, single-baseline, batched-previous, "
        "batched-cypher, batched-main, batched-serial, batched-overlap, *-oldclient",
    )
    parser.add_argument("--batch", type=int, default=neo4j_bulk.BATCH_SUBJECTS)
    parser.add_argument("--batch-sizes", default="", help="sweep the batched path over these")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "jkg-bench")
    parser.add_argument("--profile", action="store_true", help="print where the client spent time")
    parser.add_argument(
        "--write-only", action="store_true", help="time only the audited write of each path"
    )
    parser.add_argument(
        "--store-write",
        action="store_true",
        help="time only Neo4jStore.apply of each batch, per path (parsed and batched once)",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    file = organisation_file(args.nodes, args.work)
    runs: list[tuple[str, int]] = [(p, args.batch) for p in args.paths.split(",") if p]
    runs += [("batched", int(size)) for size in args.batch_sizes.split(",") if size]
    if args.store_write:
        for result in store_writes([p for p, _ in runs], file, args.work, args.batch):
            print(json.dumps({"nodes": args.nodes, **result}), flush=True)
        return
    for path, batch in runs:
        if args.write_only:
            print(json.dumps({"nodes": args.nodes, **write_only(path, file, args.work, batch)}))
            continue
        result = run_once(path, file, args.work, batch, args.profile)
        profile = result.pop("profile", None)
        print(json.dumps({"nodes": args.nodes, **result}), flush=True)
        if profile:
            print(profile, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
