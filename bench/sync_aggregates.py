"""The per-aggregate part of a CRM sync alone: mapping, governance, change detection, gate, write.

    python -m bench.sync_aggregates [--cases 100000] [--runs 2] [--cache DIR]

CASES Salesforce cases in the shape of bench/sync_throughput.py's CRM export (60
reasons x 8 channels x 24 months: 11,520 aggregates from ~50k cases on) are counted
once (cached as a pickle in ``--cache``, with the export); then, ``--runs`` times, a
fresh embedded store with the framework gets one full ``sync()`` of the recipe's source
whose count is that cached one (its pool and its counting are replaced: the source still
finds and reads the files, ~0.1 s at 100k), so that the work per aggregate is what is
timed: mapping, the engine and Oxigraph. It runs on any version of the source that
counts through ``CrmSource.count_serially`` (for A/B runs against older code). Prints
CPU and wall seconds per run and the 1-minute load average around it.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import tempfile
import time
from pathlib import Path

from bench.sync_throughput import framework, open_backend, write_crm_export
from bench.synthetic import BASE
from journeykg.ids import Identifiers
from journeykg.loaders.recipe import load_recipe
from journeykg.loaders.sources import crm_parallel, open_source
from journeykg.loaders.sources._common import input_files
from journeykg.loaders.sources.crm import CrmSource
from journeykg.loaders.sources.crm_cases import Counted
from journeykg.loaders.sync import SyncOptions, sync


def counted(cases: int, cache: Path) -> tuple[Path, Counted]:
    export = cache / f"export-{cases}"
    recipe = export / "recipe.yaml"
    if not recipe.exists():
        write_crm_export(export, cases)
    pickled = cache / f"counted-{cases}.pickle"
    if not pickled.exists():
        source = open_source(load_recipe(recipe), Identifiers(BASE), recipe_dir=export)
        assert isinstance(source, CrmSource)
        files = input_files(source.recipe, None, export)
        pickled.write_bytes(pickle.dumps(source.count_serially(files, None)))
    return recipe, pickle.loads(pickled.read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "jkg-aggs")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    recipe_path, found = counted(args.cases, args.cache)
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as tmp:
            store = open_backend("embedded", Path(tmp) / "store")
            try:
                store.upsert(framework())
                source = open_source(
                    load_recipe(recipe_path), store.ids, recipe_dir=recipe_path.parent
                )
                assert isinstance(source, CrmSource)
                # counted already: no pool, no counting
                setattr(crm_parallel, "worth_a_pool", lambda files: False)  # noqa: B010
                setattr(source, "count_serially", lambda files, since: found)  # noqa: B010
                before = os.getloadavg()[0]
                started, cpu = time.perf_counter(), time.process_time()
                report = sync(store, source, SyncOptions())
                figures = {
                    "aggregates": report.records,
                    "written": report.written,
                    "status": report.status,
                    "cpu_s": round(time.process_time() - cpu, 2),
                    "seconds": round(time.perf_counter() - started, 2),
                    "ms_cpu_per_aggregate": round(
                        1000 * (time.process_time() - cpu) / max(report.records, 1), 3
                    ),
                    "validate_s": report.validate_seconds,
                    "write_s": report.write_seconds,
                    "loadavg_before_after": [round(before, 2), round(os.getloadavg()[0], 2)],
                }
            finally:
                store.close()
        print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
