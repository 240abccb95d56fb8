"""The BPMN regression corpus: the MIWG reference model shapes, written as eight tools write them.

Every case is a model (or a few files) generated here, in the dialect of one
tool of :mod:`tests.loaders.bpmn_tools`, shaped like a reference model of
the OMG BPMN Model Interchange Working Group test suite:

==========  =============================================================================
A.1.0       one process, a start, three tasks and an end in sequence
A.2.0       exclusive and parallel gateways
A.3.0       an expanded and a collapsed sub-process, a boundary timer
A.4.0       a collaboration of two pools, each with named lanes, and message flows
A.4.1       one pool with nested lanes (childLaneSet) and an unnamed default lane
B.1.0       pool and lanes, a sub-process, call activities to global tasks, data objects,
            message, timer and error events, a text annotation, a group
B.2.0       several processes in one file, one calling the other; an event sub-process,
            a transaction, an ad-hoc sub-process, a data store
C.1.0       a process calling (``ns:Process``) a process of another file of the recipe
C.2.0       calls to processes of a model outside the recipe (imported, and unprefixed)
empty       a definitions element with a diagram only, with imports only, with a
            collaboration whose pools are processes of other files
calls       a ``calledElement`` QName in the file's own namespace, Camunda 8's
            ``zeebe:calledElement``; a call activity that calls nothing and a process
            that calls itself (both partly refused)
refused     a model in the BPMN 2.0 beta namespace (not BPMN 2.0: refused whole)
==========  =============================================================================

Each case says what a sync of it must give (:class:`Expected`): the outcome
(accepted, partly refused, refused, empty) and how many processes and roles
it yields. tests/loaders/test_bpmn_corpus.py asserts it;
bench/bpmn_acceptance.py prints the acceptance rate.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from tests.loaders.bpmn_tools import MODEL, TOOLS, Doc, Tool

if TYPE_CHECKING:
    from journeykg.graph.store import Store

Outcome = Literal["accepted", "partly", "refused", "empty"]

#: The rule of the problem that refuses an input holding no process.
EMPTY_RULE = "BPMN model holds a process"


@dataclass(frozen=True)
class Expected:
    """What a sync of a case gives."""

    outcome: Outcome
    processes: int
    roles: int = 0


@dataclass(frozen=True)
class Case:
    """One model of the corpus: its files, which of them the recipe names, what it gives."""

    name: str
    files: dict[str, bytes]
    expected: Expected
    recipe_files: list[str] = field(default_factory=list)
    """The files the recipe names (default: all)."""
    language: str | None = "en"

    def write(self, directory: Path) -> Path:
        """Write the files and a recipe for them into ``directory``; the recipe's path."""
        directory.mkdir(parents=True, exist_ok=True)
        for name, data in self.files.items():
            (directory / name).write_bytes(data)
        names = self.recipe_files or sorted(self.files)
        language = f"  language: {self.language}\n" if self.language else ""
        recipe = directory / "recipe.yaml"
        recipe.write_text(
            f"name: {source_name(self.name)}\nkind: bpmn\nmode: full\n"
            f"input:\n  files: [{', '.join(names)}]\nbpmn:\n  key_from: id\n{language}",
            encoding="utf-8",
        )
        return recipe


def source_name(case: str) -> str:
    """The recipe name of a case: ``A.3.0/bpmn.io`` -> ``miwg-a-3-0-bpmn-io``."""
    return "miwg-" + "".join(c if c.isalnum() else "-" for c in case.lower())


def _process(doc: Doc, pid: str, name: str | None, *body: str) -> str:
    return doc.el("process", {"id": pid, "name": name, "isExecutable": "false"}, *body)


def a_1_0(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    pid = doc.new_id("Process")
    nodes = [doc.node("startEvent", "Start")]
    nodes += [doc.node("task", f"Task {n}") for n in (1, 2, 3)]
    nodes.append(doc.node("endEvent", "End"))
    return {"A.1.0.bpmn": doc.render([_process(doc, pid, None, *doc.chain(nodes))], pid)}, Expected(
        "accepted", 1
    )


def a_2_0(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    pid = doc.new_id("Process")
    nodes = [
        doc.node("startEvent", "Start"),
        doc.node("exclusiveGateway", "Approved?", gatewayDirection="Diverging"),
        doc.node("userTask", "Review order"),
        doc.node("parallelGateway", None),
        doc.node("serviceTask", "Book payment"),
        doc.node("sendTask", "Confirm to customer"),
        doc.node("parallelGateway", None),
        doc.node("endEvent", "End"),
    ]
    files = {
        "A.2.0.bpmn": doc.render([_process(doc, pid, "Order handling", *doc.chain(nodes))], pid)
    }
    return files, Expected("accepted", 1)


def _sub_process(doc: Doc, name: str, expanded: bool = True, **attrs: str) -> tuple[str, str]:
    inner: list[str] = []
    if expanded:
        inner = doc.chain(
            [
                doc.node("startEvent", None),
                doc.node("task", f"{name}: work"),
                doc.node("endEvent", None),
            ]
        )
    return doc.node(attrs.pop("tag", "subProcess"), name, *inner, **attrs)


def a_3_0(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    pid = doc.new_id("Process")
    expanded = _sub_process(doc, "Expanded sub-process")
    collapsed = _sub_process(doc, "Collapsed sub-process", expanded=False)
    timer = doc.node(
        "boundaryEvent",
        "Two days",
        doc.el("timerEventDefinition", {"id": doc.new_id("TimerEventDefinition")}),
        attachedToRef=expanded[0],
        cancelActivity="true",
    )
    nodes = [doc.node("startEvent", "Start"), expanded, collapsed, doc.node("endEvent", "End")]
    body = [_process(doc, pid, None, *doc.chain(nodes), timer[1])]
    return {"A.3.0.bpmn": doc.render(body, pid)}, Expected("accepted", 3)


def _lanes(doc: Doc, names: list[str | None], nodes: list[str], nested: bool = False) -> str:
    lanes = []
    for i, name in enumerate(names):
        refs = [doc.el("flowNodeRef", {}, node) for node in nodes[i :: len(names)]]
        lanes.append(doc.el("lane", {"id": doc.new_id("Lane"), "name": name}, *refs))
    if nested:
        child = doc.el("childLaneSet", {"id": doc.new_id("LaneSet")}, *lanes[1:])
        outer = doc.el("lane", {"id": doc.new_id("Lane"), "name": "Operations"}, child)
        return doc.el("laneSet", {"id": doc.new_id("LaneSet")}, lanes[0], outer)
    return doc.el("laneSet", {"id": doc.new_id("LaneSet")}, *lanes)


def _pool_process(
    doc: Doc, name: str, lanes: list[str | None], *, nested: bool = False
) -> tuple[str, str]:
    pid = doc.new_id("Process")
    nodes = [doc.node("startEvent", f"{name} starts")]
    nodes += [doc.node("userTask", f"{name}: step {n}") for n in (1, 2, 3)]
    nodes.append(doc.node("endEvent", f"{name} done"))
    laneset = _lanes(doc, lanes, [n for n, _ in nodes], nested)
    return pid, _process(doc, pid, None, laneset, *doc.chain(nodes))


def _collaboration(doc: Doc, pools: list[tuple[str, str]], messages: int = 0) -> tuple[str, str]:
    cid = doc.new_id("Collaboration")
    parts, ids = [], []
    for name, pid in pools:
        ids.append(doc.new_id("Participant"))
        doc.shape(ids[-1])
        parts.append(doc.el("participant", {"id": ids[-1], "name": name, "processRef": pid}))
    flows = [
        doc.el(
            "messageFlow",
            {"id": doc.new_id("MessageFlow"), "sourceRef": ids[0], "targetRef": ids[-1]},
        )
        for _ in range(messages)
    ]
    return cid, doc.el("collaboration", {"id": cid}, *parts, *flows)


def a_4_0(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    first, first_xml = _pool_process(doc, "Customer service", ["Front office", "Back office"])
    second, second_xml = _pool_process(doc, "Billing", ["Billing clerk", "Field service"])
    cid, collab = _collaboration(doc, [("Customer service", first), ("Billing", second)], 1)
    return {"A.4.0.bpmn": doc.render([collab, first_xml, second_xml], cid)}, Expected(
        "accepted", 2, 4
    )


def a_4_1(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    pid, xml = _pool_process(doc, "Repairs", [None, "Planner", "Engineer"], nested=True)
    cid, collab = _collaboration(doc, [("Repairs", pid)])
    return {"A.4.1.bpmn": doc.render([collab, xml], cid)}, Expected("accepted", 1, 3)


def b_1_0(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    pid = doc.new_id("Process")
    global_task, global_user = doc.new_id("GlobalTask"), doc.new_id("GlobalUserTask")
    data = doc.new_id("DataObject")
    reference = doc.new_id("DataObjectReference")
    task = doc.node(
        "task",
        "Register claim",
        doc.el(
            "dataOutputAssociation",
            {"id": doc.new_id("DataOutputAssociation")},
            doc.el("targetRef", {}, reference),
        ),
    )
    error = doc.new_id("Error")
    sub = _sub_process(doc, "Assess claim")
    nodes = [
        doc.node(
            "startEvent",
            "Claim received",
            doc.el("messageEventDefinition", {"id": doc.new_id("MessageEventDefinition")}),
        ),
        task,
        sub,
        doc.node("callActivity", "Check credit", calledElement=global_task),
        doc.node(
            "intermediateCatchEvent",
            "One week",
            doc.el("timerEventDefinition", {"id": doc.new_id("TimerEventDefinition")}),
        ),
        doc.node("callActivity", "Approve payout", calledElement=global_user),
        doc.node("endEvent", "Claim handled"),
    ]
    boundary = doc.node(
        "boundaryEvent",
        "Assessment failed",
        doc.el(
            "errorEventDefinition", {"id": doc.new_id("ErrorEventDefinition"), "errorRef": error}
        ),
        attachedToRef=sub[0],
    )
    annotation = doc.new_id("TextAnnotation")
    laneset = _lanes(doc, ["Claims handler", "Assessor"], [n for n, _ in nodes])
    process = _process(
        doc,
        pid,
        "Claim handling",
        laneset,
        doc.el("dataObject", {"id": data, "name": "Claim"}),
        doc.el("dataObjectReference", {"id": reference, "dataObjectRef": data, "name": "Claim"}),
        *doc.chain(nodes),
        boundary[1],
        doc.el("textAnnotation", {"id": annotation}, doc.el("text", {}, "Within 5 days")),
        doc.el(
            "association",
            {"id": doc.new_id("Association"), "sourceRef": task[0], "targetRef": annotation},
        ),
        doc.el("group", {"id": doc.new_id("Group")}),
    )
    cid, collab = _collaboration(doc, [("Insurer", pid)])
    body = [
        doc.el("error", {"id": error, "name": "Assessment error", "errorCode": "E1"}),
        doc.el("globalTask", {"id": global_task, "name": "Check credit"}),
        doc.el("globalUserTask", {"id": global_user, "name": "Approve payout"}),
        collab,
        process,
    ]
    return {"B.1.0.bpmn": doc.render(body, cid)}, Expected("accepted", 4, 2)


def b_2_0(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    main, called = doc.new_id("Process"), doc.new_id("Process")
    store = doc.new_id("DataStore")
    event_sub = _sub_process(doc, "On cancellation", triggeredByEvent="true")
    nodes = [
        doc.node("startEvent", "Start"),
        _sub_process(doc, "Book transfer", tag="transaction"),
        doc.node(
            "intermediateThrowEvent",
            "Notify",
            doc.el("signalEventDefinition", {"id": doc.new_id("SignalEventDefinition")}),
        ),
        _sub_process(doc, "Collect documents", tag="adHocSubProcess"),
        doc.node("callActivity", "Settle", calledElement=called),
        doc.node("endEvent", "End"),
    ]
    store_ref = doc.el(
        "dataStoreReference", {"id": doc.new_id("DataStoreReference"), "dataStoreRef": store}
    )
    settle = doc.chain(
        [doc.node("startEvent", None), doc.node("scriptTask", "Settle"), doc.node("endEvent", None)]
    )
    body = [
        doc.el("dataStore", {"id": store, "name": "Ledger"}),
        _process(doc, main, "Transfer", store_ref, *doc.chain(nodes), event_sub[1]),
        _process(doc, called, "Settlement", *settle),
    ]
    return {"B.2.0.bpmn": doc.render(body, main)}, Expected("accepted", 5)


def _importing(doc: Doc, namespace: str, location: str, prefix: str) -> str:
    doc.declare(prefix, namespace)
    return doc.el("import", {"importType": MODEL, "location": location, "namespace": namespace})


def c_1_0(tool: Tool, seed: str) -> tuple[dict[str, bytes], Expected]:
    shared_ns = f"{tool.target_namespace}/shared"
    shared = Doc(tool, seed + "/shared", shared_ns)
    shared_pid = shared.new_id("Process")
    steps = shared.chain(
        [
            shared.node("startEvent", None),
            shared.node("task", "Verify address"),
            shared.node("endEvent", None),
        ]
    )
    shared_file = shared.render([_process(shared, shared_pid, "Address check", *steps)], shared_pid)
    doc = Doc(tool, seed)
    imported = _importing(doc, shared_ns, "shared.bpmn", "shared")
    pid = doc.new_id("Process")
    nodes = [
        doc.node("startEvent", "Move reported"),
        doc.node("callActivity", "Check the new address", calledElement=f"shared:{shared_pid}"),
        doc.node("task", "Plan installation"),
        doc.node("endEvent", "Done"),
    ]
    laneset = _lanes(doc, ["Back office", "Planner", "Engineer"], [n for n, _ in nodes])
    main = doc.render(
        [imported, _process(doc, pid, "Move handling", laneset, *doc.chain(nodes))], pid
    )
    return {"C.1.0.bpmn": main, "shared.bpmn": shared_file}, Expected("accepted", 2, 3)


def c_2_0(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    imported = _importing(doc, "http://example.com/models/credit", "credit.bpmn", "credit")
    pid = doc.new_id("Process")
    nodes = [
        doc.node("startEvent", "Application"),
        doc.node("callActivity", "Credit check", calledElement="credit:Process_Credit"),
        doc.node("callActivity", "Identify customer", calledElement="Process_Identify"),
        doc.node("endEvent", "Done"),
    ]
    body = [imported, _process(doc, pid, "Contract", *doc.chain(nodes))]
    return {"C.2.0.bpmn": doc.render(body, pid)}, Expected("accepted", 1)


def own_namespace_call(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    """B.2.0's call, with ``calledElement`` a QName in the file's own namespace."""
    doc.declare("tns", doc.target_namespace)
    main, called = doc.new_id("Process"), doc.new_id("Process")
    nodes = [
        doc.node("startEvent", None),
        doc.node("callActivity", "Settle", calledElement=f"tns:{called}"),
        doc.node("endEvent", None),
    ]
    body = [
        _process(doc, main, "Transfer", *doc.chain(nodes)),
        _process(doc, called, "Settlement", *doc.chain([doc.node("task", "Book")])),
    ]
    return {"qualified.bpmn": doc.render(body, main)}, Expected("accepted", 2)


def zeebe_call(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    """Camunda 8 names the called process in ``zeebe:calledElement processId``."""
    doc.declare("zeebe", "http://camunda.org/schema/zeebe/1.0")
    main, called = doc.new_id("Process"), doc.new_id("Process")
    zeebe = f'<zeebe:calledElement processId="{called}" propagateAllChildVariables="false"/>'
    nodes = [
        doc.node("startEvent", None),
        doc.node("callActivity", "Diagnose", doc.el("extensionElements", {}, zeebe)),
        doc.node("endEvent", None),
    ]
    body = [
        _process(doc, main, "Fault handling", *doc.chain(nodes)),
        _process(doc, called, "Diagnosis", *doc.chain([doc.node("serviceTask", "Measure")])),
    ]
    return {"zeebe.bpmn": doc.render(body, main)}, Expected("accepted", 2)


def call_without_target(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    """A call activity whose called process was never chosen: the call is refused, not the
    process."""
    pid = doc.new_id("Process")
    nodes = [
        doc.node("startEvent", None),
        doc.node("callActivity", "Install"),
        doc.node("endEvent", None),
    ]
    return {
        "unlinked.bpmn": doc.render([_process(doc, pid, "Installation", *doc.chain(nodes))], pid)
    }, Expected("partly", 1)


def recursive_call(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    """A process that calls itself: the call is refused (a process cannot depend on itself)."""
    pid = doc.new_id("Process")
    nodes = [doc.node("startEvent", None), doc.node("callActivity", "Retry", calledElement=pid)]
    return {
        "retry.bpmn": doc.render([_process(doc, pid, "Retry loop", *doc.chain(nodes))], pid)
    }, Expected("partly", 1)


def beta_namespace(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    """A model in the namespace of the BPMN 2.0 beta, which some early exporters wrote."""
    pid = doc.new_id("Process")
    text = doc.render(
        [_process(doc, pid, "Old model", *doc.chain([doc.node("task", "Work")]))], pid
    )
    text = text.replace(MODEL.encode(), b"http://schema.omg.org/spec/BPMN/2.0")
    return {"beta.bpmn": text}, Expected("refused", 0)


def empty_definitions(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    return {"empty.bpmn": doc.render([], doc.new_id("Process"))}, Expected("empty", 0)


def imports_only(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    body = [
        _importing(doc, "http://example.com/models/a", "a.bpmn", "a"),
        _importing(doc, "http://example.com/models/b", "b.bpmn", "b"),
    ]
    return {"imports.bpmn": doc.render(body, None)}, Expected("empty", 0)


def collaboration_only(doc: Doc) -> tuple[dict[str, bytes], Expected]:
    imported = _importing(doc, "http://example.com/models/parties", "parties.bpmn", "p")
    cid, collab = _collaboration(doc, [("Customer", "p:Process_1"), ("Supplier", "p:Process_2")], 1)
    return {"collaboration.bpmn": doc.render([imported, collab], cid)}, Expected("empty", 0)


Shape = Callable[[Doc], tuple[dict[str, bytes], Expected]]

SHAPES: dict[str, Shape] = {
    "A.1.0": a_1_0,
    "A.2.0": a_2_0,
    "A.3.0": a_3_0,
    "A.4.0": a_4_0,
    "A.4.1": a_4_1,
    "B.1.0": b_1_0,
    "B.2.0": b_2_0,
    "C.2.0": c_2_0,
}
EMPTY: dict[str, tuple[Shape, str]] = {
    "empty-definitions": (empty_definitions, "signavio"),
    "imports-only": (imports_only, "trisotech"),
    "collaboration-only": (collaboration_only, "camunda"),
}
#: Single models of one tool each: call variants, and what must still be (partly) refused.
SINGLE: dict[str, tuple[Shape, str]] = {
    **EMPTY,
    "own-namespace-call": (own_namespace_call, "trisotech"),
    "zeebe-call": (zeebe_call, "camunda"),
    "call-without-target": (call_without_target, "signavio"),
    "recursive-call": (recursive_call, "visual-paradigm"),
    "beta-namespace": (beta_namespace, "bizagi"),
}


def corpus() -> list[Case]:
    """Every case: each reference shape in each tool's dialect, then the single models."""
    cases: list[Case] = []
    for tool in TOOLS:
        for shape, make in SHAPES.items():
            name = f"{shape}/{tool.name}"
            files, expected = make(Doc(tool, name))
            cases.append(Case(name, files, expected))
        name = f"C.1.0/{tool.name}"
        files, expected = c_1_0(tool, name)
        cases.append(Case(name, files, expected))
    by_name = {tool.name: tool for tool in TOOLS}
    for shape, (make, tool_name) in SINGLE.items():
        name = f"{shape}/{tool_name}"
        files, expected = make(Doc(by_name[tool_name], name))
        cases.append(Case(name, files, expected))
    return cases


@dataclass(frozen=True)
class Observed:
    """What a sync of a case gave."""

    outcome: Outcome
    processes: int
    roles: int
    written: int
    message: str = ""

    def expected(self) -> Expected:
        """The observation in the form of an :class:`Expected`."""
        return Expected(self.outcome, self.processes, self.roles)


def run_case(case: Case, store: Store, directory: Path) -> Observed:
    """Sync ``case`` (written into ``directory``) into ``store``; what came of it.

    accepted: written, nothing refused; partly: written, some records refused;
    refused: nothing written, because records or the input were refused;
    empty: the input was refused as holding no process.
    """
    from journeykg.loaders.recipe import load_recipe
    from journeykg.loaders.sources import SourceError, open_source
    from journeykg.loaders.sync import sync
    from journeykg.namespaces import JKG, RDF

    recipe = case.write(directory)
    source = open_source(load_recipe(recipe), store.ids, recipe_dir=directory)
    try:
        report = sync(store, source)
    except SourceError as exc:
        empty = any(p.rule == EMPTY_RULE for p in exc.problems)
        return Observed("empty" if empty else "refused", 0, 0, 0, str(exc))
    graph = store.export()
    processes = len(set(graph.subjects(RDF.type, JKG.BackofficeProcess)))
    roles = len(set(graph.subjects(RDF.type, JKG.Role)))
    outcome: Outcome = "accepted"
    if report.rejected:
        outcome = "partly" if report.written else "refused"
    reasons = "; ".join(p.message for r in report.rejections for p in r.problems)
    return Observed(outcome, processes, roles, report.written, reasons)
