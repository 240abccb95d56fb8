"""The governance GraphQL API end to end, over HTTP, on both backends."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from journeykg.access.roles import Role
from journeykg.api.app import create_app
from journeykg.graph.store import Store
from journeykg.services.governance.imports import import_glossary_file
from journeykg.settings import Settings
from tests.api.conftest import Bearer
from tests.conftest import read_fixture
from tests.loaders.glossary_corpus import nl_sbb_thesaurus
from tests.services.governance.conftest import BOARD, TickingClock, dump

PROPOSE = """
mutation($id: ID!, $nl: String!, $en: String!, $definitions: [LangTextInput!]! = []) {
  proposeConcept(
    by: "owner/k",
    input: {id: $id, prefLabels: [{language: "nl", text: $nl}, {language: "en", text: $en}],
            definitions: $definitions, explains: ["jkg:FCR"]}
  ) {
    __typename
    ... on ConceptChanged { concept { id status version } activity { id kind by role at } }
    ... on GovernanceRefusal { code message problems { record field rule message } }
  }
}"""

DECIDE = """
mutation($id: ID!, $why: String!) {
  approve(id: $id, by: "owner/steward", rationale: $why) {
    __typename
    ... on ConceptChanged { concept { id status version } activity { kind by role at rationale } }
    ... on GovernanceRefusal { code message }
  }
}"""


@pytest.fixture
def client(store: Store, api_settings: Settings, bearer: Bearer) -> TestClient:
    """An architect's client: it may propose; a decision needs the steward's headers."""
    data = read_fixture("impact_small.ttl")
    data.parse(BOARD, format="turtle")
    store.upsert(data)
    app = create_app(store, clock=TickingClock(), settings=api_settings)
    return TestClient(app, headers=bearer(Role.ARCHITECT))


@pytest.fixture
def steward(bearer: Bearer) -> dict[str, str]:
    """The headers of a steward's token."""
    return bearer(Role.STEWARD)


def ask(
    client: TestClient, document: str, headers: dict[str, str] | None = None, **variables: Any
) -> dict[str, Any]:
    response = client.post(
        "/graphql", json={"query": document, "variables": variables}, headers=headers or {}
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    data: dict[str, Any] = body["data"]
    return data


def propose_fcr(client: TestClient) -> dict[str, Any]:
    data = ask(
        client,
        PROPOSE,
        id="concept/fcr",
        nl="Eerste-contactoplossing",
        en="First contact resolution",
        definitions=[
            {"language": "nl", "text": "Het aandeel vragen dat bij het eerste contact is opgelost."}
        ],
    )
    outcome: dict[str, Any] = data["proposeConcept"]
    return outcome


def test_propose_approve_then_ask_the_history(client: TestClient, steward: dict[str, str]) -> None:
    proposed = propose_fcr(client)
    assert proposed == {
        "__typename": "ConceptChanged",
        "concept": {"id": "concept/fcr", "status": "PROPOSED", "version": 1},
        "activity": {
            "id": "concept/fcr/activity/1",
            "kind": "Proposal",
            "by": "owner/k",
            "role": "contributor",
            "at": "2025-01-01T09:00:00+00:00",
        },
    }
    approved = ask(client, DECIDE, steward, id="concept/fcr", why="Besloten in de CX-board")
    assert approved["approve"] == {
        "__typename": "ConceptChanged",
        "concept": {"id": "concept/fcr", "status": "APPROVED", "version": 2},
        "activity": {
            "kind": "Approval",
            "by": "owner/steward",
            "role": "steward",
            "at": "2025-01-02T09:00:00+00:00",
            "rationale": "Besloten in de CX-board",
        },
    }
    history = ask(
        client,
        """{ concept(id: "concept/fcr") {
              status label
              history { number status validFrom validUntil }
              asOf(at: "2025-01-01T12:00:00Z") { number status definitions { language text } }
              diff(fromVersion: 1, toVersion: 2) { field language before after }
              activities { kind by at } } }""",
    )["concept"]
    assert history["status"] == "APPROVED"
    assert history["label"] == "Eerste-contactoplossing"
    assert history["history"] == [
        {
            "number": 1,
            "status": "PROPOSED",
            "validFrom": "2025-01-01T09:00:00+00:00",
            "validUntil": "2025-01-02T09:00:00+00:00",
        },
        {
            "number": 2,
            "status": "APPROVED",
            "validFrom": "2025-01-02T09:00:00+00:00",
            "validUntil": None,
        },
    ]
    assert history["asOf"] == {
        "number": 1,
        "status": "PROPOSED",
        "definitions": [
            {"language": "nl", "text": "Het aandeel vragen dat bij het eerste contact is opgelost."}
        ],
    }
    assert history["diff"] == [
        {"field": "status", "language": "", "before": "proposed", "after": "approved"}
    ]
    assert [a["kind"] for a in history["activities"]] == ["Proposal", "Approval"]


def test_a_decision_without_a_steward_token_is_refused_and_writes_nothing(
    client: TestClient, store: Store
) -> None:
    propose_fcr(client)
    before = dump(store)
    response = client.post(
        "/graphql", json={"query": DECIDE, "variables": {"id": "concept/fcr", "why": "Besloten"}}
    )
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    [error] = body["errors"]
    assert error["extensions"] == {"code": "FORBIDDEN", "permission": "decide"}
    assert error["message"] == (
        "token 'test-architect' (architect) may not call Mutation.approve: "
        "it needs the decide permission"
    )
    assert dump(store) == before


def test_a_proposal_without_a_definition_names_record_field_and_rule(
    client: TestClient, store: Store
) -> None:
    before = dump(store)
    refused = ask(client, PROPOSE, id="concept/ces", nl="Klantinspanning", en="Effort")[
        "proposeConcept"
    ]
    assert refused == {
        "__typename": "GovernanceRefusal",
        "code": "INVALID",
        "message": "cannot propose concept/ces: 1 violation(s) of the shapes; nothing was written",
        "problems": [
            {
                "record": "concept/ces",
                "field": "skos:definition",
                "rule": "jkgsh:GovernedItem-definition (SPARQLConstraintComponent)",
                "message": "A concept or change cannot be proposed or approved without a "
                "definition (skos:definition).",
            }
        ],
    }
    assert dump(store) == before


def test_an_illegal_transition_and_an_unknown_id_are_refused_as_data(
    client: TestClient, steward: dict[str, str]
) -> None:
    propose_fcr(client)
    ask(client, DECIDE, steward, id="concept/fcr", why="Besloten")
    again = ask(client, DECIDE, steward, id="concept/fcr", why="Nog eens")["approve"]
    assert (again["code"], again["message"]) == (
        "ILLEGAL_TRANSITION",
        "cannot approve concept/fcr: it is approved (vastgesteld), and approve is only possible "
        "from proposed; allowed from approved: supersede (-> superseded), retire (-> retired)",
    )
    unknown = ask(client, DECIDE, steward, id="concept/geen", why="Besloten")["approve"]
    assert unknown["code"] == "NOT_FOUND"


def test_search_concepts_by_label_status_and_language_with_pages(client: TestClient) -> None:
    propose_fcr(client)
    search = """query($q: String, $lang: String, $status: [ConceptStatus!], $after: String) {
      concepts(search: $q, language: $lang, status: $status, first: 1, after: $after) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id status } } } }"""
    everything = ask(client, search)["concepts"]
    assert everything["totalCount"] == 2
    assert everything["edges"] == [{"node": {"id": "concept/fcr", "status": "PROPOSED"}}]
    second = ask(client, search, after=everything["pageInfo"]["endCursor"])["concepts"]
    assert second["edges"] == [{"node": {"id": "concept/nps", "status": "APPROVED"}}]
    assert not second["pageInfo"]["hasNextPage"]
    assert ask(client, search, q="CONTACT", lang="en")["concepts"]["totalCount"] == 1
    assert ask(client, search, q="contact", lang="nl")["concepts"]["totalCount"] == 1
    assert ask(client, search, q="first contact", lang="nl")["concepts"]["totalCount"] == 0
    approved = ask(client, search, status=["APPROVED"])["concepts"]
    assert [e["node"]["id"] for e in approved["edges"]] == ["concept/nps"]


def test_supersede_and_migrate_over_graphql(client: TestClient, steward: dict[str, str]) -> None:
    retire = """mutation { deprecate(id: "reason/r", by: "owner/steward", rationale: "Weg") {
        __typename ... on GovernanceRefusal { code references { subject predicate object } } } }"""
    refused = ask(client, retire, steward)["deprecate"]
    assert refused["code"] == "REFERENCED"
    assert refused["references"][0] == {
        "subject": "journey/j",
        "predicate": "jkg:placedOn",
        "object": "reason/r",
    }
    supersede = """mutation { deprecate(id: "reason/r", by: "owner/steward", rationale: "Samen",
        replacement: "reason/r2") { ... on ConceptChanged { concept { status replacedBy } } } }"""
    assert ask(client, supersede, steward)["deprecate"] == {
        "concept": {"status": "SUPERSEDED", "replacedBy": "reason/r2"}
    }
    migrate = """mutation { migrateReferences(id: "reason/r", by: "owner/steward",
        rationale: "Overzetten") { __typename ... on ReferencesMigrated {
        replacement moved { subject predicate } activity { kind } } } }"""
    moved = ask(client, migrate, steward)["migrateReferences"]
    assert moved["replacement"] == "reason/r2"
    assert moved["moved"][0] == {"subject": "journey/j", "predicate": "jkg:placedOn"}
    assert moved["activity"] == {"kind": "Migration"}


def test_impact_of_a_concept_over_graphql(client: TestClient) -> None:
    propose_fcr(client)
    impact = ask(
        client,
        """{ impact(of: "concept/fcr") { of { type } kpis { edges { node { element { id } } } }
             journeys { edges { node { element { id } hops } } } } }""",
    )["impact"]
    assert impact["of"] == {"type": "Concept"}
    assert impact["kpis"]["edges"] == [
        {"node": {"element": {"id": "kpi/j-fcr"}}},
        {"node": {"element": {"id": "kpi/j-nps"}}},
    ]
    assert impact["journeys"]["edges"] == [{"node": {"element": {"id": "journey/j"}, "hops": 3}}]


SKOS_FIELDS = """
query($id: ID!) {
  concept(id: $id) {
    version scheme sources broader
    altLabels { language text } hiddenLabels { language text } examples { language text }
    scopeNotes { language text } notations narrower related topConceptOf
    exactMatch closeMatch broadMatch narrowMatch relatedMatch
    history { number status }
  }
}"""


def test_every_skos_property_of_an_imported_concept_is_in_graphql(
    client: TestClient, store: Store, tmp_path: Path
) -> None:
    """A published glossary's concept, imported: each SKOS property it carries is a field."""
    import_glossary_file(store, nl_sbb_thesaurus(tmp_path).path)
    begrip = "https://definities.geostandaarden.example/nl-sbb/id/begrip/"
    concept = ask(client, SKOS_FIELDS, id=begrip + "b2")["concept"]
    nl = [{"language": "nl", "text": text} for text in ("Netbeheerder 2 (synoniem)",)]
    assert concept == {
        "version": 1,
        "scheme": "https://definities.geostandaarden.example/nl-sbb/id/begrippenkader/thesaurus",
        "sources": ["https://wetten.example/bwb/2"],
        "broader": [begrip + "b0"],
        "altLabels": nl,
        "hiddenLabels": [{"language": "nl", "text": "netbeheerder2"}],
        "examples": [{"language": "nl", "text": "Bijvoorbeeld geval 2."}],
        "scopeNotes": [{"language": "nl", "text": "Toelichting bij begrip 2."}],
        "notations": ["B0002"],
        "narrower": [],
        "related": [begrip + "b1"],
        "topConceptOf": [],
        "exactMatch": ["https://begrippen.example/extern/2"],
        "closeMatch": ["https://begrippen.example/verwant/2"],
        "broadMatch": [],
        "narrowMatch": [],
        "relatedMatch": [],
        "history": [{"number": 1, "status": "PROPOSED"}],
    }
    top = ask(client, SKOS_FIELDS, id=begrip + "b0")["concept"]
    assert top["topConceptOf"] == [
        "https://definities.geostandaarden.example/nl-sbb/id/begrippenkader/thesaurus"
    ]
