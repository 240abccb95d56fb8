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
from collections.abc import Callable, Collection
from functools import partial
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from bench.stores import open_bench_store, open_embedded
from bench.synthetic import BASE, Organisation, batches, generate
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.impact import impact
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


def timed(
    ask: Callable[[str], Any],
    questions: list[str],
    budget: float,
    cpu: list[float] | None = None,
) -> list[float]:
    """Latencies in ms; stops early when the time budget is used up (at least one question).

    With ``cpu``, also this process's CPU time per question in ms (all its
    threads; a Neo4j server's CPU is not in it): on a shared machine wall
    time grows with the load, CPU time much less.
    """
    latencies: list[float] = []
    spent = time.perf_counter()
    for question in questions:
        started, cpu_started = time.perf_counter(), time.process_time()
        ask(question)
        latencies.append((time.perf_counter() - started) * 1000)
        if cpu is not None:
            cpu.append((time.process_time() - cpu_started) * 1000)
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


#: Upper bounds of the answer-size buckets (affected elements) ordinary questions are reported in.
BUCKETS = (100, 1_000, 10_000)


def bucket_of(size: int) -> str:
    """The bucket label of an answer of ``size`` affected elements."""
    for limit in BUCKETS:
        if size <= limit:
            return f"<={limit}"
    return f">{BUCKETS[-1]}"


def ordinary_questions(org: Organisation, rng: random.Random, samples: int) -> list[str]:
    """Random processes, then IT systems and framework elements, whose answers are larger.

    The processes come first and are drawn as before, so that their figures
    stay comparable with earlier runs; the others fill the larger buckets.
    """
    processes = rng.sample(org.processes, min(samples, len(org.processes)))
    systems = rng.sample(org.systems, min(samples // 2, len(org.systems)))
    framework = rng.sample(org.framework, min(samples // 2, len(org.framework)))
    return processes + systems + framework


def by_bucket(asked: list[tuple[str, float, int]]) -> dict[str, dict[str, float]]:
    """p50/p95 per answer-size bucket of (question, ms, answer size) triples."""
    groups: dict[str, list[tuple[float, int]]] = {}
    for _, ms, size in asked:
        groups.setdefault(bucket_of(size), []).append((ms, size))
    order = [bucket_of(limit) for limit in BUCKETS] + [f">{BUCKETS[-1]}"]
    return {
        label: {
            **summary([ms for ms, _ in groups[label]]),
            "answer_size_max": max(size for _, size in groups[label]),
        }
        for label in order
        if label in groups
    }


def ratios_by_bucket(
    asked: list[tuple[str, float, int]], baseline_ms: dict[str, float]
) -> dict[str, Any]:
    """Baseline p50 / ours p50 per bucket, over the questions the baseline answered in time."""
    out: dict[str, Any] = {}
    for label in [bucket_of(limit) for limit in BUCKETS] + [f">{BUCKETS[-1]}"]:
        pairs = [
            (baseline_ms[q], ms)
            for q, ms, size in asked
            if bucket_of(size) == label and q in baseline_ms
        ]
        if pairs:
            base = statistics.median(b for b, _ in pairs)
            ours = statistics.median(o for _, o in pairs)
            out[label] = {"n": len(pairs), "ratio_p50": round(base / ours, 1)}
    return out


def load_or_reuse(store: Store, graph: Graph, reuse: bool) -> float | None:
    """Load ``graph``; None when ``reuse`` says the store already holds it."""
    if reuse:
        return None
    store.clear()
    return round(load(store, graph), 1)


def run(
    size: int,
    samples: int,
    baseline_budget: float,
    *,
    store_dir: Path | None = None,
    reuse_neo4j: bool = False,
    hubs: int = 5,
    overhead: bool = True,
    backends: Collection[str] = ("embedded", "neo4j"),
    group_budget: float = 600.0,
) -> dict[str, Any]:
    log(f"{size}: generating")
    org = generate(size)
    rng = random.Random(size)
    ordinary = ordinary_questions(org, rng, samples)
    processes = set(org.processes)
    warmup = rng.sample(org.processes, 3)
    hub_questions = org.hubs[:hubs]
    result: dict[str, Any] = {
        "nodes": org.nodes,
        "triples": len(org.graph),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    stores: dict[str, Store] = {}
    with tempfile.TemporaryDirectory() as tmp:
        directory = (store_dir or Path(tmp)) / f"emb{size}"
        reuse_embedded = store_dir is not None and directory.exists()
        if "embedded" in backends:
            embedded = stores["embedded"] = open_embedded(directory)
            if reuse_embedded and len(embedded.graph) != len(org.graph):
                reuse_embedded = False  # not this organisation: load it afresh
        if "neo4j" in backends and os.environ.get("JOURNEYKG_NEO4J_URI"):
            stores["neo4j"] = open_bench_store("neo4j")
        for name, store in stores.items():
            reuse = reuse_embedded if name == "embedded" else reuse_neo4j
            log(f"{size}: {'reusing' if reuse else 'loading'} {len(org.graph)} triples in {name}")
            seconds = load_or_reuse(store, org.graph, reuse)
            if isinstance(store, EmbeddedStore):
                result.update(build_indexes(store))
            log(f"{size}: {name} ready ({seconds} s load); warming up, then asking")
            for question in warmup:  # steady state: plans compiled, caches filled
                impact(store, question)
            # The first GraphQL request of a process builds the schema (seconds):
            # a server pays that once at start, not per question.
            first_page(store, warmup[0])
            answers: list[int] = []

            def ask(question: str, store: Store = store, answers: list[int] = answers) -> None:
                answers.append(len(impact(store, question).affected))

            cpu: list[float] = []
            latencies = timed(ask, ordinary, group_budget, cpu)
            asked = list(zip(ordinary, latencies, answers, strict=False))
            asked_cpu = list(zip(ordinary, cpu, answers, strict=False))
            result[name] = {
                "load_s": seconds if seconds is not None else "reused",
                "ordinary": summary([ms for q, ms, _ in asked if q in processes]),
                "ordinary_answer_size_max": max(n for q, _, n in asked if q in processes),
                "ordinary_by_answer_size": by_bucket(asked),
                "ordinary_by_answer_size_cpu": by_bucket(asked_cpu),
                "questions": [[q, round(ms, 2), n] for q, ms, n in asked],
                "questions_cpu_ms": [round(ms, 2) for ms in cpu],
            }
            answers.clear()
            cpu = []
            result[name]["hubs"] = summary(timed(ask, hub_questions, group_budget, cpu))
            result[name]["hubs_cpu"] = summary(cpu)
            result[name]["hub_answer_size_max"] = max(answers)
            cpu = []
            result[name]["hub_first_page_graphql"] = summary(
                timed(partial(first_page, store), hub_questions, group_budget, cpu)
            )
            result[name]["hub_first_page_graphql_cpu"] = summary(cpu)
            if name == "embedded" and overhead:
                result["graphql_overhead"] = graphql_overhead(store, ordinary[:5] + org.hubs[:2])
            store.close()

    log(f"{size}: baseline (rdflib in-memory SPARQL), {baseline_budget:.0f} s budget per group")
    # The baseline's query follows processes only: it is asked the random processes.
    base_questions = [q for q in ordinary if q in processes]
    base_ordinary, base_ms = baseline(org.graph, base_questions, baseline_budget)
    base_hubs, _ = baseline(org.graph, hub_questions, baseline_budget)
    result["baseline_rdflib_memory"] = {"ordinary": base_ordinary, "hubs": base_hubs}
    for name in stores:
        ours = result[name]["ordinary"]["p50_ms"]
        result[name]["speedup_p50_vs_baseline"] = (
            round(base_ordinary["p50_ms"] / ours, 1)
            if base_ordinary.get("p50_ms")
            else f"> {base_ordinary['timeout_s']} s"
        )
        asked = [(q, ms, n) for q, ms, n in result[name]["questions"]]
        result[name]["speedup_p50_vs_baseline_by_answer_size"] = ratios_by_bucket(asked, base_ms)
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    return result


def build_indexes(store: EmbeddedStore) -> dict[str, float]:
    """Build the embedded store's in-memory indexes before the first question; their cost.

    Memory is this process's resident size before and after (an estimate:
    the allocator keeps freed pages). Stores without the link index (older
    code, for A/B runs) build the type index only.
    """
    out: dict[str, float] = {}
    resident = resident_mb()
    started, cpu = time.perf_counter(), time.process_time()
    store.build_type_index()
    out["embedded_type_index_build_s"] = round(time.perf_counter() - started, 1)
    out["embedded_type_index_build_cpu_s"] = round(time.process_time() - cpu, 1)
    out["embedded_type_index_mb"] = round(resident_mb() - resident)
    build_links = getattr(store, "build_indexes", None)
    if build_links is not None:
        resident = resident_mb()
        started, cpu = time.perf_counter(), time.process_time()
        build_links()
        out["embedded_link_index_build_s"] = round(time.perf_counter() - started, 1)
        out["embedded_link_index_build_cpu_s"] = round(time.process_time() - cpu, 1)
        out["embedded_link_index_mb"] = round(resident_mb() - resident)
    return out


def resident_mb() -> float:
    """This process's resident memory in MB."""
    with open(f"/proc/{os.getpid()}/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


GRAPHQL_ALL = """query($of: ID!) { impact(of: $of) { elements(first: 500) { totalCount
  edges { node { element { id iri type label } hops relation parent } } } } }"""


FIRST_PAGE = """query($of: ID!) { impact(of: $of) { elements(first: 50) {
  pageInfo { hasNextPage } edges { node { element { id type label } hops } } } } }"""


def first_page(store: Store, question: str) -> dict[str, Any]:
    """The first 50 affected elements through GraphQL, as a client paging a hub would ask."""
    from journeykg.cli.ask import ask_graphql

    return ask_graphql(store, FIRST_PAGE, {"of": question})


def graphql_overhead(store: Store, questions: list[str]) -> dict[str, float]:
    """Extra time per returned element when the same answer goes through GraphQL."""
    from journeykg.cli.ask import ask_graphql

    per_object: list[float] = []
    for question in questions:
        started = time.perf_counter()
        answer = impact(store, question)
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


def baseline(
    graph: Graph, questions: list[str], budget: float
) -> tuple[dict[str, Any], dict[str, float]]:
    """The naive engine, in a child process that is stopped when the budget is spent.

    One rdflib property-path query can run for many minutes on a hub, and
    Python cannot interrupt it in-process; a forked child can be killed.
    Returns the summary and the latency (ms) of each question answered in time.
    """
    queue: multiprocessing.Queue[tuple[str, float]] = multiprocessing.get_context("fork").Queue()

    def work() -> None:
        for question in questions:
            started = time.perf_counter()
            list(graph.query(BASELINE_QUERY, initBindings={"root": URIRef(BASE + question)}))
            queue.put((question, (time.perf_counter() - started) * 1000))

    child = multiprocessing.get_context("fork").Process(target=work, daemon=True)
    child.start()
    child.join(budget)
    timed_out = child.is_alive()
    if timed_out:
        child.terminate()
        child.join()
    answered: dict[str, float] = {}
    while not queue.empty():
        question, ms = queue.get()
        answered[question] = ms
    if not answered:
        return {"n": 0, "timeout_s": budget}, answered
    return {**summary(list(answered.values())), "stopped_by_budget": timed_out}, answered


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--samples", type=int, default=30)
    parser.add_argument("--baseline-budget", type=float, default=60.0, help="seconds per size")
    parser.add_argument(
        "--store-dir",
        type=Path,
        help="keep embedded stores in DIR/emb<size> and reuse one that holds the organisation",
    )
    parser.add_argument(
        "--reuse-neo4j",
        action="store_true",
        help="the Neo4j server already holds this size's organisation: do not clear and load it",
    )
    parser.add_argument(
        "--backends", default="embedded,neo4j", help="which stores to time (neo4j needs the URI)"
    )
    parser.add_argument(
        "--group-budget",
        type=float,
        default=600.0,
        help="seconds per group of questions (ordinary, hubs, first pages) and backend",
    )
    parser.add_argument("--output", default="impact_latency.json", help="file in bench/results")
    parser.add_argument("--hubs", type=int, default=5, help="hub questions per size (at most 5)")
    parser.add_argument(
        "--no-graphql-overhead", action="store_true", help="skip the GraphQL overhead measurement"
    )
    args = parser.parse_args()
    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"== {size} nodes", flush=True)
        results[size] = run(
            size,
            args.samples,
            args.baseline_budget,
            store_dir=args.store_dir,
            reuse_neo4j=args.reuse_neo4j,
            hubs=args.hubs,
            overhead=not args.no_graphql_overhead,
            backends=args.backends.split(","),
            group_budget=args.group_budget,
        )
        print(json.dumps(results[size], indent=2), flush=True)
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / args.output).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
