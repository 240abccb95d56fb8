"""Impact questions on Neo4j with the CPU time they cost, client and server.

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:7687 python -m bench.neo4j_cpu --size 100000 --pid PID
    JOURNEYKG_NEO4J_URI=... python -m bench.neo4j_cpu --from-store --pid PID --samples 40

Each question is asked both ways in the same run, back to back (which goes
first alternates): walked in the server by journeykg's plugin
(``journeykg.walk``, "procedure") and hop by hop in Cypher ("hop_by_hop",
what a server without the plugin gets); every figure is given for both,
with the ratio hop_by_hop / procedure of the p50s, and the two answers of
each question are compared (``answers_differ`` must be 0). Without the
plugin only hop_by_hop is asked.

The server must already hold the synthetic organisation (as left by
``bench.impact_latency`` or ``bench.neo4j_bulk_load``); ``--pid`` is the
Neo4j server's process id, whose CPU time is read from /proc (10 ms ticks).
With ``--size`` the questions are the ones ``bench.impact_latency`` asks of
that size (the organisation is generated again to draw them, minutes at 1M);
with ``--from-store`` they are drawn from the store itself with a fixed seed:
random processes, IT systems and framework elements, and the first hubs of
``bench.synthetic``. Ordinary questions are reported by answer size. On a
shared machine wall time grows with the load of others; the CPU a question
costs does much less.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Callable
from typing import Any

from bench.impact_latency import bucket_of, first_page, ordinary_questions, percentile
from bench.server_cpu import process_cpu_seconds
from bench.stores import open_neo4j
from bench.synthetic import BASE, HUBS, generate
from journeykg.graph.impact import impact
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.store import Capability, Store
from journeykg.namespaces import JKG

#: One question's wall, client CPU and server CPU time (ms) and answer size.
Asked = tuple[float, float, float, int]

PROCEDURE, HOP_BY_HOP = "procedure", "hop_by_hop"


def server_cpu_s(pid: int) -> float:
    """User plus system CPU seconds of process ``pid`` so far."""
    return process_cpu_seconds(pid)


def ask_all(
    ask: Callable[[str], int], questions: list[str], pid: int, budget_s: float
) -> list[Asked]:
    """Each question timed; stops once ``budget_s`` is spent (after at least one)."""
    rows: list[Asked] = []
    spent = time.perf_counter()
    for question in questions:
        wall, cpu, server = time.perf_counter(), time.process_time(), server_cpu_s(pid)
        size = ask(question)
        rows.append(
            (
                (time.perf_counter() - wall) * 1000,
                (time.process_time() - cpu) * 1000,
                (server_cpu_s(pid) - server) * 1000,
                size,
            )
        )
        if time.perf_counter() - spent > budget_s:
            break
    return rows


def ask_both(
    store: Neo4jStore,
    ask: Callable[[str], tuple[int, object]],
    questions: list[str],
    pid: int,
    budget_s: float,
    modes: tuple[str, ...],
) -> tuple[dict[str, list[Asked]], int]:
    """Each question in every mode, back to back; the rows per mode and how many answers differ.

    The first mode alternates, so that neither always finds the server's
    caches warmed by the other.
    """
    rows: dict[str, list[Asked]] = {mode: [] for mode in modes}
    differ = 0
    spent = time.perf_counter()
    for n, question in enumerate(questions):
        answers: dict[str, object] = {}
        for mode in modes if n % 2 == 0 else modes[::-1]:
            store.walk_in_server = mode == PROCEDURE

            def timed(q: str, mode: str = mode, answers: dict[str, object] = answers) -> int:
                size, answers[mode] = ask(q)
                return size

            rows[mode].extend(ask_all(timed, [question], pid, float("inf")))
        differ += len({repr(a) for a in answers.values()}) > 1
        if time.perf_counter() - spent > budget_s:
            break
    store.walk_in_server = True
    return rows, differ


def compared(rows: dict[str, list[Asked]], make: Callable[[list[Asked]], Any]) -> dict[str, Any]:
    """``make`` of each mode's rows, and hop_by_hop / procedure of the p50s."""
    out = {mode: make(group) for mode, group in rows.items()}
    if PROCEDURE in out and HOP_BY_HOP in out:
        fast, slow = out[PROCEDURE], out[HOP_BY_HOP]
        out["ratio_p50"] = {
            name: round(slow[f"{name}_p50"] / max(fast[f"{name}_p50"], 0.1), 2)
            for name in ("wall_ms", "client_cpu_ms", "cpu_ms")
        }
    return out


def figures(rows: list[Asked]) -> dict[str, float]:
    """p50 and p95 of wall, client CPU, server CPU and client plus server CPU (ms)."""
    columns = {
        "wall_ms": [r[0] for r in rows],
        "client_cpu_ms": [r[1] for r in rows],
        "server_cpu_ms": [r[2] for r in rows],
        "cpu_ms": [r[1] + r[2] for r in rows],
    }
    out: dict[str, float] = {"n": len(rows), "answer_size_max": max(r[3] for r in rows)}
    for name, values in columns.items():
        out[f"{name}_p50"] = round(percentile(values, 0.5), 1)
        out[f"{name}_p95"] = round(percentile(values, 0.95), 1)
    return out


def by_answer_size(rows: list[Asked]) -> dict[str, dict[str, float]]:
    """:func:`figures` per answer-size bucket of ``bench.impact_latency``."""
    groups: dict[str, list[Asked]] = {}
    for row in sorted(rows, key=lambda r: r[3]):
        groups.setdefault(bucket_of(row[3]), []).append(row)
    return {label: figures(group) for label, group in groups.items()}


def questions_from_store(
    store: Store, rng: random.Random, samples: int
) -> tuple[list[str], list[str]]:
    """Ordinary questions and hubs drawn from a loaded synthetic organisation."""

    def keys(cls: Any) -> list[str]:
        return [str(iri)[len(BASE) :] for iri in store.instances(cls)]

    hubs = [f"process/p{i}" for i in range(HUBS)]
    processes = sorted(set(keys(JKG.BackofficeProcess)) - set(hubs))
    framework = keys(JKG.LifecycleStage) + keys(JKG.Phase) + keys(JKG.ContactReason)
    ordinary = rng.sample(processes, min(samples, len(processes)))
    ordinary += rng.sample(keys(JKG.ITSystem), samples // 2)
    ordinary += rng.sample(framework, samples // 2)
    return ordinary, hubs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--size", type=int, default=100_000)
    source.add_argument("--from-store", action="store_true", help="draw questions from the store")
    parser.add_argument("--pid", type=int, required=True, help="the Neo4j server's process id")
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--hubs", type=int, default=3, help="hubs asked (each twice)")
    parser.add_argument("--budget", type=float, default=300, help="seconds per group at most")
    args = parser.parse_args()
    store = open_neo4j()
    modes = (
        (PROCEDURE, HOP_BY_HOP) if Capability.SERVER_WALK in store.capabilities else (HOP_BY_HOP,)
    )
    if args.from_store:
        ordinary, hubs = questions_from_store(store, random.Random(1), args.samples)
    else:
        org = generate(args.size)
        # The same questions as bench.impact_latency asks of this size.
        ordinary, hubs = ordinary_questions(org, random.Random(args.size), args.samples), org.hubs
    hubs = hubs[: args.hubs]

    def walk(question: str) -> tuple[int, object]:
        answer = impact(store, question)
        return len(answer.affected), answer

    def page(question: str) -> tuple[int, object]:
        return 50, first_page(store, question)

    for mode in modes:  # plans compiled, caches warm
        store.walk_in_server = mode == PROCEDURE
        for question in ordinary[:3]:
            walk(question)
        page(ordinary[0])  # GraphQL's first call, not a hub's
    result: dict[str, Any] = {
        "modes": modes,
        "rust_extension": _rust_extension(),
        "questions": {"ordinary": len(ordinary), "hubs": hubs},
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    rows, differ = ask_both(store, page, hubs * 2, args.pid, args.budget, modes)
    result["hub_first_page_graphql"] = compared(rows, figures)
    rows, differ_ordinary = ask_both(store, walk, ordinary, args.pid, args.budget, modes)
    result["answers_differ"] = differ + differ_ordinary
    result["ordinary"] = compared(rows, figures)
    # Bucketed by the answer's size (the same in every mode).
    sizes = [r[3] for r in rows[modes[0]]]
    buckets: dict[str, dict[str, list[Asked]]] = {}
    for index, size in sorted(enumerate(sizes), key=lambda x: x[1]):
        group = buckets.setdefault(bucket_of(size), {mode: [] for mode in modes})
        for mode in modes:
            group[mode].append(rows[mode][index])
    result["ordinary_by_answer_size"] = {
        label: compared(group, figures) for label, group in buckets.items()
    }
    # Random processes are what earlier passes called ordinary questions.
    kinds: dict[str, dict[str, list[Asked]]] = {}
    for index, question in enumerate(ordinary[: len(sizes)]):
        group = kinds.setdefault(question.split("/")[0], {mode: [] for mode in modes})
        for mode in modes:
            group[mode].append(rows[mode][index])
    result["ordinary_by_kind"] = {kind: compared(g, figures) for kind, g in sorted(kinds.items())}
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    store.close()
    print(json.dumps(result, indent=2))


def _rust_extension() -> bool:
    """Whether the driver decodes with neo4j-rust-ext (installed: it is used)."""
    try:
        import neo4j._rust  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
