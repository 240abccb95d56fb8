"""Refusals of the governance workflow: each says what was refused and why; nothing was written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from journeykg.validation.problems import Problem

if TYPE_CHECKING:  # model imports transitions, which imports this module
    from journeykg.services.governance.model import Reference


class GovernanceError(Exception):
    """A workflow step was refused; the store is unchanged. ``code`` names the kind."""

    code = "REFUSED"


class IllegalTransitionError(GovernanceError):
    """The transition table has no such step from the item's status."""

    code = "ILLEGAL_TRANSITION"

    def __init__(self, message: str, *, item: str, current: str, action: str) -> None:
        super().__init__(message)
        self.item = item
        self.current = current
        self.action = action


class NotPermittedError(GovernanceError):
    """The step needs a governance role the caller did not present."""

    code = "FORBIDDEN"


class StillReferencedError(GovernanceError):
    """The element is referenced, so it may only be superseded and its references migrated."""

    code = "REFERENCED"

    def __init__(self, message: str, references: Sequence[Reference]) -> None:
        super().__init__(message)
        self.references = list(references)


class StaleVersionError(GovernanceError):
    """The caller edited a version that is no longer current: someone changed it meanwhile."""

    code = "STALE"

    def __init__(self, message: str, *, item: str, expected: int, current: int | None) -> None:
        super().__init__(message)
        self.item = item
        self.expected = expected
        self.current = current


class ElementBusyError(GovernanceError):
    """Another process kept the element's governance lease longer than a step may wait."""

    code = "BUSY"

    def __init__(self, message: str, *, item: str) -> None:
        super().__init__(message)
        self.item = item


class GovernanceRequestError(GovernanceError):
    """The request itself does not make sense (a concept that exists already, ...).

    ``reason`` names which kind of nonsense (``exists``, ``open_proposal``, ...) and
    ``details`` its particulars, so that an entry point can say it in another
    language than the English message (the web workspace's Dutch pages do).
    """

    code = "BAD_REQUEST"

    def __init__(self, message: str, *, reason: str = "", **details: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.details = details


class GovernanceValidationError(GovernanceError):
    """The step's delta does not conform to the shapes."""

    code = "INVALID"

    def __init__(self, message: str, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        lines = [message, *(f"  - {p}" for p in self.problems)]
        super().__init__("\n".join(lines))
        self.summary = message
