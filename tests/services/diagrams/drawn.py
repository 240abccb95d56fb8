"""Reading a drawn diagram back: the nodes and edges of its SVG, DOT and mermaid text.

Each reader parses what the format's own tools would: the SVG as XML (Graphviz
puts each node's and edge's ``id`` on its ``<g>``), the DOT through Graphviz
itself (``dot -Tjson`` parses it), the mermaid text line by line.
"""

from __future__ import annotations

import json
import re
import struct
from xml.etree import ElementTree

import graphviz

from journeykg.graph.model import ImpactAnswer
from journeykg.services.diagrams.mermaid import key_of

SVG = "{http://www.w3.org/2000/svg}"
Edges = set[tuple[str, str, str]]


def answer_nodes(answer: ImpactAnswer) -> set[str]:
    """The ids an impact answer holds: the start and every element reached."""
    return {answer.of.id} | {a.element.id for a in answer.affected}


def answer_edges(answer: ImpactAnswer) -> Edges:
    """The edges of an impact answer's paths, as (source, relation, target)."""
    return {(e.source, e.relation, e.target) for e in answer.edges}


def _edge(ident: str) -> tuple[str, str, str]:
    assert ident.startswith("edge:"), ident
    source, relation, target = ident.removeprefix("edge:").split("|")
    return source, relation, target


def svg_graph(svg: bytes) -> tuple[set[str], Edges, list[str]]:
    """Node ids, edges and every text of a Graphviz SVG."""
    root = ElementTree.fromstring(svg)
    nodes: set[str] = set()
    edges: Edges = set()
    for group in root.iter(f"{SVG}g"):
        kind = group.get("class", "").split()
        if "node" in kind:
            title = group.find(f"{SVG}title")
            assert title is not None
            assert title.text == group.get("id")
            nodes.add(group.get("id", ""))
        elif "edge" in kind:
            edges.add(_edge(group.get("id", "")))
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    return nodes, edges, texts


def dot_graph(dot: str) -> tuple[set[str], Edges]:
    """Node ids and visible edges of DOT text, as Graphviz parses it (``dot -Tjson``)."""
    parsed = json.loads(graphviz.Source(dot).pipe(format="json", engine="dot"))
    objects = parsed.get("objects", [])
    names = {o["_gvid"]: o["name"] for o in objects}
    nodes = {o["name"] for o in objects if "nodes" not in o and "subgraphs" not in o}
    edges = {
        _edge(e["id"])
        for e in parsed.get("edges", [])
        if e.get("style") != "invis" and names[e["tail"]] and names[e["head"]]
    }
    return nodes, edges


_MERMAID_NODE = re.compile(r"^\s*(\w+)\[\"(.*)\"\]:::(\w+)$")
_MERMAID_EDGE = re.compile(r"^\s*(\w+) -->\|\"(.*)\"\| (\w+)$")


def mermaid_graph(text: str) -> tuple[dict[str, str], list[tuple[str, str, str]]]:
    """Node ids with their labels, and edges (source, label, target), of mermaid text."""
    nodes: dict[str, str] = {}
    edges: list[tuple[str, str, str]] = []
    lines = text.splitlines()
    assert (lines[0], lines[3]) == ("---", "flowchart LR"), lines[:4]
    for line in lines[4:]:
        if node := _MERMAID_NODE.match(line):
            nodes[key_of(node.group(1))] = node.group(2)
        elif edge := _MERMAID_EDGE.match(line):
            edges.append((key_of(edge.group(1)), edge.group(2), key_of(edge.group(3))))
        else:
            assert re.match(r"^\s*(subgraph \w+\[\".*\"\]|end|%% .*|classDef \w+ .*)$", line), line
    return nodes, edges


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG, from its signature and IHDR chunk."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", png[:8]
    assert png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    return width, height
