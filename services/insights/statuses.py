"""The lifecycles of an insight and of an initiative: their statuses and allowed steps.

These are lifecycle statuses (``jkg:insightStatus``, ``jkg:initiativeStatus``),
not governance statuses (``reg:status``): docs/governance.md says why.
"""

from __future__ import annotations

from collections.abc import Mapping

from rdflib import URIRef

from journeykg.namespaces import JKG

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
