"""Server render time of each page of the web workspace on the demo organisation.

    python -m bench.web_pages [--requests 60] [--backend embedded|neo4j]

The demo is loaded into a fresh store and the app built as ``journeykg
serve`` builds it; each page is then asked ``--requests`` times in-process
(starlette's test client: the app's own time, no network), after two warm-up
requests, and p50/p95 are printed in ms. The baseline, measured in the same
run, is GraphQL's ``priorities`` over the same demo (the API answer the
picture's journey figures share); each page's ratio is its p95 over the
baseline's. Target (issue 16): every page ≤ 200 ms p95.

The picture's page is kept per graph generation (web/kept_per_generation.py),
so its rows measure the kept answer; the row "picture question (computed)"
asks :func:`journeykg.graph.lifecycle.lifecycle_picture` itself each time,
which is what the first request after a write pays (before the page renders).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.bootstrap import load_settings, open_store
from journeykg.services.demo import prepare

PAGES = {
    "picture (contacts, nl)": ("GET", "/?lang=nl", None),
    "picture (NPS, en)": ("GET", "/?lang=en&measure=NPS", None),
    "picture (cost, en)": ("GET", "/?lang=en&measure=cost", None),
    "contact reason": ("GET", "/reason?id=reason/storing-melden&lang=en", None),
    "journey (blueprint)": ("GET", "/journey?id=journey/overstappen&lang=en", None),
    "sign-in form": ("GET", "/sign-in", None),
    "coverage (nl)": ("GET", "/coverage?lang=nl", None),
    "glossary (list)": ("GET", "/glossary?lang=en", None),
    "glossary (search)": ("GET", "/glossary?q=score&in=en", None),
    "concept (NPS)": ("GET", "/concept?id=concept/nps&lang=en", None),
    "impact explorer (credit check)": (
        "GET",
        "/explorer?id=process/kredietcheck&focus=journey/overstappen&lang=en",
        None,
    ),
    "impact explorer (search)": ("GET", "/explorer?q=check&lang=nl", None),
    "what if (empty)": ("GET", "/whatif?lang=en", None),
}
BASELINE = (
    "POST",
    "/graphql",
    {
        "query": "{ priorities(first: 100) { edges { node { journey { id label } contacts "
        "complaints costEur kpiGap lifecycleStages kpis { kpiType baseline target } } } } }"
    },
)
TARGET_MS = 200.0


def timings(
    client: TestClient, method: str, path: str, body: Any, requests: int
) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds per request, after two warm-up requests.

    CPU is this process's (the app runs in it, one request at a time), which
    other engineers' load on a shared machine stretches less than wall time.
    """
    for _ in range(2):
        client.request(method, path, json=body).raise_for_status()
    wall, cpu = [], []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.request(method, path, json=body)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
        response.raise_for_status()
    return wall, cpu


def question_timings(store: Any, requests: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of the picture's question asked directly, never kept."""
    from journeykg.graph.lifecycle import lifecycle_picture

    for _ in range(2):
        lifecycle_picture(store)
    wall, cpu = [], []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        lifecycle_picture(store)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return wall, cpu


def percentiles(spent: tuple[list[float], list[float]]) -> dict[str, float]:
    wall = statistics.quantiles(spent[0], n=100, method="inclusive")
    cpu = statistics.quantiles(spent[1], n=100, method="inclusive")
    return {
        "p50_ms": round(wall[49], 1),
        "p95_ms": round(wall[94], 1),
        "cpu_p50_ms": round(cpu[49], 1),
        "cpu_p95_ms": round(cpu[94], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--backend", choices=["embedded", "neo4j"], default="embedded")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(
            backend=args.backend,
            store_dir=Path(tmp) / "store",
            state_dir=Path(tmp) / "state",
            anonymous_read=True,
        )
        with open_store(settings) as store:
            if args.backend == "neo4j":
                store.clear()
            prepare(store, None)
            app = create_app(store, settings=settings, tokens=TokenStore(Path(tmp) / "tokens.db"))
            client = TestClient(app)
            base = percentiles(timings(client, *BASELINE, args.requests))
            rows: dict[str, Any] = {"baseline: GraphQL priorities": base}
            computed = percentiles(question_timings(store, args.requests))
            computed["p95_vs_baseline"] = round(computed["p95_ms"] / base["p95_ms"], 2)
            rows["picture question (computed)"] = computed
            for name, (method, path, body) in PAGES.items():
                figures = percentiles(timings(client, method, path, body, args.requests))
                figures["p95_vs_baseline"] = round(figures["p95_ms"] / base["p95_ms"], 2)
                figures["within_target"] = figures["p95_ms"] <= TARGET_MS
                rows[name] = figures
    print(f"backend {args.backend}, {args.requests} requests per page, target p95 ≤ {TARGET_MS} ms")
    head = ("p50 ms", "p95 ms", "CPU p50", "CPU p95", "p95/baseline")
    print(f"{'page':32}" + "".join(f"{h:>14}" for h in head))
    for name, f in rows.items():
        values = (f["p50_ms"], f["p95_ms"], f["cpu_p50_ms"], f["cpu_p95_ms"])
        ratio = f.get("p95_vs_baseline", 1.0)
        print(f"{name:32}" + "".join(f"{v:>14}" for v in (*values, ratio)))
    print(json.dumps({"backend": args.backend, "requests": args.requests, "pages": rows}))


if __name__ == "__main__":
    main()
