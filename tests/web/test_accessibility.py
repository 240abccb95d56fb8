"""axe-core (from web/assets' npm lockfile, injected by the test) finds no serious or
critical violation on any page of the workspace."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from journeykg.access.roles import Role
from tests.web.browser import Browser, chromium
from tests.web.workspace import Workspace

AXE = Path(__file__).parents[2] / "web" / "assets" / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium that ignores the pages' Content-Security-Policy, for this module only.

    axe-core is injected as an inline script, which the workspace's policy
    (script-src 'self', web/content_policy.py) rightly refuses; the check is of
    the pages' markup, not of their policy, which test_content_policy.py tests.
    """
    with chromium(tmp_path_factory.mktemp("profile"), bypass_csp=True) as opened:
        yield opened


def violations(page: Page) -> list[dict[str, Any]]:
    """axe's serious and critical violations on the page as it stands."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `make web-assets` (npm ci in web/assets)")
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate("async () => (await axe.run()).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in found
        if v["impact"] in SERIOUS
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/?lang=nl",
        "/?lang=en&measure=NPS",
        "/?lang=en&measure=cost",
        "/reason?id=reason/adres-wijzigen&lang=en",
        "/reason?id=reason/aanbod-vergelijken",
        "/journey?id=journey/overstappen&lang=en",
        "/journey?id=journey/storing-melden",
        "/sign-in?lang=en",
        "/reason?id=reason/none-such&lang=en",
        "/coverage?lang=nl",
        "/coverage?lang=en",
        "/audit?lang=en",
        "/glossary?lang=en",
        "/glossary?q=score&in=nl&status=approved",
        "/concept?id=concept/nps&lang=en",
        "/concept?id=concept/touchpoint",
        "/report?lang=en",
        "/report?lang=nl&impact=process/kredietcheck&a=scenario/x",
        "/concept/diff?id=concept/nps&from=1&to=9&lang=nl",
        "/journey?id=journey/verhuizen&lang=nl",
        "/explorer?lang=en",
        "/explorer?q=check&lang=nl",
        "/explorer?id=process/kredietcheck&focus=journey/overstappen&lang=en",
        "/explorer?id=process/kredietcheck&view=clusters&hop=3&cls=Journey&lang=nl",
        "/explorer?id=journey/overstappen&direction=UPSTREAM&maxHops=x&via=NOPE&lang=en",
        "/whatif?lang=en",
    ],
)
def test_no_serious_violation(workspace: Workspace, page: Page, path: str) -> None:
    page.goto(f"{workspace.url}{path}")
    assert violations(page) == []


def test_no_serious_violation_when_signed_in(workspace: Workspace, page: Page) -> None:
    _, token = workspace.token(Role.STEWARD)
    page.goto(f"{workspace.url}/sign-in?lang=en")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("[data-principal]")
    assert violations(page) == []


@pytest.mark.parametrize(
    "path", ["/audit?lang=nl", "/audit?lang=en&since=nonsense", "/decisions?lang=en"]
)
def test_no_serious_violation_on_the_audit_pages(
    workspace: Workspace, page: Page, path: str
) -> None:
    # A token per test: a name is taken until its token is revoked.
    token = workspace.tokens.create(f"admin-{len(path)}", Role.ADMIN, timedelta(hours=1)).token
    page.goto(f"{workspace.url}/sign-in?lang=en")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("[data-principal]")
    page.goto(f"{workspace.url}{path}")
    page.wait_for_selector("h1")
    assert violations(page) == []


def test_no_serious_violation_on_the_glossarys_forms(workspace: Workspace, page: Page) -> None:
    # Its own name: Workspace.token names each role's token once per served demo.
    token = workspace.tokens.create("web-glossary-steward", Role.STEWARD, timedelta(hours=1)).token
    page.goto(f"{workspace.url}/sign-in?lang=en")
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("[data-principal]")
    for path in ("/concept?id=concept/nps&lang=en", "/glossary/propose", "/glossary/inbox"):
        page.goto(f"{workspace.url}{path}")
        assert violations(page) == [], path
    # A refused step, its message next to the field.
    page.goto(f"{workspace.url}/glossary/propose?lang=en")
    page.get_by_label("Key").fill("concept/nps")
    page.get_by_label("On behalf of the post").fill("owner/lead-cx-office")
    page.get_by_role("button", name="Propose", exact=True).click()
    page.wait_for_selector("[data-refusal]")
    assert violations(page) == []
    # The same refusal on the Dutch page, in Dutch.
    page.goto(f"{workspace.url}/glossary/propose?lang=nl")
    page.locator("#propose-key").fill("concept/nps")
    page.locator("#propose-by").fill("owner/lead-cx-office")
    page.locator("form[data-step-form='propose'] button[type='submit']").click()
    page.wait_for_selector("[data-refusal]")
    assert violations(page) == []


def test_no_serious_violation_on_the_what_if_pages(workspace: Workspace, page: Page) -> None:
    token = workspace.tokens.create("web-whatif-architect", Role.ARCHITECT, timedelta(hours=1))
    page.goto(f"{workspace.url}/sign-in?lang=en")
    page.get_by_label("API token").fill(token.token)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_selector("[data-principal]")
    page.goto(f"{workspace.url}/whatif?lang=nl")
    page.get_by_label("Soort wijziging").select_option("retire")
    page.get_by_label("Element").fill("process/bestaat-niet")
    page.get_by_role("button", name="Toevoegen en doorrekenen").click()
    page.wait_for_selector("[data-refusal]")
    assert violations(page) == [], "a refusal"
    for name, change in (("axe a", "process/kredietcheck"), ("axe b", "process/facturatie")):
        page.goto(f"{workspace.url}/whatif?lang=en")
        page.get_by_label("Element").fill(change)
        page.get_by_role("button", name="Add and evaluate").click()
        page.wait_for_selector("[data-result]")
        assert violations(page) == [], "a result"
        page.get_by_label("Name").fill(name)
        page.get_by_role("button", name="Save").click()
        page.wait_for_selector("[data-saved]")
    assert violations(page) == [], "saved"
    page.goto(f"{workspace.url}/whatif/compare?a=scenario/axe-a&b=scenario/axe-b&lang=en")
    page.wait_for_selector("[data-cost-difference]")
    assert violations(page) == [], "a comparison"
