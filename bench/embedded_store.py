"""The embedded store's indexes and its 1k-10k-element answers, on a store already loaded.

    python -m bench.embedded_store --store-dir /tmp/perf/emb1000000

No organisation is generated (at 1M that takes minutes): the questions are
10 IT systems and 5 contact reasons drawn from the store itself with a
fixed seed, so that old and new code are asked the same ones. Reports the
build time (wall, CPU) and resident-memory growth of each in-memory index,
then wall and CPU time per question.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

from bench.impact_latency import resident_mb
from bench.synthetic import BASE
from journeykg.graph.embedded import EmbeddedStore
from journeykg.namespaces import JKG


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--store-dir", type=Path, required=True, help="an embedded store's directory"
    )
    args = parser.parse_args()
    store = EmbeddedStore(args.store_dir, BASE)
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
    rng = random.Random(1)
    questions = rng.sample([str(s) for s in store.instances(JKG.ITSystem)], 10)
    questions += rng.sample([str(r) for r in store.instances(JKG.ContactReason)], 5)
    store.impact(questions[0])  # warm
    asked: list[dict[str, Any]] = []
    for question in questions:
        wall, cpu = time.perf_counter(), time.process_time()
        size = len(store.impact(question).affected)
        asked.append(
            {
                "question": question[len(BASE) :],
                "affected": size,
                "wall_ms": round((time.perf_counter() - wall) * 1000, 1),
                "cpu_ms": round((time.process_time() - cpu) * 1000, 1),
            }
        )
    for unit in ("wall_ms", "cpu_ms"):
        values = [a[unit] for a in asked]
        result[unit] = {"p50": statistics.median(values), "max": max(values)}
    result["affected"] = {
        "min": min(a["affected"] for a in asked),
        "max": max(a["affected"] for a in asked),
    }
    result["questions"] = asked
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    store.close()
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
