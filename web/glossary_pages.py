"""The glossary's pages: the list (/glossary), a concept's page (/concept), the workflow's forms.

They read and write through the governance service the CLI and GraphQL use
(:mod:`journeykg.services.governance.service`), via :mod:`.glossary_view`
and :mod:`.glossary_workflow`. A step is audited as the API audits a
mutation: the signed-in principal and role, ``web:<step>``, and the post and
reason the form gives.
"""

# No `from __future__ import annotations`: FastAPI must see the handlers' parameter types.

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from journeykg.access.roles import Permission
from journeykg.graph.audit_context import audit_context
from journeykg.graph.store import Store
from journeykg.services.governance import service
from journeykg.services.governance.errors import GovernanceError
from journeykg.services.governance.glossary import concept_key
from journeykg.services.governance.model import ConceptText
from journeykg.services.governance.transitions import Status
from journeykg.web.glossary_view import (
    DETAIL_LINKS,
    DETAIL_TEXTS,
    STATUSES,
    concept_page,
    detail_links,
    detail_texts,
    find,
    inbox,
)
from journeykg.web.glossary_workflow import REFUSALS, STEPS, Form, Refusal, refusal, take_step
from journeykg.web.i18n import LANGUAGES, language_of
from journeykg.web.refusal_texts import refusal_texts
from journeykg.web.session import LANGUAGE_COOKIE, Visitor, check_csrf

#: At most this many fields in a workflow form (the largest has about twenty).
MAX_FIELDS = 40

#: Renders a page: (request, template, visitor, **values) -> response.
PageFn = Callable[..., HTMLResponse]


def install_glossary_pages(
    router: APIRouter,
    store: Store,
    *,
    page: PageFn,
    reader: Callable[[Request], Visitor],
    answered: Callable[[Request, Callable[[], Response]], Response],
    forbidden: Callable[[Visitor, Permission], Exception],
) -> None:
    """Add the glossary's routes to ``router``, rendered by the workspace's ``page``.

    ``forbidden`` makes the exception the workspace answers with a page saying
    that the signed-in role lacks a permission.
    """

    def may(visitor: Visitor, permission: Permission) -> bool:
        return (
            visitor.signed_in
            and visitor.principal is not None
            and visitor.principal.may(permission)
        )

    def allowed(request: Request, permission: Permission) -> Visitor:
        visitor = reader(request)
        if not may(visitor, permission):
            raise forbidden(visitor, permission)
        return visitor

    def concept_response(
        request: Request,
        visitor: Visitor,
        ident: str,
        *,
        form: Form | None = None,
        refused: Refusal | None = None,
    ) -> Response:
        found = concept_page(store, ident)
        values: dict[str, Any] = {
            "found": found,
            "c": found.concept,
            "detail_texts": [(n, detail_texts(found.concept, n)) for n in DETAIL_TEXTS],
            "detail_links": [(n, detail_links(found.concept, n)) for n in DETAIL_LINKS],
            "may_propose": may(visitor, Permission.PROPOSE),
            "may_decide": may(visitor, Permission.DECIDE),
            "form": form or {},
            "refusal": refused,
        }
        status = refused.status if refused else 200
        return page(request, "concept.html", visitor, status=status, **values)

    def step_taken(request: Request, visitor: Visitor, step: str, target: str, form: Form) -> None:
        """Take the step as the API would, attributed to the signed-in principal."""
        principal = visitor.principal
        assert principal is not None  # allowed() let only a signed-in principal through
        role = principal.role.value if principal.role else None
        with audit_context(actor=principal.name, role=role, action=f"web:{step}"):
            take_step(store, step, target, form, role)

    async def form_of(request: Request) -> dict[str, str]:
        submitted = await request.form(max_fields=MAX_FIELDS, max_files=0)
        return {k: v for k, v in submitted.items() if isinstance(v, str)}

    @router.get("/glossary", response_class=HTMLResponse)
    def glossary(
        request: Request,
        q: Annotated[str, Query(max_length=200)] = "",
        in_: Annotated[str, Query(alias="in", max_length=10)] = "",
        status: Annotated[str, Query(max_length=20)] = "",
    ) -> Response:
        visitor = reader(request)
        language = in_ if in_ in LANGUAGES else None
        chosen = Status(status) if status in {s.value for s in STATUSES} else None

        def ask() -> Response:
            shown_in = _language_of(request)
            found = sorted(
                find(store, q, language=language, status=chosen),
                key=lambda c: (c.text.pref_labels.get(shown_in) or c.label or c.id).casefold(),
            )
            return page(
                request,
                "glossary.html",
                visitor,
                concepts=found,
                q=q,
                searched_in=language or "",
                chosen_status=chosen.value if chosen else "",
                statuses=STATUSES,
                may_propose=may(visitor, Permission.PROPOSE),
                may_decide=may(visitor, Permission.DECIDE),
            )

        return answered(request, ask)

    @router.get("/concept", response_class=HTMLResponse)
    def concept(request: Request, id: Annotated[str, Query(max_length=2000)] = "") -> Response:
        visitor = reader(request)

        return answered(request, lambda: concept_response(request, visitor, id))

    @router.get("/glossary/inbox", response_class=HTMLResponse)
    def steward_inbox(request: Request) -> Response:
        visitor = allowed(request, Permission.DECIDE)
        return answered(
            request, lambda: page(request, "glossary_inbox.html", visitor, items=inbox(store))
        )

    @router.get("/concept/diff", response_class=HTMLResponse)
    def version_diff(
        request: Request,
        id: Annotated[str, Query(max_length=2000)] = "",
        from_: Annotated[int, Query(alias="from", ge=0)] = 0,
        to: Annotated[int, Query(ge=0)] = 0,
    ) -> Response:
        visitor = reader(request)

        def ask() -> Response:
            found = service.show(store, id)
            try:
                changes = service.diff(store, found.id, from_, to)
            except GovernanceError as exc:
                return page(
                    request,
                    "glossary_diff.html",
                    visitor,
                    status=400,
                    c=found,
                    changes=[],
                    versions=(from_, to),
                    error=refusal_texts(exc)[_language_of(request)],
                )
            return page(
                request,
                "glossary_diff.html",
                visitor,
                c=found,
                changes=changes,
                versions=(from_, to),
                error=None,
            )

        return answered(request, ask)

    @router.get("/glossary/propose", response_class=HTMLResponse)
    def propose_form(request: Request) -> Response:
        visitor = allowed(request, STEPS["propose"])
        return page(
            request,
            "glossary_propose.html",
            visitor,
            form={},
            refusal=None,
            empty=ConceptText(),
        )

    @router.post("/glossary/propose", response_class=HTMLResponse)
    async def propose(request: Request) -> Response:
        form = await form_of(request)
        check_csrf(request, form.get("csrf"))

        def act() -> Response:
            visitor = allowed(request, STEPS["propose"])
            try:
                step_taken(request, visitor, "propose", "", form)
            except REFUSALS as exc:
                refused = refusal("propose", "", exc, form)
                return page(
                    request,
                    "glossary_propose.html",
                    visitor,
                    status=refused.status,
                    form=form,
                    refusal=refused,
                    empty=ConceptText(),
                )
            return _to_concept(form.get("key", ""), form)

        return await run_in_threadpool(act)

    @router.post("/concept/step", response_class=HTMLResponse)
    async def concept_step(request: Request) -> Response:
        form = await form_of(request)
        check_csrf(request, form.get("csrf"))
        step, target, ident = form.get("step", ""), form.get("target", ""), form.get("concept", "")

        def act() -> Response:
            if step not in STEPS or step == "propose":
                return answered(request, lambda: concept_response(request, reader(request), ident))
            visitor = allowed(request, STEPS[step])
            try:
                step_taken(request, visitor, step, target, form)
            except REFUSALS as exc:
                refused = refusal(step, target, exc, form)
                return answered(
                    request,
                    lambda: concept_response(request, visitor, ident, form=form, refused=refused),
                )
            return _to_concept(ident, form)

        return await run_in_threadpool(act)


def _to_concept(ident: str, form: Form) -> Response:
    """Back to the concept's page (303: a reload does not post again), in the form's language."""
    lang = form.get("lang") if form.get("lang") in LANGUAGES else None
    query = urlencode({"id": _key(ident), **({"lang": lang} if lang else {})})
    return RedirectResponse(f"/concept?{query}", status_code=303)


def _key(ident: str) -> str:
    """A bare name proposed (``fcr``) is stored as ``concept/fcr``, as the service keys it."""
    return concept_key(ident.strip())


def _language_of(request: Request) -> str:
    """The page's language, as the workspace's pages pick it (?lang=, the cookie, Dutch)."""
    return language_of(request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE))
