"""Who a request acts for: its ``Authorization: Bearer`` token, or anonymous when allowed.

Every request that does something needs a valid token; a missing, malformed,
unknown, expired or revoked one is refused with 401 (``WWW-Authenticate:
Bearer``, a problem details body). Only when ``anonymous_read`` is on (the
demo) may a request without a token go on, as ANONYMOUS, which may only read.
A request that presents a token is judged by it even then: a bad token is
never quietly downgraded to anonymous.
"""

# No `from __future__ import annotations`: FastAPI must see the closures' Depends(...).

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request, WebSocketException, status
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from starlette.requests import HTTPConnection

from journeykg.access.roles import ANONYMOUS, Permission, Principal
from journeykg.access.tokens import InvalidTokenError, TokenStore, TokenStoreUnavailableError
from journeykg.api.errors import RETRY_AFTER_SECONDS
from journeykg.api.problems import problem

_bearer = HTTPBearer(
    auto_error=False,
    description="An API token from `journeykg token create` (docs/security.md).",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


class NotAuthenticatedError(Exception):
    """The request has no acceptable token: answered with 401."""

    def __init__(self, detail: str, *, token_presented: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.token_presented = token_presented


class ForbiddenError(Exception):
    """The request's token is valid but its role lacks the permission: answered with 403."""

    def __init__(self, principal: Principal, permission: Permission) -> None:
        role = principal.role.value if principal.role else "anonymous"
        super().__init__(f"token {principal.name!r} ({role}) lacks the {permission} permission")
        self.detail = str(self)


def not_authenticated(request: Request, exc: Exception) -> JSONResponse:
    """The 401 answer: a problem details body and the challenge RFC 6750 prescribes."""
    assert isinstance(exc, NotAuthenticatedError)
    challenge = 'Bearer realm="journeykg"'
    if exc.token_presented:
        challenge += ', error="invalid_token"'
    return problem(401, "Unauthenticated", exc.detail, headers={"WWW-Authenticate": challenge})


def token_store_unavailable(request: Request, exc: Exception) -> JSONResponse:
    """503 with Retry-After: the token database cannot be read or written right now."""
    assert isinstance(exc, TokenStoreUnavailableError)
    return problem(
        503,
        "Storage unavailable",
        f"{exc}; retry in {RETRY_AFTER_SECONDS} s",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        fault=exc.fault.value,
    )


def forbidden(request: Request, exc: Exception) -> JSONResponse:
    """The 403 answer, naming the permission that is missing."""
    assert isinstance(exc, ForbiddenError)
    return problem(403, "Forbidden", exc.detail)


class Authenticator:
    """Turns a request's credentials into the Principal it acts for."""

    def __init__(self, tokens: TokenStore, *, anonymous_read: bool) -> None:
        self.tokens = tokens
        self.anonymous_read = anonymous_read

    def principal(self, request: Request, credentials: Credentials) -> Principal:
        """FastAPI dependency: the caller, or NotAuthenticatedError (401)."""
        return self._caller("authorization" in request.headers, credentials)

    def optional_principal(self, credentials: Credentials) -> Principal | None:
        """FastAPI dependency for an open route: the caller of a valid token, else None.

        Never refuses: the route answers everyone, and says more to some.
        """
        if credentials is None:
            return None
        try:
            return self.tokens.authenticate(credentials.credentials)
        except InvalidTokenError:
            return None

    def graphql_principal(self, connection: HTTPConnection) -> Principal:
        """The caller of /graphql; the GraphiQL page itself (a GET without a query) is open.

        The page runs nothing; a user pastes a token into its headers pane to ask.
        A websocket is refused: the schema has no subscriptions.
        """
        if connection.scope["type"] == "websocket":
            raise WebSocketException(status.WS_1008_POLICY_VIOLATION, "no subscriptions here")
        header = connection.headers.get("authorization")
        if (
            header is None
            and connection.scope["method"] == "GET"
            and "query" not in connection.query_params
        ):
            return ANONYMOUS
        # Parsed as HTTPBearer parses it (which only takes a Request, not a websocket).
        scheme, token = get_authorization_scheme_param(header)
        credentials = None
        if scheme.lower() == "bearer" and token:
            credentials = HTTPAuthorizationCredentials(scheme=scheme, credentials=token)
        return self._caller(header is not None, credentials)

    def _caller(
        self, header_sent: bool, credentials: HTTPAuthorizationCredentials | None
    ) -> Principal:
        if credentials is None:
            if header_sent:
                raise NotAuthenticatedError(
                    "the Authorization header must read 'Bearer <token>'", token_presented=True
                )
            if self.anonymous_read:
                return ANONYMOUS
            raise NotAuthenticatedError(
                "this needs an API token: send 'Authorization: Bearer <token>' "
                "(an admin creates one with `journeykg token create`)",
                token_presented=False,
            )
        try:
            return self.tokens.authenticate(credentials.credentials)
        except InvalidTokenError as exc:
            raise NotAuthenticatedError(str(exc), token_presented=True) from exc

    def requiring(self, permission: Permission) -> Callable[..., Principal]:
        """A FastAPI dependency for a REST route: the caller, if it holds ``permission``."""

        def dependency(
            principal: Annotated[Principal, Depends(self.principal)],
        ) -> Principal:
            if principal.may(permission):
                return principal
            if principal.role is None:
                raise NotAuthenticatedError(
                    f"this needs the {permission} permission: send a token that holds it",
                    token_presented=False,
                )
            raise ForbiddenError(principal, permission)

        return dependency
