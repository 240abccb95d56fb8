"""The rule of what of an input value may be repeated (loaders/personal_data.py)."""

from __future__ import annotations

import pytest

from journeykg.loaders.personal_data import described, scrub, scrubbed, shown_key, shown_value
from journeykg.validation.problems import Problem
from tests.loaders.pii_inputs import EMAIL, IBAN, MOBILE, NAME, NOTE, PERSON, PHONE


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("Installatie storing", "Installatie storing"),  # a drop-down option: the user maps it
        ("Phone call (inbound)", "Phone call (inbound)"),
        (100000000, "100000000"),
        (EMAIL, "a text of 35 characters"),
        (f"Bel {PHONE}", "a text of 19 characters"),
        (f"Terugbellen {MOBILE}", "a text of 23 characters"),
        (IBAN, "a text of 18 characters"),
        (NOTE, f"a text of {len(NOTE)} characters"),  # longer than an option is
        (PERSON, "an object with 3 fields"),
        ([NAME, EMAIL], "a list of 2 values"),
    ],
)
def test_a_key_is_shown_unless_it_could_be_personal(value: object, shown: str) -> None:
    assert shown_key(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("gisteren", "gisteren"),  # a bad date, a bad number, a bad flag: one word
        ("12,5", "12,5"),
        ("yes", "yes"),
        (NAME, "a text of 24 characters"),  # a phrase could be a name
        ("31 februari", "a text of 11 characters"),
        (PHONE, "a text of 15 characters"),
        (True, "True"),
        (PERSON, "an object with 3 fields"),
        ("x" * 40, "a text of 40 characters"),
    ],
)
def test_a_bad_value_is_shown_only_as_one_harmless_word(value: object, shown: str) -> None:
    assert shown_value(value) == shown


def test_described_gives_kind_and_size_only() -> None:
    assert described("") == "a text of 0 characters"
    assert described("a") == "a text of 1 character"
    assert described(None) == "nothing"
    assert described(3.5) == "a number"
    assert described({"Name": NAME}) == "an object with 1 field"


@pytest.mark.parametrize(
    "harmless",
    [
        "2026-02-03T08:15:00.000+0000",
        "5003X00002AbC01QAF",
        "00001098",
        "2026-02",
        "30000.00",
        "reason/nummer-meenemen|channel/telefoon|2026-03",
        "cases-page-2.json#records[14]",
        "00000000-0000-0000-0000-000000001001",
    ],
)
def test_scrub_leaves_dates_ids_and_amounts_alone(harmless: str) -> None:
    assert scrub(harmless) == harmless


def test_scrub_replaces_what_is_shaped_like_personal_data() -> None:
    text = f"mail {EMAIL} of bel {PHONE} of {MOBILE} of 0031 20 555 0142, rekening {IBAN}"
    assert scrub(text) == (
        "mail [e-mail address] of bel [phone number] of [phone number] of [phone number], "
        "rekening [IBAN]"
    )
    problem = scrubbed(Problem("f.json", "rule", f"about {EMAIL}", node="n", value=PHONE))
    assert (problem.message, problem.value) == ("about [e-mail address]", "[phone number]")
