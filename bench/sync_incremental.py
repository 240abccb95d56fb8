"""A 1,000-record incremental CRM sync on a large organisation, end to end, on each backend.

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:17713 python -m bench.sync_incremental \
        --embedded-store /tmp/org1m-embedded --backends embedded,neo4j --runs 3 \
        [--profile /tmp/sync.prof]

The organisation is already in the stores (bench/neo4j_bulk_load.py for
Neo4j, a bulk load of the same N-Triples for the embedded store: loading 1M
nodes takes minutes, the sync a second). Each run syncs a source of its own
(``sf-inc-<stamp>-<label>``), so that two invocations (old code, new code)
never see each other's records:

1. the seed: a Salesforce export (a REST query page, personal data in it as
   a real export has it) of two months of cases over the 60 contact reasons x
   8 channels of the synthetic organisation: 960 aggregates, written by an
   incremental recipe's first run (no bookmark yet: everything is read);
2. ``--runs`` measured runs, each of the export grown by cases modified after
   the last bookmark, so the incremental read counts those months again: 950
   aggregates change, 10 stay as they were, 30 are new (a month of their own)
   and 20 are refused by the gate (reasons the recipe maps to keys the store
   does not hold): 1,010 records a run.

Both through the product's own path as ``journeykg sync`` takes it
(:func:`journeykg.services.sync_runs.run_recipe`: the audited store, the
source's lease, plan, gate, write, bookmark, and the loop that runs the
signal rules after a sync that wrote something). Printed per run: wall
and CPU seconds of this process, the report's gate and write seconds, the
loop's seconds, and on Neo4j the round trips (Cypher statements run and
transactions committed, counted in the driver).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import other_code  # first: JOURNEYKG_BENCH_CODE picks the code
from bench.server_cpu import process_cpu_seconds
from bench.sync_throughput import CHANNELS, REASONS, crm_case
from bench.synthetic import BASE
from journeykg.bootstrap import load_settings, open_store
from journeykg.graph.store import Store

MONTHS = 2
CHANGED, UNCHANGED, NEW, REFUSED = 950, 10, 30, 20
#: Reasons the recipe maps to a key the store lacks (the gate refuses their aggregates).
UNKNOWN_REASONS = ("Reason unknown", "Reason unknown too")
SEED_MODIFIED = "2025-03-31T12:00:00.000+0000"


def _case(n: int, reason: str, origin: str, month: int, modified: str) -> dict[str, Any]:
    """A case of crm_case's shape, in ``reason`` x ``origin`` x 2025-``month``."""
    case = crm_case(n)
    created = f"2025-{month:02d}-{1 + n % 27:02d}T09:15:00.000+0000"
    case.update(
        Reason=reason,
        Origin=origin,
        CreatedDate=created,
        ClosedDate=created if case["Status"] == "Closed" else None,
        LastModifiedDate=modified,
        SystemModstamp=modified,
    )
    return case


def seed_cases() -> list[dict[str, Any]]:
    """Two cases per reason x channel x month (960 aggregates)."""
    cases, n = [], 0
    for month in range(1, MONTHS + 1):
        for r in range(REASONS):
            for c in range(CHANNELS):
                for _ in range(2):
                    cases.append(_case(n, f"Reason {r}", f"Origin {c}", month, SEED_MODIFIED))
                    n += 1
    return cases


def later_cases(start: int, run: int) -> list[dict[str, Any]]:
    """The cases run ``run`` finds modified after the previous run's bookmark: one more for
    CHANGED of the 960 aggregates (the other UNCHANGED keep their counts), NEW aggregates
    in a month of their own (3 + run) and, on the first run, REFUSED aggregates of reasons
    the store lacks (counted again, and refused again, by every run: their months are read
    again)."""
    modified = f"2025-04-{2 + run:02d}T08:30:00.000+0000"
    cases, n = [], start
    combos = [
        (m, r, c) for m in range(1, MONTHS + 1) for r in range(REASONS) for c in range(CHANNELS)
    ]
    assert len(combos) == CHANGED + UNCHANGED
    for month, r, c in combos[:CHANGED]:
        cases.append(_case(n, f"Reason {r}", f"Origin {c}", month, modified))
        n += 1
    for i in range(NEW):
        origin = f"Origin {i % CHANNELS}"
        cases.append(_case(n, f"Reason {i}", origin, MONTHS + 1 + run, modified))
        n += 1
    unknown = [(u, c, m) for u in UNKNOWN_REASONS for c in range(CHANNELS) for m in (1, 2)]
    for reason, c, month in unknown[:REFUSED] if run == 0 else []:
        cases.append(_case(n, reason, f"Origin {c}", month, modified))
        n += 1
    return cases


def recipe(name: str) -> str:
    """An incremental Salesforce recipe for the synthetic organisation's reasons and channels."""
    reasons = "\n".join(f"    Reason {i}: reason/r{i}" for i in range(REASONS))
    channels = "\n".join(f"    Origin {i}: channel/c{i}" for i in range(CHANNELS))
    return f"""name: {name}
kind: salesforce
mode: incremental
batch_size: 2000
input:
  files: [cases.json]
  format: rest-json
crm:
  reasons:
{reasons}
    {UNKNOWN_REASONS[0]}: reason/not-in-the-store
    {UNKNOWN_REASONS[1]}: reason/not-there-either
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


def write_export(directory: Path, name: str, cases: list[dict[str, Any]]) -> Path:
    """One REST query page holding ``cases``, and the recipe; the recipe's path."""
    directory.mkdir(parents=True, exist_ok=True)
    page = {"totalSize": len(cases), "done": True, "records": cases}
    (directory / "cases.json").write_text(json.dumps(page))
    path = directory / "recipe.yaml"
    path.write_text(recipe(name))
    return path


class RoundTrips:
    """Cypher statements run and transactions committed through the Neo4j driver, and the
    wall seconds of the transactions by the first words of their first statement."""

    def __init__(self) -> None:
        self.statements = 0
        self.commits = 0
        self.seconds: dict[str, float] = defaultdict(float)
        self.transactions: Counter[str] = Counter()
        self._first: str | None = None

    @contextmanager
    def counting(self) -> Iterator[None]:
        # Counted where the driver sends them (instrumentation, not a stand-in: the
        # calls go through unchanged).
        from neo4j._sync.work.session import Session
        from neo4j._sync.work.transaction import TransactionBase

        # Patched by name (setattr): the replacements take any arguments and pass them on.
        patched = [
            (TransactionBase, "run"),
            (TransactionBase, "_commit"),
            (Session, "run"),
            (Session, "_run_transaction"),
        ]
        originals: list[Any] = [getattr(owner, name) for owner, name in patched]

        def tx_run(tx: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            self.statements += 1
            if self._first is None:
                self._first = _words(query)
            return originals[0](tx, query, *args, **kwargs)

        def tx_commit(tx: Any, *args: Any, **kwargs: Any) -> Any:
            self.commits += 1
            return originals[1](tx, *args, **kwargs)

        def session_run(session: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            self.statements += 1
            self.transactions[_words(query)] += 1
            return originals[2](session, query, *args, **kwargs)

        def run_transaction(session: Any, *args: Any, **kwargs: Any) -> Any:
            outer, self._first = self._first, None
            started = time.perf_counter()
            try:
                return originals[3](session, *args, **kwargs)
            finally:
                key = self._first or "?"
                self.seconds[key] += time.perf_counter() - started
                self.transactions[key] += 1
                self._first = outer

        for (owner, name), wrapper in zip(
            patched, (tx_run, tx_commit, session_run, run_transaction), strict=True
        ):
            setattr(owner, name, wrapper)
        try:
            yield
        finally:
            for (owner, name), original in zip(patched, originals, strict=True):
                setattr(owner, name, original)

    def busiest(self, count: int = 8) -> list[tuple[str, int, float]]:
        """The transactions that took longest, summed by their first statement."""
        return [
            (key, self.transactions[key], round(seconds, 3))
            for key, seconds in sorted(self.seconds.items(), key=lambda kv: -kv[1])[:count]
        ]


def _words(query: Any) -> str:
    """The first words of a statement, as a key."""
    return " ".join(str(getattr(query, "text", query)).split())[:90]


def open_backend(backend: str, embedded: Path | None, state: Path) -> Store:
    """The audited store, as ``journeykg sync`` opens it."""
    overrides: dict[str, Any] = {"backend": backend, "base_iri": BASE, "state_dir": state}
    if backend == "embedded":
        assert embedded is not None, "--embedded-store is needed for the embedded backend"
        overrides |= {"neo4j_uri": None, "store_dir": embedded}
    return open_store(load_settings(**overrides), audited=True)


def server_cpu(pid: int | None) -> float:
    """User + system CPU seconds of the Neo4j server process so far (0 without its pid)."""
    return 0.0 if pid is None else process_cpu_seconds(pid)


#: The Neo4j server's process id (tools/neo4j/neo4j-server writes it to its state
#: directory), for the server's CPU seconds; set by ``--server-pid``.
SERVER_PID: list[int] = []


def timed_sync(store: Store, recipe_path: Path, trips: RoundTrips | None) -> dict[str, Any]:
    """One run of the recipe through the product's path; its figures."""
    from journeykg.services.sync_runs import Requester, recipe_at, run_recipe

    loop_seconds: list[float] = []
    requester = Requester("bench", None, "cli")
    located = recipe_at(recipe_path)
    before = (trips.statements, trips.commits) if trips else (0, 0)
    if trips is not None:  # this run's transactions only, for its busiest
        trips.seconds.clear()
        trips.transactions.clear()
    pid = SERVER_PID[0] if SERVER_PID and trips is not None else None
    server = server_cpu(pid)
    started, cpu = time.perf_counter(), time.process_time()
    report = run_recipe(
        store, located, requester, loop=lambda _: loop_seconds.append(time.perf_counter())
    )
    wall, cpu_s = time.perf_counter() - started, time.process_time() - cpu
    figures: dict[str, Any] = {
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu_s, 3),
        "records": report.records,
        "written": report.written,
        "unchanged": report.unchanged,
        "rejected": report.rejected,
        "status": report.status,
        "sync_s": report.seconds,
        "gate_s": report.validate_seconds,
        "write_s": report.write_seconds,
        # The loop runs after the engine's report is finished, and ends just before `loop`.
        "code": "other" if other_code.CODE else "this",
        "after_sync_s": round(loop_seconds[0] - started - report.seconds, 3)
        if loop_seconds
        else None,
    }
    if pid is not None:
        figures["server_cpu_s"] = round(server_cpu(pid) - server, 2)
    if trips is not None:
        figures["statements"] = trips.statements - before[0]
        figures["commits"] = trips.commits - before[1]
        figures["busiest"] = trips.busiest(6)
    return figures


def runs(
    backend: str,
    store: Store,
    name: str,
    count: int,
    trips: RoundTrips | None,
    profile: Path | None,
) -> Iterator[dict[str, Any]]:
    """The seed, then ``count`` incremental runs of one source: the figures of each."""
    with tempfile.TemporaryDirectory() as tmp:
        cases = seed_cases()
        seeded = timed_sync(store, write_export(Path(tmp) / "seed", name, cases), trips)
        yield {"backend": backend, "source": name, "run": "seed", **seeded}
        for run in range(count):
            cases += later_cases(len(cases), run)
            recipe_path = write_export(Path(tmp) / f"run{run}", name, cases)
            profiler = cProfile.Profile() if profile and run == count - 1 else None
            if profiler is not None:
                profiler.enable()
            measured = timed_sync(store, recipe_path, trips)
            if profiler is not None and profile is not None:
                profiler.disable()
                profiler.dump_stats(str(profile))
            yield {"backend": backend, "source": name, "run": run, **measured}


def main(
    argv: list[str] | None = None, *, on_figures: Callable[[dict[str, Any]], None] = print
) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", default="embedded,neo4j")
    parser.add_argument("--embedded-store", type=Path, default=None)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", type=Path, default=None, help="cProfile of the last run")
    parser.add_argument("--label", default="", help="a name for this code (old, new)")
    parser.add_argument("--server-pid", type=int, default=None, help="the Neo4j server's pid")
    args = parser.parse_args(argv)
    stamp = time.strftime("%H%M%S")
    if args.server_pid is not None:
        SERVER_PID.append(args.server_pid)
    for backend in args.backends.split(","):
        if backend == "neo4j" and not os.environ.get("JOURNEYKG_NEO4J_URI"):
            continue
        profile = args.profile
        if profile is not None:
            profile = profile.with_suffix(f".{backend}{profile.suffix}")
        with tempfile.TemporaryDirectory() as state:
            store = open_backend(backend, args.embedded_store, Path(state))
            trips = RoundTrips() if backend == "neo4j" else None
            name = f"sf-inc-{stamp}-{args.label or 'run'}"
            try:
                with trips.counting() if trips else _nothing():
                    for figures in runs(backend, store, name, args.runs, trips, profile):
                        load = round(os.getloadavg()[0], 2)
                        on_figures(figures | {"label": args.label, "loadavg": load})
            finally:
                store.close()


@contextmanager
def _nothing() -> Iterator[None]:
    yield


if __name__ == "__main__":
    main(on_figures=lambda f: print(json.dumps(f), flush=True))
