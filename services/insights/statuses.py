"""The lifecycles of an insight and of an initiative: their statuses and allowed steps.

These are lifecycle statuses (``jkg:insightStatus``, ``jkg:initiativeStatus``),
not governance statuses (``reg:status``): docs/governance.md says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rdflib import URIRef

from journeykg.namespaces import JKG
from journeykg.services.insights.errors import InsightError

INSIGHT_STATUSES: Mapping[str, URIRef] = {
    "new": JKG.insightNew,
    "validated": JKG.insightValidated,
    "addressed": JKG.insightAddressed,
    "closed": JKG.insightClosed,
    "rejected": JKG.insightRejected,
}

#: From each insight status, where it may go.
INSIGHT_STEPS: Mapping[str, frozenset[str]] = {
    "new": frozenset({"validated", "rejected"}),
    "validated": frozenset({"addressed", "rejected"}),
    "addressed": frozenset({"closed", "validated"}),
    "closed": frozenset(),
    "rejected": frozenset(),
}

INITIATIVE_STATUSES: Mapping[str, URIRef] = {
    "idea": JKG.initiativeIdea,
    "planned": JKG.initiativePlanned,
    "in-progress": JKG.initiativeInProgress,
    "done": JKG.initiativeDone,
    "dropped": JKG.initiativeDropped,
}

INITIATIVE_STEPS: Mapping[str, frozenset[str]] = {
    "idea": frozenset({"planned", "dropped"}),
    "planned": frozenset({"in-progress", "done", "dropped"}),
    "in-progress": frozenset({"done", "dropped"}),
    "done": frozenset(),
    "dropped": frozenset(),
}

#: Insight statuses an initiative may address: an insight is validated before it is acted on.
ADDRESSABLE = frozenset({"validated", "addressed"})


def status_name(statuses: Mapping[str, URIRef], iri: object) -> str | None:
    """The name (``validated``) of a status IRI, None for an unknown one."""
    return next((name for name, s in statuses.items() if s == iri), None)


@dataclass(frozen=True)
class Lifecycle:
    """One lifecycle's statuses and steps, and the property and shape a refusal names."""

    kind: str
    statuses: Mapping[str, URIRef]
    steps: Mapping[str, frozenset[str]]
    prop: str
    shape: str

    def check_step(self, ident: str, current: str, status: str) -> URIRef:
        """The IRI of ``status``; an InsightError if it is unknown or no step from ``current``."""
        if status not in self.statuses:
            raise InsightError(
                "UNKNOWN_STATUS",
                ident,
                self.prop,
                self.shape,
                f"unknown status {status!r}; one of {', '.join(self.statuses)}",
            )
        if status not in self.steps[current]:
            allowed = ", ".join(sorted(self.steps[current])) or "none: it is final"
            raise InsightError(
                "TRANSITION",
                ident,
                self.prop,
                f"{self.kind} lifecycle (docs/insights.md)",
                f"cannot go from {current} to {status}; allowed: {allowed}",
            )
        return self.statuses[status]


INSIGHT_LIFECYCLE = Lifecycle(
    "insight", INSIGHT_STATUSES, INSIGHT_STEPS, "jkg:insightStatus", "jkgsh:Insight-status"
)
INITIATIVE_LIFECYCLE = Lifecycle(
    "initiative",
    INITIATIVE_STATUSES,
    INITIATIVE_STEPS,
    "jkg:initiativeStatus",
    "jkgsh:Initiative-status",
)
