"""Signing in to the workspace: a token in a session cookie, and CSRF on every form.

The session cookie holds the API token itself (HttpOnly, SameSite=Strict,
Secure when the request came over TLS), and every request authenticates it
again through the token database, exactly as the API does a Bearer header:
an expired or revoked token ends the session at once, in every worker, with
no session table to keep in step.

CSRF: the double-submit pattern. A random value is set in a cookie and
written into each form; a POST whose field does not match its cookie is
refused. Hand-written (a dozen lines) rather than a CSRF middleware package,
because those sign their tokens with a server secret that every worker of
``journeykg serve --workers N`` would have to share; double-submit needs no
server state, and SameSite=Strict already keeps other sites' requests from
carrying the cookies.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from journeykg.access.roles import ANONYMOUS, Principal
from journeykg.access.tokens import InvalidTokenError, TokenStore

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

SESSION_COOKIE = "jkg_session"
CSRF_COOKIE = "jkg_csrf"
LANGUAGE_COOKIE = "jkg_lang"
#: The form field that carries the CSRF value.
CSRF_FIELD = "csrf"
#: A browser session ends after this at the latest; the token's own expiry may end it sooner.
SESSION_SECONDS = 8 * 3600


class SessionEndedError(Exception):
    """The session cookie's token no longer lets anyone in (expired, revoked, unknown)."""


class SignInNeededError(Exception):
    """No session, and this server does not allow anonymous reading."""


class CsrfError(Exception):
    """A form whose CSRF field is missing or does not match its cookie."""


@dataclass(frozen=True)
class Visitor:
    """Who is looking at a page, and the CSRF value to write into its forms."""

    principal: Principal | None
    """None: nobody (no session, and this server does not allow anonymous reading)."""
    signed_in: bool
    csrf: str


class Sessions:
    """Reads and writes the workspace's cookies over the API's token database."""

    def __init__(self, tokens: TokenStore, *, anonymous_read: bool) -> None:
        self.tokens = tokens
        self.anonymous_read = anonymous_read

    def visitor(self, request: Request) -> Visitor:
        """The visitor of ``request``; SessionEndedError or SignInNeededError when nobody is."""
        csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
        token = request.cookies.get(SESSION_COOKIE)
        if token:
            try:
                return Visitor(self.tokens.authenticate(token), True, csrf)
            except InvalidTokenError as exc:
                raise SessionEndedError(str(exc)) from exc
        if not self.anonymous_read:
            raise SignInNeededError
        return Visitor(ANONYMOUS, False, csrf)

    def anyone(self, request: Request) -> Visitor:
        """The visitor for a page anyone may see (sign-in, an error): nobody when none is in."""
        try:
            return self.visitor(request)
        except (SessionEndedError, SignInNeededError):
            return Visitor(
                None, False, request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)
            )

    def sign_in(self, token: str) -> Principal:
        """The principal ``token`` acts for; InvalidTokenError if it lets nobody in."""
        return self.tokens.authenticate(token)


def check_csrf(request: Request, submitted: str | None) -> None:
    """Refuse (CsrfError) a form whose CSRF field does not match the cookie set with the page."""
    expected = request.cookies.get(CSRF_COOKIE)
    if not expected or not submitted or not hmac.compare_digest(expected, submitted):
        raise CsrfError


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def keep_csrf(request: Request, response: Response, visitor: Visitor) -> None:
    """Set the CSRF cookie a page's forms were written with (when it is new)."""
    if request.cookies.get(CSRF_COOKIE) != visitor.csrf:
        response.set_cookie(
            CSRF_COOKIE, visitor.csrf, httponly=True, samesite="strict", secure=_secure(request)
        )


def start_session(request: Request, response: Response, token: str) -> None:
    """Put ``token`` in the session cookie, with a fresh CSRF value."""
    secure = _secure(request)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=secure,
    )
    # A new session gets a new CSRF value, so that one set before sign-in is not reused.
    response.set_cookie(
        CSRF_COOKIE, secrets.token_urlsafe(32), httponly=True, samesite="strict", secure=secure
    )


def end_session(request: Request, response: Response) -> None:
    """Remove the session cookie."""
    response.delete_cookie(
        SESSION_COOKIE, httponly=True, samesite="strict", secure=_secure(request)
    )
