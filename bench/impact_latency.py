"""Impact latency on synthetic organisations, per backend, against a naive baseline.

    python -m bench.impact_latency --sizes 10000,100000 [--samples 30]

For each size it generates an organisation (bench/synthetic.py), loads it
into the embedded store (and into Neo4j when JOURNEYKG_NEO4J_URI is set),
then times ``store.impact`` for ordinary processes and for hubs, and the
same questions on the baseline: rdflib's in-memory SPARQL engine with a
property path. Bounded: a fixed number of questions, and the baseline stops
asking once it has used its time budget.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from bench.synthetic import BASE, batches, generate
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.store import Store

BASELINE_QUERY = """
PREFIX jkg: <https://w3id.org/journeykg/ontology#>
SELECT DISTINCT ?affected WHERE {
  { ?affected jkg:dependsOn+ ?root }
  UNION { ?p jkg:dependsOn* ?root . ?affected jkg:supportedBy ?p }
  UNION { ?p jkg:dependsOn* ?root . ?t jkg:supportedBy ?p . ?t jkg:atStep ?affected }
  UNION { ?p jkg:dependsOn* ?root . ?t jkg:supportedBy ?p . ?t jkg:atStep ?s .
          ?s jkg:stepOf ?affected }
}
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def timed(ask: Callable[[str], Any], questions: list[str], budget: float) -> list[float]:
    """Latencies in ms; stops early when the time budget is used up (at least one question)."""
    latencies: list[float] = []
    spent = time.perf_counter()
    for question in questions:
        started = time.perf_counter()
        ask(question)
        latencies.append((time.perf_counter() - started) * 1000)
        if time.perf_counter() - spent > budget:
            break
    return latencies


def summary(latencies: list[float]) -> dict[str, float]:
    return {
        "n": len(latencies),
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(percentile(latencies, 0.95), 2),
    }


def load(store: Store, graph: Graph) -> float:
    started = time.perf_counter()
    for delta in batches(graph, 5_000):
        store.upsert(delta)
    return time.perf_counter() - started


def run(size: int, samples: int, baseline_budget: float) -> dict[str, Any]:
    log(f"{size}: generating")
    org = generate(size)
    rng = random.Random(size)
    ordinary = rng.sample(org.processes, min(samples, len(org.processes)))
    warmup = rng.sample(org.processes, 3)
    result: dict[str, Any] = {"nodes": org.nodes, "triples": len(org.graph)}
    stores: dict[str, Store] = {}
    with tempfile.TemporaryDirectory() as tmp:
        stores["embedded"] = EmbeddedStore(Path(tmp) / "kg", BASE)
        if os.environ.get("JOURNEYKG_NEO4J_URI"):
            from journeykg.graph.factory import open_store
            from journeykg.settings import Settings

            neo4j = open_store(Settings(backend="neo4j", base_iri=BASE))
            neo4j.clear()
            stores["neo4j"] = neo4j
        for name, store in stores.items():
            log(f"{size}: loading {len(org.graph)} triples into {name}")
            seconds = load(store, org.graph)
            log(f"{size}: {name} loaded in {seconds:.1f} s; warming up, then asking")
            for question in warmup:  # steady state: plans compiled, caches filled
                store.impact(question)
            answers: list[int] = []

            def ask(question: str, store: Store = store, answers: list[int] = answers) -> None:
                answers.append(len(store.impact(question).affected))

            result[name] = {
                "load_s": round(seconds, 1),
                "ordinary": summary(timed(ask, ordinary, 600)),
                "ordinary_answer_size_max": max(answers),
            }
            answers.clear()
            result[name]["hubs"] = summary(timed(ask, org.hubs, 600))
            result[name]["hub_answer_size_max"] = max(answers)
            result[name]["hub_first_page_graphql"] = summary(
                timed(partial(first_page, store), org.hubs, 600)
            )
            if name == "embedded":
                result["graphql_overhead"] = graphql_overhead(store, ordinary[:5] + org.hubs[:2])
            store.close()

    log(f"{size}: baseline (rdflib in-memory SPARQL), {baseline_budget:.0f} s budget per group")
    result["baseline_rdflib_memory"] = {
        "ordinary": baseline(org.graph, ordinary, baseline_budget),
        "hubs": baseline(org.graph, org.hubs, baseline_budget),
    }
    base = result["baseline_rdflib_memory"]["ordinary"]
    for name in stores:
        ours = result[name]["ordinary"]["p50_ms"]
        result[name]["speedup_p50_vs_baseline"] = (
            round(base["p50_ms"] / ours, 1) if base.get("p50_ms") else f"> {base['timeout_s']} s"
        )
    return result


GRAPHQL_ALL = """query($of: ID!) { impact(of: $of) { elements(first: 500) { totalCount
  edges { node { element { id iri type label } hops relation parent } } } } }"""


FIRST_PAGE = """query($of: ID!) { impact(of: $of) { elements(first: 50) {
  pageInfo { hasNextPage } edges { node { element { id type label } hops } } } } }"""


def first_page(store: Store, question: str) -> None:
    """The first 50 affected elements through GraphQL, as a client paging a hub would ask."""
    from journeykg.cli import ask_graphql

    ask_graphql(store, FIRST_PAGE, {"of": question})


def graphql_overhead(store: Store, questions: list[str]) -> dict[str, float]:
    """Extra time per returned element when the same answer goes through GraphQL."""
    from journeykg.cli import ask_graphql

    per_object: list[float] = []
    for question in questions:
        started = time.perf_counter()
        answer = store.impact(question)
        direct = time.perf_counter() - started
        started = time.perf_counter()
        data = ask_graphql(store, GRAPHQL_ALL, {"of": question})
        through = time.perf_counter() - started
        returned = len(data["impact"]["elements"]["edges"])
        if returned:
            per_object.append((through - direct) * 1e6 / returned)
        del answer
    return {
        "questions": len(questions),
        "us_per_returned_object_p50": round(statistics.median(per_object), 1),
    }


def baseline(graph: Graph, questions: list[str], budget: float) -> dict[str, Any]:
    """The naive engine, in a child process that is stopped when the budget is spent.

    One rdflib property-path query can run for many minutes on a hub, and
    Python cannot interrupt it in-process; a forked child can be killed.
    """
    queue: multiprocessing.Queue[float] = multiprocessing.get_context("fork").Queue()

    def work() -> None:
        for question in questions:
            started = time.perf_counter()
            list(graph.query(BASELINE_QUERY, initBindings={"root": URIRef(BASE + question)}))
            queue.put((time.perf_counter() - started) * 1000)

    child = multiprocessing.get_context("fork").Process(target=work, daemon=True)
    child.start()
    child.join(budget)
    timed_out = child.is_alive()
    if timed_out:
        child.terminate()
        child.join()
    latencies = []
    while not queue.empty():
        latencies.append(queue.get())
    if not latencies:
        return {"n": 0, "timeout_s": budget}
    return {**summary(latencies), "stopped_by_budget": timed_out}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--baseline-budget", type=float, default=60.0, help="seconds per size")
    args = parser.parse_args()
    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"== {size} nodes", flush=True)
        results[size] = run(size, args.samples, args.baseline_budget)
        print(json.dumps(results[size], indent=2), flush=True)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "impact_latency.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
