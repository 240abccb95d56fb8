"""Readiness follows whether writes can work: unready while the gate fails, ready once it runs."""

from __future__ import annotations

import pytest

from journeykg.graph.store import Store
from journeykg.services import readiness
from journeykg.services.readiness import NotReadyError, Readiness


class Gate:
    """The gate's self-test, broken or not at the test's say; counts its runs."""

    def __init__(self) -> None:
        self.broken = False
        self.runs = 0

    def __call__(self, store: Store) -> None:
        self.runs += 1
        if self.broken:
            raise TypeError("postParse2() missing 1 required positional argument: 'tokenList'")


def test_readiness_turns_unready_while_the_gate_fails_and_ready_when_it_runs(
    embedded_store: Store,
) -> None:
    now = [0.0]
    gate = Gate()
    ready = Readiness(embedded_store, clock=lambda: now[0], gate=gate)
    ready.check()
    gate.broken = True
    ready.check()  # the last verdict is kept for a while: the gate is not run again
    assert gate.runs == 1
    now[0] += readiness.GATE_CHECK_SECONDS
    with pytest.raises(NotReadyError, match="writes cannot be validated") as refused:
        ready.check()
    assert "postParse2" not in str(refused.value)  # the log has it, not the caller
    gate.broken = False
    now[0] += readiness.GATE_CHECK_SECONDS
    ready.check()
    assert gate.runs == 3


def test_the_real_gate_passes_its_probe(embedded_store: Store) -> None:
    Readiness(embedded_store).check()
