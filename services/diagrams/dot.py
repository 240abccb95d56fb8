"""A diagram as Graphviz DOT source, built with the ``graphviz`` package (it quotes ids and labels).

Node ids are the element keys and every node and edge carries an ``id``
(``edge:<source>|<relation>|<target>``) that Graphviz copies into its SVG, so
a reader (or a test) can find each element of the answer in the picture.
Groups become nested ``cluster_`` subgraphs; columns run left to right.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import pairwise

import graphviz

from journeykg.services.diagrams.model import Diagram, Group, Node
from journeykg.services.diagrams.styles import COLOURS, DEFAULT_COLOUR

SHAPES = {"Journey": "box", "Owner": "house", "ITSystem": "cylinder", "KPI": "octagon"}


def edge_id(source: str, relation: str, target: str) -> str:
    """The id an edge carries in DOT and SVG."""
    return f"edge:{source}|{relation}|{target}"


def _text(label: str) -> str:
    # DOT reads backslash sequences in labels (\n, \l): a label's own backslash is doubled
    # and its line breaks become \n, the centred line break.
    return label.replace("\\", "\\\\").replace("\n", "\\n")


def to_graphviz(diagram: Diagram) -> graphviz.Digraph:
    """The diagram as a ``graphviz.Digraph`` (its ``source`` is the DOT text)."""
    heading = diagram.title if diagram.note is None else f"{diagram.title}\n{diagram.note}"
    graph = graphviz.Digraph(
        "diagram",
        graph_attr={
            "rankdir": "LR",
            "label": _text(heading),
            "labelloc": "t",
            "fontname": "Helvetica",
            "fontsize": "16",
            "newrank": "true",
            # At most 50 inches a side (4,800 pixels in a PNG at 96 dpi): a larger
            # picture is scaled down, ratio kept, never cut.
            "size": "50,50",
        },
        node_attr={"fontname": "Helvetica", "fontsize": "11", "style": "filled,rounded"},
        edge_attr={"fontname": "Helvetica", "fontsize": "9", "color": "#475569"},
    )
    children: defaultdict[str | None, list[Group]] = defaultdict(list)
    for group in diagram.groups:
        children[group.parent].append(group)
    members: defaultdict[str | None, list[Node]] = defaultdict(list)
    known = {g.id for g in diagram.groups}
    for node in diagram.nodes:
        members[node.group if node.group in known else None].append(node)

    def fill(target: graphviz.Digraph, group: str | None) -> None:
        for node in members[group]:
            _node(target, node, root=node.id == diagram.root)
        for index, child in enumerate(children[group]):
            name = f"cluster_{child.id}" if group is None else f"cluster_{group}_{index}"
            with target.subgraph(name=name) as box:
                box.attr(label=_text(child.label), style="rounded", color="#94a3b8", id=child.id)
                fill(box, child.id)

    fill(graph, None)
    _columns(graph, diagram, children, members)
    for link in diagram.links:
        graph.edge(
            link.source,
            link.target,
            label=_text(link.label),
            id=edge_id(link.source, link.relation, link.target),
            penwidth=str(min(1 + link.count / 10, 6)),
            constraint="true" if link.ordering else "false",
        )
    return graph


def _columns(
    graph: graphviz.Digraph,
    diagram: Diagram,
    children: defaultdict[str | None, list[Group]],
    members: defaultdict[str | None, list[Node]],
) -> None:
    # Graphviz ranks by edges alone: an invisible edge from the first node of each column
    # to every node of the next puts the columns in order, left to right.
    def inside(group: str) -> list[str]:
        return [n.id for n in members[group]] + [i for c in children[group] for i in inside(c.id)]

    columns = [ids for ids in (inside(g) for g in diagram.columns) if ids]
    for left, right in pairwise(columns):
        for target in right:
            graph.edge(left[0], target, style="invis")


def _node(target: graphviz.Digraph, node: Node, *, root: bool) -> None:
    target.node(
        node.id,
        label=_text(node.label),
        id=node.id,
        shape=SHAPES.get(node.cls, "box"),
        fillcolor=COLOURS.get(node.cls, DEFAULT_COLOUR),
        # Graphviz copies ``class`` into the SVG: a stylesheet can tell classes apart.
        **{"class": f"{node.cls} {'cluster' if node.count > 1 else 'element'}"},
        penwidth="3" if root else "1",
        peripheries="2" if node.count > 1 else "1",
    )


def dot_source(diagram: Diagram) -> str:
    """The diagram as DOT text."""
    source: str = to_graphviz(diagram).source
    return source
