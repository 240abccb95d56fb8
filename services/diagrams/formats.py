"""The formats a diagram is drawn in, their media types, and drawing a diagram in one."""

from __future__ import annotations

from enum import Enum

from journeykg.services.diagrams.model import Diagram


class DiagramFormat(Enum):
    """An output format: text (dot, mermaid, svg) or binary (png)."""

    SVG = "svg"
    PNG = "png"
    DOT = "dot"
    MERMAID = "mermaid"

    @property
    def media_type(self) -> str:
        """The HTTP content type of a drawing in this format."""
        return MEDIA_TYPES[self]

    @property
    def is_text(self) -> bool:
        """True for the formats that are UTF-8 text (all but PNG)."""
        return self is not DiagramFormat.PNG


MEDIA_TYPES = {
    DiagramFormat.SVG: "image/svg+xml",
    DiagramFormat.PNG: "image/png",
    DiagramFormat.DOT: "text/vnd.graphviz; charset=utf-8",
    DiagramFormat.MERMAID: "text/vnd.mermaid; charset=utf-8",
}


def draw(diagram: Diagram, fmt: DiagramFormat) -> bytes:
    """``diagram`` drawn in ``fmt``: DOT and mermaid are generated, SVG and PNG laid out by dot."""
    if fmt is DiagramFormat.MERMAID:
        from journeykg.services.diagrams.mermaid import mermaid_source

        return mermaid_source(diagram).encode()
    from journeykg.services.diagrams.dot import dot_source

    if fmt is DiagramFormat.DOT:
        return dot_source(diagram).encode()
    from journeykg.services.diagrams.render import laid_out

    return laid_out(dot_source(diagram), fmt.value)
