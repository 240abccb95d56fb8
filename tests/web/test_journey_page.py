"""The journey page in a browser: a service blueprint reached from the picture."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.web.workspace import Workspace


def test_a_journey_opens_from_the_picture_as_a_blueprint(workspace: Workspace, page: Page) -> None:
    page.goto(f"{workspace.url}/?lang=en")
    page.locator("tr[data-journey='journey/overstappen'] a").click()
    expect(page.locator("h1")).to_have_text("Journey: Switch to Polder keeping your number")
    expect(page.locator("th[data-step]")).to_have_count(5)
    expect(page.locator("th[data-step]").first).to_contain_text("1.")
    web = page.locator("[data-touchpoint='touchpoint/overstappen-web-bestellen-met-nummerbehoud']")
    expect(web).to_contain_text("moment of truth")
    expect(page.locator("[data-emotion]").nth(4)).to_have_text("-1.5")
    expect(page.locator("tr[data-kpi]")).to_have_count(2)
    expect(page.locator("svg.emotion circle")).to_have_count(5)


def test_a_journey_page_for_something_else_says_so(workspace: Workspace, page: Page) -> None:
    answer = page.goto(f"{workspace.url}/journey?id=reason/adres-wijzigen&lang=en")
    assert answer is not None
    assert answer.status == 404
    expect(page.locator("[data-problem]")).to_contain_text("ContactReason, not a journey")
