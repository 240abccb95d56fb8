"""A fixed piece of pure-Python work, timed: how fast this machine runs journeykg's kind of code.

The sessions that measure journeykg run on machines of different speeds
(the 1M load took 103 s on one and 184 s on the next, the code unchanged).
A benchmark prints this figure beside its own, so that figures from two
machines can be compared: a load's seconds divided by it, not the seconds.
The work is what a load does most, per triple: look terms up in dicts,
build strings and tuples; best of three, so a neighbour's burst counts less.
"""

from __future__ import annotations

import time


def reference_seconds(rounds: int = 3) -> float:
    """Seconds for the reference work (200k keyed strings, each looked up and spelled)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        index: dict[str, tuple[str, int]] = {}
        for number in range(200_000):
            key = f"https://id.example/element/{number % 50_000}"
            known = index.get(key)
            index[key] = (f"<{key}> .\n", number) if known is None else (known[0], number)
        best = min(best, time.perf_counter() - started)
    return round(best, 3)


if __name__ == "__main__":
    print(reference_seconds())
