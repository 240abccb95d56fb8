"""History and as-of on both backends: versions with validity intervals, and diffs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from journeykg.services.governance.errors import GovernanceRequestError
from journeykg.services.governance.history import (
    as_of,
    decisions,
    diff,
    parse_moment,
    version,
    versions,
)
from journeykg.services.governance.model import ConceptText, FieldChange
from journeykg.services.governance.transitions import Status
from journeykg.services.governance.workflow import Governance
from tests.services.governance.conftest import FCR_TEXT, approve, propose_fcr

NEW_NL = "Het aandeel vragen zonder nieuw contact binnen 7 dagen."


@pytest.fixture
def redefined(gov: Governance) -> Governance:
    """FCR proposed (day 1), approved (day 2), change proposed (day 3) and approved (day 4)."""
    propose_fcr(gov)
    approve(gov)
    gov.propose_change(
        "concept/fcr",
        ConceptText(
            pref_labels={"nl": "Eerste-contactoplossing", "en": "First-contact resolution"},
            definitions={"nl": NEW_NL, "en": FCR_TEXT.definitions["en"]},
        ),
        by="owner/k",
    )
    approve(gov, "concept/fcr/change/1")
    return gov


def at(text: str) -> datetime:
    return parse_moment(text)


def test_every_version_is_kept_with_its_interval(redefined: Governance) -> None:
    found = versions(redefined.store, "concept/fcr")
    assert [(v.id, v.status, v.valid_from, v.valid_until) for v in found] == [
        (
            "concept/fcr/version/1",
            Status.PROPOSED,
            at("2025-01-01T09:00Z"),
            at("2025-01-02T09:00Z"),
        ),
        (
            "concept/fcr/version/2",
            Status.APPROVED,
            at("2025-01-02T09:00Z"),
            at("2025-01-04T09:00Z"),
        ),
        ("concept/fcr/version/3", Status.APPROVED, at("2025-01-04T09:00Z"), None),
    ]
    assert found[1].text == FCR_TEXT
    assert found[2].text.definitions["nl"] == NEW_NL


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2024-12-31", None),  # before the first version
        ("2025-01-01T09:00:00Z", 1),  # validFrom is inclusive
        ("2025-01-02T08:59:59Z", 1),
        ("2025-01-02T09:00:00Z", 2),  # validUntil is exclusive
        ("2025-01-03", 2),  # the change was only proposed: the approved text held
        ("2025-01-04T10:00:00+01:00", 3),  # = 09:00 UTC
        ("2030-01-01", 3),
    ],
)
def test_what_fcr_meant_at_a_moment(
    redefined: Governance, moment: str, expected: int | None
) -> None:
    found = as_of(redefined.store, "concept/fcr", at(moment))
    assert (found.number if found else None) == expected


def test_a_diff_goes_field_by_field_and_language_by_language(redefined: Governance) -> None:
    store = redefined.store
    assert diff(version(store, "concept/fcr", 2), version(store, "concept/fcr", 3)) == [
        FieldChange("prefLabel", "en", "First contact resolution", "First-contact resolution"),
        FieldChange("definition", "nl", FCR_TEXT.definitions["nl"], NEW_NL),
    ]
    assert diff(version(store, "concept/fcr", 1), version(store, "concept/fcr", 2)) == [
        FieldChange("status", "", "proposed", "approved")
    ]


def test_an_unknown_version_and_a_bad_date_are_refused_clearly(redefined: Governance) -> None:
    with pytest.raises(
        GovernanceRequestError, match=r"^concept/fcr has no version 9; it has versions 1, 2, 3$"
    ):
        version(redefined.store, "concept/fcr", 9)
    with pytest.raises(GovernanceRequestError, match=r"^'1 maart' is not a date"):
        parse_moment("1 maart")


def test_a_naive_moment_is_utc() -> None:
    assert parse_moment("2025-03-01") == datetime(2025, 3, 1, tzinfo=UTC)


def test_the_decision_log_holds_every_decision_and_no_proposal(redefined: Governance) -> None:
    redefined.deprecate(
        "concept/fcr", by="owner/steward", role="steward", rationale="Vervangen door FCR-7"
    )
    found = decisions(redefined.store)
    assert [(d.kind, d.concept, d.by, d.role) for d in found] == [
        ("Deprecation", "concept/fcr", "owner/steward", "steward"),
        ("Approval", "concept/fcr", "owner/steward", "steward"),
        ("Approval", "concept/fcr", "owner/steward", "steward"),
    ]
    assert [d.at for d in found] == sorted((d.at for d in found), reverse=True)
    assert found[0].rationale == "Vervangen door FCR-7"
    assert found[1].proposal == "concept/fcr/change/1"
