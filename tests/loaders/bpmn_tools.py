"""How modelling tools write BPMN 2.0 XML: namespaces, exporter, id style, extension elements.

The dialects of the regression corpus (tests/loaders/bpmn_corpus.py). Each
tool is described by what its exports look like, from the tools' public
documentation and the models of the OMG BPMN Model Interchange Working Group:
the prefix it binds the BPMN model namespace to (or the default namespace),
its ``exporter`` attribute, the ids it generates (``Process_1``,
``sid-...``, ``_6-61``, ``Task_0x5yz1a``, ``EAID_...``) and the vendor
extension elements it puts in ``extensionElements``. Nothing is copied from a
tool's files: :class:`Doc` writes every model from scratch.
"""

from __future__ import annotations

import hashlib
import itertools
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import quoteattr

MODEL = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _digest(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def _base36(text: str, width: int) -> str:
    number, digits = int(text, 16), "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while len(out) < width:
        number, rest = divmod(number, 36)
        out += digits[rest]
    return out


def camunda_id(kind: str, n: int, seed: str) -> str:
    """Camunda Modeler 5: ``Process_1``, ``Participant_1``, then ``Activity_0x5yz12``-style ids."""
    if kind in ("Process", "Participant", "Collaboration", "StartEvent") and n == 1:
        return f"{kind}_1"
    kind = {"Task": "Activity", "SubProcess": "Activity", "CallActivity": "Activity"}.get(
        kind, kind
    )
    return f"{kind}_0{_base36(_digest(seed, kind, n), 6)}"


def bpmnio_id(kind: str, n: int, seed: str) -> str:
    """bpmn-js as bpmn.io ran it for years: ``Process_1``, ``SubProcess_1``, ``Task_0x5yz1a``."""
    if kind in ("Process", "SubProcess", "Participant", "Collaboration", "Lane"):
        return f"{kind}_{n}"
    return f"{kind}_{n - 1}{_base36(_digest(seed, kind, n), 6)}"


def signavio_id(kind: str, n: int, seed: str) -> str:
    """Signavio: ``sid-`` and an upper-case UUID."""
    return "sid-" + str(uuid.UUID(_digest(seed, kind, n)[:32])).upper()


def trisotech_id(kind: str, n: int, seed: str) -> str:
    """Trisotech (as in the MIWG files): ``_6-61``, a page number and a running number."""
    return f"_6-{int(_digest(seed, kind, n)[:4], 16) % 900 + 10 * n}"


def bizagi_id(kind: str, n: int, seed: str) -> str:
    """Bizagi Modeler: ``Id_`` and a lower-case UUID."""
    return "Id_" + str(uuid.UUID(_digest(seed, kind, n)[:32]))


def adonis_id(kind: str, n: int, seed: str) -> str:
    """ADONIS (BOC): object ids such as ``obj.c53112``."""
    return f"obj.c{int(_digest(seed, kind, n)[:5], 16)}"


def ea_id(kind: str, n: int, seed: str) -> str:
    """Enterprise Architect: ``EAID_`` and a GUID with underscores."""
    return "EAID_" + str(uuid.UUID(_digest(seed, kind, n)[:32])).upper().replace("-", "_")


def vp_id(kind: str, n: int, seed: str) -> str:
    """Visual Paradigm: an underscore and 16 letters and digits."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    digest = _digest(seed, kind, n)
    return "_" + "".join(letters[int(digest[i : i + 2], 16) % 62] for i in range(0, 32, 2))


@dataclass(frozen=True)
class Tool:
    """One modelling tool's way of writing BPMN XML."""

    name: str
    prefix: str
    """The prefix of the BPMN model namespace; empty: the default namespace."""
    exporter: str
    version: str
    target_namespace: str
    make_id: Callable[[str, int, str], str]
    namespaces: dict[str, str] = field(default_factory=dict)
    """The tool's own prefixes, declared on ``definitions``."""
    extension: str = ""
    """What the tool writes in a flow node's ``extensionElements`` (empty: none)."""
    root_attributes: str = ""
    di_prefixes: tuple[str, str] = ("dc", "di")


TOOLS = [
    Tool(
        "camunda",
        "bpmn",
        "Camunda Modeler",
        "5.21.0",
        "http://bpmn.io/schema/bpmn",
        camunda_id,
        {
            "camunda": "http://camunda.org/schema/1.0/bpmn",
            "modeler": "http://camunda.org/schema/modeler/1.0",
        },
        '<camunda:properties><camunda:property name="sla" value="P2D"/></camunda:properties>',
        'modeler:executionPlatform="Camunda Platform" modeler:executionPlatformVersion="7.20.0"',
    ),
    Tool(
        "bpmn.io",
        "bpmn",
        "bpmn-js (https://demo.bpmn.io)",
        "17.0.2",
        "http://bpmn.io/schema/bpmn",
        bpmnio_id,
    ),
    Tool(
        "signavio",
        "",
        "Signavio Process Editor, http://www.signavio.com",
        "18.4.0",
        "http://www.signavio.com",
        signavio_id,
        {"signavio": "http://www.signavio.com"},
        '<signavio:signavioMetaData metaKey="bgcolor" metaValue="#ffffcc"/>',
        'expressionLanguage="http://www.w3.org/TR/XPath" '
        'typeLanguage="http://www.w3.org/2001/XMLSchema"',
        ("omgdc", "omgdi"),
    ),
    Tool(
        "trisotech",
        "semantic",
        "Trisotech Visio-BPMN Modeler",
        "12.4.0",
        "http://www.trisotech.com/definitions/_1275940932088",
        trisotech_id,
        {"trisobpmn": "http://www.trisotech.com/2014/triso/bpmn"},
        '<trisobpmn:fillColor value="#FFFFFF"/>',
    ),
    Tool(
        "bizagi",
        "",
        "Bizagi Modeler",
        "4.0.0.063",
        "http://www.bizagi.com/definitions/Id_0a1b2c3d",
        bizagi_id,
        {"bizagi": "http://www.bizagi.com/bpmn20"},
        "<bizagi:BizagiExtensions><bizagi:BizagiProperties><bizagi:BizagiProperty "
        'name="bgColor" value="#ECEFFF"/></bizagi:BizagiProperties></bizagi:BizagiExtensions>',
    ),
    Tool(
        "adonis",
        "bpmn2",
        "ADONIS",
        "14.0",
        "http://www.boc-group.com/adonis/bpmn",
        adonis_id,
        {"adonis": "http://www.boc-group.com/adonis"},
        '<adonis:attribute name="Responsible" type="STRING">Backoffice</adonis:attribute>',
    ),
    Tool(
        "enterprise-architect",
        "bpmn2",
        "Enterprise Architect",
        "16.1",
        "http://www.sparxsystems.com/bpmn2",
        ea_id,
        {"xsd": "http://www.w3.org/2001/XMLSchema"},
        "",
    ),
    Tool(
        "visual-paradigm",
        "",
        "Visual Paradigm",
        "17.1",
        "http://www.visual-paradigm.com/bpmn",
        vp_id,
        {"vp": "http://www.visual-paradigm.com"},
        '<vp:property name="documentation" value=""/>',
    ),
]


class Doc:
    """One BPMN document in a tool's dialect: ids, elements, diagram shapes, then the bytes."""

    def __init__(self, tool: Tool, seed: str, target_namespace: str | None = None) -> None:
        self.tool = tool
        self.seed = seed
        self.target_namespace = target_namespace or tool.target_namespace
        self.counts: Counter[str] = Counter()
        self.shapes: list[str] = []
        self.namespaces: dict[str, str] = {}

    def new_id(self, kind: str) -> str:
        """The next id of ``kind`` (``Process``, ``Task``, ``Lane``, ...) in the tool's style."""
        self.counts[kind] += 1
        return self.tool.make_id(kind, self.counts[kind], self.seed)

    def tag(self, local: str) -> str:
        """``local`` with the tool's BPMN prefix."""
        return f"{self.tool.prefix}:{local}" if self.tool.prefix else local

    def el(self, local: str, attrs: dict[str, str | None], *children: str) -> str:
        """An element of the BPMN model namespace; attributes that are None are left out."""
        rendered = "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items() if v is not None)
        if not children:
            return f"<{self.tag(local)}{rendered}/>"
        return f"<{self.tag(local)}{rendered}>{''.join(children)}</{self.tag(local)}>"

    def extension(self) -> str:
        """The tool's extension elements for a flow node, if it writes any."""
        if not self.tool.extension:
            return ""
        return self.el("extensionElements", {}, self.tool.extension)

    def node(self, local: str, name: str | None, *children: str, **attrs: str) -> tuple[str, str]:
        """A flow node with a diagram shape: (its id, its XML)."""
        kind = local[0].upper() + local[1:]
        kind = "Task" if kind.endswith("Task") else kind
        node_id = attrs.pop("id", None) or self.new_id(kind)
        self.shape(node_id)
        return node_id, self.el(
            local, {"id": node_id, "name": name, **attrs}, self.extension(), *children
        )

    def shape(self, element_id: str) -> None:
        """A BPMNShape for ``element_id`` (bounds laid out in a row)."""
        dc = self.tool.di_prefixes[0]
        x = 100 + 150 * len(self.shapes)
        self.shapes.append(
            f'<bpmndi:BPMNShape id="{element_id}_di" bpmnElement="{element_id}">'
            f'<{dc}:Bounds x="{x}" y="80" width="100" height="80"/></bpmndi:BPMNShape>'
        )

    def chain(self, nodes: list[tuple[str, str]]) -> list[str]:
        """The nodes' XML, joined in order by sequence flows (with their edges)."""
        out = [xml for _, xml in nodes]
        di = self.tool.di_prefixes[1]
        for (source, _), (target, _) in itertools.pairwise(nodes):
            flow = self.new_id("Flow")
            out.append(
                self.el("sequenceFlow", {"id": flow, "sourceRef": source, "targetRef": target})
            )
            self.shapes.append(
                f'<bpmndi:BPMNEdge id="{flow}_di" bpmnElement="{flow}">'
                f'<{di}:waypoint x="0" y="0"/><{di}:waypoint x="10" y="0"/></bpmndi:BPMNEdge>'
            )
        return out

    def declare(self, prefix: str, uri: str) -> None:
        """Declare another namespace on ``definitions`` (an imported model's)."""
        self.namespaces[prefix] = uri

    def render(self, body: list[str], plane: str | None, lang: str | None = None) -> bytes:
        """The document: ``definitions`` with ``body`` and one diagram on ``plane``."""
        tool = self.tool
        dc, di = tool.di_prefixes
        xmlns = [
            f'xmlns{":" + tool.prefix if tool.prefix else ""}="{MODEL}"',
            f'xmlns:bpmndi="{BPMNDI}"',
            f'xmlns:{dc}="{DC}"',
            f'xmlns:{di}="{DI}"',
            f'xmlns:xsi="{XSI}"',
            *(f'xmlns:{p}="{u}"' for p, u in {**tool.namespaces, **self.namespaces}.items()),
        ]
        attrs = [
            f'id="{self.new_id("Definitions")}"',
            f'targetNamespace="{self.target_namespace}"',
            f'exporter="{tool.exporter}"',
            f'exporterVersion="{tool.version}"',
            *([tool.root_attributes] if tool.root_attributes else []),
            *([f'xml:lang="{lang}"'] if lang else []),
        ]
        diagram = ""
        if plane is not None:
            diagram = (
                f'<bpmndi:BPMNDiagram id="{self.new_id("BPMNDiagram")}">'
                f'<bpmndi:BPMNPlane id="{self.new_id("BPMNPlane")}" bpmnElement="{plane}">'
                + "".join(self.shapes)
                + "</bpmndi:BPMNPlane></bpmndi:BPMNDiagram>"
            )
        root = self.tag("definitions")
        text = (
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            f"<{root} {' '.join(xmlns)} {' '.join(attrs)}>\n"
            + "\n".join(body)
            + diagram
            + f"\n</{root}>\n"
        )
        return text.encode("utf-8")
