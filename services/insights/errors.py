"""The refusals of the insight services: each names the record, the field and the rule."""

from __future__ import annotations

from journeykg.validation.problems import Problem


class InsightError(ValueError):
    """A request the insight services refuse; nothing was written."""

    def __init__(self, code: str, record: str, field: str, rule: str, message: str) -> None:
        self.code = code
        """A stable code for entry points (``TRANSITION``, ``OWNER_REQUIRED``, ``SHAPES``)."""
        self.record, self.field, self.rule = record, field, rule
        super().__init__(f"{record}: {field}: {message} [rule: {rule}]; nothing was written")


class InsightValidationError(InsightError):
    """The write does not conform to the shapes; carries the gate's problems."""

    def __init__(self, record: str, problems: list[Problem]) -> None:
        self.problems = problems
        first = problems[0]
        super().__init__(
            "SHAPES",
            first.node or record,
            first.property or "",
            first.rule,
            "; ".join(p.message for p in problems),
        )
