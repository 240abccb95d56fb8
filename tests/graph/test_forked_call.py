"""A forked call returns its child's result, says how the child failed, and ends what it started."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import time
from pathlib import Path

import pytest

from journeykg.graph.forked_call import CAN_FORK, ForkedCall, ForkedCallError

# A system without fork (Windows) runs the offline import inline; in CI (Linux) these run.
pytestmark = pytest.mark.skipif(
    not CAN_FORK and not os.environ.get("CI"), reason="this system cannot fork"
)


def test_the_result_comes_back_whole_and_the_child_works_on_its_own_copy() -> None:
    shared = {"lines": ["x" * 100] * 50_000}  # 5 MB back: many times a pipe's buffer

    def work() -> str:
        shared["lines"].append("only in the child")
        return "".join(shared["lines"])

    call = ForkedCall(work)
    result = call.result()
    assert len(result) == 5_000_000 + len("only in the child")
    assert len(shared["lines"]) == 50_000  # the parent's copy is untouched


def test_an_error_in_the_child_is_raised_here_with_its_class_and_message() -> None:
    def work() -> None:
        raise ValueError("element x: property 'y' mixes types")

    with pytest.raises(ForkedCallError, match="mixes types") as raised:
        ForkedCall(work).result()
    assert raised.value.kind == "ValueError"


def test_a_child_that_dies_without_a_word_says_how_it_ended() -> None:
    def work() -> None:
        os._exit(3)

    with pytest.raises(ForkedCallError, match=r"without a word \(exit 3\)") as raised:
        ForkedCall(work).result()
    assert raised.value.kind == ""


def test_a_child_killed_halfway_through_its_result_says_what_ended_it() -> None:
    """As the kernel's out-of-memory killer would end a child writing a large record."""
    call = ForkedCall(lambda: "x" * 5_000_000)  # many times the pipe's buffer
    # Once the pipe has something to read, the child is blocked writing the rest.
    readable, _, _ = select.select([call._pipe], [], [], 30)
    assert readable
    os.kill(call._pid, signal.SIGKILL)
    with pytest.raises(
        ForkedCallError, match=r"before its result was whole \(signal 9 \(SIGKILL\)\)"
    ):
        call.result()


def test_cancel_ends_the_child_and_the_process_it_started(tmp_path: Path) -> None:
    started = tmp_path / "pid"

    def work() -> None:
        tool = subprocess.Popen(["sleep", "60"])  # as the import tool is started
        started.write_text(str(tool.pid))
        tool.wait()

    call = ForkedCall(work)
    deadline = time.monotonic() + 10
    while not started.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    tool = int(started.read_text())
    call.cancel()
    deadline = time.monotonic() + 10
    while _alive(tool) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(tool)
    with pytest.raises(RuntimeError, match="cancelled"):
        call.result()


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, ended and not yet reaped by its reaper, does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"
