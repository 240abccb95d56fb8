"""The diagram model every format draws: nodes, edges and the groups that hold nodes.

A diagram is built once from a graph answer (:mod:`.impact_diagram`,
:mod:`.lifecycle_diagram`) and drawn by each format (:mod:`.dot`,
:mod:`.mermaid`, :mod:`.render`), so that the formats cannot disagree on
what is in the picture.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Group:
    """A box around nodes: a hop's column, a lifecycle stage or phase."""

    id: str
    label: str
    parent: str | None = None
    """The group this one sits in (a phase in its stage), if any."""


@dataclass(frozen=True)
class Node:
    """One element on the diagram, or a cluster standing for many (``count`` > 1)."""

    id: str
    """The element's key (process/kredietcheck), or ``cluster/<class>/<hop>``."""
    label: str
    cls: str
    """The element's class (BackofficeProcess, Journey, ...): its shape and colour."""
    hop: int | None = None
    group: str | None = None
    count: int = 1
    """How many elements the node stands for: more than 1 for a cluster."""


@dataclass(frozen=True)
class Link:
    """An edge: ``source`` reaches ``target`` along ``relation`` (``count`` edges for clusters)."""

    source: str
    relation: str
    target: str
    label: str
    count: int = 1
    ordering: bool = True
    """False: the link is drawn but does not decide the columns (a journey on its reasons)."""


@dataclass(frozen=True)
class Diagram:
    """What a format draws: a title, a note (why it is clustered), groups, nodes and links."""

    title: str
    nodes: tuple[Node, ...]
    links: tuple[Link, ...]
    groups: tuple[Group, ...] = ()
    note: str | None = None
    clustered: bool = False
    language: str = "nl"
    root: str | None = None
    """The node the question started from, drawn apart."""
    elements: int = field(default=0)
    """How many elements of the answer the diagram shows (clusters counted in full)."""
    columns: tuple[str, ...] = ()
    """Top-level groups drawn as columns left to right, in this order (the lifecycle's stages)."""
