"""The insight board and the initiative page: what they answer in-process (the services'
answers, in both languages), and in the real browser (axe-core clean, keyboard-usable)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from journeykg import bootstrap
from journeykg.access.tokens import TokenStore
from journeykg.graph.audit_context import audit_context
from journeykg.graph.state import TOKENS_FILE
from journeykg.graph.store import Store
from journeykg.services import sync_runs
from journeykg.services.insights.initiatives import (
    PlannedEffect,
    create_initiative,
    set_initiative_status,
)
from journeykg.services.insights.insights import set_insight_status
from journeykg.settings import Settings
from tests.conftest import state_beside
from tests.served import served
from tests.services.insights.exports import write_survey, write_tickets
from tests.web.browser import Browser, chromium
from tests.web.demo_app import client, demo_store
from tests.web.test_accessibility import violations
from tests.web.workspace import Workspace, copy_demo

SPIKE = "insight/complaint-spike-reason-nummer-meenemen-channel-telefoon"
INITIATIVE = "initiative/nummerbehoud-binnen-een-dag"


def close_the_loop(store: Store, folder: Path) -> None:
    """The README's loop on ``store``: a spike, an initiative planned, done and measured."""
    with audit_context(actor="test", role=None, action="test:insight pages"):
        who = sync_runs.Requester("test", None, "cli")
        sync_runs.run_recipe(store, sync_runs.recipe_at(write_tickets(folder / "t")), who)
        set_insight_status(store, SPIKE, "validated")
        create_initiative(
            store,
            "Nummerbehoud binnen een dag",
            owner="owner/journey-owner-nieuwe-klanten",
            addresses=[SPIKE],
            cost=40000,
            changes=["process/nummerportering"],
            effects=[PlannedEffect("kpi/overstappen-nps", 10)],
            lang="nl",
        )
        set_initiative_status(store, INITIATIVE, "planned")
        set_initiative_status(store, INITIATIVE, "done", done_on="2026-07-01")
        sync_runs.run_recipe(store, sync_runs.recipe_at(write_survey(folder / "s")), who)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = demo_store()
    close_the_loop(opened, tmp_path_factory.mktemp("exports"))
    yield opened
    opened.close()


def test_the_board_shows_the_draft_by_status_owner_and_journey(
    store: Store, tmp_path: Path
) -> None:
    web, _ = client(store, tmp_path)
    html = web.get("/insights?lang=en").text
    assert 'data-column="addressed" data-count="1"' in html
    assert f'data-insight="{SPIKE}"' in html
    assert "Complaints about Nummer meenemen via Telefoon spike in 2026-06" in html
    other = web.get("/insights?owner=owner/lead-cx-office&lang=nl").text
    assert 'data-column="addressed" data-count="0"' in other
    assert "In behandeling" in other
    assert f'data-initiative="{INITIATIVE}"' in html
    # On the board of the journey its contact reason carries, not on another journey's.
    on_journey = web.get("/insights?journey=journey/overstappen&lang=en").text
    assert f'data-insight="{SPIKE}"' in on_journey
    elsewhere = web.get("/insights?journey=journey/verhuizen&lang=en").text
    assert f'data-insight="{SPIKE}"' not in elsewhere


def test_the_initiative_page_shows_impact_and_before_after(store: Store, tmp_path: Path) -> None:
    web, _ = client(store, tmp_path)
    html = web.get(f"/initiative?id={INITIATIVE}&lang=en").text
    assert 'data-journey="journey/overstappen"' in html
    assert 'data-kpi="kpi/overstappen-nps" data-beyond-noise="true"' in html
    assert "beyond noise" in html
    dutch = web.get(f"/initiative?id={INITIATIVE}&lang=nl").text
    assert "meer dan ruis" in dutch
    assert "gereed" in dutch
    # The test is named in the page's language, with its level as that language writes it.
    assert "Welch&#39;s t-test, two-sided, over the values per period; alpha 0.05" in html
    assert "Welch-t-toets, tweezijdig, over de waarden per periode; alfa 0,05" in dutch
    assert "t-test" not in dutch
    missing = web.get("/initiative?id=initiative/nergens&lang=en")
    assert missing.status_code == 404


@pytest.fixture(scope="module")
def insight_workspace(
    tmp_path_factory: pytest.TempPathFactory, prepared_demo: Path
) -> Iterator[Workspace]:
    """The demo after the loop, served by a real ``journeykg serve`` process."""
    from tests.web.browser import chromium_or_skip

    chromium_or_skip()
    directory = tmp_path_factory.mktemp("insight-workspace")
    store_dir = copy_demo(prepared_demo, directory)
    settings = Settings(store_dir=store_dir, backend="embedded", neo4j_uri=None)
    with bootstrap.open_store(settings) as opened:
        close_the_loop(opened, directory)
    env = {
        "JOURNEYKG_STORE_DIR": str(store_dir),
        "JOURNEYKG_BACKEND": "embedded",
        "JOURNEYKG_NEO4J_URI": None,
        "JOURNEYKG_ANONYMOUS_READ": "true",
    }
    tokens = TokenStore(state_beside(store_dir) / TOKENS_FILE)
    with served(env, directory / "server.log") as url:
        yield Workspace(url, tokens, store_dir)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Chromium that lets axe-core be injected (tests/web/test_accessibility.py says why);
    one per module, since two sync Playwright instances cannot run at once. The pages'
    Content-Security-Policy is tested for every page by tests/web/test_content_policy.py."""
    with chromium(tmp_path_factory.mktemp("axe-profile"), bypass_csp=True) as opened:
        yield opened


@pytest.mark.parametrize(
    "path",
    [
        "/insights?lang=en",
        "/insights?lang=nl&owner=owner/journey-owner-nieuwe-klanten",
        f"/initiative?id={INITIATIVE}&lang=en",
        f"/initiative?id={INITIATIVE}&lang=nl",
    ],
)
def test_no_serious_violation(insight_workspace: Workspace, page: Page, path: str) -> None:
    page.goto(f"{insight_workspace.url}{path}")
    assert violations(page) == []


def test_the_board_filters_and_opens_an_initiative_by_keyboard(
    insight_workspace: Workspace, page: Page
) -> None:
    page.goto(f"{insight_workspace.url}/insights?lang=en")
    page.get_by_label("Owner").select_option("owner/journey-owner-nieuwe-klanten")
    page.get_by_role("button", name="Show").press("Enter")
    expect(page.locator(f'[data-insight="{SPIKE}"]')).to_be_visible()
    link = page.get_by_role("link", name="Nummerbehoud binnen een dag")
    link.focus()
    page.keyboard.press("Enter")
    # The first before/after imports scipy in the server: give it time on a busy machine.
    expect(page.get_by_role("heading", name="Before and after")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-beyond-noise="true"]')).to_have_count(1)


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("insight-board", "/insights?lang=en"),
        ("initiative", f"/initiative?id={INITIATIVE}&lang=en"),
        ("initiative-nl", f"/initiative?id={INITIATIVE}&lang=nl"),
    ],
)
def test_screenshot(insight_workspace: Workspace, page: Page, name: str, path: str) -> None:
    """docs/screenshots/ of the board and the initiative page (docs/insights.md shows them)."""
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{insight_workspace.url}{path}")
    target = Path(__file__).parents[2] / "docs" / "screenshots" / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
