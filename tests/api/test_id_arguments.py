"""An ID that cannot be an IRI is BAD_REQUEST in every field that takes one, naming where.

Literal arguments, variables, IDs in lists and in input objects, and a
nested field's argument alike; the operation is refused whole and nothing
is written.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from journeykg.access.roles import Role
from journeykg.graph.store import Store
from tests.api.conftest import Bearer, MakeClient
from tests.conftest import read_fixture

BAD = "a b"

#: (operation, variables, the field and argument path the error names).
CASES: list[tuple[str, dict[str, Any], str]] = [
    ('{ element(id: "a b") { id } }', {}, "element(id)"),
    ("query($x: ID!) { impact(of: $x) { isComplete } }", {"x": BAD}, "impact(of)"),
    ('{ provenance(of: "a b") { source } }', {}, "provenance(of)"),
    ('{ concept(id: "a b") { id } }', {}, "concept(id)"),
    ('{ concepts(scheme: "a b") { totalCount } }', {}, "concepts(scheme)"),
    ('{ priorities(stage: "a b") { totalCount } }', {}, "priorities(stage)"),
    (
        '{ compareScenarios(a: "scenario/x", b: "a b") { onlyInA { id } } }',
        {},
        "compareScenarios(b)",
    ),
    ('{ auditTrail(element: "a b") { totalCount } }', {}, "auditTrail(element)"),
    (
        '{ impact(of: "process/x") { paths(to: "a b") { totalCount } } }',
        {},
        "paths(to)",
    ),
    (
        'query { whatIf(changes: [{op: RETIRE, element: "process/x"}, '
        '{op: RETIRE, element: "a b"}]) { touched { id } } }',
        {},
        "whatIf(changes[1].element)",
    ),
    (
        'mutation($c: [ChangeInput!]!) { saveScenario(name: "s", changes: $c) { __typename } }',
        {"c": [{"op": "ADD_DEPENDENCY", "process": "process/x", "dependsOn": BAD}]},
        "saveScenario(changes[0].dependsOn)",
    ),
    (
        'mutation($i: ConceptInput!) { proposeConcept(by: "owner/k", input: $i) { __typename } }',
        {
            "i": {
                "id": "concept/new",
                "prefLabels": [{"language": "nl", "text": "Nieuw"}],
                "explains": ["jkg:FCR", BAD],
            }
        },
        "proposeConcept(input.explains[1])",
    ),
    (
        'mutation { approve(id: "concept/x", by: "", rationale: "r") { __typename } }',
        {},
        "approve(by)",
    ),
]


@pytest.fixture
def api(embedded_store: Store, make_client: MakeClient) -> TestClient:
    embedded_store.upsert(read_fixture("impact_small.ttl"))
    return make_client(embedded_store)


@pytest.mark.parametrize(("document", "variables", "where"), CASES, ids=[c[2] for c in CASES])
def test_an_id_that_cannot_be_an_iri_is_a_bad_request_naming_the_field(
    api: TestClient, bearer: Bearer, document: str, variables: dict[str, Any], where: str
) -> None:
    response = api.post(
        "/graphql",
        json={"query": document, "variables": variables},
        headers=bearer(Role.STEWARD if "approve" in where or "audit" in where else Role.ARCHITECT),
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["data"] is None
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "BAD_REQUEST", error
    assert error["extensions"]["field"] == where
    assert error["message"].startswith(f"{where}: ")
    assert "is not a valid id" in error["message"]
    assert "no spaces" in error["extensions"]["rule"]


def test_each_bad_id_is_named_and_good_ids_pass(api: TestClient) -> None:
    document = (
        '{ a: element(id: "a\\tb") { id } b: element(id: "process/x") { id } '
        'c: element(id: "<x>") { id } }'
    )
    errors = api.post("/graphql", json={"query": document}).json()["errors"]
    assert [e["message"].split(":")[0] for e in errors] == ["element(id)", "element(id)"]
    assert "'\\t'" in errors[0]["message"]
    assert "'<', '>'" in errors[1]["message"]
    fine = api.post("/graphql", json={"query": '{ element(id: " process/x ") { id } }'})
    assert fine.json() == {"data": {"element": {"id": "process/x"}}}


def test_a_refused_mutation_writes_nothing(api: TestClient, embedded_store: Store) -> None:
    document, variables, _ = CASES[-2]
    api.post("/graphql", json={"query": document, "variables": variables})
    assert embedded_store.element_facts([embedded_store.ids.iri("concept/new")]) == {}
