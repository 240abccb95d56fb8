"""The journey page in a browser: a service blueprint reached from the picture."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.web.workspace import Workspace

JOURNEY = "journey/overstappen"


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


KPIS = """
{ priorities(first: 100) { edges { node { journey { id }
    kpis { kpi { id } baseline target measured measuredUntil } } } } }
"""


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_journeys_kpis_and_their_history_are_graphqls(
    workspace: Workspace, page: Page, lang: str
) -> None:
    number = "{:.2f}"
    edges = workspace.graphql(KPIS)["priorities"]["edges"]
    (kpis,) = [e["node"]["kpis"] for e in edges if e["node"]["journey"]["id"] == JOURNEY]
    page.goto(f"{workspace.url}/journey?id={JOURNEY}&lang={lang}")
    expect(page.locator("tr[data-kpi]")).to_have_count(len(kpis))
    decimal = "," if lang == "nl" else "."
    for kpi in kpis:
        row = page.locator(f"tr[data-kpi='{kpi['kpi']['id']}']")
        shown = kpi["measured"] if kpi["measured"] is not None else kpi["baseline"]
        cells = row.locator("td.num")
        expect(cells.nth(0)).to_have_text(number.format(shown).replace(".", decimal))
        expect(cells.nth(1)).to_have_text(number.format(kpi["target"]).replace(".", decimal))
        expect(row.locator("svg.sparkline polyline")).to_have_count(1)
        # The history ends with the value GraphQL gives as measured, at its period's end.
        history = page.locator(f"tr[data-history-of='{kpi['kpi']['id']}']")
        expect(history).to_have_count(4)
        last = history.last
        expect(last).to_have_attribute("data-period-end", kpi["measuredUntil"])
        assert float(last.get_attribute("data-value") or "nan") == kpi["measured"]
        expect(last.locator("td.num")).to_have_text(
            number.format(kpi["measured"]).replace(".", decimal)
        )
