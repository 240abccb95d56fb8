"""The diagram of an impact answer: the elements reached, in columns by hop, and the edges walked.

Every element of the answer is a node and every edge of the answer
(:attr:`ImpactAnswer.edges`, the edges its paths are made of) is a link, so
the picture shows exactly what the JSON answer holds. Above
:data:`CLUSTER_ABOVE` elements a picture of every element is unreadable
(and Graphviz's layout grows faster than linearly): the elements are then
clustered per class and hop, one node each saying how many it stands for,
and the links between clusters are summed per relation; the diagram's note
says so.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from rdflib import URIRef

from journeykg.graph.lifecycle import named_elements
from journeykg.graph.model import ImpactAnswer
from journeykg.graph.store import Store
from journeykg.services.diagrams.model import Diagram, Group, Link, Node
from journeykg.services.diagrams.words import caption, class_name, number, relation_name

#: Above this many elements (the start included) an impact diagram is clustered per class and hop.
CLUSTER_ABOVE = 150


def hop_group(hop: int) -> str:
    """The id of the column that holds the elements ``hop`` steps away."""
    return f"hop/{hop}"


def cluster_id(cls: str, hop: int) -> str:
    """The id of the node standing for every element of ``cls`` at ``hop``."""
    return f"cluster/{cls}/{hop}"


def impact_diagram(
    store: Store,
    answer: ImpactAnswer,
    language: str = "nl",
    *,
    cluster_above: int = CLUSTER_ABOVE,
) -> Diagram:
    """The diagram of ``answer``, labelled in ``language``; clustered above ``cluster_above``."""
    if cluster_above < 1:
        raise ValueError(f"clusterAbove must be 1 or more, got {cluster_above}")
    root = answer.of
    count = 1 + len(answer.affected)
    clustered = count > cluster_above
    named = named_elements(store, [URIRef(root.iri)])
    if not clustered:
        named.update(named_elements(store, [URIRef(a.element.iri) for a in answer.affected]))

    def label(iri: str, fallback: str) -> str:
        found = named.get(URIRef(iri))
        return found.label(language) if found is not None and found.labels else fallback

    verb = "needs" if answer.direction == "UPSTREAM" else "affects"
    title = caption(verb, language, label=label(root.iri, root.label or root.id))
    hops = sorted({a.hops for a in answer.affected} | {0})
    groups = tuple(
        Group(hop_group(h), caption("start" if h == 0 else "hop", language, hop=h)) for h in hops
    )
    start = Node(root.id, label(root.iri, root.label or root.id), root.type, 0, hop_group(0))
    notes: list[str] = []
    if not answer.is_complete:
        notes.append(caption("cut", language, hops=answer.truncated_at_hop, count=len(answer.cut)))
    if clustered:
        nodes, links = _clusters(answer, language)
        notes.append(
            caption(
                "clustered",
                language,
                elements=number(count, language),
                threshold=number(cluster_above, language),
                nodes=len(nodes),
            )
        )
    else:
        nodes = [
            Node(
                a.element.id,
                label(a.element.iri, a.element.label or a.element.id),
                a.element.type,
                a.hops,
                hop_group(a.hops),
            )
            for a in answer.affected
        ]
        links = [
            Link(e.source, e.relation, e.target, relation_name(e.relation, language))
            for e in answer.edges
        ]
    return Diagram(
        title=title,
        nodes=(start, *nodes),
        links=tuple(links),
        groups=groups,
        note="; ".join(notes) or None,
        clustered=clustered,
        language=language,
        root=root.id,
        elements=count,
    )


def _clusters(answer: ImpactAnswer, language: str) -> tuple[list[Node], list[Link]]:
    """One node per class and hop (the start stays itself), and the links summed between them."""
    where: dict[str, str] = {answer.of.id: answer.of.id}
    members: Counter[tuple[str, int]] = Counter()
    for a in answer.affected:
        key = (a.element.type, a.hops)
        members[key] += 1
        where[a.element.id] = cluster_id(*key)
    nodes = [
        Node(
            cluster_id(cls, hop),
            f"{class_name(cls, language)} × {number(n, language)}",
            cls,
            hop,
            hop_group(hop),
            count=n,
        )
        for (cls, hop), n in sorted(members.items(), key=lambda m: (m[0][1], m[0][0]))
    ]
    summed: defaultdict[tuple[str, str, str], int] = defaultdict(int)
    for e in answer.edges:
        summed[(where[e.source], e.relation, where[e.target])] += 1
    links = [
        Link(s, r, t, f"{relation_name(r, language)} × {number(n, language)}", count=n)
        for (s, r, t), n in sorted(summed.items())
    ]
    return nodes, links
