"""Browser fixtures: a served demo and a chromium per module; no request leaves 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.web.browser import Browser, chromium, chromium_or_skip
from tests.web.workspace import Workspace, prepare_demo, served_demo


@pytest.fixture(scope="session")
def prepared_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo organisation loaded once per test process, for each module to copy."""
    return prepare_demo(tmp_path_factory.mktemp("prepared-demo"))


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory, prepared_demo: Path) -> Iterator[Workspace]:
    """The demo organisation in a real server process on a free port of 127.0.0.1, in a
    store of this module's own."""
    chromium_or_skip()  # before minutes of set-up for a test that cannot run
    with served_demo(tmp_path_factory.mktemp("workspace"), prepared_demo) as served:
        yield served


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Headless chromium with a fresh profile."""
    with chromium(tmp_path_factory.mktemp("profile")) as opened:
        yield opened


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A new tab; the test fails if it tried to reach any host but 127.0.0.1."""
    browser.context.clear_cookies()
    tab = browser.page()
    yield tab
    tab.close()
    outside = browser.outside()
    assert not outside, f"the page tried to reach beyond 127.0.0.1: {outside}"
