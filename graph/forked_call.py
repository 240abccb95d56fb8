"""A function run in a forked child process, its result read back: work beside the caller.

An offline import (graph/neo4j_offline_import.py) has work that needs the
parsed delta but nothing of the caller's connections: the import tool's
files, and the audit's record of the delta. A forked child starts with
the caller's memory as it is (the delta shared, copied only where either
side writes), so that work runs on another core while the caller runs the
gate, without sending millions of triples anywhere. The standard library
has no such call: :mod:`multiprocessing`'s ``fork`` context sends the
function and its arguments through a pipe (pickling the delta), and its
pools keep processes the caller must shut down; here the child is the
caller's own image, reports once through a pipe and ends with
``os._exit``, never running the caller's clean-up (its driver's sockets,
its journal) in the child.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable
from typing import Generic, NoReturn, TypeVar

T = TypeVar("T")

#: Whether this system can fork (not Windows).
CAN_FORK = hasattr(os, "fork")


class ForkedCallError(Exception):
    """The child's work raised, or the child ended without a result."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        """The name of the exception's class in the child ("" if it ended without a word)."""


class ForkedCall(Generic[T]):
    """``work()`` running in a child process of its own group, from the moment it is made."""

    def __init__(self, work: Callable[[], T]) -> None:
        if not CAN_FORK:
            raise RuntimeError("a forked call needs os.fork, which this system lacks")
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            os.close(reading)
            _run_in_child(writing, work)
        os.close(writing)
        # Here too (the child makes it its own at once): a cancel that comes first finds it.
        with contextlib.suppress(OSError):
            os.setpgid(pid, pid)
        self._pid, self._pipe = pid, reading

    def result(self) -> T:
        """What ``work()`` returned, once the child is done; :class:`ForkedCallError` if it
        raised (naming the exception's class and its message) or ended without a word."""
        if not self._pid:
            raise RuntimeError("the forked call was cancelled or read already")
        with os.fdopen(self._pipe, "rb") as pipe:
            told = pipe.read()  # read before waiting: a result larger than the pipe's buffer
        _, status = os.waitpid(self._pid, 0)
        self._pid = 0
        if not told:
            raise ForkedCallError("", f"the child process ended without a word ({_ended(status)})")
        try:
            ok, value = pickle.loads(told)
        except Exception as exc:  # a result cut short: what ended the child says why
            raise ForkedCallError(
                "", f"the child process ended before its result was whole ({_ended(status)})"
            ) from exc
        if not ok:
            raise ForkedCallError(*value)
        return value  # type: ignore[no-any-return]

    def cancel(self) -> None:
        """End the child and every process it started (its group); nothing is read."""
        if not self._pid:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._pid, signal.SIGTERM)
        os.waitpid(self._pid, 0)
        self._pid = 0
        os.close(self._pipe)


def _run_in_child(pipe: int, work: Callable[[], object]) -> NoReturn:
    code = 1
    try:
        os.setpgid(0, 0)  # a group of its own, which cancel() ends with what it started
        told = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    except BaseException as exc:  # told to the parent, which raises it
        told = pickle.dumps((False, (type(exc).__name__, str(exc))))
    try:
        with os.fdopen(pipe, "wb") as out:
            out.write(told)
    finally:
        os._exit(code)  # no clean-up of the parent's objects (its connections) here


def _ended(status: int) -> str:
    """How a child ended, as its wait status says: "signal 9 (SIGKILL)", "exit 3"."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            return f"signal {number} ({signal.Signals(number).name})"
        except ValueError:
            return f"signal {number}"
    return f"exit {os.waitstatus_to_exitcode(status)}"
