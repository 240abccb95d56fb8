"""Why a sync did not run, or stopped."""

from __future__ import annotations

from journeykg.loaders.sync.report import SyncReport


class SyncBusyError(RuntimeError):
    """Another sync of the same source is running, in this process or another one."""

    def __init__(self, source: str, where: str = "") -> None:
        self.source = source
        super().__init__(
            f"a sync of {source!r} is already running{where}; try again when it is done"
        )


class SyncFailedError(Exception):
    """The store failed mid-run. Written batches stay (each was atomic); the report says which."""

    def __init__(self, report: SyncReport) -> None:
        self.report = report
        super().__init__(report.error or "the sync failed")
