"""The ``diagram`` field of an impact answer: the same answer drawn as SVG, PNG, DOT or mermaid.

A field of ``Impact`` rather than a root field of its own: the diagram is
one more view of the answer the client already asks for (same arguments,
same permission, same kept answers per graph generation), and a client can
ask for the JSON and the picture in one request. Text formats come back as
text (``encoding: "utf-8"``); PNG as base64 (``encoding: "base64"``), since
GraphQL has no bytes.
"""

from __future__ import annotations

import base64
from enum import Enum

import strawberry

from journeykg.graph.model import ImpactAnswer
from journeykg.graph.store import Store
from journeykg.services.diagrams.drawing import draw_impact
from journeykg.services.diagrams.formats import DiagramFormat

strawberry.enum(
    DiagramFormat,
    description=(
        "SVG and PNG are laid out by Graphviz; DOT and MERMAID are text to lay out elsewhere."
    ),
)


@strawberry.enum(description="The language of a diagram's labels.")
class DiagramLanguage(Enum):
    NL = "nl"
    EN = "en"


@strawberry.type(description="An impact answer drawn in one format (docs/diagrams.md).")
class Diagram:
    format: DiagramFormat
    media_type: str = strawberry.field(description="The content type, e.g. image/svg+xml.")
    encoding: str = strawberry.field(description='"utf-8" for text formats, "base64" for PNG.')
    content: str = strawberry.field(description="The drawing, as the encoding says.")
    clustered: bool = strawberry.field(
        description="True when the answer held more than clusterAbove elements and the "
        "diagram shows one node per class and hop instead of one per element."
    )
    node_count: int = strawberry.field(description="Nodes drawn (clusters count once).")
    edge_count: int = strawberry.field(description="Edges drawn (summed ones count once).")
    note: str | None = strawberry.field(description="What the diagram says about itself.")


def diagram_of(
    store: Store,
    answer: ImpactAnswer,
    fmt: DiagramFormat,
    language: DiagramLanguage,
    cluster_above: int,
) -> Diagram:
    """``answer`` drawn (a worker thread's job: the layout takes a while)."""
    drawing = draw_impact(store, answer, fmt, language.value, cluster_above=cluster_above)
    text = fmt.is_text
    return Diagram(
        format=fmt,
        media_type=fmt.media_type,
        encoding="utf-8" if text else "base64",
        content=drawing.content.decode() if text else base64.b64encode(drawing.content).decode(),
        clustered=drawing.diagram.clustered,
        node_count=len(drawing.diagram.nodes),
        edge_count=len(drawing.diagram.links),
        note=drawing.diagram.note,
    )
