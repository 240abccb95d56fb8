"""Drawing an impact answer or the lifecycle picture: the one call every entry point makes.

The CLI (``journeykg impact --format``, ``journeykg lifecycle``), GraphQL
(``impact { diagram }``), REST (``/impact/<id>.svg``, ``/lifecycle.svg``) and
the board pack all draw through here, so they give the same picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeykg.graph.lifecycle import LifecyclePicture, lifecycle_picture
from journeykg.graph.model import ImpactAnswer
from journeykg.graph.store import Store
from journeykg.services.diagrams.formats import DiagramFormat, draw
from journeykg.services.diagrams.impact_diagram import CLUSTER_ABOVE, impact_diagram
from journeykg.services.diagrams.lifecycle_diagram import lifecycle_diagram
from journeykg.services.diagrams.model import Diagram


@dataclass(frozen=True)
class Drawing:
    """A diagram drawn in one format: the bytes, and the diagram they show."""

    format: DiagramFormat
    content: bytes
    diagram: Diagram


def draw_impact(
    store: Store,
    answer: ImpactAnswer,
    fmt: DiagramFormat,
    language: str = "nl",
    *,
    cluster_above: int = CLUSTER_ABOVE,
) -> Drawing:
    """``answer`` drawn in ``fmt``, labelled in ``language``, clustered above ``cluster_above``."""
    diagram = impact_diagram(store, answer, language, cluster_above=cluster_above)
    return Drawing(fmt, draw(diagram, fmt), diagram)


def draw_lifecycle(
    store: Store,
    fmt: DiagramFormat,
    language: str = "nl",
    *,
    picture: LifecyclePicture | None = None,
) -> Drawing:
    """The lifecycle picture (``picture``, or the store's) drawn in ``fmt``."""
    diagram = lifecycle_diagram(picture or lifecycle_picture(store), language)
    return Drawing(fmt, draw(diagram, fmt), diagram)
