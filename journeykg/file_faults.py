"""Faults of the files the server writes: a full disk, a place it may not write, an I/O error.

Oxigraph (RocksDB), SQLite and the OS report them each in their own words;
this names them once, so that every store and every entry point answers
them alike: 503, a message that says what happened and what makes it pass,
and recovery without a restart (docs/hardening.md).
"""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
from enum import Enum
from pathlib import Path

#: Bytes a probe writes to tell whether a directory takes writes: enough that a
#: disk with room for it has room for a small write, little enough to be cheap.
PROBE_BYTES = 64 * 1024


class FileFault(Enum):
    """What kind of fault stopped a write; the value is the code clients see."""

    FULL = "DISK_FULL"
    READ_ONLY = "NOT_WRITABLE"
    IO = "IO_ERROR"

    @property
    def reason(self) -> str:
        """What happened, in a phrase (``... cannot be written: <reason>``)."""
        return {
            FileFault.FULL: "no space is left on its disk",
            FileFault.READ_ONLY: "its directory or file is read-only or closed to the server",
            FileFault.IO: "its disk reported an I/O error",
        }[self]

    @property
    def remedy(self) -> str:
        """What makes writes work again, in a phrase (``... once <remedy>``)."""
        return {
            FileFault.FULL: "space is freed",
            FileFault.READ_ONLY: "the directory is writable by the server again",
            FileFault.IO: "the disk answers again",
        }[self]


_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})
_READ_ONLY_ERRNOS = frozenset({errno.EROFS, errno.EACCES, errno.EPERM})
# RocksDB's messages carry the OS's words but no errno.
_FULL_WORDS = ("No space left on device", "Disk quota exceeded")
_READ_ONLY_WORDS = ("Read-only file system", "Permission denied", "Operation not permitted")
_SQLITE_FULL = ("SQLITE_FULL",)
_SQLITE_READ_ONLY = ("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH")
_SQLITE_IO = ("SQLITE_IOERR", "SQLITE_CORRUPT", "SQLITE_NOTADB")


def file_fault(exc: BaseException) -> FileFault | None:
    """The fault ``exc`` reports, or None when it is not about writing files."""
    if isinstance(exc, sqlite3.Error):
        name = getattr(exc, "sqlite_errorname", "") or ""
        if name.startswith(_SQLITE_FULL):
            return FileFault.FULL
        if name.startswith(_SQLITE_READ_ONLY):
            return FileFault.READ_ONLY
        if name.startswith(_SQLITE_IO):
            return FileFault.IO
        return None
    if isinstance(exc, OSError):
        if exc.errno in _FULL_ERRNOS:
            return FileFault.FULL
        if exc.errno in _READ_ONLY_ERRNOS:
            return FileFault.READ_ONLY
        text = str(exc)
        if any(words in text for words in _FULL_WORDS):
            return FileFault.FULL
        if any(words in text for words in _READ_ONLY_WORDS):
            return FileFault.READ_ONLY
        return FileFault.IO
    return None


def probe_writable(directory: Path) -> None:
    """Write and remove a small file in ``directory``; the OSError if that fails."""
    fd, name = tempfile.mkstemp(prefix=".journeykg-probe-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as probe:
            probe.write(bytes(PROBE_BYTES))
            probe.flush()
    finally:
        Path(name).unlink(missing_ok=True)
