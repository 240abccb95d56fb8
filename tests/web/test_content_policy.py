"""The workspace's own pages send a Content-Security-Policy: nothing from elsewhere, no inline
script; and a browser holds a page to it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page

from journeykg.graph.store import Store
from tests.web.demo_app import client, demo_store
from tests.web.workspace import Workspace

PAGES = [
    "/",
    "/reason?id=reason/adres-wijzigen",
    "/journey?id=journey/overstappen",
    "/coverage",
    "/insights",
    "/sign-in",
    "/audit",  # the 403 page
    "/reason?id=reason/none-such",  # the 404 page
    "/explorer?id=process/kredietcheck&focus=journey/overstappen",
    "/explorer?id=process/kredietcheck&view=clusters&hop=3&cls=Journey",
    "/whatif",
    "/whatif/compare?a=scenario/none&b=scenario/none",  # its 404 page
]


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with demo_store() as opened:
        yield opened


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (d.split() for d in policy.split(";") if d.strip())
    return {name: sources for name, *sources in parts}


@pytest.mark.parametrize("path", PAGES)
def test_every_page_allows_only_itself(store: Store, tmp_path: Path, path: str) -> None:
    web, _ = client(store, tmp_path)
    answer = web.get(path)
    policy = _directives(answer.headers["content-security-policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no other host
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]


def _record_violations(page: Page) -> None:
    """Collect the policy's violation reports in ``window.violated``."""
    # Playwright's evaluate runs outside the page's policy, which a page script could not.
    page.evaluate(
        """() => { window.violated = [];
        document.addEventListener('securitypolicyviolation',
            (e) => window.violated.push(e.effectiveDirective + ' ' + e.blockedURI)); }"""
    )


def test_a_page_loads_nothing_from_elsewhere(workspace: Workspace, page: Page) -> None:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in PAGES:
        page.goto(f"{workspace.url}{path}")
    page.wait_for_load_state("networkidle")
    origin = urlsplit(workspace.url).netloc
    assert requested
    assert all(urlsplit(url).netloc == origin for url in requested), requested


def test_the_browser_refuses_inline_script_and_other_origins(
    workspace: Workspace, page: Page
) -> None:
    page.goto(f"{workspace.url}/coverage")
    _record_violations(page)
    # Another origin: the same host on another port is already elsewhere.
    elsewhere = "http://127.0.0.1:9/pixel.png"
    page.evaluate(
        """(src) => {
        const script = document.createElement('script');
        script.textContent = 'window.ran = true';
        document.body.append(script);
        const img = document.createElement('img');
        img.src = src; img.alt = '';
        document.body.append(img); }""",
        elsewhere,
    )
    page.wait_for_function("window.violated.length >= 2")
    violated = page.evaluate("window.violated")
    assert page.evaluate("window.ran") is None
    assert "script-src-elem inline" in violated
    assert f"img-src {elsewhere}" in violated
