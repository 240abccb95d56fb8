"""The audit trail over HTTP on both backends: every write path leaves its entry.

Governance mutations, a scenario save, and POST /sync each leave exactly the
expected entry (actor, action, request id, old and new values); a refused
mutation leaves none; ``auditTrail`` filters, pages, needs the audit
permission, and no mutation can change the trail. Stale edits are refused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.api.schema import build_schema
from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.store import Store
from journeykg.settings import Settings
from tests.api.conftest import MakeClient
from tests.api.test_governance import DECIDE, PROPOSE, ask
from tests.conftest import read_fixture
from tests.services.governance.conftest import BOARD, TickingClock
from tests.sync_salesforce import FRAMEWORK, NAME, chain, recipes_dir

#: The Authorization header of a token per role, named after its role (so that the
#: trail's actor reads "steward"); filled by the ``client`` fixture for each test.
ROLE_HEADERS: dict[str, dict[str, str]] = {}


def as_role(role: str, **extra: str) -> dict[str, str]:
    """Headers of a request made with ``role``'s token (plus ``extra`` headers)."""
    return {**ROLE_HEADERS[role], **extra}


DEFINED = [{"language": "nl", "text": "Het aandeel vragen dat meteen is opgelost."}]

TRAIL = """
query($actor: String, $element: ID, $since: DateTime, $until: DateTime, $first: Int,
      $after: String) {
  auditTrail(actor: $actor, element: $element, since: $since, until: $until, first: $first,
             after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id at actor role action requestId backend by reason note elements
                   removedCount addedCount removed added } }
  }
}"""


@pytest.fixture
def audited(store: Store, tmp_path: Path) -> Iterator[AuditedStore]:
    data = read_fixture("impact_small.ttl")
    data.parse(BOARD, format="turtle")
    data.parse(FRAMEWORK, format="turtle")
    store.upsert(data)  # set-up, before the trail starts
    journal = AuditJournal(tmp_path / "audit.sqlite")
    yield AuditedStore(store, journal)
    journal.close()


@pytest.fixture
def client(
    audited: AuditedStore, tmp_path: Path, api_settings: Settings, tokens: TokenStore
) -> TestClient:
    ROLE_HEADERS.clear()
    for role in Role:
        token = tokens.create(role.value, role, timedelta(days=1)).token
        ROLE_HEADERS[role.value] = {"Authorization": f"Bearer {token}"}
    settings = api_settings.model_copy(update={"recipes_dir": recipes_dir(tmp_path / "recipes")})
    return TestClient(create_app(audited, clock=TickingClock(), settings=settings, tokens=tokens))


def trail(client: TestClient, headers: dict[str, str] | None = None, **filters: Any) -> Any:
    return ask(client, TRAIL, headers or as_role("admin"), **filters)["auditTrail"]


def nodes(client: TestClient, **filters: Any) -> list[dict[str, Any]]:
    return [e["node"] for e in trail(client, **filters)["edges"]]


def test_each_governance_mutation_leaves_one_attributed_entry(client: TestClient) -> None:
    proposed = ask(
        client,
        PROPOSE,
        as_role("steward", **{"X-Request-ID": "req-42"}),
        id="concept/fcr",
        nl="Eerste",
        en="First",
        definitions=DEFINED,
    )
    assert proposed["proposeConcept"]["__typename"] == "ConceptChanged", proposed
    approved = ask(
        client,
        DECIDE,
        as_role("steward", **{"X-Request-ID": "req-42"}),
        id="concept/fcr",
        why="Helder",
    )
    assert approved["approve"]["__typename"] == "ConceptChanged"
    approval, proposal = nodes(client)
    assert (proposal["actor"], proposal["role"], proposal["action"], proposal["requestId"]) == (
        "steward",
        "steward",
        "graphql:proposeConcept",
        "req-42",
    )
    assert proposal["removed"] == ""
    assert '"Eerste"@nl' in proposal["added"]
    assert "concept/fcr" in proposal["elements"]
    assert approval["action"] == "graphql:approve"
    # Old and new values: the status moves from proposed to approved.
    assert "proposed" in approval["removed"].lower()
    assert "approved" in approval["added"].lower()
    assert approval["backend"] in ("embedded", "neo4j")


def test_a_refused_mutation_leaves_no_entry(client: TestClient) -> None:
    ask(
        client,
        PROPOSE,
        as_role("steward"),
        id="concept/fcr",
        nl="Eerste",
        en="First",
        definitions=DEFINED,
    )
    refused = client.post(
        "/graphql",
        json={"query": DECIDE, "variables": {"id": "concept/fcr", "why": "Nee"}},
        headers=as_role("reader"),
    ).json()
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert [n["action"] for n in nodes(client)] == ["graphql:proposeConcept"]


def test_a_scenario_save_is_audited(client: TestClient) -> None:
    saved = ask(
        client,
        """mutation { saveScenario(name: "Zonder facturatie",
                       changes: [{op: RETIRE, element: "process/a"}]) {
                ... on SavedScenario { id } } }""",
        as_role("architect"),
    )
    assert saved["saveScenario"]["id"]
    (entry,) = nodes(client)
    assert (entry["actor"], entry["action"]) == ("architect", "graphql:saveScenario")
    assert entry["addedCount"] > 0


def test_a_rest_sync_leaves_entries_attributed_to_the_caller(client: TestClient) -> None:
    response = client.post(
        f"/sync/{NAME}",
        content=json.dumps(chain()).encode(),
        headers=as_role("integrator", **{"X-Request-ID": "nightly-7"}),
    )
    assert response.status_code == 200, response.text
    found = nodes(client)
    assert found
    assert {(n["actor"], n["role"], n["action"], n["requestId"]) for n in found} == {
        ("integrator", "integrator", f"rest:sync:{NAME}", "nightly-7")
    }
    assert sum(n["addedCount"] for n in found) > 0


def test_the_trail_filters_and_pages(client: TestClient) -> None:
    ask(
        client,
        PROPOSE,
        as_role("steward", **{"X-Request-ID": "req-42"}),
        id="concept/fcr",
        nl="Eerste",
        en="First",
        definitions=DEFINED,
    )
    ask(
        client,
        PROPOSE,
        as_role("architect"),
        id="concept/ces",
        nl="Moeite",
        en="CE",
        definitions=DEFINED,
    )
    everything = trail(client)
    assert everything["totalCount"] == 2
    assert [n["actor"] for n in nodes(client, actor="architect")] == ["architect"]
    assert [n["action"] for n in nodes(client, element="concept/fcr")] == ["graphql:proposeConcept"]
    assert nodes(client, element="concept/nothing") == []
    newest, oldest = (e["node"] for e in everything["edges"])
    assert nodes(client, until=newest["at"]) == [oldest]
    assert nodes(client, since=newest["at"]) == [newest]
    first = trail(client, first=1)
    assert first["pageInfo"]["hasNextPage"] is True
    rest = trail(client, first=1, after=first["pageInfo"]["endCursor"])
    assert [e["node"]["id"] for e in rest["edges"]] == [oldest["id"]]


def test_reading_the_trail_needs_the_audit_permission(client: TestClient) -> None:
    for role in ("reader", "architect", "integrator"):
        response = client.post("/graphql", json={"query": TRAIL}, headers=as_role(role))
        body = response.json()
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", role
    assert trail(client, as_role("steward"))["totalCount"] == 0


def test_no_mutation_can_change_the_trail() -> None:
    mutations = build_schema().get_type_by_name("Mutation")
    names = [f.name.lower() for f in getattr(mutations, "fields", [])]
    assert names
    assert not [n for n in names if "audit" in n]


STALE_APPROVE = """
mutation($id: ID!, $v: Int) {
  approve(id: $id, by: "owner/steward", rationale: "Helder omschreven", expectedVersion: $v) {
    __typename
    ... on ConceptChanged { concept { version status } }
    ... on GovernanceRefusal { code message problems { message } }
  }
}"""


def test_an_edit_of_a_version_no_longer_current_is_refused_as_stale(client: TestClient) -> None:
    ask(
        client,
        PROPOSE,
        as_role("steward", **{"X-Request-ID": "req-42"}),
        id="concept/fcr",
        nl="Eerste",
        en="First",
        definitions=DEFINED,
    )
    stale = ask(
        client,
        STALE_APPROVE,
        as_role("steward", **{"X-Request-ID": "req-42"}),
        id="concept/fcr",
        v=0,
    )["approve"]
    assert stale["code"] == "STALE"
    assert "version 1, not 0" in stale["message"]
    done = ask(
        client,
        STALE_APPROVE,
        as_role("steward", **{"X-Request-ID": "req-42"}),
        id="concept/fcr",
        v=1,
    )["approve"]
    assert done.get("concept") == {"version": 2, "status": "APPROVED"}, done
    assert [n["action"] for n in nodes(client)] == [
        "graphql:approve",
        "graphql:proposeConcept",
    ]


def test_an_unaudited_store_says_it_keeps_no_trail(store: Store, make_client: MakeClient) -> None:
    store.upsert(Graph())
    client = make_client(store, Role.ADMIN)
    body = client.post("/graphql", json={"query": TRAIL}).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


REJECT = """
mutation($id: ID!) {
  reject(id: $id, by: "owner/steward", rationale: "Dubbel met CES") { __typename }
}"""

DELETE = """
mutation($id: ID!, $why: String!) {
  deleteConcept(id: $id, by: "owner/steward", rationale: $why) {
    __typename
    ... on ConceptDeleted { deleted }
    ... on GovernanceRefusal { code message }
  }
}"""


def test_decisions_and_deletions_record_the_post_and_the_reason(
    client: TestClient, audited: AuditedStore
) -> None:
    ask(client, PROPOSE, as_role("steward"), id="concept/x", nl="X", en="X", definitions=DEFINED)
    ask(client, REJECT, as_role("steward"), id="concept/x")
    deleted = ask(client, DELETE, as_role("steward"), id="concept/x", why="Opgeruimd")
    assert deleted["deleteConcept"]["__typename"] == "ConceptDeleted", deleted
    deletion, rejection, proposal = nodes(client)
    assert (proposal["by"], proposal["reason"]) == ("owner/k", None)
    assert (rejection["by"], rejection["reason"]) == ("owner/steward", "Dubbel met CES")
    assert (deletion["actor"], deletion["role"], deletion["action"]) == (
        "steward",
        "steward",
        "graphql:deleteConcept",
    )
    assert (deletion["by"], deletion["reason"]) == ("owner/steward", "Opgeruimd")
    # What the concept and its record held stays in the trail, nowhere else.
    assert deletion["added"] == ""
    assert '"X"@nl' in deletion["removed"]
    assert "concept/x/activity/2" in deletion["elements"]
    assert len(audited.describe([audited.ids.iri("concept/x")])) == 0
    newest = nodes(client, element="concept/x")[0]
    assert newest["action"] == "graphql:deleteConcept"


def test_a_refused_deletion_changes_nothing(client: TestClient, audited: AuditedStore) -> None:
    ask(client, PROPOSE, as_role("steward"), id="concept/x", nl="X", en="X", definitions=DEFINED)
    graph_before, trail_before = audited.export(), nodes(client)
    for role, ident, why, code in (
        ("steward", "concept/x", "Weg", "ILLEGAL_TRANSITION"),  # proposed, not draft or rejected
        ("steward", "reason/r", "Weg", "REFERENCED"),
        ("steward", "concept/x", "  ", "BAD_REQUEST"),  # no reason
        ("architect", "concept/x", "Weg", None),  # FORBIDDEN before the resolver runs
    ):
        body = client.post(
            "/graphql",
            json={"query": DELETE, "variables": {"id": ident, "why": why}},
            headers=as_role(role),
        ).json()
        if code is None:
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        else:
            assert body["data"]["deleteConcept"]["code"] == code, body
    assert set(audited.export()) == set(graph_before)
    assert nodes(client) == trail_before


def test_revoking_a_token_over_rest_is_audited_with_the_reason(
    client: TestClient, tokens: TokenStore, audited: AuditedStore
) -> None:
    victim = tokens.create("crm-sync", Role.INTEGRATOR, timedelta(days=1)).info
    refused = client.delete(f"/tokens/{victim.id}", headers=as_role("admin"))
    assert refused.status_code == 400
    assert "reason" in refused.json()["detail"]
    assert nodes(client) == []
    assert [t.revoked_at for t in tokens.tokens() if t.id == victim.id] == [None]
    revoked = client.delete(
        f"/tokens/{victim.id}?reason=left the company",
        headers=as_role("admin", **{"X-Request-ID": "rev-1"}),
    )
    assert revoked.status_code == 200, revoked.text
    [entry] = nodes(client, element=f"token/{victim.id}")
    assert (entry["actor"], entry["role"], entry["action"], entry["requestId"]) == (
        "admin",
        "admin",
        "rest:tokens:revoke",
        "rev-1",
    )
    assert entry["reason"] == "left the company"
    assert entry["note"] == f"revoked token {victim.id} 'crm-sync' (integrator)"
    assert (entry["removedCount"], entry["addedCount"]) == (0, 0)
    assert entry["backend"] == audited.name


def test_discarding_a_scenario_is_audited_with_who_and_why(client: TestClient) -> None:
    ask(
        client,
        """mutation { saveScenario(name: "Weg", changes: [{op: RETIRE, element: "process/a"}]) {
                ... on SavedScenario { id } } }""",
        as_role("architect"),
    )
    discarded = ask(
        client,
        """mutation { discardScenario(id: "scenario/weg", rationale: "Niet meer nodig") {
                __typename } }""",
        as_role("architect"),
    )
    assert discarded["discardScenario"]["__typename"] == "ScenarioDiscarded"
    entry = nodes(client)[0]
    assert (entry["actor"], entry["action"], entry["reason"]) == (
        "architect",
        "graphql:discardScenario",
        "Niet meer nodig",
    )
    assert entry["addedCount"] == 0
    assert entry["removedCount"] > 0


def test_the_trail_reads_only_what_the_query_selects(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large load's one entry holds ~620 MB of values and 805,093 elements: a query of
    counts must not read them (graph/audit_journal.py, ``entries``)."""
    ask(client, PROPOSE, as_role("steward"), id="concept/fcr", nl="E", en="F", definitions=DEFINED)
    asked: list[dict[str, Any]] = []
    read = AuditJournal.entries

    def spied(self: AuditJournal, *args: Any, **kwargs: Any) -> Any:
        asked.append({k: kwargs[k] for k in ("texts", "elements")})
        return read(self, *args, **kwargs)

    monkeypatch.setattr(AuditJournal, "entries", spied)
    counts = "{ auditTrail { edges { node { action elementCount addedCount } } } }"
    [counted] = [e["node"] for e in ask(client, counts, as_role("admin"))["auditTrail"]["edges"]]
    assert counted["addedCount"] > 0
    values = (
        "{ auditTrail { edges { node { ...values } } } } "
        "fragment values on AuditTrailEntry { added elements }"
    )
    [node] = [e["node"] for e in ask(client, values, as_role("admin"))["auditTrail"]["edges"]]
    assert node["added"].count("\n") == counted["addedCount"]
    assert "concept/fcr" in node["elements"]
    assert len(node["elements"]) == counted["elementCount"]
    assert asked == [{"texts": False, "elements": 0}, {"texts": True, "elements": None}]
