"""What can be wrong with input, said so that a person can fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where (file, line or node, property) and which rule."""

    file: str
    rule: str
    message: str
    line: int | None = None
    node: str | None = None
    property: str | None = None
    value: str | None = None
    severity: str = "Violation"

    def __str__(self) -> str:
        where = [self.file + (f":{self.line}" if self.line else "")]
        if self.node:
            where.append(f"node {self.node}")
        if self.property:
            where.append(f"property {self.property}")
        if self.value is not None:
            where.append(f"value {self.value!r}")
        return f"{', '.join(where)}: {self.message} [{self.severity}: {self.rule}]"


class LoadError(Exception):
    """Input was refused; nothing was written. ``problems`` says what and where."""

    def __init__(self, summary: str, problems: list[Problem]) -> None:
        self.summary = summary
        self.problems = problems
        lines = [summary, *(f"  - {p}" for p in problems)]
        super().__init__("\n".join(lines))

    def __reduce__(self) -> tuple[type[LoadError], tuple[str, list[Problem]]]:
        # Pickled with its own arguments (Exception's default pickles the joined message as
        # the only argument, which this __init__ cannot take): a worker process that parses
        # CRM pages raises the same error in the parent as the serial path would.
        return (type(self), (self.summary, self.problems))


class ParseError(LoadError):
    """The file is not valid RDF in its format."""


class ValidationError(LoadError):
    """The data does not conform to the SHACL shapes."""
