"""The diagram of the lifecycle picture: stages holding phases holding contact reasons.

Each stage and phase is a box; each contact reason a node with its contacts
and complaints (the figures of :func:`journeykg.graph.lifecycle.lifecycle_picture`,
the ones the web start page shows); each journey a node linked to the
reasons it is placed on. The framework is small by design (tens of reasons),
so it is never clustered.
"""

from __future__ import annotations

from journeykg.graph.lifecycle import LifecyclePicture
from journeykg.services.diagrams.model import Diagram, Group, Link, Node
from journeykg.services.diagrams.words import caption, number

JOURNEYS_GROUP = "journeys"


def lifecycle_diagram(picture: LifecyclePicture, language: str = "nl") -> Diagram:
    """The lifecycle picture as a diagram labelled in ``language``."""
    groups: list[Group] = []
    nodes: list[Node] = []
    links: list[Link] = []
    contacts, complaints = caption("contacts", language), caption("complaints", language)
    for column in picture.stages:
        stage = column.stage
        total = sum(c.volume.contacts for p in column.phases for c in p.reasons)
        groups.append(
            Group(stage.id, f"{stage.label(language)} ({number(total, language)} {contacts})")
        )
        for row in column.phases:
            groups.append(Group(row.phase.id, row.phase.label(language), parent=stage.id))
            for cell in row.reasons:
                volume = cell.volume
                nodes.append(
                    Node(
                        cell.reason.id,
                        f"{cell.reason.label(language)}\n"
                        f"{number(volume.contacts, language)} {contacts} · "
                        f"{number(volume.complaints, language)} {complaints}",
                        "ContactReason",
                        group=row.phase.id,
                    )
                )
                # Unlabelled: every link of this picture is "placed on", said once in the box.
                links.extend(
                    Link(j, "PLACED_ON", cell.reason.id, "", ordering=False) for j in cell.journeys
                )
    if picture.journeys:
        groups.append(Group(JOURNEYS_GROUP, caption("journeys", language)))
    nodes.extend(
        Node(
            j.journey.id,
            f"{j.journey.label(language)}\n{number(j.figures.contacts, language)} {contacts}",
            "Journey",
            group=JOURNEYS_GROUP,
        )
        for j in picture.journeys
    )
    drawn = {n.id for n in nodes}
    return Diagram(
        title=caption("lifecycle", language),
        nodes=tuple(nodes),
        # A journey that is placed but not ranked (none today) is left out, not drawn bare.
        links=tuple(link for link in links if link.source in drawn),
        groups=tuple(groups),
        language=language,
        elements=len(nodes),
        columns=(*(c.stage.id for c in picture.stages), JOURNEYS_GROUP),
    )
