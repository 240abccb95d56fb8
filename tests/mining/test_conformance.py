"""Fitness and deviations of single traces against a designed order, worked by hand."""

from __future__ import annotations

import pytest

from journeykg.mining.conformance import (
    alignment_cost,
    channel_switches,
    deviations,
    fitness,
)

DESIGN = ("a", "b", "c", "d")


@pytest.mark.parametrize(
    ("steps", "expected"),
    [
        (("a", "b", "c", "d"), 1.0),
        (("a", "b"), 1.0),  # stopped after b: drop-off, not a deviation
        (("a", "c", "d"), 1 - 1 / 7),  # b skipped: one model move of |σ|+|D'| = 3+4
        (("a", "b", "b", "c", "d"), 1 - 1 / 9),  # b repeated: one log move
        (("b", "a", "c", "d"), 1 - 2 / 8),  # a and b swapped: one log and one model move
        (("x",), 0.0),  # nothing designed: every event a log move, D' empty
        ((), 1.0),
    ],
)
def test_fitness_is_one_minus_alignment_cost_over_worst_cost(
    steps: tuple[str, ...], expected: float
) -> None:
    assert fitness(steps, DESIGN) == pytest.approx(expected)


def test_alignment_cost_counts_log_and_model_moves() -> None:
    assert alignment_cost(("a", "c"), ("a", "b", "c")) == 1
    assert alignment_cost(("a", "x", "c"), ("a", "b", "c")) == 2
    assert alignment_cost((), ("a", "b")) == 2


def test_deviations_name_each_kind_at_its_step() -> None:
    found = deviations(("a", "c", "b", "c", "c", "x", "d"), DESIGN)
    assert found.skipped == ()  # b is done, late
    assert found.out_of_order == ("b",)
    assert found.loops == ("c",)
    assert found.repeats == ("c",)
    assert found.undesigned == ("x",)


def test_a_skip_counts_only_before_the_furthest_step_reached() -> None:
    assert deviations(("a", "c"), DESIGN).skipped == ("b",)
    assert deviations(("a",), DESIGN).skipped == ()


def test_channel_switches_ignore_unknown_channels() -> None:
    assert channel_switches(["web", None, "web", "telefoon", "telefoon", "web"]) == 2
    assert channel_switches([None, None]) == 0
