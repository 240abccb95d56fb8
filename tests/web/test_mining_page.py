"""The journey-mining page: what it answers in-process, and what a browser shows."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pydantic import SecretStr

from journeykg import bootstrap
from journeykg.access.tokens import TokenStore
from journeykg.graph.state import TOKENS_FILE
from journeykg.graph.store import Store
from journeykg.resources import DEMO_DATASET
from journeykg.services.demo import prepare
from journeykg.services.mining_runs import run_mining
from journeykg.settings import Settings
from tests.conftest import state_beside
from tests.served import served
from tests.web.browser import chromium_or_skip
from tests.web.demo_app import client, demo_store
from tests.web.workspace import Workspace

RECIPE = DEMO_DATASET.parent / "mining" / "verhuizen.yaml"
SETTINGS = Settings(mining_key=SecretStr("page-test"))
#: Where the browser test leaves its screenshot, to be looked at (not compared).
SHOTS = Path(__file__).parents[2] / "build" / "screenshots"
SHOTS.mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="module")
def mined() -> Iterator[Store]:
    store = demo_store()
    run_mining(store, RECIPE, SETTINGS, actor="test")
    yield store
    store.close()


def test_the_page_draws_every_designed_step_with_its_flow_and_drop_off(
    mined: Store, tmp_path: Path
) -> None:
    app, _ = client(mined, tmp_path)
    answer = app.get("/mining?id=journey/verhuizen&lang=en")
    assert answer.status_code == 200, answer.text
    html = answer.text
    assert html.count("data-step-flow=") == 5
    assert html.count("data-onward=") == 4  # no arrow after the last step
    stopped = re.findall(r'data-stopped="(\d+)"', html)
    assert stopped
    assert all(int(n) > 0 for n in stopped)
    assert "Drop-off" in html
    assert "Designed path, actual flow" in html
    assert 'style="' not in html
    assert "<script>" not in html
    dutch = app.get("/mining?id=journey/verhuizen&lang=nl").text
    assert "Uitval" in dutch
    assert "Ontworpen pad" in dutch


def test_a_journey_never_mined_says_so(mined: Store, tmp_path: Path) -> None:
    app, _ = client(mined, tmp_path)
    answer = app.get("/mining?id=journey/opzeggen&lang=en")
    assert answer.status_code == 200
    assert "data-no-mining" in answer.text


@pytest.mark.parametrize(
    "path", ["/mining?id=step/verhuizen-1", "/mining?id=journey/verhuizen&period=maart"]
)
def test_what_is_not_a_journey_or_a_period_is_a_problem_page(
    mined: Store, tmp_path: Path, path: str
) -> None:
    app, _ = client(mined, tmp_path)
    assert app.get(path).status_code == 404


# --- in the browser ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mined_workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The demo with Verhuizen mined, served like `make demo` serves it."""
    chromium_or_skip()
    directory = tmp_path_factory.mktemp("mined-workspace")
    store_dir = directory / "store"
    settings = Settings(
        store_dir=store_dir, backend="embedded", neo4j_uri=None, mining_key=SecretStr("x")
    )
    with bootstrap.open_store(settings) as store:
        prepare(store, None)
        run_mining(store, RECIPE, settings, actor="test")
    env = {
        "JOURNEYKG_STORE_DIR": str(store_dir),
        "JOURNEYKG_BACKEND": "embedded",
        "JOURNEYKG_NEO4J_URI": None,
        "JOURNEYKG_ANONYMOUS_READ": "true",
    }
    tokens = TokenStore(state_beside(store_dir) / TOKENS_FILE)
    with served(env, directory / "server.log") as url:
        yield Workspace(url, tokens, store_dir)


def test_a_journey_page_leads_to_its_mining_drawn_under_the_pages_policy(
    mined_workspace: Workspace, page: Page, tmp_path: Path
) -> None:
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{mined_workspace.url}/journey?id=journey/verhuizen&lang=en")
    page.locator("a[data-mining-link]").click()
    expect(page.locator("h1")).to_have_text("Journey mining")
    expect(page.locator("svg.mining-flow g[data-step-flow]")).to_have_count(5)
    expect(page.locator("tr[data-step]")).to_have_count(5)
    expect(page.locator("[data-figure=cases]")).not_to_have_text("–")
    # Keyboard: the picture's scrolling region and the period links are reached by Tab.
    page.keyboard.press("Tab")
    reached = set()
    for _ in range(30):
        reached.add(
            page.evaluate(
                "document.activeElement.getAttribute('role') || document.activeElement.tagName"
            )
        )
        page.keyboard.press("Tab")
    assert {"region", "A"} <= reached
    page.screenshot(path=str(SHOTS / "mining-en.png"), full_page=True)
    assert refused == []
