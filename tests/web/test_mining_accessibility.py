"""axe-core finds no serious or critical violation on the journey-mining page, nl and en.

A module of its own: like tests/web/test_accessibility.py it needs a chromium that ignores
the pages' policy to inject axe, while tests/web/test_mining_page.py keeps it enforced.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from tests.web.browser import Browser, chromium
from tests.web.test_accessibility import violations
from tests.web.test_mining_page import mined_workspace
from tests.web.workspace import Workspace

__all__ = ["mined_workspace"]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    with chromium(tmp_path_factory.mktemp("profile"), bypass_csp=True) as opened:
        yield opened


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_serious_violation_on_the_mining_page(
    mined_workspace: Workspace, page: Page, lang: str
) -> None:
    page.goto(f"{mined_workspace.url}/mining?id=journey/verhuizen&lang={lang}")
    assert violations(page) == []


def test_no_serious_violation_on_a_journey_never_mined(
    mined_workspace: Workspace, page: Page
) -> None:
    page.goto(f"{mined_workspace.url}/mining?id=journey/opzeggen&lang=en")
    assert violations(page) == []
