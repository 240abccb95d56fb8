"""Governance steps on one element from two processes sharing a Neo4j server.

Several API workers on one Neo4j each have their own per-element locks; the
store's element lease is what orders their steps. A real second process
holds the lease in the middle of its own step; this process's step on the
same element must wait for it, and then see what it wrote.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from journeykg.graph import neo4j_store as neo4j_module
from journeykg.graph.store import Store
from journeykg.services.governance import history
from journeykg.services.governance.errors import (
    ElementBusyError,
    GovernanceError,
    StaleVersionError,
)
from journeykg.services.governance.workflow import Governance
from tests.conftest import BASE
from tests.services.governance.conftest import STEWARD_POST, board_data, dump, propose_fcr

pytestmark = pytest.mark.neo4j

WHY = "Besloten in de board"

# The other process: takes the element's lock as a step does, says so, waits
# for a line, then (unless told "hold") rejects version 1 inside the lock.
_OTHER_STEP = """
import sys
from journeykg.bootstrap import open_store
from journeykg.services.governance.workflow import Governance
from journeykg.services.governance.workflow import _element_lock
from journeykg.settings import Settings
store = open_store(Settings(backend="neo4j", neo4j_uri=sys.argv[1], base_iri=sys.argv[2]),
                   audited=False)
gov = Governance(store)
with _element_lock(store, store.ids.iri("concept/fcr")):
    print("held", flush=True)
    if sys.stdin.readline().strip() != "hold":
        gov.reject("concept/fcr", by="owner/steward", role="steward",
                   rationale="Afgewezen", expected_version=1)
store.close()
"""


@pytest.fixture
def neo4j_board(neo4j_store: Store) -> Store:
    """The Neo4j store holding impact_small.ttl plus board.ttl, as the ``board`` fixture."""
    neo4j_store.upsert(board_data())
    return neo4j_store


@contextmanager
def other_step(uri: str) -> Iterator[subprocess.Popen[str]]:
    """A second process inside its step on concept/fcr until the block ends."""
    child = subprocess.Popen(
        [sys.executable, "-c", _OTHER_STEP, uri, BASE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "held"
        yield child
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=60)


def kinds(store: Store) -> list[str]:
    """The kinds of concept/fcr's workflow steps, in order."""
    return [a.kind for a in history.activities(store, "concept/fcr")]


def _uri(settings: object) -> str:
    uri = getattr(settings, "neo4j_uri", None)
    assert isinstance(uri, str)
    return uri


def test_a_step_waits_for_another_process_step_on_the_element_and_sees_its_write(
    neo4j_board: Store, neo4j_settings: object
) -> None:
    gov = Governance(neo4j_board)
    propose_fcr(gov)
    outcome: list[object] = []

    def approve() -> None:
        try:
            outcome.append(
                gov.approve(
                    "concept/fcr",
                    by=STEWARD_POST,
                    role="steward",
                    rationale=WHY,
                    expected_version=1,
                )
            )
        except GovernanceError as exc:
            outcome.append(exc)

    with other_step(_uri(neo4j_settings)) as child:
        ours = threading.Thread(target=approve)
        ours.start()
        ours.join(timeout=1.0)
        # Without the lease this approval would already have gone through.
        assert ours.is_alive(), f"the step did not wait for the other process: {outcome}"
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
        assert child.wait(timeout=60) == 0
        ours.join(timeout=30)
    assert not ours.is_alive()
    # The other process rejected version 1 first; the approval of it is stale.
    (refused,) = outcome
    assert isinstance(refused, StaleVersionError), refused
    assert kinds(neo4j_board) == ["Proposal", "Rejection"]


def test_a_lease_kept_too_long_is_refused_as_busy_and_nothing_is_written(
    neo4j_board: Store, neo4j_settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(neo4j_module, "ELEMENT_LEASE_WAIT_SECONDS", 1.0)
    gov = Governance(neo4j_board)
    propose_fcr(gov)
    before = dump(neo4j_board)
    with other_step(_uri(neo4j_settings)) as child:
        started = time.monotonic()
        with pytest.raises(ElementBusyError, match="another process") as refused:
            gov.approve("concept/fcr", by=STEWARD_POST, role="steward", rationale=WHY)
        assert refused.value.code == "BUSY"
        assert 0.9 <= time.monotonic() - started < 15
        assert dump(neo4j_board) == before
        assert child.stdin is not None
        child.stdin.write("hold\n")
        child.stdin.flush()
        assert child.wait(timeout=60) == 0
    # Released: the same step now goes through.
    gov.approve("concept/fcr", by=STEWARD_POST, role="steward", rationale=WHY)
    assert kinds(neo4j_board) == ["Proposal", "Approval"]


def test_a_process_killed_inside_its_step_leaves_no_lease_behind(
    neo4j_board: Store, neo4j_settings: object
) -> None:
    gov = Governance(neo4j_board)
    propose_fcr(gov)
    with other_step(_uri(neo4j_settings)) as child:
        child.kill()
        child.wait(timeout=60)
    started = time.monotonic()
    gov.approve("concept/fcr", by=STEWARD_POST, role="steward", rationale=WHY)
    # The server rolled the holder's transaction back when its connection dropped.
    assert time.monotonic() - started < neo4j_module.ELEMENT_LEASE_WAIT_SECONDS
    assert kinds(neo4j_board) == ["Proposal", "Approval"]
