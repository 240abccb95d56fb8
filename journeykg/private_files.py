"""Directories and files only the server's own user may open: journeykg's state.

The token database says who may do what, the audit journal who did what, the
embedded store holds the graph. Whatever the process's umask, a directory
journeykg creates for them is 0700 and a file 0600. A directory that already
exists is left as its owner set it (a backup group may need to list it); a
state file that exists with wider access is narrowed, since a file of
journeykg's own state is nobody else's to read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


def private_directory(path: Path) -> Path:
    """``path`` as a directory; created (missing parents too) for this user only if it is new."""
    if not path.is_dir():
        path.mkdir(parents=True, exist_ok=True, mode=DIRECTORY_MODE)
        # mkdir's mode passes through the umask; the mode must be exactly this.
        path.chmod(DIRECTORY_MODE)
    return path


def private_file(path: Path) -> Path:
    """``path`` as a file only this user may open: created empty with mode 0600 if missing."""
    private_directory(path.parent)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, FILE_MODE))
    info = path.stat()
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) & 0o077:
        path.chmod(FILE_MODE)
    return path
