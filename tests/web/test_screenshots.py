"""Regenerates the screenshots in docs/screenshots/ that the README and docs/web.md show.

Run on its own to refresh them: ``pytest tests/web/test_screenshots.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.web.workspace import Workspace

SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots"


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("lifecycle-picture", "/?lang=en"),
        ("lifecycle-picture-nps", "/?lang=nl&measure=NPS"),
        ("contact-reason", "/reason?id=reason/storing-melden&lang=en"),
        ("journey-blueprint", "/journey?id=journey/overstappen&lang=en"),
    ],
)
def test_screenshot(workspace: Workspace, page: Page, name: str, path: str) -> None:
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{workspace.url}{path}")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000
