"""A diagram as mermaid flowchart text: no engine needed, it renders where mermaid does.

Mermaid ids allow letters, digits and underscores only; an element key
(process/kredietcheck) is written with every other character as ``_`` and its
hex code (``process_2fkredietcheck``, ``_`` itself as ``_5f``), so two keys
never share an id and the key can be read back (:func:`key_of`).
Labels are quoted, with ``"`` written as mermaid's ``#quot;``.
"""

from __future__ import annotations

import re
from collections import defaultdict

from journeykg.services.diagrams.model import Diagram, Group, Node
from journeykg.services.diagrams.styles import COLOURS

_PLAIN = re.compile(r"[A-Za-z0-9]")


def mermaid_id(key: str) -> str:
    """The mermaid id of an element key or group id."""
    return "".join(c if _PLAIN.fullmatch(c) else f"_{ord(c):02x}" for c in key)


def key_of(ident: str) -> str:
    """The element key of a mermaid id made by :func:`mermaid_id`."""
    return re.sub(r"_([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), ident)


def _label(text: str) -> str:
    return '"' + text.replace('"', "#quot;").replace("\n", "<br/>") + '"'


def mermaid_source(diagram: Diagram) -> str:
    """The diagram as a mermaid ``flowchart LR``, its title and note in the front matter."""
    lines = ["---", f"title: {_label(diagram.title)}", "---", "flowchart LR"]
    if diagram.note:
        lines.append(f"    %% {diagram.note}")
    children: defaultdict[str | None, list[Group]] = defaultdict(list)
    for group in diagram.groups:
        children[group.parent].append(group)
    members: defaultdict[str | None, list[Node]] = defaultdict(list)
    known = {g.id for g in diagram.groups}
    for node in diagram.nodes:
        members[node.group if node.group in known else None].append(node)

    def fill(group: str | None, depth: int) -> None:
        pad = "    " * depth
        for node in members[group]:
            lines.append(f"{pad}{mermaid_id(node.id)}[{_label(node.label)}]:::{node.cls}")
        for child in children[group]:
            lines.append(f"{pad}subgraph {mermaid_id('group/' + child.id)}[{_label(child.label)}]")
            fill(child.id, depth + 1)
            lines.append(f"{pad}end")

    fill(None, 1)
    for link in diagram.links:
        lines.append(
            f"    {mermaid_id(link.source)} -->|{_label(link.label)}| {mermaid_id(link.target)}"
        )
    for cls in sorted({node.cls for node in diagram.nodes} & COLOURS.keys()):
        lines.append(f"    classDef {cls} fill:{COLOURS[cls]},stroke:#475569")
    return "\n".join(lines) + "\n"
