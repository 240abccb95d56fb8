"""A regression corpus of CRM exports, written the way the vendors' tools write them.

One small set of service cases (:data:`CASES`, with made-up people in them) is written as

- Salesforce REST query pages (``totalSize``, ``done``, ``nextRecordsUrl``
  ``/services/data/v60.0/query/<locator>-<offset>``, records with ``attributes``) and as a
  Data Loader extract (upper-case API names as header, every value quoted, CRLF);
- Dynamics 365 Web API pages (``@odata.context``, ``@odata.nextLink`` with a
  ``$skiptoken`` paging cookie, ``@odata.etag``, option sets and lookups with their
  ``@OData.Community.Display.V1.FormattedValue`` annotations);
- HubSpot CRM v3 object pages (``results`` of ``{id, properties, createdAt, updatedAt,
  archived}``, ``paging.next.after`` and ``link``);
- a help-desk ticket CSV (column titles as header) in UTF-8, UTF-8 with a BOM and CRLF,
  and Latin-1.

Each writer takes the cases and returns the files it wrote; the tests vary the cases
(a repeated record, a missing page, odd spellings) and the recipes, and assert what each
variant gives. Generated here, never copied: the shapes follow the vendors' public API
documentation.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Person:
    """A made-up customer: what a CRM export holds about them (never to reach journeykg)."""

    name: str
    email: str
    phone: str


PEOPLE = (
    Person("Sanne de Groot-Öztürk", "sanne.degroot@example.nl", "+31 6 1234 5678"),
    Person("Mohammed El Idrissi", "m.elidrissi@example.com", "020-5550199"),
    Person("Joëlle van 't Hoff", "joelle.vanthoff@example.org", "+31 10 555 0123"),
)


@dataclass(frozen=True)
class ServiceCase:
    """One service case, as every vendor has it, before it is spelt the vendor's way."""

    number: int
    created: str
    """UTC, ``2026-03-02T09:00:00``."""
    closed: str | None
    modified: str
    reason: str
    """The CRM's own reason: ``Billing``, ``Porting``, ``Outage``."""
    channel: str
    """``Phone``, ``Email``, ``Web``."""
    escalated: bool | str
    """A bool, or the spelling a tool wrote (``"yes"``, ``"Ja"``)."""
    complaint: bool
    status: str
    """``Closed`` or ``New``."""
    person: Person

    @property
    def salesforce_id(self) -> str:
        """An 18-character Salesforce Case id."""
        return f"5003X00002Cs{self.number:03d}QAF"

    @property
    def guid(self) -> str:
        """A Dynamics incident id."""
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"incident/{self.number}"))


#: The corpus' cases; worked out by hand, with the recipes of tests/loaders/test_crm_corpus.py
#: (Billing -> rekening-begrijpen, Porting -> nummer-meenemen, Outage unmapped; UTC):
#:   rekening-begrijpen via telefoon, 2026-03: 1 contact, 1 escalation, FCR 0 (escalated)
#:   rekening-begrijpen via email, 2026-03:    1 contact, 1 complaint, FCR 1
#:   nummer-meenemen via telefoon, 2026-03:    2 contacts, 1 escalation, FCR 0
#:   rekening-begrijpen via telefoon, 2026-04: 1 contact, FCR 1
#:   Outage: 1 case unmapped
CASES = (
    ServiceCase(1, "2026-03-02T09:00:00", "2026-03-02T10:00:00", "2026-03-02T10:00:00",
                "Billing", "Phone", True, False, "Closed", PEOPLE[0]),
    ServiceCase(2, "2026-03-03T11:00:00", "2026-03-03T15:30:00", "2026-03-03T15:30:00",
                "Billing", "Email", False, True, "Closed", PEOPLE[1]),
    ServiceCase(3, "2026-03-05T08:00:00", "2026-03-06T09:00:00", "2026-03-06T09:00:00",
                "Porting", "Phone", False, False, "Closed", PEOPLE[2]),
    ServiceCase(4, "2026-03-10T14:00:00", None, "2026-03-11T08:00:00",
                "Porting", "Phone", True, False, "New", PEOPLE[0]),
    ServiceCase(5, "2026-04-01T07:45:00", "2026-04-01T09:00:00", "2026-04-01T09:00:00",
                "Billing", "Phone", False, False, "Closed", PEOPLE[1]),
    ServiceCase(6, "2026-04-02T12:00:00", None, "2026-04-02T12:00:00",
                "Outage", "Web", False, True, "New", PEOPLE[2]),
)  # fmt: skip

#: The aggregates of :data:`CASES`: external id -> (contacts, complaints, escalations, FCR).
VOLUMES = {
    "reason/rekening-begrijpen|channel/telefoon|2026-03": (1, 0, 1, "0"),
    "reason/rekening-begrijpen|channel/email|2026-03": (1, 1, 0, "1"),
    "reason/nummer-meenemen|channel/telefoon|2026-03": (2, 0, 1, "0"),
    "reason/rekening-begrijpen|channel/telefoon|2026-04": (1, 0, 0, "1"),
}


def spelt(cases: Sequence[ServiceCase], *spellings: bool | str) -> list[ServiceCase]:
    """``cases`` with their escalation flags written as ``spellings`` (in turn)."""
    return [replace(c, escalated=spellings[i % len(spellings)]) for i, c in enumerate(cases)]


def _pages(items: list[Any], per_page: int) -> list[list[Any]]:
    return [items[i : i + per_page] for i in range(0, len(items), per_page)] or [[]]


# --- Salesforce ---------------------------------------------------------------------------

SF_LOCATOR = "01gRO00000Cs9XkYAJ"


def _sf_time(moment: str | None) -> str | None:
    # the REST API writes 2026-03-02T09:00:00.000+0000
    return None if moment is None else f"{moment}.000+0000"


def salesforce_record(case: ServiceCase) -> dict[str, Any]:
    """A Case as a REST query record (``SELECT Id, CaseNumber, ... FROM Case``)."""
    return {
        "attributes": {
            "type": "Case",
            "url": f"/services/data/v60.0/sobjects/Case/{case.salesforce_id}",
        },
        "Id": case.salesforce_id,
        "CaseNumber": f"{1000 + case.number:08d}",
        "Origin": case.channel,
        "Reason": case.reason,
        "Type": "Complaint" if case.complaint else "Question",
        "Status": case.status,
        "IsEscalated": case.escalated,
        "IsClosed": case.closed is not None,
        "CreatedDate": _sf_time(case.created),
        "ClosedDate": _sf_time(case.closed),
        "LastModifiedDate": _sf_time(case.modified),
        "Subject": f"Vraag van {case.person.name}",
        "SuppliedName": case.person.name,
        "SuppliedEmail": case.person.email,
        "SuppliedPhone": case.person.phone,
        "Contact": {
            "attributes": {"type": "Contact", "url": "/services/data/v60.0/sobjects/Contact/x"},
            "Name": case.person.name,
            "Email": case.person.email,
        },
    }


def salesforce_rest(
    directory: Path,
    cases: Sequence[ServiceCase],
    *,
    per_page: int = 2,
    records: list[dict[str, Any]] | None = None,
    total: int | None = None,
) -> list[Path]:
    """REST query pages ``cases-page-N.json``; ``records`` replaces the cases' records (to
    repeat or drop one), ``total`` the ``totalSize`` every page states."""
    found = records if records is not None else [salesforce_record(c) for c in cases]
    pages = _pages(found, per_page)
    size = len(found) if total is None else total
    written = []
    offset = 0
    for number, page in enumerate(pages, start=1):
        offset += len(page)
        last = number == len(pages)
        body: dict[str, Any] = {"totalSize": size, "done": last}
        if not last:
            body["nextRecordsUrl"] = f"/services/data/v60.0/query/{SF_LOCATOR}-{offset}"
        body["records"] = page
        path = directory / f"cases-page-{number}.json"
        path.write_text(json.dumps(body, indent=2, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    return written


def salesforce_data_loader(path: Path, cases: Sequence[ServiceCase]) -> Path:
    """A Data Loader extract of the same query: upper-case API names as header, every value
    quoted, ``true``/``false``, empty for null, CRLF line ends, UTF-8."""
    columns = [
        *("ID", "CASENUMBER", "ORIGIN", "REASON", "TYPE", "STATUS", "ISESCALATED"),
        *("CREATEDDATE", "CLOSEDDATE", "LASTMODIFIEDDATE", "SUPPLIEDNAME", "SUPPLIEDEMAIL"),
    ]
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(columns)
    for case in cases:
        record = salesforce_record(case)
        flag = record["IsEscalated"]
        writer.writerow(
            [
                record["Id"], record["CaseNumber"], record["Origin"], record["Reason"],
                record["Type"], record["Status"],
                ("true" if flag else "false") if isinstance(flag, bool) else flag,
                *(
                    "" if t is None else f"{t}.000Z"
                    for t in (case.created, case.closed, case.modified)
                ),
                case.person.name, case.person.email,
            ]
        )  # fmt: skip
    path.write_text(out.getvalue(), encoding="utf-8", newline="")
    return path


# --- Dynamics 365 -------------------------------------------------------------------------

FORMATTED = "@OData.Community.Display.V1.FormattedValue"
ORG = "https://polder.crm4.dynamics.com/api/data/v9.2"
_ORIGIN_CODES = {"Phone": 1, "Email": 2, "Web": 3}
_SUBJECTS = {name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"subject/{name}")) for name in
             ("Billing", "Porting", "Outage")}  # fmt: skip


def dynamics_record(case: ServiceCase, *, modifiedon: bool = True) -> dict[str, Any]:
    """An incident as ``GET incidents?$select=...`` answers it with
    ``Prefer: odata.include-annotations="*"``."""
    record: dict[str, Any] = {
        "@odata.etag": f'W/"{4711000 + case.number}"',
        "incidentid": case.guid,
        "ticketnumber": f"CAS-{case.number:05d}-X1Y2Z3",
        "title": f"Vraag van {case.person.name}",
        "createdon": f"{case.created}Z",
        "createdon" + FORMATTED: case.created.replace("T", " "),
        "caseorigincode": _ORIGIN_CODES[case.channel],
        "caseorigincode" + FORMATTED: case.channel,
        "casetypecode": 2 if case.complaint else 1,
        "casetypecode" + FORMATTED: "Problem" if case.complaint else "Question",
        "isescalated": case.escalated,
        "isescalated" + FORMATTED: "Yes" if case.escalated is True else "No",
        "statecode": 1 if case.status == "Closed" else 0,
        "statecode" + FORMATTED: "Resolved" if case.status == "Closed" else "Active",
        "_subjectid_value": _SUBJECTS[case.reason],
        "_subjectid_value" + FORMATTED: case.reason,
        "_subjectid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "subject",
        "_customerid_value": str(uuid.uuid5(uuid.NAMESPACE_URL, case.person.email)),
        "_customerid_value" + FORMATTED: case.person.name,
        "emailaddress": case.person.email,
    }
    if modifiedon:
        record["modifiedon"] = f"{case.closed or case.modified}Z"
    return record


def dynamics_odata(
    directory: Path,
    cases: Sequence[ServiceCase],
    *,
    per_page: int = 3,
    modifiedon: bool = True,
    count: int | None = None,
    records: list[dict[str, Any]] | None = None,
) -> list[Path]:
    """Web API pages ``incidents-page-N.json`` chained by ``@odata.nextLink``; ``count``
    adds ``@odata.count`` (as ``$count=true`` does)."""
    found = (
        records
        if records is not None
        else [dynamics_record(c, modifiedon=modifiedon) for c in cases]
    )
    pages = _pages(found, per_page)
    written = []
    for number, page in enumerate(pages, start=1):
        body: dict[str, Any] = {"@odata.context": f"{ORG}/$metadata#incidents"}
        if count is not None:
            body["@odata.count"] = count
        body["value"] = page
        if number < len(pages):
            cookie = (
                f"%3Ccookie%20pagenumber=%22{number + 1}%22%20pagingcookie=%22%253ccookie"
                f"%2520page%253d%2522{number}%2522%253e%22%20/%3E"
            )
            body["@odata.nextLink"] = f"{ORG}/incidents?$select=title&$skiptoken={cookie}"
        path = directory / f"incidents-page-{number}.json"
        path.write_text(json.dumps(body, indent=1, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    return written


# --- HubSpot ------------------------------------------------------------------------------

_CATEGORIES = {"Billing": "BILLING_ISSUE", "Porting": "NUMBER_PORTING", "Outage": "OUTAGE"}
_SOURCES = {"Phone": "PHONE", "Email": "EMAIL", "Web": "FORM"}


def hubspot_record(case: ServiceCase) -> dict[str, Any]:
    """A ticket as ``GET /crm/v3/objects/tickets?properties=...`` answers it: every
    property as text (booleans ``"true"``/``"false"``), null when empty."""
    flag = case.escalated
    return {
        "id": str(9000 + case.number),
        "properties": {
            "createdate": f"{case.created}.000Z",
            "closed_date": None if case.closed is None else f"{case.closed}.000Z",
            "hs_lastmodifieddate": f"{case.modified}.000Z",
            "hs_object_id": str(9000 + case.number),
            "hs_pipeline": "0",
            "hs_pipeline_stage": "4" if case.status == "Closed" else "1",
            "hs_ticket_category": _CATEGORIES[case.reason],
            "source_type": _SOURCES[case.channel],
            "escalated": ("true" if flag else "false") if isinstance(flag, bool) else flag,
            "ticket_type": "Klacht" if case.complaint else "Vraag",
            "subject": f"Vraag van {case.person.name}",
            "content": f"{case.person.name} ({case.person.email}) belde vanaf {case.person.phone}",
            "hs_all_associated_contact_emails": case.person.email,
        },
        "createdAt": f"{case.created}.000Z",
        "updatedAt": f"{case.modified}.000Z",
        "archived": False,
    }


def hubspot_v3(directory: Path, cases: Sequence[ServiceCase], *, per_page: int = 2) -> list[Path]:
    """Object pages ``tickets-page-N.json``; every page but the last has ``paging.next``."""
    pages = _pages([hubspot_record(c) for c in cases], per_page)
    written = []
    for number, page in enumerate(pages, start=1):
        body: dict[str, Any] = {"results": page}
        if number < len(pages):
            after = str(number * per_page)
            body["paging"] = {
                "next": {
                    "after": after,
                    "link": f"https://api.hubapi.com/crm/v3/objects/tickets?after={after}",
                }
            }
        path = directory / f"tickets-page-{number}.json"
        path.write_text(json.dumps(body, indent=2, ensure_ascii=False), encoding="utf-8")
        written.append(path)
    return written


# --- help-desk ticket CSV -----------------------------------------------------------------

TICKET_COLUMNS = [
    *("Id", "Subject", "Requester", "Requester email", "Created at", "Updated at"),
    *("Solved at", "Status", "Contact reason", "Via", "Escalated", "Klacht"),
]
_VIA = {"Phone": "Phone call (inbound)", "Email": "Mail", "Web": "Web form"}


def ticket_rows(cases: Sequence[ServiceCase]) -> list[list[str]]:
    """The rows of a help-desk export: local times without offset, ``true``/``false`` or
    the spelling the case carries."""
    rows = []
    for case in cases:
        flag = case.escalated
        rows.append(
            [
                str(100 + case.number), f"Vraag over {case.reason.lower()}", case.person.name,
                case.person.email, case.created.replace("T", " "),
                case.modified.replace("T", " "),
                "" if case.closed is None else case.closed.replace("T", " "),
                "solved" if case.status == "Closed" else "open", case.reason, _VIA[case.channel],
                ("true" if flag else "false") if isinstance(flag, bool) else flag,
                "true" if case.complaint else "false",
            ]
        )  # fmt: skip
    return rows


def ticket_csv(
    path: Path,
    cases: Sequence[ServiceCase],
    *,
    encoding: str = "utf-8",
    bom: bool = False,
    newline: str = "\n",
    rows: list[list[str]] | None = None,
) -> Path:
    """A ticket export in ``encoding`` (``latin-1`` as older Windows tools write it), with
    a byte order mark (as Excel writes UTF-8) and ``newline`` line ends if asked."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=newline)
    writer.writerow(TICKET_COLUMNS)
    writer.writerows(rows if rows is not None else ticket_rows(cases))
    data = out.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path
