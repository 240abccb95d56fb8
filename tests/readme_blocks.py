"""The runnable parts of a Markdown document: shell commands, transcripts, GraphQL operations.

tests/test_readme.py runs what this module finds in README.md. Fenced blocks
are found with markdown-it (the parser rich renders Markdown with), so that
indented or nested fences are read the way a Markdown viewer shows them.

- A ```` ```sh ```` block holds commands, one per line (a trailing backslash
  continues a line); ``# ...`` after a command is its comment, which may say
  that the command is refused (``refused (BAD_REQUEST)``) or how it exits
  (``exits 1``).
- A fence without a language whose lines start with ``$ `` is a transcript:
  a command and the output it shows, where ``...`` stands for any text.
- A ```` ```graphql ```` block holds one or more GraphQL operations, each run
  on its own.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass

import graphql
from markdown_it import MarkdownIt

REFUSED = re.compile(r"refused \((?P<code>[A-Z_]+)\)")
EXITS = re.compile(r"\bexits (?P<code>\d+)\b")


@dataclass(frozen=True)
class Command:
    """One shell command of the document, split as a POSIX shell would."""

    argv: tuple[str, ...]
    comment: str
    line: int
    """The line it starts on (1-based), for messages."""

    @property
    def refused_with(self) -> str | None:
        """The refusal code the comment announces (``refused (BAD_REQUEST)``), if any."""
        found = REFUSED.search(self.comment)
        return found["code"] if found else None

    @property
    def exit_code(self) -> int:
        """The exit code the document promises: 0 unless the comment says otherwise."""
        found = EXITS.search(self.comment)
        if found:
            return int(found["code"])
        return 1 if self.refused_with else 0

    def __str__(self) -> str:
        return f"README.md:{self.line}: {shlex.join(self.argv)}"


@dataclass(frozen=True)
class Transcript:
    """A command and the output the document shows for it."""

    command: Command
    output: tuple[str, ...]

    def missing_from(self, output: str) -> list[str]:
        """The shown lines that ``output`` lacks (each line matched whole; ``...`` is any text)."""
        lines = output.splitlines()
        return [
            shown
            for shown in self.output
            if not any(_shown_line(shown).fullmatch(line.rstrip()) for line in lines)
        ]


@dataclass(frozen=True)
class Operation:
    """One GraphQL operation of a ```graphql block."""

    document: str
    line: int
    mutation: bool
    root_fields: tuple[str, ...]


def fences(markdown: str) -> list[tuple[str, str, int]]:
    """Every fenced block: (language, content, first content line, 1-based)."""
    return [
        (token.info.strip(), token.content, token.map[0] + 2 if token.map else 0)
        for token in MarkdownIt().parse(markdown)
        if token.type == "fence"
    ]


def commands(markdown: str) -> list[Command]:
    """Every command of every ```sh block, in document order."""
    found: list[Command] = []
    for language, content, first in fences(markdown):
        if language in ("sh", "bash", "shell", "console"):
            found.extend(_commands(content, first))
    return found


def transcripts(markdown: str) -> list[Transcript]:
    """Every transcript: a fence without a language whose first line starts with ``$ ``."""
    found: list[Transcript] = []
    for language, content, first in fences(markdown):
        lines = content.splitlines()
        if language or not lines or not lines[0].startswith("$ "):
            continue
        current: tuple[Command, list[str]] | None = None
        for number, line in enumerate(lines, first):
            if line.startswith("$ "):
                if current:
                    found.append(Transcript(current[0], tuple(current[1])))
                current = (_command(line[2:], number), [])
            elif current and line.strip():
                current[1].append(line.rstrip())
        if current:
            found.append(Transcript(current[0], tuple(current[1])))
    return found


def operations(markdown: str) -> list[Operation]:
    """Every GraphQL operation of every ```graphql block, in document order."""
    found: list[Operation] = []
    for language, content, first in fences(markdown):
        if language != "graphql":
            continue
        for definition in graphql.parse(content).definitions:
            assert isinstance(definition, graphql.OperationDefinitionNode), definition
            found.append(
                Operation(
                    document=graphql.print_ast(definition),
                    line=first + (definition.loc.start_token.line - 1 if definition.loc else 0),
                    mutation=definition.operation == graphql.OperationType.MUTATION,
                    root_fields=tuple(
                        s.name.value
                        for s in definition.selection_set.selections
                        if isinstance(s, graphql.FieldNode)
                    ),
                )
            )
    return found


def _commands(content: str, first: int) -> list[Command]:
    found: list[Command] = []
    pending, start = "", first
    for number, line in enumerate(content.splitlines(), first):
        if not pending:
            start = number
        if line.rstrip().endswith("\\") and not _comment_at(line):
            pending += line.rstrip()[:-1] + " "
            continue
        text = pending + line
        pending = ""
        if text.strip() and not text.lstrip().startswith("#"):
            found.append(_command(text, start))
    return found


def _command(text: str, line: int) -> Command:
    at = _comment_at(text)
    code, comment = (text[:at], text[at + 1 :].strip()) if at is not None else (text, "")
    return Command(tuple(shlex.split(code)), comment, line)


def _comment_at(text: str) -> int | None:
    """Where the shell comment of ``text`` starts: an unquoted ``#`` after a blank."""
    quote: str | None = None
    escaped = False
    for i, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = None if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or text[i - 1].isspace()):
            return i
    return None


def _shown_line(shown: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in shown.rstrip().split("...")))
