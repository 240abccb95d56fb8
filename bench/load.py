"""A bounded load test of the HTTP API on 127.0.0.1, on each backend.

For each backend it starts ``journeykg demo`` (the demo organisation, served
by uvicorn on a free port of 127.0.0.1, audited as in production), then
runs locust headless (bench/locustfile.py) twice: the impact question of
the README with USERS concurrent users, and POST /sync of a small
Salesforce export (14 cases, 3 pages) with one user (a second concurrent
sync of the same source is refused with 409 by design). Each run stops after
MAX_REQUESTS requests or SECONDS seconds. It prints requests/s, p50/p95/p99
latency (ms), errors, and the server's CPU seconds.

    .venv/bin/python -m bench.load                     # embedded only
    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:7687 .venv/bin/python -m bench.load
    # Neo4j: the server's database is CLEARED and loaded with the demo.

Options: --seconds 30 --max-requests 2000 --users 4 --backends embedded,neo4j
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.graph.state import TOKENS_FILE

ROOT = Path(__file__).resolve().parent.parent
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
SALESFORCE = ROOT / "tests" / "loaders" / "fixtures" / "salesforce"
BIN = Path(sys.executable).parent
BASE = "https://id.journeykg.example/"


@dataclass
class Figures:
    """One run's figures, from locust's CSV stats."""

    backend: str
    scenario: str
    users: int
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float
    server_cpu: float
    seconds: float


def free_port() -> int:
    """A port on 127.0.0.1 nobody listens on (the OS picks it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_healthy(port: int, server: subprocess.Popen[bytes], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit {server.returncode}); see its log")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2) as answer:
                if json.loads(answer.read()).get("status") == "ok":
                    return
        except OSError:
            pass
        time.sleep(1)
    raise SystemExit(f"the server did not answer on 127.0.0.1:{port} within {timeout:.0f} s")


def sync_payload(directory: Path) -> Path:
    """The Salesforce fixture's three query pages as one JSON array (what a client POSTs)."""
    pages = [json.loads(p.read_text()) for p in sorted(SALESFORCE.glob("cases-page-*.json"))]
    path = directory / "payload.json"
    path.write_text(json.dumps(pages))
    return path


def run_locust(
    port: int, scenario: str, users: int, seconds: int, max_requests: int, workdir: Path
) -> tuple[int, int, float, float, float, float]:
    """(requests, failures, rps, p50, p95, p99) of one headless locust run."""
    prefix = workdir / f"stats-{scenario}"
    role = Role.INTEGRATOR if scenario == "sync" else Role.READER
    token = TokenStore(workdir / "state" / TOKENS_FILE).create(
        f"load-{scenario}-{time.time_ns()}", role, timedelta(hours=1)
    )
    env = {
        **os.environ,
        "JKG_LOAD_TOKEN": token.token,
        "JKG_LOAD_SCENARIO": scenario,
        "JKG_LOAD_MAX_REQUESTS": str(max_requests),
        "JKG_LOAD_SYNC_PAYLOAD": str(workdir / "payload.json"),
    }
    subprocess.run(
        [
            str(BIN / "locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--only-summary",
            "--host",
            f"http://127.0.0.1:{port}",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--csv",
            str(prefix),
            "--loglevel",
            "WARNING",
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=(workdir / f"locust-{scenario}.log").open("wb"),
    )
    with open(f"{prefix}_stats.csv", newline="") as f:
        total = next(r for r in csv.DictReader(f) if r["Name"] == "Aggregated")
    return (
        int(total["Request Count"]),
        int(total["Failure Count"]),
        float(total["Requests/s"]),
        float(total["50%"]),
        float(total["95%"]),
        float(total["99%"]),
    )


def bench_backend(backend: str, args: argparse.Namespace, workdir: Path) -> list[Figures]:
    """Serve the demo on ``backend`` and run both scenarios against it."""
    recipes = workdir / "recipes"
    recipes.mkdir(exist_ok=True)
    shutil.copy(SALESFORCE / "recipe.yaml", recipes / "recipe.yaml")
    sync_payload(workdir)
    port = free_port()
    env = {
        **os.environ,
        "JOURNEYKG_BASE_IRI": BASE,
        "JOURNEYKG_BACKEND": backend,
        "JOURNEYKG_STATE_DIR": str(workdir / "state"),
        "JOURNEYKG_RECIPES_DIR": str(recipes),
    }
    if backend == "embedded":
        env.pop("JOURNEYKG_NEO4J_URI", None)
    log = (workdir / "server.log").open("wb")
    server = subprocess.Popen(
        [
            str(BIN / "journeykg"),
            "demo",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--store-dir",
            str(workdir / "kg"),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    figures: list[Figures] = []
    try:
        wait_healthy(port, server)
        for scenario, users in (("impact", args.users), ("sync", 1)):
            cpu, started = cpu_seconds(server.pid), time.perf_counter()
            requests, failures, rps, p50, p95, p99 = run_locust(
                port, scenario, users, args.seconds, args.max_requests, workdir
            )
            figures.append(
                Figures(
                    backend,
                    scenario,
                    users,
                    requests,
                    failures,
                    rps,
                    p50,
                    p95,
                    p99,
                    cpu_seconds(server.pid) - cpu,
                    time.perf_counter() - started,
                )
            )
            print(row(figures[-1]), flush=True)
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()
    return figures


HEADER = (
    "| backend | scenario | users | requests | errors | req/s | p50 ms | p95 ms | p99 ms "
    "| server CPU s | wall s |\n|---|---|---|---|---|---|---|---|---|---|---|"
)


def row(f: Figures) -> str:
    return (
        f"| {f.backend} | {f.scenario} | {f.users} | {f.requests} | {f.failures} | {f.rps:.1f} "
        f"| {f.p50:.0f} | {f.p95:.0f} | {f.p99:.0f} | {f.server_cpu:.1f} | {f.seconds:.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--max-requests", type=int, default=2000)
    parser.add_argument("--users", type=int, default=4)
    default = "embedded,neo4j" if os.environ.get("JOURNEYKG_NEO4J_URI") else "embedded"
    parser.add_argument("--backends", default=default)
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    print(HEADER, flush=True)
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory(prefix=f"jkg-load-{backend}-") as tmp:
            bench_backend(backend, args, Path(tmp))
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)


if __name__ == "__main__":
    main()
