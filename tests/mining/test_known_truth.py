"""Mining recovers what was injected into generated logs, through every format alike.

The logs are generated from a designed journey with deviations injected in known
proportions (loaders/event_logs/synthetic.py). Two levels of truth are checked:

- exact: what the generator actually did (drop-off per step, skips per step, loops,
  channel switches, repeat contacts) equals what mining finds, case for case;
- statistical: the shares found lie within stated tolerances of the injected
  probabilities (binomial: 4 standard deviations of 20,000 cases is about 1.2 points).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from journeykg.loaders.event_logs.mapping import read_events
from journeykg.loaders.event_logs.recipe import load_mining_recipe
from journeykg.loaders.event_logs.synthetic import Injection, Truth, generate
from journeykg.mining.events import traces
from journeykg.mining.journey import JourneyMining, mine_journey
from tests.mining.truth import DESIGN, FORMATS, KEY, STEPS, write_log

INJECTION = Injection(drop=0.25, skip=0.1, loop=0.05, switch=0.15, repeat=0.05)


def _mine(recipe: Path) -> JourneyMining:
    events = read_events(load_mining_recipe(recipe), KEY)
    return mine_journey("journey/aansluiten", "all", traces(events), STEPS, k=10, repeat_days=7)


def _check_exact(mined: JourneyMining, truth: Truth) -> None:
    assert (mined.cases, mined.customers, mined.events) == (
        truth.cases,
        truth.customers,
        truth.events,
    )
    assert {d.step: d.stopped for d in mined.drop_off if d.stopped} == dict(truth.dropped_at)
    assert {s: mined.deviation_cases("skipped", s) for s in truth.skipped} == dict(truth.skipped)
    assert mined.deviation_cases("skipped") == sum(truth.skipped.values())
    assert mined.deviation_cases("loops") == truth.looped
    assert mined.deviation_cases("channel_switch") == truth.switched
    assert mined.deviation_cases("out_of_order") == 0
    assert [(r.reason, r.repeated) for r in mined.repeats] == [
        ("reason/aansluiten", truth.repeat_contacts)
    ]


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_mining_each_format_recovers_the_injected_deviations_exactly(
    fmt: str, tmp_path: Path
) -> None:
    rows, truth = generate(DESIGN, 3_000, INJECTION, seed=7)
    _check_exact(_mine(write_log(rows, fmt, tmp_path)), truth)


def test_every_format_gives_the_same_answer(tmp_path: Path) -> None:
    rows, _ = generate(DESIGN, 1_500, INJECTION, seed=11)
    answers = {fmt: _mine(write_log(rows, fmt, tmp_path / fmt)) for fmt in FORMATS}
    first = answers["csv"]
    for fmt, mined in answers.items():
        assert mined == first, fmt


def test_shares_found_lie_within_tolerance_of_the_injected_probabilities(
    tmp_path: Path,
) -> None:
    cases = 20_000
    rows, _ = generate(DESIGN, cases, INJECTION, seed=3)
    mined = _mine(write_log(rows, "csv", tmp_path))
    tolerance = 0.012  # 4 binomial standard deviations at p = 0.25, n = 20,000
    completed = mined.drop_off[-1].reached / mined.cases
    assert completed == pytest.approx(1 - INJECTION.drop, abs=tolerance)
    assert mined.deviation_cases("channel_switch") / cases == pytest.approx(
        INJECTION.switch, abs=tolerance
    )
    assert mined.deviation_cases("loops") / cases == pytest.approx(INJECTION.loop, abs=tolerance)
    # A drop-off falls evenly on the steps before the last; each stop is then 1/4 of it.
    for step in mined.drop_off[:-1]:
        assert step.stopped / cases == pytest.approx(INJECTION.drop / 4, abs=tolerance)
    # A skip of a middle step counts only when the case got beyond it.
    assert mined.deviation_cases("skipped") / cases == pytest.approx(
        INJECTION.skip * 0.75, abs=0.03
    )
    assert 0.9 < mined.fitness < 1.0


def test_variants_followed_by_fewer_than_k_customers_are_counted_not_shown(
    tmp_path: Path,
) -> None:
    rows, _ = generate(DESIGN, 2_000, INJECTION, seed=5)
    events = read_events(load_mining_recipe(write_log(rows, "csv", tmp_path)), KEY)
    found = traces(events)
    for k in (1, 10, 200):
        mined = mine_journey("j", "all", found, STEPS, k=k, repeat_days=7)
        assert all(v.customers >= k for v in mined.variants)
        assert all(e.customers >= k for e in mined.edges)
        assert all(g.customers >= k for g in mined.gaps)
        everything = mine_journey("j", "all", found, STEPS, k=1, repeat_days=7)
        assert len(mined.variants) + mined.variants_hidden == len(everything.variants)
    assert mine_journey("j", "all", found, STEPS, k=200, repeat_days=7).variants_hidden > 0
