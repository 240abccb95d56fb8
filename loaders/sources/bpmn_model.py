"""What the BPMN source reads from its models, before keys and triples: files, processes, lanes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from journeykg.validation.problems import Problem

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"

#: The rule of the problem that says a model holds no process (refused when no file holds one).
EMPTY_RULE = "BPMN model holds a process"


@dataclass(frozen=True, order=True)
class Ref:
    """An element of the input: the file it is in and its id there (ids are unique per file)."""

    file: str
    id: str

    def __str__(self) -> str:
        return f"{self.file}#{self.id}"


@dataclass(frozen=True)
class Call:
    """A call activity: its id and the element it calls, as written (``ns1:Process_2``)."""

    id: str
    called: str


@dataclass
class BpmnProcess:
    """A process, sub-process or global task as read from the model."""

    ref: Ref
    name: str | None
    tag: str
    """Its element: ``process``, ``subProcess``, ``globalUserTask``, ..."""
    language: str
    """The language of its name (the recipe's, else the model's ``xml:lang``, else ``und``)."""
    parent: Ref | None = None
    subprocesses: list[Ref] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    lanes: list[str] = field(default_factory=list)


@dataclass
class BpmnFile:
    """One model file: its namespaces, its imports and what it holds besides processes."""

    name: str
    target_namespace: str | None
    prefixes: dict[str, str] = field(default_factory=dict)
    """Namespace prefix -> URI, as the file declares them (``calledElement`` QNames)."""
    imports: dict[str, str] = field(default_factory=dict)
    """Imported namespace -> location."""
    holds: Counter[str] = field(default_factory=Counter)
    """Elements other than processes, by tag (``import``, ``collaboration``, ...)."""
    processes: int = 0
    """Processes and global tasks read from it."""

    def contents(self) -> str:
        """What the file holds, in words: ``2 imports, 1 collaboration``, or ``nothing``."""
        parts = [f"{n} {tag}{'s' if n > 1 else ''}" for tag, n in sorted(self.holds.items())]
        return ", ".join(parts) or "nothing but the definitions element"


@dataclass
class BpmnModel:
    """Everything read from the input files."""

    files: dict[str, BpmnFile] = field(default_factory=dict)
    processes: dict[Ref, BpmnProcess] = field(default_factory=dict)
    roles: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Lane name -> (the file that named it first, the language of that file)."""
    rejected: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    read: int = 0

    def by_id(self, element_id: str) -> list[BpmnProcess]:
        """The processes of any file with ``element_id``, in file order."""
        return [p for ref, p in sorted(self.processes.items()) if ref.id == element_id]

    def empty_files(self) -> list[BpmnFile]:
        """The files that hold no process and no global task."""
        return [f for f in self.files.values() if not f.processes]

    def empty_problems(self, severity: str) -> list[Problem]:
        """For each empty file: what it holds instead, with ``severity``."""
        return [
            Problem(
                f.name,
                EMPTY_RULE,
                f"the model holds no process or global task, only {f.contents()}; "
                "nothing is read from it",
                severity=severity,
            )
            for f in self.empty_files()
        ]
