"""Signing in: a token to an HttpOnly SameSite=Strict session cookie, CSRF on every form,
sign-out, and a clear page (never a stack trace) when the session ends or a role falls short."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from journeykg.access.roles import Role
from journeykg.graph.store import Store
from journeykg.web.session import CSRF_COOKIE, SESSION_COOKIE
from tests.web.demo_app import client, demo_store
from tests.web.workspace import Workspace


@pytest.fixture(scope="module")
def store() -> Iterator[Store]:
    with demo_store() as opened:
        yield opened


def _csrf(page_html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page_html)
    assert found, "the form carries no CSRF field"
    return found.group(1)


def _set_cookies(response_headers: list[str], name: str) -> list[str]:
    return [h for h in response_headers if h.startswith(f"{name}=")]


def sign_in(web: TestClient, token: str) -> httpx.Response:
    form = web.get("/sign-in")
    answer: httpx.Response = web.post("/sign-in", data={"token": token, "csrf": _csrf(form.text)})
    return answer


def test_a_token_signs_in_to_an_httponly_strict_cookie(store: Store, tmp_path: Path) -> None:
    web, tokens = client(store, tmp_path)
    token = tokens.create("board", Role.STEWARD, timedelta(hours=1)).token
    form = web.get("/sign-in")
    answer = web.post("/sign-in", data={"token": token, "csrf": _csrf(form.text)})
    assert answer.status_code == 303
    (session,) = _set_cookies(answer.headers.get_list("set-cookie"), SESSION_COOKIE)
    assert "HttpOnly" in session
    assert "SameSite=strict" in session
    assert "Secure" not in session  # plain HTTP: a Secure cookie would never come back
    picture = web.get("/")
    assert "board" in picture.text
    assert "steward" in picture.text


def test_the_cookie_is_secure_behind_tls(store: Store, tmp_path: Path) -> None:
    web, tokens = client(store, tmp_path, base_url="https://testserver")
    token = tokens.create("board", Role.READER, timedelta(hours=1)).token
    form = web.get("/sign-in")
    answer = web.post("/sign-in", data={"token": token, "csrf": _csrf(form.text)})
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        (cookie,) = _set_cookies(answer.headers.get_list("set-cookie"), name)
        assert "Secure" in cookie


def test_a_form_without_its_csrf_value_is_refused(store: Store, tmp_path: Path) -> None:
    web, tokens = client(store, tmp_path)
    token = tokens.create("board", Role.STEWARD, timedelta(hours=1)).token
    web.get("/sign-in")
    for field in ({}, {"csrf": "forged"}):
        answer = web.post("/sign-in", data={"token": token, **field})
        assert answer.status_code == 403
        assert "did not come from this site" in answer.text or "niet van deze site" in answer.text
        assert not _set_cookies(answer.headers.get_list("set-cookie"), SESSION_COOKIE)
    signed_in = web.post("/sign-in", data={"token": token, "csrf": _csrf(web.get("/sign-in").text)})
    assert signed_in.status_code == 303
    # Sign-out is a form too.
    assert web.post("/sign-out", data={"csrf": "forged"}).status_code == 403
    assert "board" in web.get("/").text


def test_sign_out_ends_the_session(store: Store, tmp_path: Path) -> None:
    web, tokens = client(store, tmp_path)
    sign_in(web, tokens.create("board", Role.STEWARD, timedelta(hours=1)).token)
    page = web.get("/")
    out = web.post("/sign-out", data={"csrf": _csrf(page.text)})
    assert out.status_code == 303
    assert 'jkg_session=""' in out.headers["set-cookie"] or "Max-Age=0" in out.headers["set-cookie"]
    assert "board" not in web.get("/").text


def test_a_bad_token_is_named_next_to_the_field(store: Store, tmp_path: Path) -> None:
    web, _ = client(store, tmp_path)
    answer = sign_in(web, "jkg_nope_nope")
    assert answer.status_code == 401
    assert 'id="token-error"' in answer.text
    assert 'aria-invalid="true"' in answer.text
    assert SESSION_COOKIE not in answer.headers.get("set-cookie", "")


def test_a_revoked_token_ends_the_session_with_a_clear_page(store: Store, tmp_path: Path) -> None:
    web, tokens = client(store, tmp_path)
    issued = tokens.create("board", Role.STEWARD, timedelta(hours=1))
    sign_in(web, issued.token)
    tokens.revoke(issued.info.id)
    answer = web.get("/?lang=en")
    assert answer.status_code == 401
    assert "Your session has expired or was revoked" in answer.text
    assert "Traceback" not in answer.text
    assert 'href="/sign-in"' in answer.text
    assert _set_cookies(answer.headers.get_list("set-cookie"), SESSION_COOKIE)  # cleared


def test_an_expired_token_ends_the_session_with_a_clear_page(store: Store, tmp_path: Path) -> None:
    web, tokens = client(store, tmp_path)
    issued = tokens.create("board-expiring", Role.STEWARD, timedelta(hours=1))
    sign_in(web, issued.token)
    assert web.get("/?lang=en").status_code == 200
    started = tokens.clock()
    tokens.clock = lambda: started + timedelta(hours=2)  # the token's hour is over
    answer = web.get("/?lang=en")
    assert answer.status_code == 401
    assert "Your session has expired or was revoked" in answer.text
    assert "Traceback" not in answer.text
    assert 'href="/sign-in"' in answer.text


def test_a_role_without_read_gets_a_forbidden_page(store: Store, tmp_path: Path) -> None:
    web, tokens = client(store, tmp_path)
    sign_in(web, tokens.create("nightly-sync", Role.INTEGRATOR, timedelta(hours=1)).token)
    answer = web.get("/?lang=en")
    assert answer.status_code == 403
    assert "Your role may not do this: nightly-sync (integrator)" in answer.text
    assert "read" in answer.text


def test_without_anonymous_read_a_page_asks_to_sign_in(store: Store, tmp_path: Path) -> None:
    web, tokens = client(store, tmp_path, anonymous_read=False)
    answer = web.get("/?lang=en")
    assert answer.status_code == 401
    assert "This page needs you to sign in" in answer.text
    assert (
        sign_in(web, tokens.create("board", Role.READER, timedelta(hours=1)).token).status_code
        == 303
    )
    assert web.get("/").status_code == 200


def test_the_demo_reads_anonymously_with_no_forms_to_change_anything(
    store: Store, tmp_path: Path
) -> None:
    web, _ = client(store, tmp_path)
    page = web.get("/?lang=en")
    assert page.status_code == 200
    assert "Read only (anonymous)" in page.text
    assert 'method="post"' not in page.text


def test_signing_in_and_out_in_a_browser(workspace: Workspace, page: Page) -> None:
    _, token = workspace.token(Role.STEWARD)
    page.goto(f"{workspace.url}/?lang=en")
    expect(page.locator(".visitor")).to_contain_text("Read only (anonymous)")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("API token").fill(token)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("[data-principal]")).to_have_text("web-steward")
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies[SESSION_COOKIE]["httpOnly"]
    assert cookies[SESSION_COOKIE]["sameSite"] == "Strict"
    assert SESSION_COOKIE not in page.evaluate("document.cookie")  # no script can read it
    page.get_by_role("button", name="Sign out").click()
    expect(page.locator(".visitor")).to_contain_text("Read only (anonymous)")
