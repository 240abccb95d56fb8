"""The demo's steps on the embedded store and on Neo4j, in one run: is Neo4j slower, and where?

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:7687 python -m bench.demo_backends --rounds 2
    # Neo4j: the server's database is CLEARED before each round. With JOURNEYKG_NEO4J_STATE
    # (tools/neo4j/neo4j-server's state directory) the server's CPU per step is read too.

Each round, per backend, into a fresh audited store (as ``journeykg`` opens
it), the steps a demo session takes, each timed on its own (wall, CPU of
this process, and on Neo4j the round trips: Cypher statements, commits, and the
driver's flushes of messages to the server, each of which waits for an answer):

1. ``journeykg demo``: the demo organisation and the glossary
   (:func:`journeykg.services.demo.prepare`);
2. ``journeykg load examples/csv-bundle/framework/lifecycle.ttl`` into a
   fresh store: the CSV bundle's lifecycle framework;
3. ``journeykg sync examples/csv-bundle/recipe.yaml`` (its journeys, steps,
   touchpoints, processes, KPIs: 15 sheets), then the same sync again
   (nothing changed);
4. ``journeykg sync`` of the README's complaint-spike and NPS-survey examples
   into the demo store.

The backends take turns within a round, so both see the same machine.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import other_code  # first: JOURNEYKG_BENCH_CODE picks the code
from bench.neo4j_round_trips import Flushes
from bench.server_cpu import neo4j_server_cpu
from bench.sync_incremental import RoundTrips
from journeykg.bootstrap import load_settings, open_store
from journeykg.graph.store import Store

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def server_cpu() -> float | None:
    """CPU seconds the Neo4j server has used so far (user + system), when its state
    directory is named (``JOURNEYKG_NEO4J_STATE``, as tools/neo4j/neo4j-server keeps it)."""
    return neo4j_server_cpu()


@contextmanager
def fresh_store(backend: str, tmp: Path) -> Iterator[Store]:
    """An empty audited store: a new directory, or the Neo4j server's database cleared."""
    overrides: dict[str, Any] = {"backend": backend, "state_dir": tmp / "state"}
    if backend == "embedded":
        overrides |= {"neo4j_uri": None, "store_dir": tmp / "store"}
    store = open_store(load_settings(**overrides), audited=True)
    try:
        if backend == "neo4j":
            store.clear()
        yield store
    finally:
        store.close()


def _sync(store: Store, recipe: Path) -> str:
    from journeykg.services.sync_runs import Requester, recipe_at, run_recipe

    report = run_recipe(store, recipe_at(recipe), Requester("bench", None, "cli"))
    return f"{report.status}: {report.written} written, {report.unchanged} unchanged"


def _demo(store: Store) -> str:
    from journeykg.services.demo import prepare

    done = prepare(store, None)
    written = [r.written.triples for r in (done.organisation, done.glossary) if r.written]
    return f"{sum(written)} triples"


def _load(store: Store, path: Path) -> str:
    from journeykg.loaders.pipeline import load_file

    report = load_file(store, path)
    return f"{report.triples} triples"


def steps() -> list[tuple[str, str, Callable[[Store], str]]]:
    """(store, step, what it does): the demo store's steps, then the bundle store's."""
    bundle = EXAMPLES / "csv-bundle"
    return [
        ("demo", "demo organisation + glossary", _demo),
        (
            "demo",
            "sync complaint-spike",
            lambda s: _sync(s, EXAMPLES / "complaint-spike/recipe.yaml"),
        ),
        ("demo", "sync nps-survey", lambda s: _sync(s, EXAMPLES / "nps-survey/recipe.yaml")),
        ("bundle", "load bundle framework", lambda s: _load(s, bundle / "framework/lifecycle.ttl")),
        ("bundle", "sync csv bundle", lambda s: _sync(s, bundle / "recipe.yaml")),
        ("bundle", "sync csv bundle again", lambda s: _sync(s, bundle / "recipe.yaml")),
    ]


def run_backend(backend: str) -> list[dict[str, Any]]:
    """Every step on ``backend``; one figure per step."""
    figures = []
    trips = RoundTrips()
    with tempfile.TemporaryDirectory() as tmp, trips.counting(), Flushes() as flushes:
        for store_name in ("demo", "bundle"):
            with fresh_store(backend, Path(tmp) / store_name) as store:
                for name, step, do in steps():
                    if name != store_name:
                        continue
                    before = (trips.statements, trips.commits, flushes.count)
                    server = server_cpu() if backend == "neo4j" else None
                    started, cpu = time.perf_counter(), time.process_time()
                    outcome = do(store)
                    figure = {
                        "backend": backend,
                        "step": step,
                        "wall_s": round(time.perf_counter() - started, 3),
                        "cpu_s": round(time.process_time() - cpu, 3),
                        "outcome": outcome,
                        "code": "other" if other_code.CODE else "this",
                    }
                    if backend == "neo4j":
                        figure["statements"] = trips.statements - before[0]
                        figure["commits"] = trips.commits - before[1]
                        figure["flushes"] = flushes.count - before[2]
                        after = server_cpu()
                        if server is not None and after is not None:
                            figure["server_cpu_s"] = round(after - server, 3)
                        figure["busiest"] = trips.busiest()
                        trips.seconds.clear()
                        trips.transactions.clear()
                    figures.append(figure)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--backends", default="embedded,neo4j")
    parser.add_argument("--label", default="")
    args = parser.parse_args()
    backends = [
        b
        for b in args.backends.split(",")
        if b == "embedded" or os.environ.get("JOURNEYKG_NEO4J_URI")
    ]
    # Imported and compiled before the first step, so that neither backend pays for it:
    # the spike rule's statistics, pySHACL and the compiled shapes.
    import pyshacl  # noqa: F401
    import scipy.stats  # noqa: F401

    from journeykg.validation.fast_shacl import compiled_shapes

    compiled_shapes()
    for round_ in range(args.rounds):
        for backend in backends:
            load = round(os.getloadavg()[0], 2)
            for figure in run_backend(backend):
                print(
                    json.dumps(figure | {"round": round_, "label": args.label, "loadavg": load}),
                    flush=True,
                )


if __name__ == "__main__":
    main()
