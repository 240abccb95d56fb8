"""Real disk faults for tests: a small disk that fills up, a directory that cannot be written.

A small disk is a tmpfs mounted for the test (root only); an unwritable
directory is a read-only bind mount for root (who may write anything the
permissions forbid) and a ``chmod`` for everyone else. A test that cannot
have the fault it needs is skipped, and says why.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest

CHUNK = bytes(1 << 16)


def _run(*command: str) -> bool:
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return done.returncode == 0


def _unavailable(why: str) -> NoReturn:
    """A disk fault this machine cannot make: a failure in CI (``.ci/run``, as root with
    mount), where every test must run; else a skip."""
    if os.environ.get("CI"):
        pytest.fail(f"{why}, but the disk-fault tests are required here")
    pytest.skip(f"{why} (hand-run subsets only)")


@contextmanager
def small_disk(directory: Path, megabytes: int = 40) -> Iterator[Path]:
    """A tmpfs of ``megabytes`` at ``directory``, unmounted when the block ends."""
    directory.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not _run(
        "mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(directory)
    ):
        _unavailable("a small disk needs root and mount (tmpfs)")
    try:
        yield directory
    finally:
        # Lazy: files the test still holds open are let go of when closed.
        _run("umount", "-l", str(directory))


def fill(directory: Path) -> Path:
    """Write a file into ``directory`` until its disk is full; the file (delete it to free)."""
    filler = directory / "filler"
    with filler.open("wb", buffering=0) as out:
        try:
            while True:
                out.write(CHUNK)
        except OSError:
            pass
    return filler


@contextmanager
def read_only(directory: Path) -> Iterator[None]:
    """``directory`` cannot be written by this process while the block runs."""
    if os.geteuid() == 0:
        target = str(directory)
        if not (
            _run("mount", "--bind", target, target)
            and _run("mount", "-o", "remount,ro,bind", target)
        ):
            _run("umount", target)
            _unavailable("a read-only directory needs mount (bind, ro) when run as root")
        try:
            yield
        finally:
            _run("umount", "-l", target)
        return
    mode = directory.stat().st_mode
    directory.chmod(0o500)
    try:
        yield
    finally:
        directory.chmod(mode)
