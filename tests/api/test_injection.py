"""Cypher and SPARQL injection through ids, labels and sync payloads, on both backends.

Every value a caller sends reaches the store as a parameter (Neo4j) or as
an escaped term (Oxigraph); ids that cannot be IRIs are refused. Each case
asserts the answer is data or a clean coded error, and that the stored
graph is unchanged (or changed only where the request was meant to write).
"""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.graph.canonical import canonical
from journeykg.graph.store import Store
from journeykg.settings import Settings
from tests.api.conftest import Bearer
from tests.conftest import read_fixture
from tests.services.governance.conftest import BOARD, TickingClock
from tests.sync_salesforce import FRAMEWORK, NAME, _fixture_cases, page, recipes_dir

NASTY = [
    '"}) DETACH DELETE n //',
    "'}) MATCH (m) DETACH DELETE m RETURN 1 //",
    "x`) DETACH DELETE n //",
    "'> } ; DROP ALL ; INSERT DATA { <urn:x> <urn:y> <urn:z> }",
    '> } INSERT DATA { <urn:pwned> <urn:p> "pwned" } #',
    '" } ; CLEAR ALL ; #',
    "process/a> } ; DELETE WHERE { ?s ?p ?o } #",
    "back\\slash \\\" \\u0022 quote\" and 'single'",
    "new\nline\r\nand\ttab",
    "ünïcødé — 中文 — \u202eevil — 😀",
    "process/a\u0000",
]

IMPACT = "query($of: ID!) { impact(of: $of) { isComplete } }"
ELEMENT = "query($id: ID!) { element(id: $id) { id label } }"
SEARCH = "query($q: String!) { concepts(search: $q) { totalCount } }"
PROPOSE = """
mutation($id: ID!, $label: String!) {
  proposeConcept(by: "owner/k", input: {id: $id,
      prefLabels: [{language: "nl", text: $label}],
      definitions: [{language: "nl", text: $label}]}) {
    __typename
    ... on ConceptChanged { concept { id prefLabels { text } definitions { text } } }
    ... on GovernanceRefusal { code message }
  }
}"""

CLEAN_CODES = {"NOT_FOUND", "BAD_REQUEST"}


@pytest.fixture
def client(store: Store, tmp_path: Path, api_settings: Settings, tokens: TokenStore) -> TestClient:
    """A steward's client (reads and proposes); sync requests send an integrator's token."""
    data = read_fixture("impact_small.ttl")
    data.parse(BOARD, format="turtle")
    data.parse(FRAMEWORK, format="turtle")
    store.upsert(data)
    settings = api_settings.model_copy(update={"recipes_dir": recipes_dir(tmp_path / "recipes")})
    app = create_app(store, clock=TickingClock(), settings=settings, tokens=tokens)
    steward = tokens.create("steward", Role.STEWARD, timedelta(days=1)).token
    return TestClient(
        app, raise_server_exceptions=False, headers={"Authorization": f"Bearer {steward}"}
    )


def graphql(client: TestClient, document: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": document, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def clean_error(body: dict[str, Any]) -> None:
    """The answer is a coded error, never an internal one."""
    assert body.get("data") is None or all(v is None for v in body["data"].values()), body
    codes = {e.get("extensions", {}).get("code") for e in body["errors"]}
    assert codes <= CLEAN_CODES, body


def dump(store: Store) -> Graph:
    return canonical(store.export())


@pytest.mark.parametrize("value", NASTY)
def test_ids_in_questions_are_clean_errors_and_change_nothing(
    client: TestClient, store: Store, value: str
) -> None:
    before = dump(store)
    clean_error(graphql(client, IMPACT, of=value))
    clean_error(graphql(client, ELEMENT, id=value))
    searched = graphql(client, SEARCH, q=value)
    assert searched == {"data": {"concepts": {"totalCount": 0}}}
    assert dump(store) == before


@pytest.mark.parametrize("value", NASTY)
def test_labels_are_stored_verbatim_and_ids_that_are_no_iri_are_refused(
    client: TestClient, store: Store, value: str
) -> None:
    before = set(dump(store))
    refused = graphql(client, PROPOSE, id=value, label="Veilig label")
    if "errors" in refused:
        clean_error(refused)
    else:
        assert refused["data"]["proposeConcept"]["__typename"] == "GovernanceRefusal", refused
    assert set(dump(store)) == before

    stored = graphql(client, PROPOSE, id="concept/vreemd", label=value)
    changed = stored["data"]["proposeConcept"]
    assert changed["concept"]["prefLabels"] == [{"text": value}], changed
    assert changed["concept"]["definitions"] == [{"text": value}]
    after = set(dump(store))
    assert before <= after
    new_subjects = {str(s) for s, _, _ in after - before}
    assert all(s.startswith(str(store.ids.iri("concept/vreemd"))) for s in new_subjects)
    found = graphql(client, SEARCH, q=value)
    assert found == {"data": {"concepts": {"totalCount": 1}}}


def test_sync_payload_values_are_data_not_queries(
    client: TestClient, store: Store, bearer: Bearer
) -> None:
    before = dump(store)
    cases = []
    for i, case in enumerate(_fixture_cases()[: len(NASTY)]):
        value = NASTY[i]
        case = {**case, "Id": value, "CaseNumber": value, "Subject": value, "Reason": value}
        case["attributes"] = {**case["attributes"], "url": f"/sobjects/Case/{i}"}
        cases.append(case)
    response = client.post(
        f"/sync/{NAME}", content=json.dumps(page(cases)).encode(), headers=bearer(Role.INTEGRATOR)
    )
    assert response.status_code in (200, 422), response.text
    after = dump(store)
    # Nothing that was there is gone or changed, but the source's own run record.
    source_things = (str(store.ids.iri("source/")), str(store.ids.iri("run/")))
    kept = {t for t in before if not str(t[0]).startswith(source_things)}
    assert kept <= set(after)
    assert not any(isinstance(t[0], URIRef) and "pwned" in str(t[0]) for t in after)
