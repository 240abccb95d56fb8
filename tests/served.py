"""A real ``journeykg serve`` (uvicorn) in a child process on 127.0.0.1, for tests from outside.

Some faults only show on a server as users run it: state shared by the
whole process (a parser the first requests warm up together), worker
threads, a store opened once at start-up. The server is started with the
test's environment (state, store and recipes directories, backend), waited
for (bounded), and stopped when the block ends.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx

#: How long a server may take to answer /health after it is started.
START_SECONDS = 60.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def served(env: Mapping[str, str | None], log: Path, args: Sequence[str] = ()) -> Iterator[str]:
    """``journeykg serve [args]`` with ``env`` over this environment (None unsets); its URL."""
    port = free_port()
    child_env = {**os.environ, **{k: v for k, v in env.items() if v is not None}}
    for name in (k for k, v in env.items() if v is None):
        child_env.pop(name, None)
    with log.open("wb") as out:
        child = subprocess.Popen(
            [sys.executable, "-m", "journeykg", "serve", "--port", str(port), *args],
            env=child_env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_until_up(url, child, log)
            yield url
        finally:
            child.send_signal(signal.SIGINT)  # uvicorn's graceful stop
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=10)


def _wait_until_up(url: str, child: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise AssertionError(f"the server stopped at start-up:\n{log.read_text()}")
        try:
            if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server did not answer within {START_SECONDS} s:\n{log.read_text()}")
