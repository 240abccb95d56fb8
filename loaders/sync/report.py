"""What a sync reports: counts, what was refused and why, the bookmark, the run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from journeykg.graph.series import UNTOUCHED, Touched
from journeykg.loaders.quarantine import problem_json
from journeykg.validation.problems import Problem

#: At most this many rejections and warnings are listed in a report (all are counted).
MAX_LISTED = 100

Mode = Literal["full", "incremental"]
Status = Literal["ok", "rejected", "retirement refused", "nothing written", "failed"]


class ProblemOut(BaseModel):
    """One problem: where (file or record origin, node, property) and which rule."""

    file: str
    rule: str
    message: str
    line: int | None = None
    node: str | None = None
    property: str | None = None
    value: str | None = None
    severity: str = "Violation"

    @classmethod
    def of(cls, problem: Problem) -> ProblemOut:
        return cls(**problem_json(problem))


class RejectedRecord(BaseModel):
    """A record that was not written, and why."""

    source: str
    external_id: str | None
    origin: str
    problems: list[ProblemOut]


class SyncReport(BaseModel):
    """What a sync did: counts, what was refused and why, the bookmark, the run."""

    model_config = ConfigDict(extra="forbid")

    source: str
    run: str | None = Field(
        None, description="Key of the run's prov:Activity (none when nothing was written)."
    )
    mode: Mode
    dry_run: bool = False
    strict: bool = False
    status: Status = "ok"
    started: datetime
    ended: datetime | None = None
    seconds: float = 0.0
    validate_seconds: float = Field(0.0, description="Time spent in the SHACL gate.")
    write_seconds: float = Field(0.0, description="Time spent writing (Store.apply).")
    batches: int = 0
    read: int = Field(0, description="Input records read (CRM cases, CSV rows), before mapping.")
    records: int = Field(0, description="Mapped records (aggregates) the source delivered.")
    written: int = Field(0, description="Records written because they were new or changed.")
    unchanged: int = Field(0, description="Records the store already held exactly.")
    rejected: int = Field(
        0,
        description="Records refused (not mapped, governed, another origin's, not conforming).",
    )
    proposed: int = Field(
        0,
        description="Records whose changed governed texts became change proposals instead "
        "(--propose; in a dry run: would become).",
    )
    proposals: list[str] = Field(
        default_factory=list, description="The change proposals made (capped)."
    )
    retired: int = Field(0, description="Elements removed because the source no longer has them.")
    retire_candidates: int = Field(
        0, description="Elements the source owns but did not deliver in this full sync."
    )
    owned_before: int = Field(0, description="Elements the source owned before the run.")
    retire_refused: str | None = Field(None, description="Why nothing was retired, if so.")
    retired_ids: list[str] = Field(
        default_factory=list,
        description="Retired elements (in a dry run: those it would retire; capped).",
    )
    retire_candidate_ids: list[str] = Field(
        default_factory=list,
        description="The candidates (capped): with retire_refused, what the guard did not "
        "retire; in a dry run, what it would weigh.",
    )
    kept: list[ProblemOut] = Field(
        default_factory=list, description="Candidates not retired: governed or still referenced."
    )
    unmapped: dict[str, int] = Field(default_factory=dict)
    rejections: list[RejectedRecord] = Field(default_factory=list)
    warnings: list[ProblemOut] = Field(default_factory=list)
    bookmark_before: str | None = None
    bookmark_after: str | None = None
    quarantine: str | None = None
    error: str | None = None
    # Not part of the report a caller reads (JSON, GraphQL): what the run wrote into, for
    # the loop after it (services/sync_runs.py), which looks only at what a sync can change.
    _touched: Touched = PrivateAttr(default=UNTOUCHED)

    @property
    def touched(self) -> Touched:
        """The series and KPIs the run's writes belong to (never serialised)."""
        return self._touched

    def add_touched(self, written: Touched) -> None:
        """Count ``written`` among what the run touched."""
        self._touched = self._touched | written

    @property
    def exit_code(self) -> int:
        """0 all written; 1 records refused (or strict: nothing written); 2 retirement refused;
        3 the store failed."""
        return {
            "ok": 0,
            "rejected": 1,
            "nothing written": 1,
            "retirement refused": 2,
            "failed": 3,
        }[self.status]


def status_of(report: SyncReport) -> Status:
    """The status of a run that wrote (or, dry, would write) what it could."""
    if report.rejected:
        return "rejected"
    if report.retire_refused:
        return "retirement refused"
    return "ok"


def count_rejection(
    report: SyncReport, external_id: str | None, origin: str, problems: Sequence[Problem]
) -> None:
    """Count a refused record; list it while the list is below :data:`MAX_LISTED`."""
    report.rejected += 1
    if len(report.rejections) < MAX_LISTED:
        report.rejections.append(
            RejectedRecord(
                source=report.source,
                external_id=external_id,
                origin=origin,
                problems=[ProblemOut.of(p) for p in problems],
            )
        )


def list_warnings(report: SyncReport, problems: Sequence[Problem]) -> None:
    """List warnings until the list holds :data:`MAX_LISTED`; the rest go unlisted."""
    room = max(MAX_LISTED - len(report.warnings), 0)
    report.warnings.extend(ProblemOut.of(p) for p in problems[:room])


def add_seconds(total: float, seconds: float) -> float:
    """A running time in a report: the sum, to the millisecond."""
    return round(total + seconds, 3)
