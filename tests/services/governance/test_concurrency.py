"""Two edits of one definition at once, on both backends: exactly one applies.

Real threads on a real store. With ``expected_version`` the loser is refused
as STALE; without it, the read-check-write of each step is still atomic, so
version and proposal numbers are never handed out twice.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from journeykg.services.governance import history
from journeykg.services.governance.errors import GovernanceError
from journeykg.services.governance.model import ConceptText
from journeykg.services.governance.workflow import Governance
from tests.services.governance.conftest import STEWARD_POST, propose_fcr

WHY = "Besloten in de board"


def race(steps: list[Callable[[], object]]) -> tuple[list[object], list[GovernanceError]]:
    """Run ``steps`` in threads released at the same moment; their results and refusals."""
    start = threading.Barrier(len(steps))
    done: list[object] = []
    refused: list[GovernanceError] = []
    guard = threading.Lock()

    def run(step: Callable[[], object]) -> None:
        start.wait()
        try:
            result = step()
        except GovernanceError as exc:
            with guard:
                refused.append(exc)
        else:
            with guard:
                done.append(result)

    threads = [threading.Thread(target=run, args=(s,)) for s in steps]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return done, refused


def test_approve_and_reject_of_one_version_one_applies_the_other_is_stale(
    gov: Governance,
) -> None:
    propose_fcr(gov)
    done, refused = race(
        [
            lambda: gov.approve(
                "concept/fcr", by=STEWARD_POST, role="steward", rationale=WHY, expected_version=1
            ),
            lambda: gov.reject(
                "concept/fcr", by=STEWARD_POST, role="steward", rationale=WHY, expected_version=1
            ),
        ]
    )
    assert (len(done), [e.code for e in refused]) == (1, ["STALE"])
    versions = history.versions(gov.store, "concept/fcr")
    assert [v.number for v in versions] == [1, 2]
    assert len(history.activities(gov.store, "concept/fcr")) == 2


def test_two_change_proposals_at_once_make_one_proposal(gov: Governance) -> None:
    propose_fcr(gov)
    gov.approve("concept/fcr", by=STEWARD_POST, role="steward", rationale=WHY)

    def change(label: str) -> Callable[[], object]:
        text = ConceptText(pref_labels={"en": label})
        return lambda: gov.propose_change("concept/fcr", text, by="owner/k", expected_version=2)

    done, refused = race([change("First-contact resolution"), change("First call resolution")])
    assert (len(done), len(refused)) == (1, 1)
    # The loser saw the winner's open proposal: refused, never merged into it.
    assert "still open" in str(refused[0])
    (proposal,) = history.proposals(gov.store, "concept/fcr")
    assert proposal.text.pref_labels["en"] in ("First-contact resolution", "First call resolution")
    assert len(history.activities(gov.store, "concept/fcr")) == 3


def test_many_steps_without_expected_version_never_share_a_number(gov: Governance) -> None:
    propose_fcr(gov)
    gov.approve("concept/fcr", by=STEWARD_POST, role="steward", rationale=WHY)
    done, refused = race(
        [
            lambda: gov.deprecate("concept/fcr", by=STEWARD_POST, role="steward", rationale=WHY)
            for _ in range(3)
        ]
    )
    # The first retires it; the others find it retired and are refused, not re-applied.
    assert (len(done), {e.code for e in refused}) == (1, {"ILLEGAL_TRANSITION"})
    numbers = [a.id for a in history.activities(gov.store, "concept/fcr")]
    assert len(numbers) == len(set(numbers)) == 3
