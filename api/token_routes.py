"""REST for administrators: list and revoke API tokens (creating one is the CLI's job).

A token's plain text is shown once, on the terminal of whoever creates it; an
HTTP answer could end up in a log or a proxy cache, so there is no create route.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from journeykg.access.roles import Permission, Principal, Role
from journeykg.api.auth import Authenticator
from journeykg.api.problems import problem, problem_response
from journeykg.api.request_id import current_request_id
from journeykg.graph.audit_context import audit_context
from journeykg.services import tokens as token_service
from journeykg.services.tokens import ListedToken, TokenAdmin, TokenError


class TokenView(BaseModel):
    """One token as an administrator sees it: never its secret (none is kept)."""

    id: str
    name: str
    role: Role
    status: str = Field(description="active, expired or revoked")
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used: datetime | None

    @classmethod
    def of(cls, info: ListedToken) -> TokenView:
        """The view of a listed token."""
        return cls(
            id=info.id,
            name=info.name,
            role=info.role,
            status=info.status,
            created_at=info.created_at,
            expires_at=info.expires_at,
            revoked_at=info.revoked_at,
            last_used=info.last_used,
        )


def token_router(admin: TokenAdmin, auth: Authenticator) -> APIRouter:
    """GET /tokens and DELETE /tokens/{id}; both need the administer permission.

    A revocation is recorded in the store's audit trail as
    ``rest:tokens:revoke``, by the calling admin, with the reason given.
    """
    administrator = auth.requiring(Permission.ADMINISTER)
    router = APIRouter(
        prefix="/tokens",
        tags=["administration"],
        dependencies=[Depends(administrator)],
        responses={
            401: problem_response("No valid token (WWW-Authenticate says why)."),
            403: problem_response("The token's role lacks the administer permission."),
        },
    )

    @router.get("", summary="List API tokens", response_model=list[TokenView])
    def list_tokens() -> list[TokenView]:
        return [TokenView.of(info) for info in token_service.listed(admin.tokens)]

    @router.delete(
        "/{token_id}",
        summary="Revoke an API token",
        response_model=TokenView,
        responses={
            400: problem_response("No reason was given."),
            404: problem_response("No token has this id."),
        },
    )
    def revoke_token(
        token_id: str,
        reason: str = Query(
            default="", description="Why it is revoked (recorded in the audit trail); required."
        ),
        principal: Principal = Depends(administrator),  # noqa: B008
    ) -> object:
        if not reason.strip():
            return problem(400, "Reason required", "say why with ?reason=... (it is audited)")
        with audit_context(
            actor=principal.name,
            role=principal.role.value if principal.role else None,
            action="rest:tokens:revoke",
            request_id=current_request_id(),
        ):
            try:
                info = token_service.revoke(admin, token_id, reason=reason)
            except TokenError as exc:
                return problem(404, "Unknown token", str(exc))
        return TokenView.of(info)

    return router
