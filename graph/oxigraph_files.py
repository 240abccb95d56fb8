"""The embedded store's Oxigraph database on disk: failed writes mapped, and recovered from.

RocksDB, under Oxigraph, stops taking writes after one fails on a full disk
or an unwritable directory: every later write repeats the first error, also
once space is freed, until the database is opened again (measured with
pyoxigraph 0.5 on a full tmpfs). Reads go on meanwhile. So a failed write
becomes a :class:`StorageFaultError` (503), and a later write (or a
readiness check) opens the database again once a probe shows that its
directory takes writes: without a restart, and without a window in which
reads fail (they use a read-only copy while the database is reopened).
"""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from journeykg.file_faults import FileFault, file_fault, probe_writable
from journeykg.graph.errors import StorageFaultError, StoreError
from journeykg.private_files import private_directory

log = logging.getLogger("journeykg.graph")

WHAT = "the embedded store"

#: After a reopen found the old database still held, the pause before the next attempt.
RETRY_SECONDS = 1.0
#: How long a reopen waits for reads still running on the old database to let go of it.
REOPEN_WAIT_SECONDS = 2.0

#: Called with the database to use from now on (at the start, and after a reopen).
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
    ) -> None:
        self.directory = directory
        self._install = install
        self._clock = clock
        self._lock = threading.Lock()
        self.fault: StorageFaultError | None = None
        self._retry_at = 0.0
        self.store = self._open()
        install(self.store)

    def _open(self) -> ox.Store:
        if self.directory is None:
            return ox.Store()
        # Oxigraph's files take the umask's mode; a private directory keeps them private.
        private_directory(self.directory)
        try:
            return ox.Store(str(self.directory))
        except OSError as exc:
            # Oxigraph locks its directory: one process at a time (this is
            # also what keeps two syncs of one embedded store apart).
            raise StoreError(
                f"cannot open the embedded store in {self.directory}: {exc}; another journeykg "
                "process (a server, a sync) probably holds it: stop it, or go through its API"
            ) from exc

    def update(self, text: str) -> None:
        """Apply one SPARQL update (all of it or nothing); a StorageFaultError if the disk fails."""
        try:
            self.store.update(text)
        except OSError as exc:
            fault = file_fault(exc) or FileFault.IO
            log.warning("a write to the embedded store failed (%s): %s", fault.value, exc)
            with self._lock:
                self.fault = StorageFaultError(WHAT, fault)
            raise self.fault from exc

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
                raise fault
            if self.directory is not None:
                try:
                    probe_writable(self.directory)
                except OSError as exc:
                    self.fault = StorageFaultError(WHAT, file_fault(exc) or FileFault.IO)
                    raise self.fault from exc
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

    def _reopen(self, fault: StorageFaultError) -> None:
        assert self.directory is not None
        path = str(self.directory)
        try:
            stand_in = ox.Store.read_only(path)
        except OSError as exc:
            raise fault from exc
        # Reads go to the read-only copy while the database is closed and opened again;
        # it is closed when its last reference goes (reads still running hold one).
        self.store = stand_in
        self._install(stand_in)
        deadline = self._clock() + REOPEN_WAIT_SECONDS
        while True:
            gc.collect()
            try:
                fresh = ox.Store(path)
                break
            except OSError as exc:
                if self._clock() >= deadline:
                    # Still held: reads go on from the copy; a later attempt opens it.
                    self._retry_at = self._clock() + RETRY_SECONDS
                    raise fault from exc
                time.sleep(0.05)
        self.store = fresh
        self._install(fresh)

    def close(self) -> None:
        """Let go of the database (closed, its directory unlocked, with its last reference)."""
        del self.store
