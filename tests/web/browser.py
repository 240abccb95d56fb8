"""Debian's chromium, driven by Playwright, that may reach nothing but 127.0.0.1.

Playwright's own browser download cannot be reached from our machines, so
the tests drive the system browser (``/usr/bin/chromium``, installed by
``make browser``, which ``make test`` runs). Every request to another host
is aborted *and* recorded; :meth:`Browser.outside` lists them, and the
fixtures fail a test that attempted one, so a page that needs a CDN fails
even if it happens to render.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Route, sync_playwright

CHROMIUM = "/usr/bin/chromium"
#: Chromium's switches: no sandbox (root in CI), and none of its own traffic
#: (updates, sync, QUIC probes) that could reach past 127.0.0.1.
SWITCHES = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1"}


def chromium_or_skip() -> str:
    """The system chromium; a failure in CI (or with JOURNEYKG_REQUIRE_BROWSER), else a skip."""
    found = CHROMIUM if os.access(CHROMIUM, os.X_OK) else shutil.which("chromium")
    if found:
        return found
    if os.environ.get("CI") or os.environ.get("JOURNEYKG_REQUIRE_BROWSER"):
        pytest.fail(
            "no chromium at /usr/bin/chromium, but browser tests are required: make browser"
        )
    pytest.skip("no chromium: `make browser` installs Debian's (hand-run subsets only)")


class Browser:
    """A fresh chromium profile whose requests beyond 127.0.0.1 are blocked and recorded."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.blocked: list[str] = []
        context.route("**/*", self._guard)

    def _guard(self, route: Route) -> None:
        url = route.request.url
        scheme = urlsplit(url).scheme
        host = urlsplit(url).hostname
        if scheme in ("data", "blob", "about") or host in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")

    def page(self) -> Page:
        """A new tab."""
        return self.context.new_page()

    def outside(self) -> list[str]:
        """The requests to other hosts attempted so far, and forget them."""
        found, self.blocked = self.blocked, []
        return found


@contextmanager
def chromium(
    profile: Path, locale: str = "en-GB", *, bypass_csp: bool = False
) -> Iterator[Browser]:
    """A headless chromium with a fresh user-data-dir in ``profile``.

    ``bypass_csp`` lets a test inject its own script despite the pages' policy.
    """
    executable = chromium_or_skip()
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=executable,
            headless=True,
            args=SWITCHES,
            locale=locale,
            viewport={"width": 1400, "height": 900},
            bypass_csp=bypass_csp,
        )
        try:
            yield Browser(context)
        finally:
            context.close()
