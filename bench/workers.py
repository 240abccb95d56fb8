"""Throughput of the README's impact question with 1 and N workers, from a separate load process.

On Neo4j (JOURNEYKG_NEO4J_URI; its database is CLEARED and loaded with the
demo organisation) it serves ``journeykg serve --workers 1`` and then
``--workers N`` on a free port of 127.0.0.1, and on the embedded store
``--workers 1`` (it admits one process). Against each, locust headless
(bench/locustfile.py, the impact scenario) runs USERS users until
MAX_REQUESTS requests or SECONDS seconds, whichever comes first, after every
worker has answered a few warm-up questions. It prints requests/s, p50/p95
latency (ms), errors, the CPU seconds of the server's processes, the load
average, and the ratio N/1 measured in the same run (per round; rounds
alternate 1 and N so that a change in the machine's load hits both).

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python -m bench.workers --workers 2

Options: --workers 2 --users 8 --seconds 30 --max-requests 3000 --rounds 1
--backends neo4j,embedded
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx

from bench.load import BIN, cpu_seconds, free_port, run_locust, wait_healthy
from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.graph.state import TOKENS_FILE

BASE = "https://id.journeykg.example/"
#: How long all workers may take to start and answer.
START_SECONDS = 180.0
#: Impact questions each worker answers before the measurement (connections, the plugin check).
WARM_UP = 3
#: The warm-up question (not locust's: importing the locustfile would bring in gevent).
WARM_UP_QUESTION = {"query": '{ impact(of: "process/kredietcheck", maxHops: 8) { isComplete } }'}


@dataclass
class Run:
    """One measured run against one server."""

    backend: str
    workers: int
    users: int
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    server_cpu: float
    seconds: float
    load: float


def tree_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and all its descendants (uvicorn's workers)."""
    total, todo = 0.0, [pid]
    while todo:
        process = todo.pop()
        try:
            total += cpu_seconds(process)
            todo += [
                int(c) for c in Path(f"/proc/{process}/task/{process}/children").read_text().split()
            ]
        except OSError:  # it ended meanwhile
            continue
    return total


def warm_up(port: int, workers: int, state: Path) -> None:
    """Wait until ``workers`` processes answer, and ask each the impact question a few times.

    A keep-alive connection stays with the process that accepted it, so
    connections are opened in batches until each worker holds one.
    """
    admin = _bearer(state, Role.ADMIN)
    reader = _bearer(state, Role.READER)
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    found: dict[int, httpx.Client] = {}
    opened: list[httpx.Client] = []
    deadline = time.monotonic() + START_SECONDS
    try:
        while len(found) < workers:
            if time.monotonic() > deadline:
                raise SystemExit(f"only {len(found)} of {workers} workers answered")
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}", limits=limits, timeout=120)
            opened.append(client)
            pid = client.get("/health/worker", headers=admin).json()["pid"]
            if pid in found:
                # Hold this connection open (it keeps its worker busy accepting
                # nothing new) so that the next one may land elsewhere.
                time.sleep(0.05)
                continue
            found[pid] = client
            for _ in range(WARM_UP):
                client.post("/graphql", json=WARM_UP_QUESTION, headers=reader).raise_for_status()
    finally:
        for client in opened:
            client.close()


def _bearer(state: Path, role: Role) -> dict[str, str]:
    token = TokenStore(state / TOKENS_FILE).create(
        f"bench-workers-{role}-{time.time_ns()}", role, timedelta(hours=1)
    )
    return {"Authorization": f"Bearer {token.token}"}


def prepare(backend: str, workdir: Path) -> dict[str, str]:
    """Load the demo organisation into ``backend``; the environment a server needs to serve it."""
    env = {
        **os.environ,
        "JOURNEYKG_BASE_IRI": BASE,
        "JOURNEYKG_BACKEND": backend,
        "JOURNEYKG_STATE_DIR": str(workdir / "state"),
        "JOURNEYKG_STORE_DIR": str(workdir / "kg"),
    }
    if backend == "embedded":
        env.pop("JOURNEYKG_NEO4J_URI", None)
    subprocess.run(
        [str(BIN / "journeykg"), "demo", "--no-serve"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "demo.log").open("wb"),
    )
    return env


def measure(
    backend: str, workers: int, env: dict[str, str], args: argparse.Namespace, workdir: Path
) -> Run:
    """Serve with ``workers`` processes and run the impact scenario against it."""
    port = free_port()
    log = (workdir / f"server-{workers}.log").open("wb")
    server = subprocess.Popen(
        [str(BIN / "journeykg"), "serve", "--workers", str(workers), "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_healthy(port, server, timeout=START_SECONDS)
        warm_up(port, workers, workdir / "state")
        cpu, started = tree_cpu(server.pid), time.perf_counter()
        requests, failures, rps, p50, p95, _ = run_locust(
            port, "impact", args.users, args.seconds, args.max_requests, workdir
        )
        return Run(
            backend,
            workers,
            args.users,
            requests,
            failures,
            rps,
            p50,
            p95,
            tree_cpu(server.pid) - cpu,
            time.perf_counter() - started,
            os.getloadavg()[0],
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)
        log.close()


HEADER = (
    "| backend | workers | users | requests | errors | req/s | p50 ms | p95 ms "
    "| server CPU s | wall s | load avg (1 min) |\n|---|---|---|---|---|---|---|---|---|---|---|"
)


def row(r: Run) -> str:
    """One markdown row of a run's figures."""
    return (
        f"| {r.backend} | {r.workers} | {r.users} | {r.requests} | {r.failures} | {r.rps:.1f} "
        f"| {r.p50:.0f} | {r.p95:.0f} | {r.server_cpu:.1f} | {r.seconds:.1f} | {r.load:.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--max-requests", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=1)
    default = "neo4j,embedded" if os.environ.get("JOURNEYKG_NEO4J_URI") else "embedded"
    parser.add_argument("--backends", default=default)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    print(HEADER, flush=True)
    ratios: list[float] = []
    for backend in args.backends.split(","):
        # One worker only on the embedded store: it admits one process.
        counts = [1, args.workers] if backend == "neo4j" else [1]
        with tempfile.TemporaryDirectory(prefix=f"jkg-workers-{backend}-") as tmp:
            workdir = Path(tmp)
            env = prepare(backend, workdir)
            for n in range(args.rounds):
                runs = {}
                for workers in counts if n % 2 == 0 else counts[::-1]:
                    runs[workers] = measure(backend, workers, env, args, workdir)
                    print(row(runs[workers]), flush=True)
                if len(runs) == 2:
                    ratios.append(runs[args.workers].rps / runs[1].rps)
                    print(f"round {n + 1}: {args.workers}/1 = {ratios[-1]:.2f}", flush=True)
    if ratios:
        print(f"requests/s ratio {args.workers}/1 on Neo4j: median {statistics.median(ratios):.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
