"""The lifecycle picture in a browser: its figures are GraphQL's, in Dutch and English;
a cell opens its contact reason; the measure picker and the keyboard work."""

from __future__ import annotations

import re
from typing import Any

import pytest
from babel.numbers import format_currency, format_decimal
from playwright.sync_api import Page, expect

from tests.web.workspace import Workspace

PRIORITIES = """
{ priorities(first: 100) { edges { node {
    journey { id } contacts complaints costEur lifecycleStages } } } }
"""
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


@pytest.fixture(scope="module")
def journeys(workspace: Workspace) -> dict[str, dict[str, Any]]:
    """GraphQL's figures per journey id."""
    edges = workspace.graphql(PRIORITIES)["priorities"]["edges"]
    return {e["node"]["journey"]["id"]: e["node"] for e in edges}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_journey_figures_are_graphqls_in_each_language(
    workspace: Workspace, page: Page, journeys: dict[str, dict[str, Any]], language: str
) -> None:
    page.goto(f"{workspace.url}/?lang={language}")
    rows = page.locator("tr[data-journey]")
    expect(rows).to_have_count(len(journeys))
    locale = LOCALES[language]
    stage_ids = page.locator(".stage h2").evaluate_all("(hs) => hs.map((h) => h.id)")
    for i in range(rows.count()):
        row = rows.nth(i)
        asked = journeys[row.get_attribute("data-journey") or ""]
        figure = row.locator("[data-figure]")
        assert figure.nth(0).inner_text() == format_decimal(asked["contacts"], locale=locale)
        assert figure.nth(1).inner_text() == format_decimal(asked["complaints"], locale=locale)
        cost = format_currency(
            asked["costEur"], "EUR", format="¤ #,##0", locale=locale, currency_digits=False
        )
        assert figure.nth(2).inner_text() == cost
        marked = row.locator("td.placed").evaluate_all(
            "(cells) => cells.map((c) => c.textContent.includes('●'))"
        )
        placed = {stage for stage, mark in zip(stage_ids, marked, strict=True) if mark}
        assert placed == set(asked["lifecycleStages"])


def test_reason_cells_add_up_to_graphqls_journey_contacts(
    workspace: Workspace, page: Page, journeys: dict[str, dict[str, Any]]
) -> None:
    page.goto(f"{workspace.url}/")
    cells = page.locator("a.cell[data-reason]")
    expect(cells).to_have_count(34)
    # journey/overstappen is placed on two reasons: sign a contract and keep your number.
    contacts = [
        int(cells.locator(f"xpath=self::*[@data-reason='{r}']").get_attribute("data-contacts") or 0)
        for r in ("reason/abonnement-afsluiten", "reason/nummer-meenemen")
    ]
    assert sum(contacts) == journeys["journey/overstappen"]["contacts"]


def test_switching_language_keeps_the_page_and_formats_numbers(
    workspace: Workspace, page: Page
) -> None:
    page.goto(f"{workspace.url}/?measure=complaints")
    expect(page.locator("h1")).to_have_text("Levenscyclusplaat")
    assert page.locator("html").get_attribute("lang") == "nl"
    page.locator("[data-language=en]").click()
    expect(page.locator("h1")).to_have_text("Lifecycle picture")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "measure=complaints" in page.url
    cell = page.locator("a.cell[data-reason='reason/storing-melden'] [data-value]")
    expect(cell).to_have_text("2,472")  # complaints, as English groups them
    page.goto(f"{workspace.url}/?measure=complaints")  # the choice is remembered
    expect(cell).to_have_text("2,472")
    page.locator("[data-language=nl]").click()
    expect(cell).to_have_text("2.472")


def test_clicking_a_cell_opens_its_contact_reason(workspace: Workspace, page: Page) -> None:
    page.goto(f"{workspace.url}/?lang=en")
    cell = page.locator("a.cell[data-reason='reason/adres-wijzigen']")
    contacts = int(cell.get_attribute("data-contacts") or 0)
    cell.click()
    expect(page.locator("h1")).to_have_text("Contact reason: Change address")
    total = page.locator("tr[data-total]")
    assert int(total.get_attribute("data-contacts") or 0) == contacts
    expect(total.locator("td").first).to_have_text(format_decimal(contacts, locale="en_GB"))
    expect(page.locator("[data-journey='journey/verhuizen']")).to_be_visible()
    expect(page.locator("tr[data-process='process/facturatie']")).to_contain_text("Billing")
    expect(page.locator(".crumbs")).to_contain_text("Stage: Change")


def test_picking_a_kpi_measure_colours_by_target(workspace: Workspace, page: Page) -> None:
    page.goto(f"{workspace.url}/?lang=en")
    page.get_by_label("Measure").select_option("NPS")  # the page's script submits it
    expect(page).to_have_url(re.compile(r"measure=NPS"))
    expect(page.locator(".legend")).to_contain_text("more than 10% off target")
    cell = page.locator("a.cell[data-reason='reason/adres-wijzigen']")
    expect(cell).to_have_class(re.compile(r"kpi-(ok|near|off)"))
    expect(cell.locator("[data-value]")).to_contain_text(" / ")
    uncovered = page.locator("a.cell[data-reason='reason/aanbod-vergelijken']")
    expect(uncovered).to_have_class(re.compile(r"\bnone\b"))
    expect(uncovered).to_contain_text("no journey")


def test_the_picture_works_by_keyboard(workspace: Workspace, page: Page) -> None:
    page.goto(f"{workspace.url}/?lang=en")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.reason"):
            break
    reason = page.evaluate("document.activeElement.dataset.reason")
    assert reason, "no reason cell is reachable by Tab"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/reason\?id="))
