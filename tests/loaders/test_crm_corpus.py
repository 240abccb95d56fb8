"""The CRM regression corpus (tests/loaders/crm_corpus.py): each vendor's export shape, and
the variants real exports come in, with the outcome each must give: the aggregates, the
notice, or the exact refusal.

The cases and their aggregates are worked out by hand in crm_corpus.py (VOLUMES).
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from journeykg.loaders.recipe import load_recipe
from journeykg.loaders.sources import SourceError
from tests.loaders import crm_corpus as corpus
from tests.loaders.crm_corpus import CASES, VOLUMES
from tests.loaders.sources_helpers import Run, run

Volumes = dict[str, tuple[int, int, int, str]]

SALESFORCE = """\
name: corpus-salesforce
kind: salesforce
input:
  files: [cases-page-*.json]
crm:
  reason_field: Reason
  channel_field: Origin
  reasons: {Billing: reason/rekening-begrijpen, Porting: reason/nummer-meenemen}
  channels: {Phone: channel/telefoon, Email: channel/email, Web: channel/web}
  complaint: {field: Type, values: [Complaint]}
  escalation: {field: IsEscalated, values: [true]}
  first_contact_resolution:
    rule: closed-same-day
    closed: {field: Status, values: [Closed]}
"""

DATA_LOADER = """\
name: corpus-data-loader
kind: salesforce
input:
  files: [extract.csv]
  format: bulk-csv
crm:
  reason_field: REASON
  channel_field: ORIGIN
  fields: {id: ID, created: CREATEDDATE, modified: LASTMODIFIEDDATE, closed: CLOSEDDATE}
  reasons: {Billing: reason/rekening-begrijpen, Porting: reason/nummer-meenemen}
  channels: {Phone: channel/telefoon, Email: channel/email, Web: channel/web}
  complaint: {field: TYPE, values: [Complaint]}
  escalation: {field: ISESCALATED, values: [true]}
  first_contact_resolution:
    rule: closed-same-day
    closed: {field: STATUS, values: [Closed]}
"""

DYNAMICS = """\
name: corpus-dynamics
kind: dynamics
input:
  files: [incidents-page-*.json]
crm:
  reason_field: _subjectid_value
  channel_field: caseorigincode
  reasons: {Billing: reason/rekening-begrijpen, Porting: reason/nummer-meenemen}
  channels: {1: channel/telefoon, 2: channel/email, 3: channel/web}
  complaint: {field: casetypecode, values: [2]}
  escalation: {field: isescalated, values: [true]}
  first_contact_resolution:
    rule: closed-same-day
    closed: {field: statecode, values: [1]}
  fields:
    closed: modifiedon
"""

HUBSPOT = """\
name: corpus-hubspot
kind: hubspot
input:
  files: [tickets-page-*.json]
crm:
  reasons: {BILLING_ISSUE: reason/rekening-begrijpen, NUMBER_PORTING: reason/nummer-meenemen}
  channels: {PHONE: channel/telefoon, EMAIL: channel/email, FORM: channel/web}
  complaint: {field: ticket_type, values: [Klacht]}
  escalation: {field: escalated, values: [true]}
  first_contact_resolution:
    rule: closed-same-day
    closed: {field: hs_pipeline_stage, values: ["4"]}
"""

TICKETS = """\
name: corpus-tickets
kind: ticket-csv
input:
  files: [tickets.csv]
crm:
  reason_field: Contact reason
  channel_field: Via
  reasons: {Billing: reason/rekening-begrijpen, Porting: reason/nummer-meenemen}
  channels: {Phone call (inbound): channel/telefoon, Mail: channel/email, Web form: channel/web}
  complaint: {field: Klacht, values: [true]}
  escalation: {field: Escalated, values: [yes]}
  first_contact_resolution:
    rule: closed-same-day
    closed: {field: Status, values: [solved]}
"""


def read(directory: Path, recipe: str) -> Run:
    """Write ``recipe`` beside the export in ``directory`` and read the source once."""
    path = directory / "recipe.yaml"
    path.write_text(recipe, encoding="utf-8")
    return run(load_recipe(path))


def refusal(directory: Path, recipe: str) -> SourceError:
    """The SourceError reading ``recipe`` raises (the test fails if it raises none)."""
    with pytest.raises(SourceError) as raised:
        read(directory, recipe)
    return raised.value


def volumes(result: Run) -> Volumes:
    found: Volumes = {}
    for external_id in result.by_id:
        v = result.values(external_id)
        rate = v["jkg:firstContactResolution"]
        assert isinstance(rate, Decimal)
        found[external_id] = (
            v["jkg:contacts"],
            v["jkg:complaints"],
            v["jkg:escalations"],
            str(rate),
        )
    return found


def line_of(recipe: str, text: str) -> int:
    """The line of ``recipe`` on which ``text`` stands."""
    return next(i for i, line in enumerate(recipe.splitlines(), 1) if text in line)


# --- accepted: every vendor's shape gives the hand-worked aggregates ---------------------


def test_salesforce_rest_pages(tmp_path: Path) -> None:
    corpus.salesforce_rest(tmp_path, CASES)
    result = read(tmp_path, SALESFORCE)
    assert volumes(result) == VOLUMES
    assert (result.read, result.rejected) == (6, [])
    assert result.unmapped == {"Reason='Outage'": 1}
    assert [b.warnings for b in result.batches] == [[]]


def test_salesforce_data_loader_extract(tmp_path: Path) -> None:
    corpus.salesforce_data_loader(tmp_path / "extract.csv", CASES)
    result = read(tmp_path, DATA_LOADER)
    assert volumes(result) == VOLUMES
    assert result.unmapped == {"REASON='Outage'": 1}


def test_dynamics_odata_pages_with_formatted_values(tmp_path: Path) -> None:
    corpus.dynamics_odata(tmp_path, CASES)
    result = read(tmp_path, DYNAMICS)
    assert volumes(result) == VOLUMES
    assert result.unmapped == {"_subjectid_value='Outage'": 1}


def test_hubspot_v3_pages(tmp_path: Path) -> None:
    corpus.hubspot_v3(tmp_path, CASES)
    result = read(tmp_path, HUBSPOT)
    assert volumes(result) == VOLUMES
    assert result.unmapped == {"hs_ticket_category='OUTAGE'": 1}


@pytest.mark.parametrize(
    ("bom", "newline"), [(False, "\n"), (True, "\r\n")], ids=["utf-8", "utf-8-bom-crlf"]
)
def test_ticket_csv_in_utf8_with_or_without_bom_and_crlf(
    tmp_path: Path, bom: bool, newline: str
) -> None:
    corpus.ticket_csv(tmp_path / "tickets.csv", CASES, bom=bom, newline=newline)
    result = read(tmp_path, TICKETS)
    assert volumes(result) == VOLUMES
    assert result.unmapped == {"Contact reason='Outage'": 1}


# --- yes/no spellings -----------------------------------------------------------------------


def test_a_yes_no_field_is_read_in_every_documented_spelling(tmp_path: Path) -> None:
    yes, no = ["yes", "Ja", "TRUE", "1"], ["no", "NEE", "False", "0"]
    spelt = [
        c.__class__(**{**c.__dict__, "escalated": (yes if c.escalated else no)[i % 4]})
        for i, c in enumerate(CASES)
    ]
    corpus.ticket_csv(tmp_path / "tickets.csv", spelt)
    assert volumes(read(tmp_path, TICKETS)) == VOLUMES


def test_is_escalated_yes_in_a_salesforce_export_counts_as_escalated(tmp_path: Path) -> None:
    corpus.salesforce_rest(tmp_path, corpus.spelt(CASES[:1], "yes"))
    result = read(tmp_path, SALESFORCE)
    assert volumes(result) == {"reason/rekening-begrijpen|channel/telefoon|2026-03": VOLUMES[
        "reason/rekening-begrijpen|channel/telefoon|2026-03"
    ]}  # fmt: skip


def test_an_unknown_yes_no_spelling_refuses_the_case_with_its_reason(tmp_path: Path) -> None:
    corpus.ticket_csv(tmp_path / "tickets.csv", [*corpus.spelt(CASES[:1], "misschien"), *CASES[1:]])
    result = read(tmp_path, TICKETS)
    (problem,) = result.rejected
    assert (problem.file, problem.line, problem.node, problem.property, problem.rule) == (
        "tickets.csv",
        2,
        "101",
        "Escalated",
        "yes/no field holds true/false, 1/0, yes/no or ja/nee",
    )
    assert problem.message == (
        "tickets.csv:2: Escalated holds 'misschien', which is no spelling of yes or no "
        "(true/false, 1/0, yes/no, ja/nee, in any case)"
    )
    # the refused case is in no aggregate; never counted as "not escalated"
    expected = dict(VOLUMES)
    del expected["reason/rekening-begrijpen|channel/telefoon|2026-03"]
    assert volumes(result) == expected


def test_a_number_rule_matches_by_value_whatever_the_spelling(tmp_path: Path) -> None:
    # a spreadsheet saved the 0/1 column as 1.0 / 0.00; the recipe's rule is the code 1
    spelt = [
        c.__class__(**{**c.__dict__, "escalated": "1.0" if c.escalated else "0.00"}) for c in CASES
    ]
    corpus.ticket_csv(tmp_path / "tickets.csv", spelt)
    recipe = TICKETS.replace("values: [yes]", "values: [1]")
    result = read(tmp_path, recipe)
    assert result.rejected == []
    assert volumes(result) == VOLUMES


# --- pages: repeated records count once; missing records refuse ---------------------------


def test_a_record_repeated_on_a_later_page_counts_once_and_is_reported(tmp_path: Path) -> None:
    records = [corpus.salesforce_record(c) for c in CASES]
    # case 3 again on a last page, modified later (it changed while the query was paged)
    again = dict(records[2], LastModifiedDate="2026-03-07T10:00:00.000+0000")
    corpus.salesforce_rest(tmp_path, CASES, records=[*records, again], total=6)
    result = read(tmp_path, SALESFORCE)
    assert volumes(result) == VOLUMES
    assert result.read == 7
    notices = [n for b in result.batches for n in b.warnings]
    assert [(n.file, n.rule, n.severity, n.message) for n in notices] == [
        (
            "cases-page-1.json",
            "pages hold totalSize records",
            "Info",
            "the pages hold 7 records for totalSize 6: 1 record(s) appear on more than one "
            "page; no record is missing, each counts once",
        ),
        (
            "cases-page-2.json",
            "a case counts once",
            "Info",
            "1 case(s) appear more than once in the export (1 extra record(s)), e.g. a case "
            "that changed while the export was paged; each counts once, in its latest "
            "version: 5003X00002Cs003QAF (2x)",
        ),
    ]


def test_a_missing_page_refuses_the_whole_answer(tmp_path: Path) -> None:
    pages = corpus.salesforce_rest(tmp_path, CASES)
    pages[1].unlink()
    error = refusal(tmp_path, SALESFORCE)
    assert [(p.file, p.property, p.message) for p in error.problems] == [
        (
            "cases-page-1.json",
            "totalSize",
            "the pages hold 4 distinct records but the answer has totalSize 6: "
            "2 record(s) are missing",
        )
    ]


def test_a_repeated_record_in_place_of_another_is_a_missing_record(tmp_path: Path) -> None:
    records = [corpus.salesforce_record(c) for c in CASES]
    records[5] = records[2]
    corpus.salesforce_rest(tmp_path, CASES, records=records)
    error = refusal(tmp_path, SALESFORCE)
    assert [p.message for p in error.problems] == [
        "the pages hold 5 distinct records but the answer has totalSize 6: 1 record(s) are missing"
    ]


def test_dynamics_count_explained_by_a_repeated_incident(tmp_path: Path) -> None:
    records = [corpus.dynamics_record(c) for c in CASES]
    corpus.dynamics_odata(tmp_path, CASES, records=[*records, records[0]], count=6)
    result = read(tmp_path, DYNAMICS)
    assert volumes(result) == VOLUMES
    (count, repeated) = [n for b in result.batches for n in b.warnings]
    assert count.message == (
        "the pages hold 7 incidents for @odata.count 6: 1 appear on more than one page; "
        "none is missing, each counts once"
    )
    assert repeated.message.endswith(f"version: {CASES[0].guid} (2x)")


# --- recipe fields checked against the export ---------------------------------------------


def test_a_misspelt_escalation_field_refuses_the_run_naming_line_and_closest_field(
    tmp_path: Path,
) -> None:
    corpus.salesforce_rest(tmp_path, CASES)
    recipe = SALESFORCE.replace("field: IsEscalated", "field: IsEscalatd")
    error = refusal(tmp_path, recipe)
    (problem,) = error.problems
    assert (problem.file, problem.line, problem.property, problem.value, problem.rule) == (
        str(tmp_path / "recipe.yaml"),
        line_of(recipe, "IsEscalatd"),
        "crm.escalation.field",
        "IsEscalatd",
        "recipe field exists in the export",
    )
    assert problem.message == (
        "'IsEscalatd' is not a field of cases-page-1.json (did you mean 'IsEscalated'?); "
        "the export has: CaseNumber, ClosedDate, Contact.Email, Contact.Name, "
        "CreatedDate, Id, IsClosed, IsEscalated, LastModifiedDate, Origin, Reason, Status, "
        "Subject, SuppliedEmail, SuppliedName, SuppliedPhone, Type"
    )
    assert error.summary == (
        f"recipe {tmp_path / 'recipe.yaml'} names 1 field(s) that cases-page-1.json does not "
        "have; nothing was read or written"
    )


def test_a_misspelt_reason_field_points_at_its_line(tmp_path: Path) -> None:
    corpus.salesforce_rest(tmp_path, CASES)
    recipe = SALESFORCE.replace("reason_field: Reason", "reason_field: Reasn")
    (problem,) = refusal(tmp_path, recipe).problems
    assert (problem.line, problem.property) == (line_of(recipe, "Reasn"), "crm.reason_field")
    assert "(did you mean 'Reason'?)" in problem.message


def test_a_dynamics_closed_field_the_export_lacks_is_refused(tmp_path: Path) -> None:
    corpus.dynamics_odata(tmp_path, CASES, modifiedon=False)
    (problem,) = refusal(tmp_path, DYNAMICS).problems
    assert (problem.line, problem.property, problem.value) == (
        line_of(DYNAMICS, "closed: modifiedon"),
        "crm.fields.closed",
        "modifiedon",
    )
    assert problem.message.startswith("'modifiedon' is not a field of incidents-page-1.json;")


def test_a_first_contact_rule_without_a_closing_field_is_refused(tmp_path: Path) -> None:
    # Dynamics incidents have no closing time of their own: without fields.closed every
    # first-contact rate would be 0
    corpus.dynamics_odata(tmp_path, CASES)
    recipe = DYNAMICS.replace("  fields:\n    closed: modifiedon\n", "")
    (problem,) = refusal(tmp_path, recipe).problems
    assert (problem.line, problem.property, problem.message) == (
        line_of(recipe, "rule: closed-same-day"),
        "crm.fields.closed",
        "rule 'closed-same-day' needs each case's closing time, and dynamics has no default "
        "field for it: name one in crm.fields.closed",
    )


def test_a_refused_dynamics_reason_field_points_at_the_reason_field_line(
    tmp_path: Path,
) -> None:
    corpus.dynamics_odata(tmp_path, CASES)
    recipe = DYNAMICS.replace("reason_field: _subjectid_value", "reason_field: subjectid")
    (problem,) = refusal(tmp_path, recipe).problems
    assert (problem.line, problem.property) == (line_of(recipe, "subjectid"), "crm.reason_field")
    assert "(did you mean '_subjectid_value'?)" in problem.message


def test_a_hubspot_property_the_export_lacks_is_refused(tmp_path: Path) -> None:
    corpus.hubspot_v3(tmp_path, CASES)
    recipe = HUBSPOT.replace("field: ticket_type", "field: hs_ticket_type")
    (problem,) = refusal(tmp_path, recipe).problems
    assert (problem.line, problem.property) == (
        line_of(recipe, "hs_ticket_type"),
        "crm.complaint.field",
    )
    assert "(did you mean 'ticket_type'?)" in problem.message


def test_a_default_field_the_export_lacks_points_at_where_to_set_it(tmp_path: Path) -> None:
    corpus.salesforce_data_loader(tmp_path / "extract.csv", CASES)
    recipe = DATA_LOADER.replace("  fields: {id: ID, created: CREATEDDATE, ", "  fields: {")
    error = refusal(tmp_path, recipe)
    assert [(p.line, p.property, p.value) for p in error.problems] == [
        (line_of(recipe, "fields:"), "crm.fields.created", "CreatedDate"),
        (line_of(recipe, "fields:"), "crm.fields.id", "Id"),
    ]
    assert error.problems[1].message.startswith(
        "the recipe does not set crm.fields.id, and its default 'Id' is not a field of "
        "extract.csv (did you mean 'ID'?)"
    )


# --- CSV files: encodings, empty files, huge rows -----------------------------------------


def test_a_latin1_export_names_the_line_and_the_encoding_option(tmp_path: Path) -> None:
    corpus.ticket_csv(tmp_path / "tickets.csv", CASES, encoding="latin-1")
    (problem,) = refusal(tmp_path, TICKETS).problems
    assert (problem.file, problem.line, problem.rule) == ("tickets.csv", 2, "text in utf-8-sig")
    assert problem.message == (
        "byte 0xd6 on line 2 is not utf-8-sig text: the file may be in another encoding: "
        "name it with --encoding (e.g. --encoding latin-1 or cp1252) or input.encoding in "
        "the recipe"
    )


def test_a_latin1_export_is_read_with_its_encoding(tmp_path: Path) -> None:
    corpus.ticket_csv(tmp_path / "tickets.csv", CASES, encoding="latin-1")
    recipe = TICKETS.replace(
        "  files: [tickets.csv]\n", "  files: [tickets.csv]\n  encoding: latin-1\n"
    )
    assert volumes(read(tmp_path, recipe)) == VOLUMES


def test_an_empty_export_says_it_is_empty(tmp_path: Path) -> None:
    (tmp_path / "tickets.csv").write_bytes(b"")
    (problem,) = refusal(tmp_path, TICKETS).problems
    assert (problem.line, problem.message) == (
        1,
        "the ticket export tickets.csv is empty: it has no header and no rows",
    )


def test_a_huge_row_is_reported_on_its_own_line(tmp_path: Path) -> None:
    rows = corpus.ticket_rows(CASES)
    rows[1][1] = "x" * 200_000  # the subject of the second ticket, on line 3
    corpus.ticket_csv(tmp_path / "tickets.csv", CASES, rows=rows)
    (problem,) = refusal(tmp_path, TICKETS).problems
    assert (problem.line, problem.rule) == (3, "CSV syntax")
    assert problem.message == "the row on line 3: field larger than field limit (131072)"


def test_the_corpus_itself_holds_the_people_it_must_not_leak(tmp_path: Path) -> None:
    # the inputs really carry personal data, so the tests above read it past them
    corpus.salesforce_rest(tmp_path, CASES)
    text = "".join(p.read_text(encoding="utf-8") for p in tmp_path.glob("*.json"))
    assert all(person.email in text and person.name in text for person in corpus.PEOPLE)
    assert json.loads((tmp_path / "cases-page-1.json").read_text())["nextRecordsUrl"].endswith(
        f"{corpus.SF_LOCATOR}-2"
    )
