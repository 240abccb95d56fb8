"""The audit trail and decision log: only for roles with the AUDIT permission (others get the
403 page), the CLI's filters as a GET form, paged, and a decision taken through the API shown."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.store import Store
from journeykg.web.audit_pages import PAGE_SIZE
from journeykg.web.session import SESSION_COOKIE
from tests.web.demo_app import client, demo_store
from tests.web.workspace import Workspace

PROPOSE = """
mutation($id: ID!, $label: String!) {
  proposeConcept(
    by: "owner/lead-cx-office",
    input: {id: $id, prefLabels: [{language: "nl", text: $label}],
            definitions: [{language: "nl", text: "Een begrip dat de browsertest vaststelt."}]}
  ) { __typename ... on GovernanceRefusal { code message problems { field message } } }
}"""
APPROVE = """
mutation($id: ID!, $why: String!) {
  approve(id: $id, by: "owner/lead-cx-office", rationale: $why) {
    __typename ... on GovernanceRefusal { code message problems { field message } }
  }
}"""


def decide_through_api(workspace: Workspace, token: str, concept: str, why: str) -> None:
    """Propose ``concept`` and approve it through the served API's GraphQL, with ``token``."""
    for query, variables in (
        (PROPOSE, {"id": concept, "label": concept.rsplit("/", 1)[-1]}),
        (APPROVE, {"id": concept, "why": why}),
    ):
        answer = httpx.post(
            f"{workspace.url}/graphql",
            json={"query": query, "variables": variables},
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        ).json()
        assert next(iter(answer["data"].values()))["__typename"] == "ConceptChanged", answer


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """The demo, with an audit trail that starts after it was loaded."""
    with demo_store() as store:
        journal = AuditJournal(tmp_path_factory.mktemp("trail") / "audit.sqlite")
        yield AuditedStore(store, journal)
        journal.close()


def _as(web: TestClient, tokens: TokenStore, role: Role) -> str:
    token = tokens.create(f"web-{role.value}", role, timedelta(hours=1)).token
    web.cookies.set(SESSION_COOKIE, token)
    return token


def _decide(web: TestClient, token: str, concept: str, why: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    for query, variables in (
        (PROPOSE, {"id": concept, "label": concept}),
        (APPROVE, {"id": concept, "why": why}),
    ):
        answer = web.post(
            "/graphql", json={"query": query, "variables": variables}, headers=headers
        )
        data = answer.json()
        assert "errors" not in data, data
        assert next(iter(data["data"].values()))["__typename"] == "ConceptChanged", data


@pytest.mark.parametrize("role", [Role.READER, Role.ARCHITECT, None])
@pytest.mark.parametrize("path", ["/audit", "/decisions"])
def test_without_the_audit_permission_the_page_is_forbidden(
    audited: Store, tmp_path: Path, role: Role | None, path: str
) -> None:
    web, tokens = client(audited, tmp_path)
    if role is not None:
        _as(web, tokens, role)
    answer = web.get(f"{path}?lang=en")
    assert answer.status_code == 403
    assert "Your role may not do this" in answer.text
    assert "audit" in answer.text
    assert "data-entry" not in answer.text
    assert "data-decision" not in answer.text
    assert 'href="/audit"' not in answer.text  # nor is it offered in the menu


@pytest.mark.parametrize("role", [Role.ADMIN, Role.STEWARD])
def test_the_trail_shows_a_decision_with_who_and_why(
    audited: Store, tmp_path: Path, role: Role
) -> None:
    web, tokens = client(audited, tmp_path)
    steward = tokens.create("board", Role.STEWARD, timedelta(hours=1)).token
    _decide(web, steward, f"concept/web-{role.value}", "Besloten in de CX-board")
    _as(web, tokens, role)
    trail = web.get("/audit?lang=en")
    assert trail.status_code == 200
    assert 'href="/audit"' in trail.text
    approve = re.search(
        r'<tr data-entry="[^"]+" data-action="graphql:approve">(.*?)</tr>', trail.text, re.S
    )
    assert approve, trail.text
    assert "board" in approve.group(1)
    assert f"concept/web-{role.value}" in approve.group(1)
    log = web.get("/decisions?lang=en").text
    row = re.search(
        rf'data-kind="Approval" data-concept="concept/web-{role.value}">(.*?)</tr>', log, re.S
    )
    assert row, log
    assert "Besloten in de CX-board" in row.group(1)
    assert "owner/lead-cx-office" in row.group(1)
    assert "approved" in row.group(1)


def test_the_filters_are_the_clis(audited: Store, tmp_path: Path) -> None:
    web, tokens = client(audited, tmp_path)
    steward = tokens.create("filtered", Role.STEWARD, timedelta(hours=1)).token
    _decide(web, steward, "concept/web-filter", "Gefilterd")
    _as(web, tokens, Role.ADMIN)

    def actions(**query: str) -> list[str]:
        html = web.get("/audit", params=query).text
        return re.findall(r'data-action="([^"]+)"', html)

    assert actions(element="concept/web-filter", actor="filtered") == [
        "graphql:approve",
        "graphql:proposeConcept",
    ]
    assert actions(element="concept/web-filter", actor="somebody-else") == []
    assert actions(element="concept/web-filter", until="2000-01-01") == []
    assert len(actions(element="concept/web-filter", since="2000-01-01")) == 2
    refused = web.get("/audit", params={"since": "last tuesday", "lang": "en"})
    assert refused.status_code == 400
    assert "Not a date" in refused.text
    assert 'aria-invalid="true"' in refused.text


def test_the_trail_is_paged(audited: Store, tmp_path: Path) -> None:
    web, tokens = client(audited, tmp_path)
    steward = tokens.create("pager", Role.STEWARD, timedelta(hours=1)).token
    for n in range(PAGE_SIZE // 2 + 1):
        _decide(web, steward, f"concept/web-page-{n}", "Paginering")
    _as(web, tokens, Role.ADMIN)
    first = web.get("/audit", params={"actor": "pager"}).text
    assert first.count("data-entry=") == PAGE_SIZE
    assert 'data-total="' + str(2 * (PAGE_SIZE // 2 + 1)) + '"' in first
    assert (
        'rel="next" href="/audit?element=&amp;actor=pager&amp;since=&amp;until=&amp;page=2"'
        in first
    )
    second = web.get("/audit", params={"actor": "pager", "page": "2"}).text
    assert second.count("data-entry=") == 2 * (PAGE_SIZE // 2 + 1) - PAGE_SIZE
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second


def test_a_store_without_a_trail_says_so(tmp_path: Path) -> None:
    with demo_store() as bare:
        web, tokens = client(bare, tmp_path)
        _as(web, tokens, Role.ADMIN)
        answer = web.get("/audit?lang=en")
        assert answer.status_code == 404
        assert "opened without its audit trail" in answer.text


def test_an_admin_sees_a_decision_just_taken_through_the_api(
    workspace: Workspace, page: Page
) -> None:
    _, steward = workspace.token(Role.STEWARD)
    decide_through_api(workspace, steward, "concept/web-browser", "Vastgesteld in de browsertest")
    _, admin = workspace.token(Role.ADMIN)
    page.goto(f"{workspace.url}/sign-in?lang=en")
    page.get_by_label("API token").fill(admin)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Audit trail").click()
    page.get_by_label("Element").fill("concept/web-browser")
    page.get_by_role("button", name="Filter").click()
    approval = page.locator('tr[data-action="graphql:approve"]')
    expect(approval).to_contain_text("web-steward")
    expect(approval).to_contain_text("steward")
    page.get_by_role("link", name="Decision log").click()
    decision = page.locator('tr[data-kind="Approval"][data-concept="concept/web-browser"]')
    expect(decision).to_contain_text("Vastgesteld in de browsertest")
    expect(decision).to_contain_text("approved")


def test_a_reader_gets_the_forbidden_page(workspace: Workspace, page: Page) -> None:
    _, reader = workspace.token(Role.READER)
    page.goto(f"{workspace.url}/sign-in?lang=en")
    page.get_by_label("API token").fill(reader)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Audit trail")).to_have_count(0)
    answer = page.goto(f"{workspace.url}/audit?lang=en")
    assert answer is not None
    assert answer.status == 403
    expect(page.locator("[data-problem]")).to_contain_text("web-reader (reader)")
    expect(page.locator("[data-problem]")).to_contain_text("audit")


def test_an_entry_of_many_elements_names_five_and_counts_the_rest(
    audited: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As a large load's entry shows (805,093 elements): its values and the other elements
    are not read for the page (graph/audit_journal.py, ``entries``)."""
    from rdflib import RDFS, Graph, Literal, URIRef

    from journeykg.graph.audit_context import audit_context

    many = Graph()
    for n in range(1_205):
        many.add((URIRef(f"{audited.ids.iri('note/bulk')}-{n:04d}"), RDFS.label, Literal(f"n{n}")))
    with audit_context(actor="bulk-loader", role=None, action="cli:load"):
        audited.upsert(many)
    web, tokens = client(audited, tmp_path)
    _as(web, tokens, Role.ADMIN)
    asked: list[tuple[object, object]] = []
    read = AuditJournal.entries

    def spied(self: AuditJournal, *args: object, **kwargs: object) -> object:
        asked.append((kwargs.get("texts"), kwargs.get("elements")))
        return read(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(AuditJournal, "entries", spied)
    html = web.get("/audit", params={"actor": "bulk-loader", "lang": "en"}).text
    assert asked == [(False, 5)]
    [row] = re.findall(r"<tr data-entry=.*?</tr>", html, flags=re.S)
    assert row.count('href="/audit?element=') == 5
    assert "note/bulk-0000" in row
    assert "note/bulk-0005" not in row
    assert "(+1,200)" in row
