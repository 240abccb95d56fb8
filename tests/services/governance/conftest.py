"""Fixtures for the governance tests: a small organisation with a board, and a ticking clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import IsomorphicGraph

from journeykg.graph.canonical import canonical
from journeykg.graph.store import Store
from journeykg.services.governance.model import ConceptText, Outcome
from journeykg.services.governance.workflow import Governance, NewConcept
from tests.conftest import read_fixture

BOARD = Path(__file__).parent / "board.ttl"
STEWARD_POST = "owner/steward"
START = datetime(2025, 1, 1, 9, 0, tzinfo=UTC)

FCR_TEXT = ConceptText(
    pref_labels={"nl": "Eerste-contactoplossing", "en": "First contact resolution"},
    definitions={
        "nl": "Het aandeel klantvragen dat bij het eerste contact is opgelost.",
        "en": "The share of customer questions resolved at the first contact.",
    },
    scope_notes={"nl": "Gemeten per kanaal en per maand."},
)


class TickingClock:
    """A clock that moves on one day each time it is read, from 2025-01-01 09:00 UTC."""

    def __init__(self, start: datetime = START, step: timedelta = timedelta(days=1)) -> None:
        self.now = start - step
        self.step = step

    def __call__(self) -> datetime:
        self.now += self.step
        return self.now


def board_data() -> Graph:
    """impact_small.ttl plus board.ttl: a small organisation with a governance board."""
    data = read_fixture("impact_small.ttl")
    data.parse(BOARD, format="turtle")
    return data


@pytest.fixture
def board(store: Store) -> Store:
    """Either backend, holding :func:`board_data`."""
    store.upsert(board_data())
    return store


@pytest.fixture
def clock() -> TickingClock:
    return TickingClock()


@pytest.fixture
def gov(board: Store, clock: TickingClock) -> Governance:
    return Governance(board, clock)


def dump(store: Store) -> IsomorphicGraph:
    """Everything the store holds, comparable by value."""
    return canonical(store.export())


def propose_fcr(gov: Governance, *, draft: bool = False) -> Outcome:
    return gov.propose_concept(
        NewConcept("fcr", FCR_TEXT, explains=("jkg:FCR",), sources=("KPI-handboek 2025",)),
        by="owner/k",
        draft=draft,
    )


def approve(gov: Governance, ident: str = "concept/fcr") -> Outcome:
    return gov.approve(ident, by=STEWARD_POST, role="steward", rationale="Besloten in de CX-board")


def empty() -> Graph:
    return Graph()
