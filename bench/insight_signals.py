"""The signal rules' and the before/after test's false-alarm rate on generated data without a
real change, and what the rules cost on the demo after a sync.

    python -m bench.insight_signals [--series 2000] [--periods 24] [--seed 18]

False alarms (docs/insights.md, "How often a test cries wolf"): every series
is stationary, so every alarm is a false one. Each rule is applied the way the
loop applies it after a monthly sync: at every period from the first that has
a full history, to the periods before it only.

- spike: complaint counts Poisson with a mean drawn from 2..60 per series, and
  the same overdispersed (negative binomial, variance = mean + mean²/10), as
  real complaint counts often are; the rule is :func:`journeykg.graph.signals.spike`;
- score drop: NPS values normal around a level drawn from -20..40 with a
  standard deviation of 6; the rule is :func:`journeykg.graph.signals.robust_z`
  at :data:`~journeykg.graph.signals.DROP_Z`;
- before/after: 6 periods against 4 of the same stationary NPS series,
  :func:`journeykg.graph.before_after.welch` at
  :data:`~journeykg.graph.before_after.ALPHA`.

Timing: the loop's rules (:func:`~journeykg.graph.signals.all_signals`) on the
demo organisation with a year of monthly volumes per contact reason and
channel, against the baseline of reading the same facts (``describe`` of every
contact volume and KPI value) in the same run, on the embedded store.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rdflib import Graph, Literal, URIRef

from journeykg.graph.before_after import ALPHA, MIN_PERIODS, welch
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.series import CountSeries, Point
from journeykg.graph.signals import (
    BASELINE_PERIODS,
    DROP_Z,
    MIN_BASELINE,
    MIN_DROP_HISTORY,
    all_signals,
    robust_z,
    spike,
)
from journeykg.graph.store import Store
from journeykg.loaders.pipeline import load_new_elements
from journeykg.namespaces import JKG, RDF, RDFS, XSD
from journeykg.resources import DEMO_DATASET

BASE = "https://id.journeykg.example/"


def _points(values: np.ndarray) -> tuple[Point, ...]:
    return tuple(
        Point(f"2026-{i:04d}", f"2026-{i:04d}", float(v), f"n{i}") for i, v in enumerate(values)
    )


def spike_false_alarms(counts: list[np.ndarray]) -> tuple[int, int]:
    """(alarms, tests) of the spike rule over ``counts``, each tested period by period."""
    alarms = tests = 0
    for series in counts:
        points = _points(series)
        for end in range(MIN_BASELINE + 1, len(points) + 1):
            window = points[max(0, end - BASELINE_PERIODS - 1) : end]
            tests += 1
            alarms += spike(CountSeries("r", None, "complaints", window)) is not None
    return alarms, tests


def drop_false_alarms(scores: list[np.ndarray]) -> tuple[int, int]:
    """(alarms, tests) of the score-drop rule, each period against every period before it."""
    alarms = tests = 0
    for series in scores:
        for end in range(MIN_DROP_HISTORY + 1, len(series) + 1):
            z = robust_z(float(series[end - 1]), (float(v) for v in series[: end - 1]))
            tests += 1
            alarms += z is not None and z <= -DROP_Z
    return alarms, tests


def before_after_false_alarms(scores: list[np.ndarray]) -> tuple[int, int]:
    """(alarms, tests) of Welch's test, 6 periods before against 4 after, no change."""
    alarms = 0
    for series in scores:
        _, p = welch(tuple(series[:6]), tuple(series[6:10]))
        alarms += p < ALPHA
    return alarms, len(scores)


def _rate(found: tuple[int, int]) -> str:
    alarms, tests = found
    return f"{alarms:>6} of {tests:>6} tests = {100 * alarms / tests:5.2f} %"


def false_alarms(series: int, periods: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    means = rng.uniform(2, 60, series)
    poisson = [rng.poisson(m, periods) for m in means]
    # Negative binomial with variance m + m²/10: n = 10, p = n / (n + m).
    overdispersed = [rng.negative_binomial(10, 10 / (10 + m), periods) for m in means]
    levels = rng.uniform(-20, 40, series)
    nps = [np.round(rng.normal(level, 6, periods), 2) for level in levels]
    print(f"false alarms: {series} series of {periods} periods each, no real change, seed {seed}")
    print(f"  complaint spike, Poisson counts       : {_rate(spike_false_alarms(poisson))}")
    print(f"  complaint spike, overdispersed counts : {_rate(spike_false_alarms(overdispersed))}")
    print(f"  score drop (robust z <= -{DROP_Z})     : {_rate(drop_false_alarms(nps))}")
    print(f"  before/after (Welch, 6 v 4, p<{ALPHA})  : {_rate(before_after_false_alarms(nps))}")
    assert MIN_PERIODS <= 4


def _monthly_volumes(store: Store, months: int, seed: int) -> Graph:
    rng = np.random.default_rng(seed)
    reasons = store.instances(JKG.ContactReason)
    channels = store.instances(JKG.Channel)
    graph = Graph()
    for reason in reasons:
        for channel in channels:
            mean = float(rng.uniform(2, 60))
            for m in range(1, months + 1):
                node = URIRef(f"{reason}/bench-volume/{channel.split('/')[-1]}/{m}")
                last = 28 if m == 2 else 30 if m in (4, 6, 9, 11) else 31
                graph.add((node, RDF.type, JKG.ContactVolume))
                graph.add((node, RDFS.label, Literal(f"bench {m}", lang="en")))
                graph.add((node, JKG.volumeOf, reason))
                graph.add((node, JKG.viaChannel, channel))
                graph.add((node, JKG.period, Literal("2026", datatype=XSD.gYear)))
                graph.add((node, JKG.periodStart, Literal(f"2026-{m:02d}-01", datatype=XSD.date)))
                graph.add((node, JKG.periodEnd, Literal(f"2026-{m:02d}-{last}", datatype=XSD.date)))
                graph.add((node, JKG.contacts, Literal(int(rng.poisson(mean * 20)))))
                graph.add((node, JKG.complaints, Literal(int(rng.poisson(mean)))))
    return graph


def _best(run: Callable[[], object], rounds: int = 5) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - started)
    return best


def timing(seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "store", BASE)
        try:
            load_new_elements(store, DEMO_DATASET)
            volumes = _monthly_volumes(store, 12, seed)
            store.upsert(volumes)
            facts = [*store.instances(JKG.ContactVolume), *store.instances(JKG.KPIValue)]
            baseline = _best(lambda: store.describe(store.instances(JKG.ContactVolume)))
            rules = _best(lambda: all_signals(store))
            found = all_signals(store)
            print(
                f"rules on the demo + {len(volumes) // 10} monthly volumes "
                f"({len(facts)} dated facts): all_signals {rules * 1000:.0f} ms, "
                f"baseline (describe every volume) {baseline * 1000:.0f} ms, "
                f"{len(found)} signal(s); best of 5"
            )
        finally:
            store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=2000)
    parser.add_argument("--periods", type=int, default=24)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    started = time.perf_counter()
    false_alarms(args.series, args.periods, args.seed)
    timing(args.seed)
    print(f"({statistics.fmean([time.perf_counter() - started]):.1f} s in all)")


if __name__ == "__main__":
    main()
