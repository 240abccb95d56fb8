"""The board pack page (/report): its form, its two documents, who may see them, in a browser.

The documents are ``journeykg report``'s (services/board_pack): the PDF's text
is checked here against the demo's figures; the HTML document is one
self-contained file sent with a policy that lets nothing run and nothing load.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from journeykg.graph.lifecycle import lifecycle_picture
from journeykg.graph.store import Store
from journeykg.web.report_pages import DOCUMENT_POLICY
from tests.web.demo_app import client, demo_store
from tests.web.workspace import Workspace


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with demo_store() as opened:
        yield opened


def test_the_page_links_both_documents_in_its_language(store: Store, tmp_path: Path) -> None:
    app, _ = client(store, tmp_path)
    page = app.get("/report", params={"lang": "en", "impact": "process/kredietcheck"})
    assert page.status_code == 200
    assert "Board pack as PDF" in page.text
    links = dict(
        re.findall(
            r'href="(/report/board-pack\.(?:html|pdf)\?[^"]+)" data-document="(\w+)"', page.text
        )
    )
    assert set(links.values()) == {"html", "pdf"}
    for url in links:
        assert "impact=process%2Fkredietcheck" in url
        assert "lang=en" in url
    dutch = app.get("/report", params={"lang": "nl"})
    assert "Bestuurspakket als PDF" in dutch.text
    assert 'href="/report"' in dutch.text  # in the menu of every page


def test_the_html_document_is_self_contained(store: Store, tmp_path: Path) -> None:
    app, _ = client(store, tmp_path)
    served = app.get(
        "/report/board-pack.html", params={"lang": "en", "impact": "process/kredietcheck"}
    )
    assert served.status_code == 200
    assert served.headers["content-security-policy"] == DOCUMENT_POLICY
    assert not re.search(r"<script|<link|<img|\bsrc=|\bhref=|url\(", served.text)
    assert served.text.count("<svg") == 2


def test_the_pdf_holds_the_stages_and_the_impact(store: Store, tmp_path: Path) -> None:
    app, _ = client(store, tmp_path)
    served = app.get(
        "/report/board-pack.pdf", params={"lang": "nl", "impact": "process/kredietcheck"}
    )
    assert served.status_code == 200
    assert served.headers["content-type"] == "application/pdf"
    assert served.content.startswith(b"%PDF-")
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(served.content)).pages).split()
    )
    for column in lifecycle_picture(store).stages:
        assert column.stage.label("nl") in text
    assert "Wat een wijziging van Kredietcheck raakt" in text


def test_an_unknown_element_is_a_404_page(store: Store, tmp_path: Path) -> None:
    app, _ = client(store, tmp_path)
    assert app.get("/report/board-pack.pdf", params={"impact": "nope/x"}).status_code == 404


def test_an_element_impact_cannot_start_from_is_a_400_page(store: Store, tmp_path: Path) -> None:
    app, _ = client(store, tmp_path)
    for document in ("board-pack.pdf", "board-pack.html"):
        refused = app.get(f"/report/{document}", params={"impact": "persona/senior-zekerheid"})
        assert refused.status_code == 400
        assert "persona/senior-zekerheid" in refused.text
        assert "is a Persona" in refused.text


def test_without_anonymous_reading_a_token_is_needed(store: Store, tmp_path: Path) -> None:
    app, _ = client(store, tmp_path, anonymous_read=False)
    assert app.get("/report").status_code in (303, 401)
    assert app.get("/report/board-pack.pdf").status_code in (303, 401)
    assert app.get("/impact/process/kredietcheck.svg").status_code == 401
    assert app.get("/lifecycle.svg").status_code == 401


def test_composing_a_pack_in_the_browser(workspace: Workspace, page: Page) -> None:
    page.goto(f"{workspace.url}/report?lang=en")
    page.get_by_label("Impact analysis of (key or IRI)").fill("process/kredietcheck")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"impact=process%2Fkredietcheck"))
    html_link = page.locator("a[data-document=html]")
    page.goto(f"{workspace.url}{html_link.get_attribute('href')}")
    expect(page.locator("h1")).to_have_text("Board pack")
    expect(page.locator("#impact svg")).to_have_count(1)
