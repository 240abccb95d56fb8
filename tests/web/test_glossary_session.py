"""A governance session in a browser: propose, approve from the inbox, history, diff, languages.

What the pages show is checked against GraphQL's answer for the same concept.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from journeykg.access.roles import Role
from tests.web.workspace import Workspace

KEY = "concept/klantverloop"
CONCEPT = """
query ($id: ID!) {
  concept(id: $id) {
    status version
    definitions { language text }
    history { number status }
    activities { kind by role rationale }
  }
}
"""


def sign_in(page: Page, workspace: Workspace, role: Role) -> None:
    """Sign in through the page with a new token of ``role``."""
    _, token = workspace.token(role)
    page.goto(f"{workspace.url}/sign-in?lang=en")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("[data-principal]")).to_have_text(f"web-{role.value}")


def test_a_governance_session_from_proposal_to_diff(workspace: Workspace, page: Page) -> None:
    sign_in(page, workspace, Role.ARCHITECT)
    page.goto(f"{workspace.url}/glossary?lang=en")
    page.locator("[data-propose]").click()
    page.get_by_label("Key").fill("concept/nps")  # exists: refused
    page.locator("#propose--label-nl").fill("Klantverloop")
    page.locator("#propose--label-en").fill("Churn")
    page.locator("#propose--definition-nl").fill("Het aandeel klanten dat in een jaar opzegt.")
    page.locator("#propose--definition-en").fill("The share of customers leaving in a year.")
    page.get_by_label("On behalf of the post").fill("owner/manager-klantinzicht")
    page.get_by_label("Reason").fill("Nodig voor de retentie-KPI")
    page.get_by_role("button", name="Propose", exact=True).click()

    # The refusal sits next to the key field; what was typed is kept.
    refusal = page.locator("#propose-key ~ [data-refusal]")
    expect(refusal).to_contain_text("it exists already")
    expect(refusal).to_have_attribute("data-refusal-field", "key")
    expect(page.locator("#propose--label-en")).to_have_value("Churn")
    page.get_by_label("Key").fill(KEY)
    page.get_by_role("button", name="Propose", exact=True).click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "proposed")

    sign_in(page, workspace, Role.STEWARD)
    page.goto(f"{workspace.url}/glossary?lang=en")
    page.locator("[data-inbox]").click()
    page.locator(f"[data-inbox-item='{KEY}'] a").click()
    approve = page.locator(f"form[data-step-form='approve'][data-target='{KEY}']")
    approve.get_by_label("On behalf of the post").fill("owner/lead-cx-office")
    approve.get_by_label("Reason").fill("ok")  # too short for the shapes: refused
    approve.get_by_role("button", name="Approve").click()
    expect(approve.locator("[data-refusal-field='rationale']")).to_contain_text("rationale")
    approve.get_by_label("Reason").fill("Past in het kader; bevestigd in het CX-board")
    approve.get_by_role("button", name="Approve").click()
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "approved")

    answer = workspace.graphql(CONCEPT, {"id": KEY})["concept"]
    assert answer["status"] == "APPROVED"
    expect(page.locator("[data-version]")).to_have_text(str(answer["version"]))
    newest_first = list(reversed(answer["activities"]))
    expect(page.locator("[data-activity]")).to_have_count(len(newest_first))
    for shown, step in zip(page.locator("[data-activity]").all(), newest_first, strict=True):
        expect(shown).to_have_attribute("data-activity", step["kind"])
        expect(shown.locator("[data-by]")).to_have_text(step["by"])
        expect(shown.locator("[data-role]")).to_have_text(step["role"])
        expect(shown.locator("[data-why]")).to_have_text(step["rationale"])
    for definition in answer["definitions"]:
        row = page.locator(f"tr[data-field='definition'][data-lang='{definition['language']}']")
        expect(row).to_contain_text(definition["text"])

    page.get_by_label("Compare version").select_option("1")
    page.get_by_label("with").select_option("2")
    page.locator("[data-diff-form] button").click()
    expect(page.locator("h1")).to_contain_text("version 1 → 2")
    statuses = [v["status"].lower() for v in answer["history"]]
    expect(page.locator("tr[data-change='status']")).to_contain_text(statuses[0])
    expect(page.locator("tr[data-change='status']")).to_contain_text(statuses[1])

    page.locator("[data-language='nl']").click()
    expect(page.locator("h1")).to_contain_text("Verschil tussen versies")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
