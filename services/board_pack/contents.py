"""What a board pack holds, gathered from the questions and services every entry point uses.

The lifecycle picture and its figures (:func:`journeykg.graph.lifecycle.lifecycle_picture`),
priorities (:func:`journeykg.graph.quantify.prioritise`, GraphQL's ``priorities``),
coverage gaps (:func:`journeykg.graph.coverage.coverage_report`), open proposals and
recent decisions (the governance service), a chosen impact answer with its diagram
(:mod:`journeykg.services.diagrams`) and a comparison of two saved scenarios
(:func:`journeykg.services.scenarios.compare_saved`). Nothing here computes a
figure of its own, so the pack cannot disagree with the API.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeykg.graph.coverage import CoverageReport, coverage_report
from journeykg.graph.impact import impact
from journeykg.graph.lifecycle import LifecyclePicture, lifecycle_picture
from journeykg.graph.model import ImpactAnswer
from journeykg.graph.quantify import BlastRadius, JourneyFigures, blast_radius, prioritise
from journeykg.graph.scenario import ScenarioComparison
from journeykg.graph.store import Store
from journeykg.services.diagrams.drawing import Drawing, draw_impact, draw_lifecycle
from journeykg.services.diagrams.formats import DiagramFormat
from journeykg.services.governance import service
from journeykg.services.governance.history import decisions
from journeykg.services.governance.model import Activity
from journeykg.services.governance.transitions import Status
from journeykg.services.scenarios import compare_saved

#: Above this many elements the pack's impact diagram shows one node per class and hop: a
#: board reads the shape of the impact on one page; every journey at stake is in its table.
BOARD_CLUSTER_ABOVE = 40

#: How many journeys, decisions and findings per rule a pack lists (the rest are counted).
TOP = 10


@dataclass(frozen=True)
class OpenProposal:
    """A concept put to the board, or a change proposed to an approved one."""

    concept: str
    label: str | None
    proposal: str | None
    """The change proposal's id; None for a proposed concept itself."""


@dataclass(frozen=True)
class ImpactSection:
    """A chosen impact answer, its blast radius and its diagram."""

    answer: ImpactAnswer
    radius: BlastRadius
    drawing: Drawing


@dataclass(frozen=True)
class BoardPack:
    """Everything one board pack shows, in one language."""

    language: str
    generation: str
    picture: LifecyclePicture
    picture_drawing: Drawing
    priorities: tuple[JourneyFigures, ...]
    coverage: CoverageReport
    proposals: tuple[OpenProposal, ...]
    decisions: tuple[Activity, ...]
    decisions_total: int
    impact: ImpactSection | None
    comparison: ScenarioComparison | None
    scenarios: tuple[str, str] | None


def open_proposals(store: Store) -> list[OpenProposal]:
    """Proposed concepts, then open change proposals of approved ones (the steward's inbox)."""
    found = [
        OpenProposal(c.id, c.label, None)
        for c in service.search(store, None, statuses={Status.PROPOSED})
    ]
    found += [
        OpenProposal(c.id, c.label, p.id)
        for c in service.search(store, None, statuses={Status.APPROVED})
        for p in service.history(store, c.id).proposals
        if p.status is Status.PROPOSED
    ]
    return found


def assemble(
    store: Store,
    language: str = "nl",
    *,
    impact_of: str | None = None,
    scenarios: tuple[str, str] | None = None,
) -> BoardPack:
    """The board pack of ``store`` in ``language``; an impact answer and a comparison if asked.

    Unknown elements or scenarios raise the graph's UnknownElementError before
    anything is rendered.
    """
    generation = store.generation()
    section = None
    if impact_of is not None:
        answer = impact(store, impact_of)
        section = ImpactSection(
            answer,
            blast_radius(store, answer),
            draw_impact(
                store, answer, DiagramFormat.SVG, language, cluster_above=BOARD_CLUSTER_ABOVE
            ),
        )
    comparison = compare_saved(store, *scenarios) if scenarios is not None else None
    picture = lifecycle_picture(store)
    found = decisions(store)
    return BoardPack(
        language=language,
        generation=generation,
        picture=picture,
        picture_drawing=draw_lifecycle(store, DiagramFormat.SVG, language, picture=picture),
        priorities=prioritise(store).journeys[:TOP],
        coverage=coverage_report(store),
        proposals=tuple(open_proposals(store)),
        decisions=tuple(found[:TOP]),
        decisions_total=len(found),
        impact=section,
        comparison=comparison,
        scenarios=scenarios,
    )
