"""The coverage page (/coverage): the coverage report, summarised, in the page's language.

The findings are :func:`journeykg.graph.coverage.coverage_report`'s, the very
function the CLI prints, so the page and the CLI cannot disagree; only the
message is picked in the page's language from the shapes' sh:message.
"""

# No `from __future__ import annotations`: FastAPI must see the handlers' parameter types.

from collections.abc import Callable
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from journeykg.access.roles import Permission
from journeykg.graph.coverage import CoverageReport, Finding, coverage_report
from journeykg.graph.store import Store
from journeykg.web.session import Visitor

#: The page of an element a rule finds, by rule: the rule's target class says what it is.
#: Rules over elements the workspace has no page for (stages, touchpoints, concepts) link nowhere.
ELEMENT_PAGES = {
    "Coverage-ContactReasonWithoutJourney": "/reason",
    "Coverage-JourneyWithoutOwner": "/journey",
    "Coverage-JourneyWithoutKPI": "/journey",
}


@dataclass(frozen=True)
class RuleSummary:
    """One rule's line in the summary: how many findings, how serious."""

    rule: str
    severity: str
    count: int


def summary(report: CoverageReport) -> list[RuleSummary]:
    """Counts per rule, in the report's order of rules."""
    return [
        RuleSummary(rule, findings[0].severity, len(findings))
        for rule, findings in report.by_rule().items()
    ]


class LatestReport:
    """The coverage report of the graph as it is, computed again only after a write.

    The report runs SHACL over the whole graph (a few hundred ms on the demo,
    over the pages' 200 ms), yet it changes only when the graph does; kept
    under :meth:`Store.generation`, read *before* computing, a kept report is
    never older than the graph it is shown for.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._kept: tuple[str, CoverageReport] | None = None

    def __call__(self) -> CoverageReport:
        """The report of the graph's current generation."""
        generation = self.store.generation()
        kept = self._kept  # one read: another thread may replace it meanwhile
        if kept is not None and kept[0] == generation:
            return kept[1]
        report = coverage_report(self.store)
        self._kept = (generation, report)
        return report


def element_page(finding: Finding) -> str | None:
    """The workspace page of the element ``finding`` is about, if the workspace has one."""
    path = ELEMENT_PAGES.get(finding.rule)
    return f"{path}?id={finding.element}" if path else None


def install_coverage_page(
    router: APIRouter,
    store: Store,
    *,
    page: Callable[..., HTMLResponse],
    answered: Callable[[Request, Callable[[], Response]], Response],
    allowed: Callable[[Request, Permission], Visitor],
) -> None:
    """Add /coverage to ``router``: anyone who may read the graph may read its gaps."""
    latest = LatestReport(store)

    @router.get("/coverage", response_class=HTMLResponse)
    def coverage(request: Request) -> Response:
        visitor = allowed(request, Permission.READ)

        def ask() -> Response:
            report = latest()
            return page(
                request,
                "coverage.html",
                visitor,
                report=report,
                summary=summary(report),
                element_page=element_page,
            )

        return answered(request, ask)
