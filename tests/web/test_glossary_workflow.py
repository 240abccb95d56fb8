"""The glossary's workflow forms in-process, on both backends: by role, through the service.

Every refusal is checked against a snapshot of the graph, the history and the
audit journal (tests/snapshot.py): nothing may be written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from journeykg.access.roles import Role
from journeykg.graph.audit_journal import AuditFilter
from journeykg.graph.store import Store
from journeykg.services.governance import service
from tests.services.governance.conftest import STEWARD_POST
from tests.snapshot import snapshot
from tests.web.glossary_client import (
    attribute,
    audited,
    governed,
    new_concept_form,
    refusal_of,
    signed_in,
    step_form,
    text,
)

CONCEPTS = ("concept/fcr", "concept/nps")


def test_a_contributor_proposes_and_a_steward_approves_audited_like_the_api(
    store: Store, tmp_path: Path
) -> None:
    kept = audited(store, tmp_path)
    client, tokens = governed(kept, tmp_path)
    csrf = signed_in(client, tokens, Role.ARCHITECT)
    proposed = client.post("/glossary/propose", data=new_concept_form(csrf, lang="en"))
    assert proposed.status_code == 303
    assert proposed.headers["location"] == "/concept?id=concept%2Ffcr&lang=en"
    assert service.show(kept, "concept/fcr").status.value == "proposed"

    csrf = signed_in(client, tokens, Role.STEWARD)
    page = client.get("/concept?id=concept/fcr").text
    assert attribute(page, "data-step-form") == ["approve", "reject"]
    approved = client.post("/concept/step", data=step_form(csrf, "approve", "concept/fcr", 1))
    assert approved.status_code == 303
    assert service.show(kept, "concept/fcr").status.value == "approved"

    steps = service.history(kept, "concept/fcr").activities
    assert [(a.kind, a.by, a.rationale) for a in steps] == [
        ("Proposal", "owner/k", "Nodig voor de KPI"),
        ("Approval", STEWARD_POST, "Past in het kader van de KPI's"),
    ]
    entries, _ = kept.journal.entries(AuditFilter())
    recorded = [(e.actor, e.role, e.action, e.by, e.reason) for e in reversed(entries)]
    assert recorded[-2:] == [
        ("web-architect", "architect", "web:propose", "owner/k", "Nodig voor de KPI"),
        ("web-steward", "steward", "web:approve", STEWARD_POST, "Past in het kader van de KPI's"),
    ]


def test_each_form_shows_only_to_a_role_that_may_take_its_step(
    store: Store, tmp_path: Path
) -> None:
    client, tokens = governed(store, tmp_path)
    assert attribute(client.get("/concept?id=concept/nps").text, "data-step-form") == []
    assert "data-propose" not in client.get("/glossary").text
    signed_in(client, tokens, Role.READER)
    assert attribute(client.get("/concept?id=concept/nps").text, "data-step-form") == []
    signed_in(client, tokens, Role.ARCHITECT)
    assert attribute(client.get("/concept?id=concept/nps").text, "data-step-form") == [
        "propose_change"
    ]
    assert "data-propose" in client.get("/glossary").text
    signed_in(client, tokens, Role.STEWARD)
    assert attribute(client.get("/concept?id=concept/nps").text, "data-step-form") == [
        "propose_change",
        "deprecate",
    ]


def test_a_step_the_role_may_not_take_is_refused_and_nothing_is_written(
    store: Store, tmp_path: Path
) -> None:
    kept = audited(store, tmp_path)
    client, tokens = governed(kept, tmp_path)
    csrf = signed_in(client, tokens, Role.ARCHITECT)
    before = snapshot(kept, CONCEPTS)
    refused = client.post("/concept/step", data=step_form(csrf, "deprecate", "concept/nps", None))
    assert refused.status_code == 403
    assert snapshot(kept, CONCEPTS) == before
    csrf = signed_in(client, tokens, Role.READER)
    assert client.post("/glossary/propose", data=new_concept_form(csrf)).status_code == 403
    assert snapshot(kept, CONCEPTS) == before


def test_a_form_without_its_csrf_value_is_refused_and_nothing_is_written(
    store: Store, tmp_path: Path
) -> None:
    kept = audited(store, tmp_path)
    client, tokens = governed(kept, tmp_path)
    signed_in(client, tokens, Role.ARCHITECT)
    before = snapshot(kept, CONCEPTS)
    answer = client.post("/glossary/propose", data=new_concept_form("forged"))
    assert answer.status_code == 403
    assert snapshot(kept, CONCEPTS) == before


@pytest.mark.parametrize(
    ("changed", "code", "field", "words"),
    [
        (
            {"key": "concept/nps"},
            "BAD_REQUEST",
            "key",
            {"en": "it exists already", "nl": "concept/nps bestaat al (vastgesteld)"},
        ),
        (
            {"label_nl": "", "label_en": ""},
            "INVALID",
            "label",
            {"en": "preferred label", "nl": "voorkeursnaam"},
        ),
        (
            {"by": "owner/nobody"},
            "INVALID",
            "by",
            {"en": "never a person", "nl": "geen persoon"},
        ),
        ({"by": ""}, "BAD_REQUEST", "by", {"en": "not a valid id", "nl": "geen geldige sleutel"}),
        (
            # A SPARQL shape: its message's variables, filled in the page's language too.
            {"label_nl": "Net Promoter Score"},
            "INVALID",
            "label",
            {
                "en": "is already the label of concept/nps in the same scheme",
                "nl": "is al de naam van concept/nps in dezelfde begrippenlijst",
            },
        ),
    ],
)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_refused_proposal_shows_the_message_in_the_pages_language_next_to_its_field(
    store: Store,
    tmp_path: Path,
    changed: dict[str, str],
    code: str,
    field: str,
    words: dict[str, str],
    lang: str,
) -> None:
    kept = audited(store, tmp_path)
    client, tokens = governed(kept, tmp_path)
    csrf = signed_in(client, tokens, Role.ARCHITECT)
    before = snapshot(kept, CONCEPTS)
    generation = kept.generation()
    form = new_concept_form(csrf, lang=lang, **changed)
    answer = client.post(f"/glossary/propose?lang={lang}", data=form)
    assert answer.status_code in (400, 422)
    assert attribute(answer.text, "data-refusal") == [code]
    assert attribute(answer.text, "data-refusal-field") == [field]
    shown = text(refusal_of(answer.text))
    assert words[lang] in shown
    other = "en" if lang == "nl" else "nl"
    assert words[other] not in shown
    assert snapshot(kept, CONCEPTS) == before
    assert kept.generation() == generation
    # What was typed stays in the form.
    assert f'value="{form["label_nl"]}"' in answer.text or not form["label_nl"]


@pytest.mark.parametrize(
    ("changed", "version", "code", "field", "words"),
    [
        (
            {"rationale": "ok"},
            1,
            "INVALID",
            "rationale",
            {"en": "Why? A decision", "nl": "Waarom? Een besluit"},
        ),
        (
            {},
            7,
            "STALE",
            "step",
            {
                "en": "concept/fcr is at version 1, not 7",
                "nl": "concept/fcr staat op versie 1, niet op 7",
            },
        ),
        ({"by": "owner/nobody"}, 1, "INVALID", "by", {"en": "one post", "nl": "één functie"}),
    ],
)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_refused_decision_shows_the_message_in_the_pages_language_next_to_its_field(
    store: Store,
    tmp_path: Path,
    changed: dict[str, str],
    version: int,
    code: str,
    field: str,
    words: dict[str, str],
    lang: str,
) -> None:
    kept = audited(store, tmp_path)
    client, tokens = governed(kept, tmp_path)
    csrf = signed_in(client, tokens, Role.ARCHITECT)
    assert client.post("/glossary/propose", data=new_concept_form(csrf)).status_code == 303
    csrf = signed_in(client, tokens, Role.STEWARD)
    before = snapshot(kept, CONCEPTS)
    generation = kept.generation()
    form = step_form(csrf, "approve", "concept/fcr", version, lang=lang, **changed)
    answer = client.post(f"/concept/step?lang={lang}", data=form)
    assert answer.status_code in (409, 422)
    assert attribute(answer.text, "data-refusal") == [code]
    assert attribute(answer.text, "data-refusal-field") == [field]
    shown = text(refusal_of(answer.text))
    assert words[lang] in shown
    assert words["en" if lang == "nl" else "nl"] not in shown
    assert snapshot(kept, CONCEPTS) == before
    assert kept.generation() == generation


def test_a_change_is_proposed_then_approved_from_its_own_form(store: Store, tmp_path: Path) -> None:
    client, tokens = governed(store, tmp_path)
    csrf = signed_in(client, tokens, Role.ARCHITECT)
    nps = service.show(store, "concept/nps")
    form = {
        "csrf": csrf,
        "step": "propose_change",
        "target": "concept/nps",
        "concept": "concept/nps",
        "expected_version": "",
        "by": "owner/k",
        "rationale": "Engelse definitie ontbrak",
        # The form comes filled with the current text; only the English definition is new.
        **{f"label_{lang}": text for lang, text in nps.text.pref_labels.items()},
        "definition_nl": nps.text.definitions["nl"],
        "definition_en": "The balance of promoters and detractors.",
    }
    changed = client.post("/concept/step", data={**form, "concept": "concept/nps"})
    assert changed.status_code == 303, text(changed.text)
    proposal = service.history(store, "concept/nps").proposals[-1]
    assert proposal.text.definitions["en"] == "The balance of promoters and detractors."
    assert service.show(store, "concept/nps").text.definitions.get("en") is None

    csrf = signed_in(client, tokens, Role.STEWARD)
    page = client.get("/concept?id=concept/nps").text
    assert attribute(page, "data-open-proposal") == [proposal.id]
    decision = {
        **step_form(csrf, "approve", proposal.id, None),
        "concept": "concept/nps",
    }
    assert client.post("/concept/step", data=decision).status_code == 303
    now = service.show(store, "concept/nps")
    assert now.text.definitions["en"] == "The balance of promoters and detractors."
    assert now.text.definitions["nl"] == nps.text.definitions["nl"]


def test_a_draft_is_submitted_then_rejected_and_a_referenced_concept_is_not_retired(
    store: Store, tmp_path: Path
) -> None:
    client, tokens = governed(store, tmp_path)
    csrf = signed_in(client, tokens, Role.ARCHITECT)
    drafted = client.post("/glossary/propose", data=new_concept_form(csrf, draft="on"))
    assert drafted.status_code == 303
    assert service.show(store, "concept/fcr").status.value == "draft"
    page = client.get("/concept?id=concept/fcr").text
    assert attribute(page, "data-step-form") == ["submit"]
    submitted = step_form(csrf, "submit", "concept/fcr", 1, by="owner/k")
    assert client.post("/concept/step", data=submitted).status_code == 303
    assert service.show(store, "concept/fcr").status.value == "proposed"

    csrf = signed_in(client, tokens, Role.STEWARD)
    rejected = step_form(csrf, "reject", "concept/fcr", 2, rationale="Valt al onder de NPS")
    assert client.post("/concept/step", data=rejected).status_code == 303
    assert service.show(store, "concept/fcr").status.value == "rejected"

    retired = {
        **step_form(csrf, "deprecate", "concept/nps", None, rationale="Niet meer gemeten"),
        "concept": "concept/nps",
    }
    # FCR (rejected, but stored) still names NPS broader: the service refuses to retire it.
    answer = client.post("/concept/step", data=retired)
    assert answer.status_code == 409
    assert attribute(answer.text, "data-refusal") == ["REFERENCED"]
    assert "concept/fcr skos:broader" in text(answer.text)
    assert service.show(store, "concept/nps").status.value == "approved"
