"""Regenerates the screenshots in docs/screenshots/ that the README and docs/web.md show.

Run on its own to refresh them: ``pytest tests/web/test_screenshots.py``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page

from journeykg.access.roles import Role
from tests.web.test_audit_pages import decide_through_api
from tests.web.workspace import Workspace

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("lifecycle-picture", "/?lang=en"),
        ("lifecycle-picture-nps", "/?lang=nl&measure=NPS"),
        ("contact-reason", "/reason?id=reason/storing-melden&lang=en"),
        ("journey-blueprint", "/journey?id=journey/overstappen&lang=en"),
        ("coverage", "/coverage?lang=en"),
        ("coverage-nl", "/coverage?lang=nl"),
        ("board-pack", "/report?lang=en&impact=process/kredietcheck"),
        ("board-pack-document", "/report/board-pack.html?lang=en&impact=process/kredietcheck"),
        ("impact-explorer", "/explorer?id=process/kredietcheck&focus=journey/overstappen&lang=en"),
        ("impact-explorer-search", "/explorer?q=check&lang=nl"),
        (
            "impact-explorer-clusters",
            "/explorer?id=process/kredietcheck&view=clusters&hop=3&cls=Touchpoint&lang=en",
        ),
    ],
)
def test_screenshot(workspace: Workspace, page: Page, name: str, path: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{workspace.url}{path}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("name", "path"),
    [("audit-trail", "/audit?lang=en"), ("decision-log", "/decisions?lang=en")],
)
def test_screenshot_signed_in(workspace: Workspace, page: Page, name: str, path: str) -> None:
    # A token per test: a name is taken until its token is revoked.
    token = workspace.tokens.create(f"admin-{name}", Role.ADMIN, timedelta(hours=1)).token
    if name == "audit-trail":  # the first of the two: both then show the decision
        steward = workspace.tokens.create("board", Role.STEWARD, timedelta(hours=1)).token
        decide_through_api(workspace, steward, "concept/nps-target", "Agreed by the CX board")
    page.goto(f"{workspace.url}/sign-in?lang=en")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("[data-principal]")
    test_screenshot(workspace, page, name, path)


def test_glossary_screenshots(workspace: Workspace, page: Page) -> None:
    """The glossary after a change to NPS went through the workflow, in the browser."""
    page.set_viewport_size({"width": 1400, "height": 900})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def shoot(name: str) -> None:
        target = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10_000

    _, token = workspace.token(Role.STEWARD)
    page.goto(f"{workspace.url}/sign-in?lang=en")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("[data-principal]")
    for round, definition in enumerate(
        (
            "The share of promoters minus the share of detractors among customers asked.",
            "Promoters (9-10) minus detractors (0-6), as a percentage of customers asked.",
        )
    ):
        page.goto(f"{workspace.url}/concept?id=concept/nps&lang=en")
        change = page.locator("form[data-step-form='propose_change']")
        change.locator("textarea[name='definition_en']").fill(definition)
        change.get_by_label("On behalf of the post").fill("owner/manager-klantinzicht")
        change.get_by_label("Reason").fill("The English definition, said more plainly")
        change.get_by_role("button", name="Propose the change").click()
        if round == 0:
            page.goto(f"{workspace.url}/glossary/inbox?lang=en")
            shoot("glossary-inbox")
            page.goto(f"{workspace.url}/concept?id=concept/nps&lang=en")
        approve = page.locator("[data-open-proposal] form[data-step-form='approve']")
        approve.get_by_label("On behalf of the post").fill("owner/lead-cx-office")
        approve.get_by_label("Reason").fill(
            "Clearer for the contact centre; confirmed by the CX board"
        )
        approve.get_by_role("button", name="Approve").click()
        page.wait_for_selector("[data-activity='Approval']")
    shoot("glossary-concept")
    page.goto(f"{workspace.url}/glossary?lang=en")
    shoot("glossary-list")
    page.goto(f"{workspace.url}/concept/diff?id=concept/nps&from=1&to=2&lang=en")
    shoot("glossary-diff")
    page.goto(f"{workspace.url}/glossary/propose?lang=nl")
    page.get_by_label("Sleutel").fill("concept/nps")
    page.get_by_label("Namens de functie").fill("owner/manager-klantinzicht")
    page.get_by_role("button", name="Voorstellen", exact=True).click()
    page.wait_for_selector("[data-refusal]")
    shoot("glossary-refusal")


def test_what_if_screenshots(workspace: Workspace, page: Page) -> None:
    """A change set composed, saved twice and compared, by an architect in the browser."""
    page.set_viewport_size({"width": 1400, "height": 900})
    token = workspace.tokens.create("web-whatif-shots", Role.ARCHITECT, timedelta(hours=1)).token
    page.goto(f"{workspace.url}/sign-in?lang=en")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("[data-principal]")
    page.goto(f"{workspace.url}/whatif?lang=nl")
    page.get_by_label("Soort wijziging").select_option("moveTouchpoints")
    page.get_by_label("Van proces").fill("process/kredietcheck")
    page.get_by_label("Naar proces").fill("klantreis/bestaat-niet")
    page.get_by_role("button", name="Toevoegen en doorrekenen").click()
    page.wait_for_selector("[data-refusal]")
    page.screenshot(path=str(SCREENSHOTS / "what-if-refusal.png"), full_page=True)
    for name, changes in (
        ("Kredietcheck uitfaseren", [("retire", {"Element": "process/kredietcheck"})]),
        (
            "Billing dearer, credit check on its own",
            [
                (
                    "setCost",
                    {"Element": "process/facturatie", "Amount (EUR)": "250000", "Year": "2025"},
                ),
                (
                    "removeDependency",
                    {"Process": "process/orderafhandeling", "Depends on": "process/kredietcheck"},
                ),
            ],
        ),
    ):
        page.goto(f"{workspace.url}/whatif?lang=en")
        for op, fields in changes:
            page.get_by_label("Kind of change").select_option(op)
            for label, value in fields.items():
                page.get_by_label(label, exact=True).fill(value)
            page.get_by_role("button", name="Add and evaluate").click()
            page.wait_for_selector("[data-result]")
        if name.startswith("Billing"):
            target = SCREENSHOTS / "what-if.png"
            page.screenshot(path=str(target), full_page=True)
        page.get_by_label("Name").fill(name)
        page.get_by_role("button", name="Save").click()
        page.wait_for_selector("[data-saved]")
    page.goto(
        f"{workspace.url}/whatif/compare?a=scenario/kredietcheck-uitfaseren"
        "&b=scenario/billing-dearer-credit-check-on-its-own&lang=en"
    )
    page.wait_for_selector("[data-cost-difference]")
    page.screenshot(path=str(SCREENSHOTS / "what-if-compare.png"), full_page=True)
