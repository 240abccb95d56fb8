"""Repeated calls timed (wall, this process's CPU, the Neo4j server's CPU), and the table a
picture bench prints of them: one line per row, one column per figure."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

#: The figures of :meth:`Samples.figures`, by the header each is printed under.
COLUMNS = (
    ("p50 ms", "p50_ms"),
    ("p95 ms", "p95_ms"),
    ("max ms", "max_ms"),
    ("CPU p50", "cpu_p50_ms"),
    ("server p50", "server_cpu_p50_ms"),
    ("load", "load_1min"),
)


@dataclass
class Samples:
    """The wall, process CPU and server CPU milliseconds of each call :meth:`measure` timed.

    ``server_cpu``: the server's CPU seconds so far (bench/server_cpu.py), None where it
    cannot be read (then no server figure).
    """

    server_cpu: Callable[[], float | None]
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    server: list[float] = field(default_factory=list)

    def measure(self, ask: Callable[[], object]) -> None:
        """Time one call of ``ask``."""
        started, cpu_started, server_started = (
            time.perf_counter(),
            time.process_time(),
            self.server_cpu(),
        )
        ask()
        self.wall.append((time.perf_counter() - started) * 1000)
        self.cpu.append((time.process_time() - cpu_started) * 1000)
        server_after = self.server_cpu()
        if server_started is not None and server_after is not None:
            self.server.append((server_after - server_started) * 1000)

    def figures(self) -> dict[str, float | None]:
        """p50/p95/max wall ms, CPU and server CPU p50 ms, and the load average now."""
        ordered = sorted(self.wall)
        return {
            "p50_ms": round(statistics.median(self.wall), 1),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 1),
            "max_ms": round(max(self.wall), 1),
            "cpu_p50_ms": round(statistics.median(self.cpu), 1),
            "server_cpu_p50_ms": round(statistics.median(self.server), 1) if self.server else None,
            "load_1min": round(os.getloadavg()[0], 2),
        }


def print_rows(
    rows: Mapping[str, Mapping[str, float | None]],
    columns: Sequence[tuple[str, str]] = COLUMNS,
    width: int = 46,
) -> None:
    """Print ``rows`` (name → figures) under ``columns`` (header, figure's key); '–': none."""
    print(f"{'':{width}}" + "".join(f"{header:>11}" for header, _ in columns))
    for name, figures in rows.items():
        values = (figures.get(key) for _, key in columns)
        print(f"{name:{width}}" + "".join(f"{v if v is not None else '–':>11}" for v in values))
