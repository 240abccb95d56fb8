"""Reading one BPMN 2.0 XML file into a :class:`BpmnModel`: processes, global tasks, calls, lanes.

Namespaces are matched by URI, never by prefix, so ``bpmn:``, ``bpmn2:``,
``semantic:`` and a default namespace all read the same; the prefixes a file
declares are kept, to resolve ``calledElement`` QNames (``ns1:Process_2``).
Diagram interchange (``bpmndi``) and vendor extensions are ignored. XML is
parsed with defusedxml and DTDs are refused: a file that declares entities
(billion laughs, external entities) is refused, never expanded.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as StdET  # only for its ParseError and Element types
from collections.abc import Iterator

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from journeykg.loaders.sources._common import InputFile, SourceError
from journeykg.loaders.sources.bpmn_model import (
    MODEL,
    BpmnFile,
    BpmnModel,
    BpmnProcess,
    Call,
    Ref,
)
from journeykg.validation.problems import Problem

SUBPROCESS_TAGS = {f"{{{MODEL}}}{t}" for t in ("subProcess", "transaction", "adHocSubProcess")}
#: Reusable tasks defined beside the processes, which a call activity may call.
GLOBAL_TASK_TAGS = {
    f"{{{MODEL}}}{t}"
    for t in (
        "globalTask",
        "globalUserTask",
        "globalManualTask",
        "globalScriptTask",
        "globalBusinessRuleTask",
    )
}
PROCESS = f"{{{MODEL}}}process"
CALL = f"{{{MODEL}}}callActivity"
LANE = f"{{{MODEL}}}lane"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_NESTING = 50
#: A BCP 47 language tag, as far as RDF literals need one (the recipe's ``language`` too).
LANGUAGE_TAG = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*")
UNDETERMINED = "und"
"""BCP 47 for a language nobody stated: neither the recipe nor the model."""


def parse_bpmn(file: InputFile, model: BpmnModel, language: str | None) -> None:
    """Add the processes, global tasks and lanes of ``file`` to ``model``.

    ``language``: the recipe's language for names; None: the model's ``xml:lang``,
    else ``und``. Raises SourceError if the file is not BPMN 2.0 XML."""
    root, prefixes = _parse(file)
    bpmn_file = BpmnFile(file.name, root.get("targetNamespace"), prefixes)
    model.files[file.name] = bpmn_file
    lang = language or model_language(root, file.name, model) or UNDETERMINED
    pools = {
        _local_id(p.get("processRef") or ""): p.get("name")
        for p in root.iter(f"{{{MODEL}}}participant")
    }
    for child in root:
        if child.tag == PROCESS:
            process_lang = language or model_language(child, file.name, model) or lang
            reader = _ContainerReader(file.name, model, pools, process_lang)
            if reader.read(child, None):
                bpmn_file.processes += 1
        elif child.tag in GLOBAL_TASK_TAGS:
            if _read_global_task(child, file.name, model, lang):
                bpmn_file.processes += 1
        elif child.tag.startswith(f"{{{MODEL}}}"):
            bpmn_file.holds[_local(child.tag)] += 1
            if child.tag == f"{{{MODEL}}}import" and child.get("namespace"):
                bpmn_file.imports[str(child.get("namespace"))] = child.get("location") or ""


def model_language(element: StdET.Element, file: str, model: BpmnModel) -> str | None:
    """The ``xml:lang`` of ``element`` as a BCP 47 tag, if it has one.

    A locale written the Java way (``en_US``) is read as ``en-US``; a value that is still
    no language tag is passed over with a warning (the labels fall back to the enclosing
    element's language, or ``und``)."""
    written = (element.get(XML_LANG) or "").strip()
    if not written:
        return None
    tag = written.replace("_", "-")
    if LANGUAGE_TAG.fullmatch(tag):
        return tag
    model.warnings.append(
        Problem(
            file,
            "xml:lang is a BCP 47 language tag",
            f"xml:lang {written!r} of {element.get('id') or 'definitions'} is not a language "
            "tag; its names are labelled without it (set bpmn.language in the recipe)",
            node=element.get("id"),
            property="xml:lang",
            value=written,
            severity="Warning",
        )
    )
    return None


def _parse(file: InputFile) -> tuple[StdET.Element, dict[str, str]]:
    """The root element and the namespace prefixes the file declares."""
    prefixes: dict[str, str] = {}
    root: StdET.Element | None = None
    try:
        events = SafeET.iterparse(
            io.BytesIO(file.data),
            events=("start", "start-ns"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        for event, item in events:
            if event == "start-ns":
                prefix, uri = item
                prefixes.setdefault(prefix, uri)
            elif root is None:
                root = item
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
    if root is None or root.tag != f"{{{MODEL}}}definitions":
        tag = root.tag if root is not None else "missing"
        raise SourceError(
            f"{file.name} is not a BPMN 2.0 model",
            [
                Problem(
                    file.name,
                    "BPMN 2.0 definitions",
                    f"the root element is {tag}, not {{{MODEL}}}definitions",
                )
            ],
        )
    return root, prefixes


def _read_global_task(element: StdET.Element, file: str, model: BpmnModel, lang: str) -> bool:
    """A global task as a process of its own (callable, with no flow of its own)."""
    model.read += 1
    task_id = element.get("id")
    if not task_id:
        model.rejected.append(
            Problem(file, "BPMN element has an id", f"a <{_local(element.tag)}> has no id")
        )
        return False
    name = (element.get("name") or "").strip() or None
    ref = Ref(file, task_id)
    model.processes[ref] = BpmnProcess(ref, name, _local(element.tag), lang)
    return True


class _ContainerReader:
    """Reads a process and the sub-processes, call activities and lanes it holds."""

    def __init__(
        self, file: str, model: BpmnModel, pools: dict[str, str | None], lang: str
    ) -> None:
        self.file = file
        self.model = model
        self.pools = pools
        self.lang = lang

    def read(self, element: StdET.Element, parent: Ref | None, depth: int = 0) -> bool:
        """Read ``element`` (a process or sub-process); False if it was refused."""
        self.model.read += 1
        process = self._process(element, parent, depth)
        if process is None:
            return False
        for child in _flow_elements(element):
            if child.tag in SUBPROCESS_TAGS:
                if self.read(child, process.ref, depth + 1):
                    process.subprocesses.append(Ref(self.file, str(child.get("id"))))
            elif child.tag == CALL:
                self._call(child, process)
        self._lanes(element, process)
        return True

    def _process(
        self, element: StdET.Element, parent: Ref | None, depth: int
    ) -> BpmnProcess | None:
        element_id = element.get("id")
        problem = None
        if depth > MAX_NESTING:
            problem = Problem(
                self.file,
                f"sub-processes nest at most {MAX_NESTING} deep",
                f"{element_id} is nested deeper; it and what it holds are skipped",
                node=element_id,
            )
        elif not element_id:
            problem = Problem(
                self.file, "BPMN element has an id", f"a <{_local(element.tag)}> has no id"
            )
        elif Ref(self.file, element_id) in self.model.processes:
            problem = Problem(
                self.file,
                "ids are unique in a model",
                f"{element_id} is the id of two elements of this file; the second is skipped",
                node=element_id,
                property="id",
            )
        if problem is not None or element_id is None:
            if problem is not None:
                self.model.rejected.append(problem)
            return None
        name = (element.get("name") or "").strip() or (self.pools.get(element_id) or "").strip()
        ref = Ref(self.file, element_id)
        process = BpmnProcess(ref, name or None, _local(element.tag), self.lang, parent)
        self.model.processes[ref] = process
        return process

    def _call(self, child: StdET.Element, process: BpmnProcess) -> None:
        self.model.read += 1
        called = (child.get("calledElement") or _zeebe_called(child) or "").strip()
        if not called:
            self.model.rejected.append(
                Problem(
                    self.file,
                    "call activity names the process it calls",
                    f"call activity {child.get('id')} in {process.ref.id} has no calledElement",
                    node=child.get("id"),
                    property="calledElement",
                )
            )
            return
        process.calls.append(Call(str(child.get("id")), called))

    def _lanes(self, element: StdET.Element, process: BpmnProcess) -> None:
        """Named lanes become roles of the process and of the sub-processes they hold;
        an unnamed lane (the default lane some tools write) names no role and is passed over."""
        lane_of: dict[str, list[str]] = {}
        for lane in element.iter(LANE):
            self.model.read += 1
            lane_name = (lane.get("name") or "").strip()
            if not lane_name:
                continue
            self.model.roles.setdefault(lane_name, (self.file, self.lang))
            if lane_name not in process.lanes:
                process.lanes.append(lane_name)
            for ref in lane.findall(f"{{{MODEL}}}flowNodeRef"):
                lane_of.setdefault((ref.text or "").strip(), []).append(lane_name)
        for sub in process.subprocesses:
            held = self.model.processes[sub]
            for lane_name in lane_of.get(sub.id, []):
                if lane_name not in held.lanes:
                    held.lanes.append(lane_name)


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


def _local_id(qname: str) -> str:
    """``ns1:Process_2`` -> ``Process_2``."""
    return qname.rpartition(":")[2]
