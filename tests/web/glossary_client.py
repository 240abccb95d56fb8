"""The app in-process over a small governed organisation, for the glossary pages' tests."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from rdflib import Literal, URIRef

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.store import Store
from journeykg.namespaces import SKOS
from journeykg.services.governance import service
from journeykg.services.governance.model import ConceptText
from journeykg.services.governance.service import Caller
from journeykg.services.governance.workflow import NewConcept
from tests.conftest import BASE
from tests.services.governance.conftest import FCR_TEXT, STEWARD_POST, TickingClock, board_data
from tests.web.demo_app import client

CONTRIBUTOR = Caller(by="owner/k", role="architect")
STEWARD = Caller(by=STEWARD_POST, role="steward")


def governed(store: Store, state: Path) -> tuple[TestClient, TokenStore]:
    """``store`` with the governance board, NPS's Dutch alternative label, and a client."""
    data = board_data()
    data.add((URIRef(f"{BASE}concept/nps"), SKOS.altLabel, Literal("Aanbevelingsscore", lang="nl")))
    store.upsert(data)
    return client(store, state)


def propose_fcr(store: Store, clock: TickingClock) -> None:
    """concept/fcr proposed by a contributor, narrower than NPS (for the test's sake)."""
    new = NewConcept(
        "concept/fcr",
        FCR_TEXT,
        broader=("concept/nps",),
        sources=("bron/handboek",),
        explains=("jkg:FCR",),
    )
    service.propose(store, new, CONTRIBUTOR, rationale="Nodig voor de KPI", clock=clock)


def approve_fcr(store: Store, clock: TickingClock) -> None:
    """concept/fcr approved by the steward, then a change to its English definition approved."""
    service.approve(store, "concept/fcr", STEWARD, rationale="Past in het kader", clock=clock)
    change = ConceptText(definitions={"en": "Questions resolved at the first contact."})
    outcome = service.propose_change(
        store, "concept/fcr", change, CONTRIBUTOR, rationale="Korter", clock=clock
    )
    assert outcome.proposal is not None
    service.approve(store, outcome.proposal.id, STEWARD, rationale="Akkoord", clock=clock)


def attribute(html: str, name: str) -> list[str]:
    """The values of every ``name="..."`` attribute in ``html``, in order."""
    return re.findall(rf'\b{re.escape(name)}="([^"]*)"', html)


def refusal_of(html: str) -> str:
    """The refusal shown next to a field (the one ``data-refusal`` element), as HTML."""
    found = re.findall(r'<span class="refusal"[^>]*data-refusal="[^"]*".*?</span>', html, re.S)
    assert len(found) == 1, found
    first: str = found[0]
    return first


def text(html: str) -> str:
    """``html`` without its tags, whitespace collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def signed_in(client: TestClient, tokens: TokenStore, role: Role) -> str:
    """Sign ``client`` in with a new token of ``role``; the CSRF value for its forms."""
    client.cookies.clear()
    client.get("/sign-in")
    issued = tokens.create(f"web-{role.value}", role, timedelta(hours=1))
    csrf = client.cookies["jkg_csrf"]
    answer = client.post("/sign-in", data={"token": issued.token, "csrf": csrf})
    assert answer.status_code == 303, answer.text
    csrf_after: str = client.cookies["jkg_csrf"]
    return csrf_after


def audited(store: Store, state: Path) -> AuditedStore:
    """``store`` keeping an audit journal in ``state``, as ``journeykg serve`` runs it."""
    return AuditedStore(store, AuditJournal(state / "audit.sqlite"))


def new_concept_form(csrf: str, **changed: str) -> dict[str, str]:
    """The propose form as a contributor fills it in for concept/fcr, with ``changed`` fields."""
    return {
        "csrf": csrf,
        "key": "concept/fcr",
        "label_nl": "Eerste-contactoplossing",
        "label_en": "First contact resolution",
        "definition_nl": "Het aandeel klantvragen dat bij het eerste contact is opgelost.",
        "definition_en": "The share of customer questions resolved at the first contact.",
        "broader": "concept/nps",
        "explains": "jkg:FCR",
        "by": "owner/k",
        "rationale": "Nodig voor de KPI",
        **changed,
    }


def step_form(
    csrf: str, step: str, target: str, version: int | None, **changed: str
) -> dict[str, str]:
    """A step's form on concept/fcr's page, as the page writes it, with ``changed`` fields."""
    return {
        "csrf": csrf,
        "step": step,
        "target": target,
        "concept": "concept/fcr",
        "expected_version": "" if version is None else str(version),
        "by": STEWARD_POST,
        "rationale": "Past in het kader van de KPI's",
        **changed,
    }
