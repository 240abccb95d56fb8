"""How a sync runs: the caller's options and the callbacks it is given."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from journeykg.graph.governed_steps import Proposer
from journeykg.graph.store import Progress
from journeykg.loaders.sync.report import Mode, SyncReport


@dataclass
class SyncOptions:
    """How to run a sync (the CLI flags and the REST query parameters)."""

    mode: Mode = "full"
    dry_run: bool = False
    strict: bool = False
    force: bool = False
    retire_max_share: float = 0.05
    quarantine: Path | None = None
    proposer: Proposer | None = None
    """``--propose``: records that only change governed texts become change proposals."""


@dataclass
class SyncHooks:
    """Callbacks for progress bars (and for the crash test, which kills mid-write)."""

    batch_done: Callable[[SyncReport], None] | None = None
    before_write: Callable[[int], None] | None = None
    """Called with the number of the batch about to be written."""
    write_progress: Progress | None = None
