"""Inputs laden with personal data, one per registered source kind, written the way each
vendor's tool writes its export: for the test that no output of a sync repeats any of it.

Every input plants the same person (:data:`PLANTED`) where a real export has her:
unmapped fields (a CRM case's supplied name, e-mail and phone, a survey's recipient
columns, a ticket's requester), free-text notes (a description, a survey comment, BPMN
documentation), objects where a code was expected (a Salesforce owner record, a person
object in a picklist field), and bad values (a name for a creation time, a phone number
for a score). The inputs point at the demo organisation (reasons, channels, KPIs), which
the test loads first, so that most records are written and some are refused.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

NAME = "Marijke Oosterhuis-Prins"
EMAIL = "marijke.oosterhuis@voorbeeldpost.nl"
PHONE = "+31 6 4123 4987"
MOBILE = "06-41234987"
IBAN = "NL91ABNA0417164300"
NOTE = f"Klant is ontevreden over monteur Henk Vermeulen, rekening {IBAN}"
PERSON = {"Name": NAME, "Email": EMAIL, "Phone": PHONE}

#: What no output may hold: the planted values, and the parts of them that identify her.
PLANTED = [
    NAME,
    EMAIL,
    PHONE,
    MOBILE,
    IBAN,
    NOTE,
    "Marijke",
    "Oosterhuis",
    "voorbeeldpost",
    "4123 4987",
    "41234987",
    "0417164300",
    "Vermeulen",
]


def leaks(outputs: dict[str, str]) -> list[str]:
    """Every (output, planted value) pair where the output holds the value, in any case."""
    return [
        f"{where}: {value!r}"
        for where, text in outputs.items()
        for value in PLANTED
        if value.lower() in text.lower()
    ]


def _write(directory: Path, name: str, text: str) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_text(text, encoding="utf-8")


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


CRM_MAPPING = """  reasons:
    Factuur: reason/rekening-begrijpen
    Nummerbehoud: reason/nummer-meenemen
    Onbekend: reason/bestaat-niet
  channels:
    Phone: channel/telefoon
    Web: channel/web
"""


# --- Salesforce: REST query pages (GET /services/data/v60.0/query) ----------------------


def _sf_case(number: int, **fields: Any) -> dict[str, Any]:
    case_id = f"5003X00002PiI{number:02d}QAF"
    case: dict[str, Any] = {
        "attributes": {"type": "Case", "url": f"/services/data/v60.0/sobjects/Case/{case_id}"},
        "Id": case_id,
        "CaseNumber": f"000020{number:02d}",
        "Origin": "Phone",
        "Reason": "Factuur",
        "Type": "Question",
        "Status": "Closed",
        "IsEscalated": False,
        "CreatedDate": "2026-02-03T08:15:00.000+0000",
        "ClosedDate": "2026-02-03T08:40:00.000+0000",
        "LastModifiedDate": "2026-02-03T08:40:00.000+0000",
        "Subject": f"Factuur te hoog - {NAME}",
        "Description": NOTE,
        "SuppliedName": NAME,
        "SuppliedEmail": EMAIL,
        "SuppliedPhone": PHONE,
        # A relationship field, as SOQL returns Owner.Name, Owner.Email.
        "Owner": {"attributes": {"type": "User", "url": "/u/0053X"}, **PERSON},
    }
    case.update(fields)
    return case


def salesforce(directory: Path) -> Path:
    """A complete one-page query answer: good cases, a person object in the complaint
    field, a name for a creation time, an e-mail for a closing time, free text for a
    reason, and a reason mapped to a contact reason the store lacks (refused by the gate)."""
    records = [
        _sf_case(1),
        _sf_case(2, Origin="Web"),
        _sf_case(3, Type=dict(PERSON)),
        _sf_case(4, CreatedDate=NAME),
        _sf_case(5, ClosedDate=EMAIL),
        _sf_case(6, Reason=f"Terugbellen {MOBILE}"),
        _sf_case(7, Reason=NOTE),
        _sf_case(8, Reason="Onbekend"),
        _sf_case(9, IsEscalated=[NAME, EMAIL]),
    ]
    page = {"totalSize": len(records), "done": True, "records": records}
    _write(directory, "cases-page-1.json", json.dumps(page, indent=2))
    recipe = f"""name: salesforce-pii
kind: salesforce
mode: full
input:
  files: [cases-page-*.json]
  format: rest-json
crm:
  reason_field: Reason
  channel_field: Origin
{CRM_MAPPING}  complaint: {{field: Type, values: [Complaint]}}
  escalation: {{field: IsEscalated, values: [true]}}
  first_contact_resolution:
    rule: closed-same-day
    closed: {{field: Status, values: [Closed]}}
  period: month
  timezone: Europe/Amsterdam
"""
    _write(directory, "recipe.yaml", recipe)
    return directory / "recipe.yaml"


# --- Dynamics 365: Web API pages with formatted-value annotations --------------------------

_FORMATTED = "@OData.Community.Display.V1.FormattedValue"


def _incident(number: int, **fields: Any) -> dict[str, Any]:
    incident: dict[str, Any] = {
        "@odata.etag": f'W/"48210{number:02d}"',
        "incidentid": f"00000000-0000-0000-0000-0000000020{number:02d}",
        "ticketnumber": f"CAS-020{number:02d}-Q7R8S9",
        "title": f"Facturen - {NAME}",
        "description": NOTE,
        "caseorigincode": 1,
        f"caseorigincode{_FORMATTED}": "Phone",
        "casetypecode": 1,
        f"casetypecode{_FORMATTED}": "Question",
        "statecode": 1,
        f"statecode{_FORMATTED}": "Resolved",
        "isescalated": False,
        "createdon": "2026-04-01T08:00:00Z",
        "modifiedon": "2026-04-01T09:00:00Z",
        "_subjectid_value": "8a6e1f44-0000-0000-0000-000000000001",
        f"_subjectid_value{_FORMATTED}": "Factuur",
        "_customerid_value": "0b6e1f44-0000-0000-0000-000000000009",
        f"_customerid_value{_FORMATTED}": NAME,
        "emailaddress": EMAIL,
        "telephone1": PHONE,
    }
    incident.update(fields)
    return incident


def dynamics(directory: Path) -> Path:
    """One Web API page: good incidents, a person object in the case type, a phone number
    for a creation time, an e-mail address as the subject's display name."""
    value = [
        _incident(1),
        _incident(2, caseorigincode=3, **{f"caseorigincode{_FORMATTED}": "Web"}),
        _incident(3, casetypecode=dict(PERSON)),
        _incident(4, createdon=PHONE),
        _incident(5, **{f"_subjectid_value{_FORMATTED}": EMAIL}),
        _incident(6, **{f"_subjectid_value{_FORMATTED}": "Onbekend"}),
    ]
    page = {"@odata.context": "https://polder.crm4.dynamics.com/api/data/v9.2/$metadata#incidents"}
    _write(directory, "incidents-page-1.json", json.dumps({**page, "value": value}, indent=2))
    recipe = f"""name: dynamics-pii
kind: dynamics
mode: full
input:
  files: [incidents-page-*.json]
crm:
  reason_field: _subjectid_value
  channel_field: caseorigincode
{CRM_MAPPING}    1: channel/telefoon
    3: channel/web
  complaint: {{field: casetypecode, values: [100000000]}}
  escalation: {{field: isescalated, values: [true]}}
  period: month
  timezone: Europe/Amsterdam
"""
    _write(directory, "recipe.yaml", recipe)
    return directory / "recipe.yaml"


# --- HubSpot: CRM v3 objects pages ---------------------------------------------------------


def _ticket(number: int, **properties: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "closed_date": "2026-01-06T15:40:01.000Z",
        "content": f"Beste Polder Telecom, ik ben {NAME} ({EMAIL}, {PHONE}). {NOTE}",
        "createdate": "2026-01-06T09:12:33.120Z",
        "hs_lastmodifieddate": "2026-01-06T15:40:02.311Z",
        "hs_object_id": f"33{number:02d}",
        "hs_pipeline_stage": "4",
        "hs_ticket_category": "Factuur",
        "hs_ticket_priority": "MEDIUM",
        "source_type": "Phone",
        "subject": f"Billing Issue - {NAME}",
        "ticket_type": "Vraag",
        "customer_email": EMAIL,
        "customer_phone": PHONE,
        "customer_iban": IBAN,
    }
    props.update(properties)
    return {
        "id": f"33{number:02d}",
        "properties": props,
        "createdAt": props["createdate"],
        "updatedAt": "2026-01-06T15:40:02.311Z",
        "archived": False,
    }


def hubspot(directory: Path) -> Path:
    """One page of tickets: good ones, a person object as the ticket type, an IBAN for a
    creation time, a note as the category."""
    results = [
        _ticket(1),
        _ticket(2, source_type="Web"),
        _ticket(3, ticket_type=dict(PERSON)),
        _ticket(4, createdate=IBAN),
        _ticket(5, hs_ticket_category=NOTE),
        _ticket(6, hs_ticket_category="Onbekend"),
    ]
    _write(directory, "tickets-page-1.json", json.dumps({"results": results}, indent=2))
    recipe = f"""name: hubspot-pii
kind: hubspot
mode: full
input:
  files: [tickets-page-1.json]
crm:
  reason_field: hs_ticket_category
  channel_field: source_type
{CRM_MAPPING}  complaint: {{field: ticket_type, values: [Klacht]}}
  escalation: {{field: hs_ticket_priority, values: [URGENT]}}
  period: month
  timezone: Europe/Amsterdam
"""
    _write(directory, "recipe.yaml", recipe)
    return directory / "recipe.yaml"


# --- A help-desk ticket export (Zendesk-style CSV) -----------------------------------------


def ticket_csv(directory: Path) -> Path:
    """Tickets with the requester's name and e-mail, a note in the subject, a name for a
    creation time and a phone number in the reason drop-down."""
    header = ["Id", "Requester", "Requester email", "Subject", "Status", "Priority", "Via"]
    header += ["Klacht", "Contact reason", "Created at", "Updated at", "Solved at"]

    def row(number: int, **cells: str) -> list[str]:
        values = {
            "Id": str(4000 + number),
            "Requester": NAME,
            "Requester email": EMAIL,
            "Subject": NOTE,
            "Status": "solved",
            "Priority": "normal",
            "Via": "Phone",
            "Klacht": "false",
            "Contact reason": "Factuur",
            "Created at": "2026-02-03 09:15",
            "Updated at": "2026-02-03 09:40",
            "Solved at": "2026-02-03 09:40",
        }
        values.update(cells)
        return [values[h] for h in header]

    rows = [header, row(1), row(2, Via="Web"), row(3, **{"Created at": NAME})]
    rows += [row(4, **{"Contact reason": f"Bel {PHONE}"}), row(5, **{"Contact reason": "Onbekend"})]
    _write(directory, "tickets.csv", _csv(rows))
    recipe = f"""name: tickets-pii
kind: ticket-csv
mode: full
input:
  files: [tickets.csv]
crm:
  reason_field: Contact reason
  channel_field: Via
{CRM_MAPPING}  complaint: {{field: Klacht, values: [true]}}
  first_contact_resolution:
    rule: closed-within
    within_hours: 24
    closed: {{field: Status, values: [solved, closed]}}
  timezone: Europe/Amsterdam
"""
    _write(directory, "recipe.yaml", recipe)
    return directory / "recipe.yaml"


# --- A survey: Qualtrics CSV with its three header rows ------------------------------------


def survey(directory: Path) -> Path:
    """Responses with the recipient's name and e-mail, a comment naming a mechanic, a
    phone number for a score, a name for a date and an e-mail address as the touchpoint."""
    header = ["RecordedDate", "ResponseId", "RecipientLastName", "RecipientFirstName"]
    header += ["RecipientEmail", "Q1", "Q4", "Touchpoint"]
    questions = ["Recorded Date", "Response ID", "Last Name", "First Name", "Email"]
    questions += ["Hoe waarschijnlijk is het dat u ons aanbeveelt?", "Wat kan beter?", "Touchpoint"]
    imports = [json.dumps({"ImportId": h}) for h in header]

    def row(number: int, **cells: str) -> list[str]:
        values = {
            "RecordedDate": "2026-03-02 09:10:11",
            "ResponseId": f"R_PiI{number:02d}xYz",
            "RecipientLastName": "Oosterhuis-Prins",
            "RecipientFirstName": "Marijke",
            "RecipientEmail": EMAIL,
            "Q1": "9",
            "Q4": f"{NOTE}; bel me op {MOBILE}",
            "Touchpoint": "verhuizen-app",
        }
        values.update(cells)
        return [values[h] for h in header]

    rows = [header, questions, imports, row(1), row(2, Q1="3"), row(3, Q1=PHONE)]
    rows += [row(4, RecordedDate=NAME), row(5, Touchpoint=EMAIL), row(6, Q1=NAME)]
    _write(directory, "responses.csv", _csv(rows))
    recipe = """name: survey-pii
kind: survey
mode: full
input:
  files: [responses.csv]
survey:
  header_rows: 2
  response_id_column: ResponseId
  date_column: RecordedDate
  timezone: Europe/Amsterdam
  subject_column: Touchpoint
  metrics:
    nps: {column: Q1, method: nps, scale: [0, 10]}
  kpis:
    verhuizen-app: {nps: kpi/verhuizen-nps}
  period: month
"""
    _write(directory, "recipe.yaml", recipe)
    return directory / "recipe.yaml"


# --- A CSV bundle: a spreadsheet workbook exported one CSV per sheet ------------------------


def csv_bundle(directory: Path) -> Path:
    """Processes with a contact person in an unknown column and a note in a comment column,
    volumes with a phone number and a name where numbers belong, and a customer sheet the
    bundle does not know."""
    processes = [
        ["id", "label_nl", "label_en", "contactpersoon", "# notitie"],
        ["pii-facturatie", "Facturatie", "Billing", f"{NAME} <{EMAIL}>", NOTE],
    ]
    facts = ["Volume facturen", "reason/rekening-begrijpen"]
    volumes = [
        ["id", "label_nl", "reason", "channel", "period", "contacts", "fcr"],
        ["pii-v1", *facts, "channel/telefoon", "2025", "1200", "0.8"],
        ["pii-v2", *facts, "channel/web", "2025", PHONE, "0.8"],
        ["pii-v3", *facts, "channel/email", "2025", "300", NAME],
    ]
    customers = [["id", "naam", "email", "iban"], ["1", NAME, EMAIL, IBAN]]
    _write(directory, "processes.csv", _csv(processes))
    _write(directory, "volumes.csv", _csv(volumes))
    _write(directory, "klanten.csv", _csv(customers))
    _write(
        directory, "recipe.yaml", 'name: bundle-pii\nkind: csv-bundle\ninput:\n  files: ["*.csv"]\n'
    )
    return directory / "recipe.yaml"


# --- BPMN: a Camunda Modeler 7 export ------------------------------------------------------


def bpmn(directory: Path) -> Path:
    """A process whose documentation, task names, assignee, extension properties and text
    annotation hold the person; none of these is mapped (processes and lanes are)."""
    model = f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_pii"
    targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler"
    exporterVersion="5.28.0">
  <bpmn:process id="pii-klachtafhandeling" name="Klachtafhandeling" isExecutable="true">
    <bpmn:documentation>{NOTE}. Contact: {NAME}, {EMAIL}, {PHONE}</bpmn:documentation>
    <bpmn:extensionElements>
      <camunda:properties>
        <camunda:property name="procesEigenaar" value="{NAME}" />
        <camunda:property name="iban" value="{IBAN}" />
      </camunda:properties>
    </bpmn:extensionElements>
    <bpmn:laneSet id="LaneSet_pii">
      <bpmn:lane id="Lane_pii" name="Klachtbehandelaar">
        <bpmn:flowNodeRef>Task_pii</bpmn:flowNodeRef>
      </bpmn:lane>
    </bpmn:laneSet>
    <bpmn:userTask id="Task_pii" name="Bel {NAME} terug op {MOBILE}" camunda:assignee="{EMAIL}" />
    <bpmn:textAnnotation id="Annotation_pii"><bpmn:text>{NOTE}</bpmn:text></bpmn:textAnnotation>
  </bpmn:process>
</bpmn:definitions>
"""
    _write(directory, "klacht.bpmn", model)
    recipe = """name: bpmn-pii
kind: bpmn
mode: full
input:
  files: ["*.bpmn"]
bpmn:
  key_from: id
  process_prefix: process/
  role_prefix: role/
  language: nl
"""
    _write(directory, "recipe.yaml", recipe)
    return directory / "recipe.yaml"


# --- RDF: Turtle from another modelling tool -----------------------------------------------


def rdf(directory: Path) -> Path:
    """A process described with the person in FOAF and vCard terms, which journeykg's
    vocabularies do not map, and a KPI whose target is a name."""
    turtle = f"""@base <https://id.journeykg.example/> .
@prefix jkg: <https://w3id.org/journeykg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<process/pii-incasso> a jkg:BackofficeProcess ;
    rdfs:label "Incasso"@nl ;
    foaf:name "{NAME}" ;
    foaf:mbox <mailto:{EMAIL}> ;
    vcard:hasTelephone "{PHONE}" ;
    vcard:note "{NOTE}" .
"""
    _write(directory, "processen.ttl", turtle)
    _write(
        directory,
        "recipe.yaml",
        'name: rdf-pii\nkind: rdf\nmode: full\ninput:\n  files: ["*.ttl"]\n',
    )
    return directory / "recipe.yaml"


#: Per registered kind, the function that writes its PII-laden input and recipe.
WRITERS: dict[str, Callable[[Path], Path]] = {
    "salesforce": salesforce,
    "dynamics": dynamics,
    "hubspot": hubspot,
    "ticket-csv": ticket_csv,
    "survey": survey,
    "csv-bundle": csv_bundle,
    "bpmn": bpmn,
    "rdf": rdf,
}
