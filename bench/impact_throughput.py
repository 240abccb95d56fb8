"""Requests/s of the README's impact question with the answer cache off (today) and on.

For each backend (embedded; Neo4j when JOURNEYKG_NEO4J_URI is set: its
database is CLEARED and loaded with the demo organisation) it serves the
demo with ``journeykg serve`` on a free port of 127.0.0.1, once with
JOURNEYKG_ANSWER_CACHE_ENTRIES=0 (every answer computed, as before the
cache) and once with the default cache, and runs locust headless
(bench/locustfile.py) against each: USERS users back to back, until
MAX_REQUESTS requests or SECONDS seconds, whichever comes first. Rounds
alternate off and on, so that a change in the machine's load hits both.
It prints requests/s, p50/p95 (ms), errors, the server's CPU seconds, the
load average and the ratio on/off per round.

The question: ``full`` is api/queries/impact.graphql as ``journeykg impact
--json`` asks it (every element of the answer with its hops, the journeys
with their paths, the blast radius with each journey's KPIs, the owners);
``readme`` is the locustfile's shorter question (journeys, paths, blast
radius, owners).

    .venv/bin/python -m bench.impact_throughput --seconds 30
    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python -m bench.impact_throughput

Options: --users 4 --seconds 30 --max-requests 6000 --rounds 1
--backends embedded,neo4j --questions full,readme
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from pathlib import Path

from bench.workers import HEADER, measure, prepare, row

ROOT = Path(__file__).resolve().parent.parent
#: The questions: the file holding each (None: the locustfile's own) and its variables.
QUESTIONS: dict[str, tuple[Path | None, dict[str, object]]] = {
    "full": (ROOT / "api" / "queries" / "impact.graphql", {}),
    "readme": (None, {}),
}


def ask(question: str) -> None:
    """Make locust (a child process reading its environment) ask ``question``."""
    path, variables = QUESTIONS[question]
    if path is None:
        os.environ.pop("JKG_LOAD_QUERY_FILE", None)
    else:
        os.environ["JKG_LOAD_QUERY_FILE"] = str(path)
    os.environ["JKG_LOAD_QUERY_VARIABLES"] = json.dumps(variables)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--max-requests", type=int, default=6000)
    parser.add_argument("--rounds", type=int, default=1)
    default = "embedded,neo4j" if os.environ.get("JOURNEYKG_NEO4J_URI") else "embedded"
    parser.add_argument("--backends", default=default)
    parser.add_argument("--questions", default="full,readme")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    print("| question | cache " + HEADER.replace("|---|", "|---|---|---|", 1), flush=True)
    ratios: dict[tuple[str, str], list[float]] = {}
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix=f"jkg-impact-rps-{backend}-") as tmp:
            workdir = Path(tmp)
            env = prepare(backend, workdir)
            for question in args.questions.split(","):
                ask(question)
                for n in range(args.rounds):
                    rps: dict[str, float] = {}
                    for cache in ("off", "on") if n % 2 == 0 else ("on", "off"):
                        served = dict(env)
                        if cache == "off":
                            served["JOURNEYKG_ANSWER_CACHE_ENTRIES"] = "0"
                        run = measure(backend, 1, served, args, workdir)
                        rps[cache] = run.rps
                        print(f"| {question} | {cache} {row(run)}", flush=True)
                    ratio = rps["on"] / rps["off"] if rps["off"] else float("inf")
                    ratios.setdefault((backend, question), []).append(ratio)
                    print(f"{backend}, {question}, round {n + 1}: on/off = {ratio:.1f}", flush=True)
    for (backend, question), found in ratios.items():
        print(f"requests/s on/off, {backend}, {question}: median {statistics.median(found):.1f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
