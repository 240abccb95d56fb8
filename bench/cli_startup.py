"""How fast the command line starts: ``journeykg --help`` and an impact question, wall time.

    python -m bench.cli_startup [--runs 15] [--other-script /path/to/older/.venv/bin/journeykg]

Prepares the demo organisation in a temporary store (``journeykg demo
--no-serve``, not timed), then runs each command ``--runs`` times as a new
process, round robin so that a change in the machine's load hits every
command alike, and prints p50 / p95 wall time in ms with two baselines
measured in the same run:

- ``python -c pass``: the interpreter alone, the floor of any command;
- the eager import: ``import journeykg.api.schema, journeykg.graph.embedded,
  journeykg.loaders.pipeline``, what every command paid before its first line
  when the CLI imported its dependencies with its modules.

With ``--other-script`` (another checkout's console script, e.g. main's
before a change), its ``--help`` and impact question are timed in the same
rounds, on the same store. The ratios divide each command's p50 by the eager
import's. Startup times on a busy machine are noisy: the load average is
printed before and after, and each command's CPU time (user + system, of the
process and its children) beside its wall time, which a busy machine
stretches much less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.impact_latency import percentile

#: The README's impact example, asked of the demo organisation.
IMPACT = ["impact", "process/kredietcheck"]

EAGER_IMPORT = "import journeykg.api.schema, journeykg.graph.embedded, journeykg.loaders.pipeline"


def journeykg_script() -> str:
    """The console script installed beside this interpreter."""
    return str(Path(sys.executable).parent / "journeykg")


def commands(store_dir: Path, other_script: str | None) -> dict[str, list[str]]:
    """What is timed, by name: two baselines, then the two commands (and the other script's)."""
    script = journeykg_script()
    timed = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "eager import (old CLI)": [sys.executable, "-c", EAGER_IMPORT],
        "journeykg --help": [script, "--help"],
        "journeykg impact (demo)": [script, *IMPACT, "--store-dir", str(store_dir)],
    }
    if other_script:
        timed["other: journeykg --help"] = [other_script, "--help"]
        timed["other: journeykg impact (demo)"] = [
            other_script,
            *IMPACT,
            "--store-dir",
            str(store_dir),
        ]
    return timed


def run_ms(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """One run's (wall, CPU) time in ms; a command that fails stops the benchmark."""
    cpu_before = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()}")
    return seconds * 1000, (_children_cpu() - cpu_before) * 1000


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def prepare_demo(store_dir: Path, env: dict[str, str]) -> None:
    """The demo organisation in ``store_dir``, loaded as ``make demo`` loads it (not timed)."""
    subprocess.run(
        [journeykg_script(), "demo", "--no-serve", "--store-dir", str(store_dir)],
        env=env,
        capture_output=True,
        check=True,
    )


def measure(runs: int, other_script: str | None = None) -> dict[str, Any]:
    """Every command ``runs`` times, round robin, with the load average around it."""
    with tempfile.TemporaryDirectory(prefix="jkg-cli-startup-") as tmp:
        env = {
            **os.environ,
            "JOURNEYKG_STATE_DIR": str(Path(tmp) / "state"),
            "JOURNEYKG_BACKEND": "embedded",
            "COLUMNS": "100",  # the same help and tables whatever the terminal
        }
        env.pop("JOURNEYKG_NEO4J_URI", None)  # the demo store is the embedded one
        store_dir = Path(tmp) / "kg"
        prepare_demo(store_dir, env)
        timed = commands(store_dir, other_script)
        for argv in timed.values():  # one untimed run each: byte code compiled, files cached
            run_ms(argv, env)
        load_before = [round(x, 2) for x in os.getloadavg()]
        walls: dict[str, list[float]] = {name: [] for name in timed}
        cpus: dict[str, list[float]] = {name: [] for name in timed}
        for _ in range(runs):
            for name, argv in timed.items():
                wall, cpu = run_ms(argv, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
        load_after = [round(x, 2) for x in os.getloadavg()]
    eager = statistics.median(walls["eager import (old CLI)"])
    eager_cpu = statistics.median(cpus["eager import (old CLI)"])
    figures = {
        name: {
            "n": len(values),
            "p50_ms": round(statistics.median(values), 1),
            "p95_ms": round(percentile(values, 0.95), 1),
            "p50_over_eager_import": round(statistics.median(values) / eager, 2),
            "cpu_p50_ms": round(statistics.median(cpus[name]), 1),
            "cpu_p50_over_eager_import": round(statistics.median(cpus[name]) / eager_cpu, 2),
        }
        for name, values in walls.items()
    }
    return {"load_average_before": load_before, "load_average_after": load_after} | figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="runs of each command")
    parser.add_argument(
        "--other-script", help="another checkout's journeykg console script, timed alongside"
    )
    args = parser.parse_args()
    print(json.dumps(measure(args.runs, args.other_script), indent=2))


if __name__ == "__main__":
    main()
