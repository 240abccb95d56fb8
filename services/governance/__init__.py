"""Governance of definitions: the workflow, history and as-of, integrity, glossary reads.

:mod:`.service` has one function per request the CLI and the API serve;
``Governance(store, clock)`` runs the workflow beneath it; :mod:`.history`
answers what a concept meant when; :mod:`.integrity` guards references;
:mod:`.transitions` is the table of legal steps.
"""

from journeykg.services.governance import glossary, history, integrity, service
from journeykg.services.governance.errors import (
    GovernanceError,
    GovernanceRequestError,
    GovernanceValidationError,
    IllegalTransitionError,
    NotPermittedError,
    StillReferencedError,
)
from journeykg.services.governance.model import (
    Activity,
    ChangeProposal,
    Concept,
    ConceptText,
    FieldChange,
    MigrationOutcome,
    Outcome,
    Reference,
    Version,
)
from journeykg.services.governance.transitions import STEWARD, TRANSITIONS, Action, Status
from journeykg.services.governance.workflow import Clock, Governance, NewConcept, system_clock

__all__ = [
    "STEWARD",
    "TRANSITIONS",
    "Action",
    "Activity",
    "ChangeProposal",
    "Clock",
    "Concept",
    "ConceptText",
    "FieldChange",
    "Governance",
    "GovernanceError",
    "GovernanceRequestError",
    "GovernanceValidationError",
    "IllegalTransitionError",
    "MigrationOutcome",
    "NewConcept",
    "NotPermittedError",
    "Outcome",
    "Reference",
    "Status",
    "StillReferencedError",
    "Version",
    "glossary",
    "history",
    "integrity",
    "service",
    "system_clock",
]
