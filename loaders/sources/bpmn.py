"""BPMN 2.0 process models (XML) -> back-office processes, their dependencies and roles.

- every ``<process>`` and every ``<subProcess>`` (also ``<transaction>`` and
  ``<adHocSubProcess>``) becomes a ``jkg:BackofficeProcess``;
- a process ``jkg:dependsOn`` the sub-processes it contains and the processes
  its ``<callActivity>`` s call (``calledElement``, or Camunda 8's
  ``<zeebe:calledElement processId>``), resolved to a process of the input
  when one has that id, else through ``bpmn.processes``, else to a key made
  from the id;
- every named ``<lane>`` becomes a ``jkg:Role``; a process is
  ``jkg:performedBy`` the roles of its lanes, a sub-process by the roles of
  the lanes that hold it.

Namespaces are matched by URI, never by prefix, so ``bpmn:``, ``bpmn2:``,
``semantic:`` and a default namespace all read the same; diagram interchange
(``bpmndi``) and vendor extensions (Camunda, Zeebe, Signavio) are ignored.
XML is parsed with defusedxml and DTDs are refused: a file that declares
entities (billion laughs, external entities) is refused, never expanded.
"""

from __future__ import annotations

import re
import typing
import xml.etree.ElementTree as StdET  # only for its ParseError and Element types
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from pydantic import Field
from rdflib import Graph, Literal

from journeykg.ids import Identifiers
from journeykg.loaders.recipe_model import ModelKey, Recipe, StrictConfig
from journeykg.loaders.source import MappedRecord, SourceBatch
from journeykg.loaders.source_kinds import SourceKind
from journeykg.loaders.sources._common import (
    InputFile,
    RecipeSource,
    SourceError,
    batches,
    input_files,
)
from journeykg.namespaces import JKG, RDF, RDFS
from journeykg.validation.problems import Problem

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SUBPROCESS_TAGS = {f"{{{MODEL}}}{t}" for t in ("subProcess", "transaction", "adHocSubProcess")}
CALL = f"{{{MODEL}}}callActivity"
LANE = f"{{{MODEL}}}lane"
MAX_NESTING = 50
_GENERATED_PREFIX = re.compile(r"^(process|subprocess|sub-process|activity)[_-]", re.IGNORECASE)


class BpmnConfig(StrictConfig):
    """How BPMN elements get their keys."""

    process_prefix: str = "process/"
    role_prefix: str = "role/"
    key_from: typing.Literal["id", "name"] = "id"
    """Key processes by their BPMN id (stable across renames) or by their name."""
    processes: dict[str, ModelKey] = Field(default_factory=dict)
    """BPMN process/sub-process id or calledElement -> process key, to meet existing keys."""
    roles: dict[str, ModelKey] = Field(default_factory=dict)
    """Lane name -> role key."""
    language: str = Field(default="nl", pattern=r"^[a-z]{2}$")
    """Language of the names in the model."""


@dataclass
class BpmnProcess:
    """A process or sub-process as read from the model."""

    bpmn_id: str
    name: str | None
    file: str
    parent: str | None = None
    subprocesses: list[str] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)
    """(call activity id, called element)."""
    lanes: list[str] = field(default_factory=list)


@dataclass
class BpmnModel:
    """Everything read from the input files."""

    processes: dict[str, BpmnProcess] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)
    """Lane name -> the file that named it first."""
    rejected: list[Problem] = field(default_factory=list)
    read: int = 0


def slug(text: str) -> str:
    """``Kredietcheck uitvoeren`` -> ``kredietcheck-uitvoeren``."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "unnamed"


def parse_bpmn(file: InputFile, model: BpmnModel) -> None:
    """Add the processes and lanes of ``file`` to ``model``; SourceError if it is not BPMN."""
    try:
        root = SafeET.fromstring(
            file.data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException as exc:
        raise SourceError(
            f"{file.name} declares a DTD or entities; refused",
            [
                Problem(
                    file.name,
                    "XML without DTD or entity declarations",
                    f"refused for safety: {type(exc).__name__}",
                )
            ],
        ) from None
    except StdET.ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        raise SourceError(
            f"{file.name} is not well-formed XML",
            [Problem(file.name, "well-formed XML", f"{exc} (column {column})", line=line)],
        ) from None
    if root.tag != f"{{{MODEL}}}definitions":
        raise SourceError(
            f"{file.name} is not a BPMN 2.0 model",
            [
                Problem(
                    file.name,
                    "BPMN 2.0 definitions",
                    f"the root element is {root.tag}, not {{{MODEL}}}definitions",
                )
            ],
        )
    pools = {
        p.get("processRef"): p.get("name")
        for p in root.iter(f"{{{MODEL}}}participant")
        if p.get("processRef")
    }
    for process in root.findall(f"{{{MODEL}}}process"):
        _read_container(process, None, file.name, model, pools)


def _read_container(
    element: StdET.Element,
    parent: str | None,
    file: str,
    model: BpmnModel,
    pools: dict[str | None, str | None],
    depth: int = 0,
) -> None:
    model.read += 1
    if depth > MAX_NESTING:
        model.rejected.append(
            Problem(
                file,
                f"sub-processes nest at most {MAX_NESTING} deep",
                f"{element.get('id')} is nested deeper; it and what it holds are skipped",
                node=element.get("id"),
            )
        )
        return
    bpmn_id = element.get("id")
    if not bpmn_id:
        model.rejected.append(
            Problem(file, "BPMN element has an id", f"a <{_local(element.tag)}> has no id")
        )
        return
    if bpmn_id in model.processes:
        first = model.processes[bpmn_id].file
        model.rejected.append(
            Problem(
                file,
                "process ids are unique",
                f"process {bpmn_id} is also defined in {first}; this one is skipped",
                node=bpmn_id,
                property="id",
            )
        )
        return
    name = (element.get("name") or "").strip() or (pools.get(bpmn_id) or "").strip() or None
    process = BpmnProcess(bpmn_id, name, file, parent)
    model.processes[bpmn_id] = process
    for child in _flow_elements(element):
        if child.tag in SUBPROCESS_TAGS:
            _read_container(child, bpmn_id, file, model, pools, depth + 1)
            if child.get("id") in model.processes:
                process.subprocesses.append(str(child.get("id")))
        elif child.tag == CALL:
            model.read += 1
            called = child.get("calledElement") or _zeebe_called(child)
            if not called:
                model.rejected.append(
                    Problem(
                        file,
                        "call activity names the process it calls",
                        f"call activity {child.get('id')} in {bpmn_id} has no calledElement",
                        node=child.get("id"),
                        property="calledElement",
                    )
                )
                continue
            process.calls.append((str(child.get("id")), called))
    lane_of: dict[str, list[str]] = {}
    for lane in element.iter(LANE):
        model.read += 1
        lane_name = (lane.get("name") or "").strip()
        if not lane_name:
            model.rejected.append(
                Problem(
                    file,
                    "lane has a name",
                    f"lane {lane.get('id')} of {bpmn_id} has no name, so no role can be made",
                    node=lane.get("id"),
                    property="name",
                )
            )
            continue
        model.roles.setdefault(lane_name, file)
        if lane_name not in process.lanes:
            process.lanes.append(lane_name)
        for ref in lane.findall(f"{{{MODEL}}}flowNodeRef"):
            lane_of.setdefault((ref.text or "").strip(), []).append(lane_name)
    for sub in process.subprocesses:
        for lane_name in lane_of.get(sub, []):
            if lane_name not in model.processes[sub].lanes:
                model.processes[sub].lanes.append(lane_name)


def _flow_elements(element: StdET.Element) -> Iterator[StdET.Element]:
    """Direct flow elements of a process or sub-process (not those of nested sub-processes)."""
    for child in element:
        if child.tag.startswith(f"{{{MODEL}}}"):
            yield child


def _zeebe_called(call: StdET.Element) -> str | None:
    for ext in call.iter():
        if _local(ext.tag) == "calledElement" and ext.get("processId"):
            return ext.get("processId")
    return None


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


class Keys:
    """Keys of processes and roles, per the recipe."""

    def __init__(self, config: BpmnConfig, model: BpmnModel) -> None:
        self.config = config
        self.model = model

    def process(self, bpmn_id: str) -> str:
        """The key of process (or called element) ``bpmn_id``."""
        if bpmn_id in self.config.processes:
            return self.config.processes[bpmn_id]
        known = self.model.processes.get(bpmn_id)
        basis = bpmn_id
        if known is not None and self.config.key_from == "name" and known.name:
            basis = known.name
        else:
            basis = _GENERATED_PREFIX.sub("", basis)
        return self.config.process_prefix + slug(basis)

    def role(self, lane_name: str) -> str:
        """The key of the role a lane named ``lane_name`` stands for."""
        return self.config.roles.get(lane_name) or self.config.role_prefix + slug(lane_name)


def map_process(
    process: BpmnProcess, keys: Keys, ids: Identifiers, language: str
) -> tuple[str, Graph, list[Problem]]:
    """One process as triples: (key, graph, problems). Pure."""
    key = keys.process(process.bpmn_id)
    node = ids.iri(key)
    graph = Graph()
    problems: list[Problem] = []
    graph.add((node, RDF.type, JKG.BackofficeProcess))
    graph.add((node, RDFS.label, Literal(process.name or process.bpmn_id, lang=language)))
    needs = [keys.process(s) for s in process.subprocesses]
    for call_id, called in process.calls:
        target = keys.process(called)
        if target == key:
            problems.append(
                Problem(
                    process.file,
                    "a process does not depend on itself",
                    f"call activity {call_id} calls its own process {called}; left out",
                    node=call_id,
                    property="calledElement",
                    value=called,
                )
            )
            continue
        needs.append(target)
    for target in needs:
        graph.add((node, JKG.dependsOn, ids.iri(target)))
    for lane in process.lanes:
        graph.add((node, JKG.performedBy, ids.iri(keys.role(lane))))
    return key, graph, problems


def map_role(lane_name: str, keys: Keys, ids: Identifiers, language: str) -> tuple[str, Graph]:
    """A lane's role as triples: (key, graph). Pure."""
    key = keys.role(lane_name)
    node = ids.iri(key)
    graph = Graph()
    graph.add((node, RDF.type, JKG.Role))
    graph.add((node, RDFS.label, Literal(lane_name, lang=language)))
    return key, graph


class BpmnSource(RecipeSource):
    """BPMN 2.0 files as processes and roles."""

    def __init__(
        self,
        recipe: Recipe,
        ids: Identifiers,
        *,
        payload: bytes | None = None,
        recipe_dir: Path | None = None,
    ) -> None:
        super().__init__(recipe, ids, payload=payload, recipe_dir=recipe_dir)
        self.config = recipe.section(BpmnConfig) or BpmnConfig()

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        """One record per process and per role (the bookmark is ignored)."""
        model = BpmnModel()
        for file in input_files(self.recipe, self.payload, self.recipe_dir):
            parse_bpmn(file, model)
        keys = Keys(self.config, model)
        records: dict[str, MappedRecord] = {}
        rejected = list(model.rejected)
        for process in model.processes.values():
            key, graph, problems = map_process(process, keys, self.ids, self.config.language)
            rejected.extend(problems)
            if key in records:
                rejected.append(
                    Problem(
                        process.file,
                        "process keys are unique",
                        f"{process.bpmn_id} gets key {key}, which "
                        f"{records[key].origin} already has; skipped",
                        node=process.bpmn_id,
                    )
                )
                continue
            records[key] = MappedRecord(self.name, key, f"{process.file}#{process.bpmn_id}", graph)
        for lane_name, lane_file in model.roles.items():
            key, graph = map_role(lane_name, keys, self.ids, self.config.language)
            if key in records:  # two lane names with one role key: the first name labels it
                continue
            records[key] = MappedRecord(self.name, key, f"{lane_file}#lane {lane_name}", graph)
        yield from batches(
            [records[k] for k in sorted(records)],
            self.recipe.batch_size,
            rejected=rejected,
            unmapped={},
            read=model.read,
            bookmark=None,
        )


KIND = SourceKind(name="bpmn", open=BpmnSource, section="bpmn", config=BpmnConfig)
