"""The governance service: a request means one thing, whoever asks, on both backends."""

from __future__ import annotations

import pytest

from journeykg.graph.store import Store
from journeykg.services.governance import service
from journeykg.services.governance.errors import GovernanceRequestError
from journeykg.services.governance.history import diff, version
from journeykg.services.governance.model import ConceptText
from journeykg.services.governance.service import Caller
from journeykg.services.governance.transitions import Status
from journeykg.services.governance.workflow import NewConcept
from tests.services.governance.conftest import FCR_TEXT, STEWARD_POST, TickingClock, dump

PROPOSER = Caller("owner/k")
STEWARD = Caller(STEWARD_POST, "steward")
FCR = NewConcept(
    "fcr",
    FCR_TEXT,
    explains=("jkg:FCR",),
    sources=("KPI-handboek 2025",),
    broader=("concept/nps",),
)


@pytest.fixture
def approved_fcr(board: Store, clock: TickingClock) -> Store:
    """The board with concept/fcr proposed and approved through the service (version 2)."""
    service.propose(board, FCR, PROPOSER, clock=clock)
    service.approve(board, "concept/fcr", STEWARD, rationale="Besloten", clock=clock)
    return board


def test_approving_a_dutch_definition_keeps_every_other_language_and_field(
    approved_fcr: Store, clock: TickingClock
) -> None:
    store = approved_fcr
    before = service.show(store, "concept/fcr")
    dutch = "Het aandeel vragen zonder tweede contact binnen 7 dagen."
    change = ConceptText(definitions={"nl": dutch})
    proposed = service.propose_change(store, "fcr", change, PROPOSER, clock=clock)
    assert proposed.proposal is not None
    service.approve(store, proposed.proposal.id, STEWARD, rationale="Scherper", clock=clock)

    after = service.show(store, "concept/fcr")
    assert after.text == ConceptText(
        pref_labels=FCR_TEXT.pref_labels,
        definitions={"nl": dutch, "en": FCR_TEXT.definitions["en"]},
        scope_notes=FCR_TEXT.scope_notes,
    )
    assert (after.status, after.version) == (Status.APPROVED, 3)
    unchanged = ("type", "scheme", "sources", "broader", "explains", "replaced_by")
    assert [getattr(after, f) for f in unchanged] == [getattr(before, f) for f in unchanged]
    # The new version says the same, and differs from the last in that one text only.
    assert version(store, "concept/fcr", 3).text == after.text
    changes = diff(version(store, "concept/fcr", 2), version(store, "concept/fcr", 3))
    assert [(c.field, c.language, c.after) for c in changes] == [("definition", "nl", dutch)]


def test_an_empty_text_in_a_change_removes_that_language_only(
    approved_fcr: Store, clock: TickingClock
) -> None:
    change = ConceptText(definitions={"en": ""}, scope_notes={"en": "Per channel."})
    proposed = service.propose_change(approved_fcr, "concept/fcr", change, PROPOSER, clock=clock)
    assert proposed.proposal is not None
    assert proposed.proposal.text == ConceptText(
        pref_labels=FCR_TEXT.pref_labels,
        definitions={"nl": FCR_TEXT.definitions["nl"]},
        scope_notes={**FCR_TEXT.scope_notes, "en": "Per channel."},
    )


def test_approving_a_change_that_removes_the_last_scope_note_removes_it_from_the_concept(
    approved_fcr: Store, clock: TickingClock
) -> None:
    # A write replaces only the fields the delta mentions; an emptied field has no triple.
    change = ConceptText(scope_notes={"nl": ""})
    proposed = service.propose_change(approved_fcr, "concept/fcr", change, PROPOSER, clock=clock)
    assert proposed.proposal is not None
    service.approve(approved_fcr, proposed.proposal.id, STEWARD, rationale="Overbodig", clock=clock)

    after = service.show(approved_fcr, "concept/fcr")
    assert after.text.scope_notes == {}
    assert after.text.definitions == FCR_TEXT.definitions
    assert (after.sources, after.explains, after.broader) == (
        FCR.sources,
        ("jkg:FCR",),
        FCR.broader,
    )
    assert version(approved_fcr, "concept/fcr", 3).text == after.text


def test_a_change_that_repeats_the_approved_text_is_refused(
    approved_fcr: Store, clock: TickingClock
) -> None:
    before = dump(approved_fcr)
    same = ConceptText(definitions={"en": FCR_TEXT.definitions["en"]})
    with pytest.raises(GovernanceRequestError, match="changes nothing"):
        service.propose_change(approved_fcr, "concept/fcr", same, PROPOSER, clock=clock)
    assert dump(approved_fcr) == before


def test_proposing_an_existing_concept_never_becomes_a_change(
    approved_fcr: Store, clock: TickingClock
) -> None:
    before = dump(approved_fcr)
    again = NewConcept("fcr", ConceptText(definitions={"nl": "Anders."}))
    with pytest.raises(GovernanceRequestError) as refused:
        service.propose(approved_fcr, again, PROPOSER, clock=clock)
    assert refused.value.code == "BAD_REQUEST"
    assert "journeykg governance propose-change" in str(refused.value)
    assert "proposeChange" in str(refused.value)
    assert dump(approved_fcr) == before
    assert service.history(approved_fcr, "concept/fcr").proposals == ()
