"""Journey mining of a million events: time and peak memory, against a naive baseline.

    python -m bench.journey_mining [--events 1000000] [--cache DIR]

A log of EVENTS events is generated once (cached in ``--cache``) from the demo's designed
journey "Verhuizen" with deviations injected (journeykg.loaders.event_logs.synthetic), in
XES and as a CRM CSV export. Each measurement then runs in a fresh process, so that its
peak resident memory (``ru_maxrss``) is its own:

- ``service xes`` / ``service csv``: what ``journeykg mine`` does, end to end: the demo
  loaded into an embedded store (not timed), then the recipe read, the log streamed and
  pseudonymised, mined per period, and the measurements written through the gate;
- ``naive xes``: the baseline, as one would write it first: the whole XES document parsed
  into memory (``xml.etree.ElementTree.parse``), traces as a dict of lists, and fitness
  and deviations computed case by case (no streaming, no work shared between the cases of
  a variant), with the same pseudonyms and the same answers.

Prints wall and CPU seconds, events per second and peak RSS per mode, and checks that
the naive baseline and the service agree on cases, completion and fitness.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TARGET_SECONDS = 60.0
TARGET_BYTES = 2 * 1024**3


def _demo_design() -> tuple[list[Any], str]:
    from journeykg.loaders.event_logs.recipe import load_mining_recipe
    from journeykg.loaders.event_logs.synthetic import DesignedStep
    from journeykg.resources import DEMO_DATASET

    recipe_path = DEMO_DATASET.parent / "mining" / "verhuizen.yaml"
    recipe = load_mining_recipe(recipe_path)
    channels = ["app", "web", "email", "monteur", "app"]
    design = [
        DesignedStep(a, m.step, c)
        for (a, m), c in zip(recipe.activities.items(), channels, strict=True)
    ]
    return design, recipe_path.read_text(encoding="utf-8")


def prepare(events: int, cache: Path) -> Path:
    """The logs and recipes for ``events`` events in ``cache`` (made once)."""
    from journeykg.loaders.event_logs.synthetic import Injection, generate
    from journeykg.loaders.event_logs.writers import write_csv, write_xes

    folder = cache / f"events-{events}"
    if (folder / "done").exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    design, text = _demo_design()
    # ~4.2 events per case with the default injection: enough cases for EVENTS events.
    rows, truth = generate(design, max(1, events * 10 // 42), Injection(), days=28 * 3)
    rows = rows[:events]
    write_xes(rows, folder / "log.xes")
    write_csv(rows, folder / "log.csv")
    (folder / "xes.yaml").write_text(
        text.replace(
            "input: {file: verhuizen.jsonocel, format: ocel-json}",
            "input: {file: log.xes, format: xes}",
        ).replace("case: case\n", ""),
        encoding="utf-8",
    )
    (folder / "csv.yaml").write_text(
        text.replace(
            "input: {file: verhuizen.jsonocel, format: ocel-json}",
            "input: {file: log.csv, format: csv}\nfields: {case: case_id, customer: customer_id,"
            " activity: activity, time: timestamp, channel: channel, reason: contact_reason}",
        ),
        encoding="utf-8",
    )
    (folder / "done").write_text(json.dumps({"events": len(rows), "cases": truth.cases}))
    return folder


def _service(recipe: Path) -> dict[str, Any]:
    from pydantic import SecretStr
    from rdflib import Graph

    from journeykg.graph.embedded import EmbeddedStore
    from journeykg.resources import DEMO_DATASET
    from journeykg.services.mining_runs import run_mining
    from journeykg.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store", "https://id.journeykg.example/")
        store.upsert(Graph().parse(DEMO_DATASET))
        settings = Settings(mining_key=SecretStr("bench"))
        started, cpu = time.perf_counter(), time.process_time()
        outcome = run_mining(store, recipe, settings, actor="bench")
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        store.close()
    cases = sum(p.cases for p in outcome.periods)
    completed = sum(p.completed for p in outcome.periods)
    fitness = sum(p.fitness * p.cases for p in outcome.periods) / cases
    return {
        "wall": wall,
        "cpu": cpu,
        "events": outcome.events,
        "cases": cases,
        "completed": completed,
        "fitness": round(fitness, 6),
        "measurements": outcome.measurements,
    }


def _naive(recipe_path: Path) -> dict[str, Any]:
    """The baseline: whole-document parse, dict of lists, per-case conformance."""
    import hashlib
    import hmac
    import xml.etree.ElementTree as ET

    from journeykg.loaders.event_logs.mapping import parse_time
    from journeykg.loaders.event_logs.recipe import load_mining_recipe
    from journeykg.mining.conformance import fitness

    recipe = load_mining_recipe(recipe_path)
    design = [m.step for m in recipe.activities.values()]
    started, cpu = time.perf_counter(), time.process_time()
    ns = "{http://www.xes-standard.org/}"
    root = ET.parse(recipe.log_path()).getroot()
    cases: dict[str, list[tuple[datetime, str]]] = {}
    events = 0
    for trace in root.iter(f"{ns}trace"):
        attrs = {a.get("key"): a.get("value") for a in trace if a.tag != f"{ns}event"}
        case = hmac.new(b"bench", str(attrs["concept:name"]).encode(), hashlib.sha256).hexdigest()
        for event in trace.iter(f"{ns}event"):
            values = {a.get("key"): a.get("value") for a in event}
            step = recipe.activities[str(values["concept:name"])].step
            cases.setdefault(case, []).append((parse_time(str(values["time:timestamp"])), step))
            events += 1
    by_period: dict[str, list[list[str]]] = {}
    for evs in cases.values():
        evs.sort()
        start = evs[0][0].astimezone(UTC)
        by_period.setdefault(f"{start:%Y-%m}", []).append([s for _, s in evs])
    total, completed, fit = 0, 0, 0.0
    for traces in by_period.values():
        for steps in traces:
            total += 1
            completed += design[-1] in steps
            fit += fitness(steps, design)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return {
        "wall": wall,
        "cpu": cpu,
        "events": events,
        "cases": total,
        "completed": completed,
        "fitness": round(fit / total, 6),
        "measurements": 0,
    }


def child(mode: str, recipe: Path) -> None:
    result = _naive(recipe) if mode == "naive" else _service(recipe)
    result["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "jkg-mining")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "RECIPE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return
    folder = prepare(args.events, args.cache)
    print(
        f"journey mining, {json.loads((folder / 'done').read_text())} "
        f"(XES {(folder / 'log.xes').stat().st_size / 1e6:.0f} MB, "
        f"CSV {(folder / 'log.csv').stat().st_size / 1e6:.0f} MB)"
    )
    results = {}
    for mode, recipe in (("service", "xes"), ("service", "csv"), ("naive", "xes")):
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "bench.journey_mining",
                "--child",
                mode,
                str(folder / f"{recipe}.yaml"),
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(run.stdout.strip().splitlines()[-1])
        results[(mode, recipe)] = result
        print(
            f"{mode:8} {recipe:4} wall {result['wall']:6.1f} s  cpu {result['cpu']:6.1f} s  "
            f"{result['events'] / result['wall']:>9,.0f} events/s  "
            f"peak RSS {result['peak_rss_bytes'] / 1024**2:6.0f} MiB  "
            f"cases {result['cases']:,}  fitness {result['fitness']:.4f}  "
            f"measurements {result['measurements']}"
        )
    ours, naive = results[("service", "xes")], results[("naive", "xes")]
    assert (ours["cases"], ours["completed"]) == (naive["cases"], naive["completed"]), (ours, naive)
    assert abs(ours["fitness"] - naive["fitness"]) < 1e-6, (ours, naive)
    for key, result in results.items():
        ok = result["wall"] <= TARGET_SECONDS and result["peak_rss_bytes"] <= TARGET_BYTES
        print(
            f"{' '.join(key)}: {'within' if ok else 'OUTSIDE'} the target "
            f"({TARGET_SECONDS:.0f} s, {TARGET_BYTES / 1024**3:.0f} GiB)"
        )


if __name__ == "__main__":
    main()
