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
