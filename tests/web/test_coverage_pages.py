"""The coverage page: the CLI's report (same findings, same counts), its messages in the page's
language, and each finding that has an element page linking to it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from rdflib import Graph

from journeykg.graph.coverage import coverage_report
from journeykg.graph.store import Store
from journeykg.namespaces import JKG
from journeykg.services.demo import prepare
from tests.conftest import BACKENDS
from tests.web.demo_app import client, demo_store
from tests.web.workspace import Workspace


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with demo_store() as opened:
        yield opened


@pytest.fixture(params=BACKENDS)
def any_backend(request: pytest.FixtureRequest) -> Store:
    """A fresh store of each backend (tests/conftest.py's ``store``, which this module's hides)."""
    found: Store = request.getfixturevalue(f"{request.param}_store")
    return found


def _counts(html: str) -> dict[str, int]:
    return {rule: int(n) for rule, n in re.findall(r'data-rule="([^"]+)" data-count="(\d+)"', html)}


def test_the_summary_counts_the_reports_findings_per_rule(store: Store, tmp_path: Path) -> None:
    web, _ = client(store, tmp_path)
    html = web.get("/coverage?lang=en").text
    report = coverage_report(store)
    assert _counts(html) == report.as_json()["counts"]
    assert f'data-total data-count="{len(report.findings)}"' in html
    assert html.count("data-finding=") == len(report.findings)


def test_messages_come_in_the_chosen_language(store: Store, tmp_path: Path) -> None:
    web, _ = client(store, tmp_path)
    dutch = web.get("/coverage?lang=nl").text
    english = web.get("/coverage?lang=en").text
    assert "Contactreden reason/aanbod-vergelijken heeft geen klantreis." in dutch
    assert "Contact reason reason/aanbod-vergelijken has no journey." not in dutch
    assert "Contact reason reason/aanbod-vergelijken has no journey." in english
    assert "wordt door geen vastgesteld begrip" in dutch
    assert "Samenvatting" in dutch
    assert "Summary" in english


def test_a_finding_links_to_its_elements_page(store: Store, tmp_path: Path) -> None:
    web, _ = client(store, tmp_path)
    html = web.get("/coverage?lang=en").text
    assert '<a href="/reason?id=reason/aanbod-vergelijken">' in html
    # A model element (an ontology class) has no workspace page: no link.
    assert 'href="/?id=jkg:' not in html
    assert "/reason?id=jkg:" not in html
    assert "/journey?id=jkg:" not in html


def test_the_figures_are_the_clis(workspace: Workspace, page: Page) -> None:
    page.goto(f"{workspace.url}/coverage?lang=en")
    shown = {
        row.get_attribute("data-rule") or "": int(row.get_attribute("data-count") or -1)
        for row in page.locator("tr[data-rule]").all()
    }
    # The CLI reads the served store beside the server, as `journeykg serve` says it may.
    env = {k: v for k, v in os.environ.items() if k != "JOURNEYKG_NEO4J_URI"}
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "journeykg",
            "coverage",
            "--json",
            "--store-dir",
            str(workspace.store_dir),
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**env, "JOURNEYKG_BACKEND": "embedded"},
    )
    assert shown == json.loads(cli.stdout)["counts"]


def test_following_a_finding_opens_its_element(workspace: Workspace, page: Page) -> None:
    page.goto(f"{workspace.url}/?lang=en")
    page.get_by_role("link", name="Coverage").first.click()
    expect(page.locator("h1")).to_have_text("Coverage")
    page.locator('tr[data-finding="reason/aanbod-vergelijken"] a').click()
    expect(page).to_have_url(re.compile(r"/reason\?id=reason/aanbod-vergelijken"))
    expect(page.locator("h1")).to_contain_text("Contact reason")


def test_a_write_shows_at_once(any_backend: Store, tmp_path: Path) -> None:
    """On both backends: the kept report is given up when the graph's generation changes."""
    prepare(any_backend, None)
    web, _ = client(any_backend, tmp_path)
    before = _counts(web.get("/coverage").text)
    assert "Coverage-JourneyWithoutOwner" not in before
    base = any_backend.ids.base_iri
    any_backend.upsert(
        Graph().parse(
            data=f"""
            @prefix jkg: <{JKG}> .
            <{base}journey/zonder-eigenaar> a jkg:Journey ;
                jkg:placedOn <{base}reason/adres-wijzigen> .
            """,
            format="turtle",
        )
    )
    after = _counts(web.get("/coverage").text)
    assert after["Coverage-JourneyWithoutOwner"] == 1
    assert after == coverage_report(any_backend).as_json()["counts"]
