"""The embedded store's indexes and its answers of every size up to 10k, on a store already loaded.

    python -m bench.embedded_store --store-dir /tmp/perf/emb1000000 [--processes 20] [--hubs 5]

No organisation is generated (at 1M that takes minutes): the questions are
drawn from the store itself with a fixed seed, so that old and new code are
asked the same ones: 10 IT systems and 5 contact reasons (the set earlier
runs used, answers of ~1k-5k elements at 1M), then random processes (small
answers), every lifecycle stage and phase, and more contact reasons and IT
systems, so that every answer-size bucket up to 10k affected elements is
filled. Reports the build time (wall, CPU) and resident-memory growth of
each in-memory index, wall and CPU time per question, p50/p95 per bucket
(answers over 10k are reported apart: the issue's target covers answers of
up to 10k), and each hub's first GraphQL page of 50.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from functools import partial
from pathlib import Path
from typing import Any

from bench.impact_latency import by_bucket, first_page, resident_mb, summary, timed
from bench.stores import open_embedded
from bench.synthetic import BASE, HUBS
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.impact import impact
from journeykg.namespaces import JKG


def questions_of(store: EmbeddedStore, processes: int) -> list[str]:
    """The questions, in asking order; the first 15 are the earlier runs' set."""
    rng = random.Random(1)

    def drawn(cls: Any) -> list[str]:
        return sorted(str(s) for s in store.instances(cls))

    systems, reasons = drawn(JKG.ITSystem), drawn(JKG.ContactReason)
    first_systems = rng.sample(systems, 10)
    first_reasons = rng.sample(reasons, 5)
    asked = first_systems + first_reasons
    hubs = {f"{BASE}process/p{i}" for i in range(HUBS)}
    ordinary = [p for p in drawn(JKG.BackofficeProcess) if p not in hubs]
    asked += rng.sample(ordinary, min(processes, len(ordinary)))
    asked += drawn(JKG.LifecycleStage) + drawn(JKG.Phase)
    asked += rng.sample([r for r in reasons if r not in first_reasons], 10)
    asked += rng.sample([s for s in systems if s not in first_systems], 10)
    return asked


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--store-dir", type=Path, required=True, help="an embedded store's directory"
    )
    parser.add_argument("--processes", type=int, default=20, help="random processes to ask")
    parser.add_argument("--hubs", type=int, default=5, help="hubs whose first page is asked")
    parser.add_argument(
        "--budget", type=float, default=600.0, help="stop asking after this many seconds"
    )
    args = parser.parse_args()
    store = open_embedded(args.store_dir)
    result: dict[str, Any] = {"load_average_before": [round(x, 2) for x in os.getloadavg()]}
    builds = [("type_index", store.build_type_index)]
    if hasattr(store, "build_indexes"):  # older code has the type index only
        builds.append(("link_index", store.build_indexes))
    for name, build in builds:
        resident, wall, cpu = resident_mb(), time.perf_counter(), time.process_time()
        build()
        result[name] = {
            "build_s": round(time.perf_counter() - wall, 1),
            "build_cpu_s": round(time.process_time() - cpu, 1),
            "resident_mb": round(resident_mb() - resident),
        }
    questions = questions_of(store, args.processes)
    impact(store, questions[0])  # warm
    asked: list[dict[str, Any]] = []
    started = time.perf_counter()
    for question in questions:
        if time.perf_counter() - started > args.budget:
            result["stopped_by_budget_after"] = len(asked)
            break
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(impact(store, question).affected)
        asked.append(
            {
                "question": question[len(BASE) :],
                "affected": size,
                "wall_ms": round((time.perf_counter() - wall) * 1000, 1),
                "cpu_ms": round((time.process_time() - cpu) * 1000, 1),
            }
        )
    first15 = asked[:15]
    for unit in ("wall_ms", "cpu_ms"):
        values = [a[unit] for a in first15]
        result[f"first15_{unit}"] = {"p50": statistics.median(values), "max": max(values)}
        result[f"by_bucket_{unit}"] = by_bucket(
            [(a["question"], a[unit], a["affected"]) for a in asked]
        )
        upto = [a[unit] for a in asked if a["affected"] <= 10_000]
        result[f"all_up_to_10k_{unit}"] = summary(upto)
    first_page(store, questions[0][len(BASE) :])  # warm: the first GraphQL call builds the schema
    hubs = [f"process/p{i}" for i in range(min(args.hubs, HUBS))]
    hub_cpu: list[float] = []
    hub_wall = timed(partial(first_page, store), hubs, args.budget, hub_cpu)
    if hubs:
        result["hub_first_page_graphql_wall"] = summary(hub_wall)
        result["hub_first_page_graphql_cpu"] = summary(hub_cpu)
    result["questions"] = asked
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    store.close()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
