"""Every page of the workspace works by keyboard: Tab reaches each of its controls, in order,
and a glossary step is taken (and refused, in the page's language) without a mouse."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from journeykg.access.roles import Role
from tests.web.workspace import Workspace

#: Links, buttons, fields and scrollable regions a user must reach by Tab.
CONTROLS = (
    "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select, "
    "textarea, [tabindex='0']"
)
#: The controls' positions in the page, and the one that has the focus now.
_ALL = f'[...document.querySelectorAll("{CONTROLS}")]'
_FOCUSED = f"{_ALL}.indexOf(document.activeElement)"


def tabbed_through(page: Page) -> tuple[int, list[int]]:
    """How many controls the page has, and their positions in the order Tab reached them."""
    count: int = page.evaluate(f"{_ALL}.length")
    reached: list[int] = []
    for _ in range(count + 5):
        page.keyboard.press("Tab")
        at: int = page.evaluate(_FOCUSED)
        if at < 0 or (reached and at <= reached[-1]):
            break  # left the page's controls (the browser's own), or wrapped round
        reached.append(at)
    return count, reached


@pytest.mark.parametrize(
    "path",
    [
        "/?lang=en",
        "/?lang=nl&measure=NPS",
        "/reason?id=reason/storing-melden&lang=en",
        "/journey?id=journey/overstappen&lang=nl",
        "/coverage?lang=en",
        "/glossary?lang=nl",
        "/concept?id=concept/nps&lang=en",
        "/concept/diff?id=concept/nps&from=1&to=1&lang=en",
        "/sign-in?lang=nl",
    ],
)
def test_tab_reaches_every_control_in_order(workspace: Workspace, page: Page, path: str) -> None:
    page.goto(f"{workspace.url}{path}")
    count, reached = tabbed_through(page)
    assert count > 0
    assert reached == list(range(count)), f"{path}: Tab reached {reached} of {count} controls"


def test_a_step_is_taken_and_refused_by_keyboard(workspace: Workspace, page: Page) -> None:
    token = workspace.tokens.create("keyboard", Role.ARCHITECT, timedelta(hours=1)).token
    page.goto(f"{workspace.url}/sign-in?lang=nl")
    page.keyboard.press("Tab")  # the skip link
    while page.evaluate("document.activeElement.id") != "token":
        page.keyboard.press("Tab")
    page.keyboard.type(token)
    page.keyboard.press("Enter")
    expect(page.locator("[data-principal]")).to_have_text("keyboard")

    page.goto(f"{workspace.url}/glossary/propose?lang=nl")
    count, reached = tabbed_through(page)
    assert reached == list(range(count))
    page.focus("#propose-key")
    page.keyboard.type("concept/nps")  # exists: refused
    for _ in range(6):  # Nederlands and Engels of the term, definition, scope note
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "propose--scope-en"
    page.focus("#propose-by")
    page.keyboard.type("owner/manager-klantinzicht")
    page.keyboard.press("Enter")  # submits the form from a text field
    refusal = page.locator("#propose-key ~ [data-refusal]")
    expect(refusal).to_contain_text("bestaat al")
