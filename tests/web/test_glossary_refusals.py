"""A refused workflow step in a browser says why in the page's language, beside its field.

The Dutch page shows Dutch words and the English page English ones (the
service's own message); nothing is written: the audit trail (which every
write passes through) and the concept's version are the same as before.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from journeykg.access.roles import Role
from tests.web.workspace import Workspace

WRITTEN = """
{ auditTrail(first: 1) { totalCount }
  concept(id: "concept/nps") { version status } }
"""

#: Per language: the form's labels, and what the refusals say (and what they must not).
PAGES: dict[str, dict[str, str]] = {
    "nl": {
        "key": "Sleutel",
        "post": "Namens de functie",
        "why": "Reden",
        "propose": "Voorstellen",
        "exists": "concept/nps bestaat al (vastgesteld)",
        "not_exists": "it exists already",
        "post_refused": "geen persoon",
        "not_post_refused": "never a person",
    },
    "en": {
        "key": "Key",
        "post": "On behalf of the post",
        "why": "Reason",
        "propose": "Propose",
        "exists": "cannot propose concept/nps: it exists already",
        "not_exists": "bestaat al",
        "post_refused": "never a person",
        "not_post_refused": "geen persoon",
    },
}


def token(workspace: Workspace, name: str, role: Role) -> str:
    """A new token of ``role`` named ``name`` (names are unique in the served token database)."""
    return workspace.tokens.create(name, role, timedelta(hours=1)).token


def written(workspace: Workspace, name: str) -> Any:
    """How many audit entries there are and NPS's version, read by an admin through GraphQL."""
    token_ = token(workspace, name, Role.ADMIN)
    answer = httpx.post(
        f"{workspace.url}/graphql",
        json={"query": WRITTEN},
        headers={"Authorization": f"Bearer {token_}"},
        timeout=30,
    ).json()
    assert "errors" not in answer, answer
    return answer["data"]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_refusal_is_said_in_the_pages_language_beside_its_field_and_nothing_is_written(
    workspace: Workspace, page: Page, lang: str
) -> None:
    words = PAGES[lang]
    page.goto(f"{workspace.url}/sign-in?lang={lang}")
    page.locator("input[name='token']").fill(token(workspace, f"refusals-{lang}", Role.ARCHITECT))
    page.locator("form.sign-in button").click()
    expect(page.locator("[data-principal]")).to_have_text(f"refusals-{lang}")
    before = written(workspace, f"refusals-admin-{lang}-before")
    page.goto(f"{workspace.url}/glossary/propose?lang={lang}")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    page.get_by_label(words["key"]).fill("concept/nps")  # exists already: refused
    page.locator("#propose--label-nl").fill("Klantverloop")
    page.locator("#propose--definition-nl").fill("Het aandeel klanten dat in een jaar opzegt.")
    page.get_by_label(words["post"]).fill("owner/manager-klantinzicht")
    page.get_by_label(words["why"]).fill("Nodig voor de retentie-KPI")
    page.get_by_role("button", name=words["propose"], exact=True).click()

    refusal = page.locator("#propose-key ~ [data-refusal]")
    expect(refusal).to_have_attribute("data-refusal-field", "key")
    expect(refusal).to_contain_text(words["exists"])
    expect(refusal).not_to_contain_text(words["not_exists"])
    expect(page.locator("html")).to_have_attribute("lang", lang)

    # A post that is no post: the shapes refuse it, in the shape's message of the language.
    page.get_by_label(words["key"]).fill("concept/klantverloop-weigering")
    page.get_by_label(words["post"]).fill("owner/niemand")
    page.get_by_role("button", name=words["propose"], exact=True).click()
    refusal = page.locator("#propose-by ~ [data-refusal]")
    expect(refusal).to_have_attribute("data-refusal-field", "by")
    expect(refusal).to_contain_text(words["post_refused"])
    expect(refusal).not_to_contain_text(words["not_post_refused"])
    assert written(workspace, f"refusals-admin-{lang}-after") == before
