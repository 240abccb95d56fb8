"""GraphiQL, Swagger UI and ReDoc work with no internet: every asset comes from the app."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from journeykg.web.offline_assets import VENDOR_URL, served_locally
from tests.web.workspace import Workspace

WEB = Path(__file__).parents[2] / "web"


def test_graphiql_runs_a_query_on_local_assets(workspace: Workspace, page: Page) -> None:
    page.goto(f"{workspace.url}/graphql")
    # The editor exists only once React, GraphiQL and the explorer plugin have loaded.
    editor = page.locator(".graphiql-query-editor .CodeMirror").first
    expect(editor).to_be_visible(timeout=30_000)
    # The page opens on our examples, several operations: GraphiQL asks which to run.
    # The editor shows before GraphiQL has put them in it; a click then runs no menu.
    expect(editor).to_contain_text("ImpactOfCreditCheck", timeout=30_000)
    # GraphiQL parses the operations a moment after the text shows: a click in between
    # opened no menu and the test waited for it (a CI run of 9abac3f). Click until the
    # menu offers the operation.
    execute = page.locator(".graphiql-execute-button")
    choice = page.get_by_role("menuitem", name="ImpactOfCreditCheck")
    for _ in range(20):
        execute.click()
        try:
            choice.wait_for(timeout=1_500)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    choice.click()
    expect(page.locator(".result-window")).to_contain_text('"impact"', timeout=30_000)


@pytest.mark.parametrize(
    ("path", "ready"),
    [("/docs", ".swagger-ui .info .title"), ("/redoc", "h1")],
)
def test_openapi_pages_render_on_local_assets(
    workspace: Workspace, page: Page, path: str, ready: str
) -> None:
    page.goto(f"{workspace.url}{path}")
    expect(page.locator(ready).first).to_contain_text("journeykg", timeout=30_000)
    if path == "/redoc":
        # Its menu's footer holds the logo ReDoc's bundle names on cdn.redoc.ly.
        expect(page.get_by_text("API docs by Redocly")).to_be_attached(timeout=30_000)
        page.wait_for_load_state("networkidle")


def test_the_api_docs_pages_may_load_nothing_from_elsewhere(workspace: Workspace) -> None:
    for path in ("/docs", "/redoc"):
        policy = httpx.get(f"{workspace.url}{path}").headers["content-security-policy"]
        assert "default-src 'self'" in policy
        assert "img-src 'self' data:" in policy


def test_every_vendored_file_is_in_the_package() -> None:
    listed = [
        line
        for line in (WEB / "assets" / "vendored.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    missing = [f for f in listed if not (WEB / "static" / "vendor" / f).is_file()]
    assert not missing, f"run `make web-assets`: {missing}"


def test_graphiql_page_names_no_cdn() -> None:
    page = (
        '<script src="https://unpkg.com/react@18.2.0/umd/react.production.min.js"></script>'
        '<link href="https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css">'
    )
    assert re.findall(r'(?:src|href)="([^"]+)"', served_locally(page)) == [
        f"{VENDOR_URL}/react/umd/react.production.min.js",
        f"{VENDOR_URL}/@graphiql/plugin-explorer/dist/style.css",
    ]


def test_an_asset_it_cannot_place_is_refused() -> None:
    with pytest.raises(RuntimeError, match="not vendored"):
        served_locally('<script src="https://unpkg.com/left-pad"></script>')
