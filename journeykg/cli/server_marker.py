"""Which server holds an embedded store: a note beside the store, written while it serves.

A command that must write to a store a server holds cannot open it (Oxigraph
locks its directory); this note lets it say which server that is and where
its API answers, so that the user can make the change there.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType

from journeykg.private_files import private_file

#: The note's name in the store's state directory.
FILE_NAME = "server.json"


@dataclass(frozen=True)
class RunningServer:
    """A server that says it serves the store."""

    pid: int
    url: str
    """Its GraphQL endpoint."""


@contextmanager
def announced(state_dir: Path, url: str) -> Iterator[None]:
    """Leave the note in ``state_dir`` while the block serves; it goes when the block ends."""
    note = state_dir / FILE_NAME
    mine = {"pid": os.getpid(), "url": url, "started": datetime.now(UTC).isoformat()}
    # In the store's private state directory, private like everything there.
    private_file(note).write_text(json.dumps(mine, indent=2) + "\n")
    # uvicorn stops gracefully on SIGTERM and then raises the signal again
    # with the handler it found; the default one would end the process before
    # the note is removed, so the handler it finds exits through Python.
    previous = signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        if running(state_dir) == RunningServer(os.getpid(), url):
            note.unlink(missing_ok=True)


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def running(state_dir: Path) -> RunningServer | None:
    """The server the note in ``state_dir`` names, if its process still runs."""
    try:
        found = json.loads((state_dir / FILE_NAME).read_text())
        server = RunningServer(pid=int(found["pid"]), url=str(found["url"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    try:
        os.kill(server.pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return None  # it died without removing its note
    except PermissionError:
        pass  # it exists, as another user
    return server
