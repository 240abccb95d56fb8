"""The embedded store's Oxigraph database on disk: failed writes mapped, and recovered from.

RocksDB, under Oxigraph, stops taking writes after one fails on a full disk
or an unwritable directory: every later write repeats the first error, also
once space is freed, until the database is opened again (measured with
pyoxigraph 0.5 on a full tmpfs). Reads go on meanwhile. So a failed write
becomes a :class:`StorageFaultError` (503), and a later write (or a
readiness check) opens the database again once a probe shows that its
directory takes writes, without a restart.

While it is opened again, a read waits for it (milliseconds for a small
store; the old database must first be let go of by reads still running on
it, and when one holds it too long, the old one stays and a later attempt
reopens it). A read-only copy cannot stand in meanwhile: RocksDB does not
support one next to a live writer (its files may be compacted away under
it); it stands in only when the database, closed, cannot be opened for
writing again.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from journeykg.file_faults import FileFault, file_fault, probe_writable
from journeykg.graph.errors import (
    StorageFaultError,
    StoreError,
    StoreLockedError,
    StoreUnavailableError,
)
from journeykg.private_files import private_directory

log = logging.getLogger("journeykg.graph")

WHAT = "the embedded store"

#: After a reopen that found the old database still held, the pause before the next attempt.
RETRY_SECONDS = 1.0
#: How long a reopen waits for reads still running on the old database to let go of it,
#: and how long a read waits for the reopened database.
REOPEN_WAIT_SECONDS = 10.0

#: Called with the database to use from now on (at the start, and around a reopen).
Install = Callable[[ox.Store], None]


class OxigraphFiles:
    """The Oxigraph database in ``directory`` (in memory when None), reopened after a fault.

    Writes and recovery must be called with the store's write lock held, so
    that no write runs while the database is swapped.
    """

    def __init__(
        self,
        directory: Path | None,
        install: Install,
        clock: Callable[[], float] = time.monotonic,
        *,
        read_only: bool = False,
    ) -> None:
        self.directory = directory
        self.read_only = read_only
        self._install = install
        self._clock = clock
        self._lock = threading.Lock()
        self._swapped = threading.Condition()
        #: Why the last write failed, while it lasts. A kind, not the exception: a kept
        #: exception would keep its traceback's frames (and what they hold) alive.
        self.fault: FileFault | None = None
        self._retry_at = 0.0
        self.store: ox.Store = self._open()
        install(self.store)

    def _open(self) -> ox.Store:
        if self.directory is None:
            return ox.Store()
        if self.read_only:
            # Beside the process that holds the directory (a server): no lock taken.
            try:
                return ox.Store.read_only(str(self.directory))
            except (OSError, RuntimeError) as exc:
                raise StoreError(
                    f"cannot read the embedded store in {self.directory}: {exc}"
                ) from exc
        # Oxigraph's files take the umask's mode; a private directory keeps them private.
        private_directory(self.directory)
        try:
            return ox.Store(str(self.directory))
        except OSError as exc:
            if not _locked(exc):
                raise StoreError(
                    f"cannot open the embedded store in {self.directory}: {exc}"
                ) from exc
            # Oxigraph locks its directory: one process at a time (this is
            # also what keeps two syncs of one embedded store apart).
            raise StoreLockedError(
                f"cannot open the embedded store in {self.directory}: {exc}; another journeykg "
                "process (a server, a sync) probably holds it: stop it, or go through its API",
                self.directory,
            ) from exc

    def update(self, text: str) -> None:
        """Apply one SPARQL update (all of it or nothing); a StorageFaultError if the disk fails."""
        try:
            self.store.update(text)
        except OSError as exc:
            fault = file_fault(exc) or FileFault.IO
            # The text, not the exception: a log handler that keeps records would keep its
            # traceback, and the database with it, which then could not be opened again.
            log.warning("a write to the embedded store failed (%s): %s", fault.value, str(exc))
            with self._lock:
                self.fault = fault
            raise StorageFaultError(WHAT, fault) from exc

    def recover(self) -> None:
        """Make the database take writes again after a fault, or raise the fault that remains.

        Probes the directory (cheap), and when it takes writes, opens the
        database again; after a reopen that found the old database still held
        by reads, the next one waits :data:`RETRY_SECONDS`.
        """
        with self._lock:
            fault = self.fault
            if fault is None:
                return
            if self._clock() < self._retry_at:
                raise StorageFaultError(WHAT, fault)
            if self.directory is not None:
                try:
                    probe_writable(self.directory)
                except OSError as exc:
                    self.fault = file_fault(exc) or FileFault.IO
                    raise StorageFaultError(WHAT, self.fault) from exc
                self._reopen(fault)
            self.fault = None
        log.warning("the embedded store takes writes again")

    def check(self) -> None:
        """For readiness: recover from a fault if one is recorded, else probe the directory."""
        self.recover()
        if self.directory is not None:
            try:
                probe_writable(self.directory)
            except OSError as exc:
                raise StorageFaultError(WHAT, file_fault(exc) or FileFault.IO) from exc

    def error(self) -> StorageFaultError | None:
        """The error a write would meet now (None when writes work)."""
        fault = self.fault
        return StorageFaultError(WHAT, fault) if fault is not None else None

    def _reopen(self, fault: FileFault) -> None:
        assert self.directory is not None
        path = str(self.directory)
        # The old database closes with its last reference. Ours go now; reads still
        # running on it let go of theirs when they end; new reads wait for the new one.
        old = self.store
        self._use(cast(ox.Store, _Reopening(self)))
        deadline = self._clock() + REOPEN_WAIT_SECONDS
        while True:
            gc.collect()
            if sys.getrefcount(old) <= 2:  # ``old`` and the call's argument: nobody else
                break
            if self._clock() >= deadline:
                # A long read holds it: reads go on from it, a later attempt reopens it.
                self._retry_at = self._clock() + RETRY_SECONDS
                self._use(old)
                raise StorageFaultError(WHAT, fault)
            time.sleep(0.05)
        del old
        while True:
            try:
                fresh = ox.Store(path)
                break
            except OSError as exc:
                if _locked(exc) and self._clock() < deadline:
                    time.sleep(0.05)  # an iterator of a read that just ended, still closing
                    continue
                self._retry_at = self._clock() + RETRY_SECONDS
                if not _locked(exc):
                    # Closed, but it cannot be opened for writing: read it meanwhile.
                    self._read_only(path)
                raise StorageFaultError(WHAT, file_fault(exc) or fault) from exc
        self._use(fresh)

    def _read_only(self, path: str) -> None:
        try:
            self._use(ox.Store.read_only(path))
        except (OSError, RuntimeError) as exc:
            log.warning("the embedded store cannot be read either: %s", str(exc))

    def _use(self, store: ox.Store) -> None:
        with self._swapped:
            self.store = store
            self._swapped.notify_all()
        self._install(store)

    def current(self) -> ox.Store:
        """The database, once it is no longer being opened again (for a read that waited)."""
        deadline = self._clock() + REOPEN_WAIT_SECONDS
        with self._swapped:
            while isinstance(self.store, _Reopening):
                left = deadline - self._clock()
                if left <= 0:
                    raise StoreUnavailableError(
                        f"{WHAT} is being opened again after a fault of its disk; retry"
                    )
                self._swapped.wait(left)
            return self.store

    def close(self) -> None:
        """Let go of the database (closed, its directory unlocked, with its last reference)."""
        del self.store


class _Reopening:
    """Stands in for the database while it is opened again: a read waits for the new one."""

    def __init__(self, files: OxigraphFiles) -> None:
        self._files = files

    def __getattr__(self, name: str) -> Any:
        return getattr(self._files.current(), name)


def _locked(exc: OSError) -> bool:
    """Whether opening failed because the old database is still open (its LOCK is held)."""
    return "lock" in str(exc).lower()
