"""The workspace's routes: the lifecycle picture (/), a contact reason, sign-in and sign-out.

Each page asks a graph question (journeykg.graph.lifecycle) and renders it;
who may see it is decided by :mod:`.session` over the API's token database,
with the API's roles (reading needs Permission.READ).
"""

# No `from __future__ import annotations`: FastAPI must see the handlers' parameter types.

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from rdflib import URIRef

from journeykg.access.roles import Permission
from journeykg.access.tokens import InvalidTokenError, TokenStore
from journeykg.graph.blueprint import blueprint
from journeykg.graph.elements import resolve
from journeykg.graph.errors import StoreUnavailableError, UnknownElementError
from journeykg.graph.lifecycle import LifecyclePicture, reason_detail
from journeykg.graph.store import Store
from journeykg.web.audit_pages import install_audit_pages
from journeykg.web.content_policy import WORKSPACE_POLICY
from journeykg.web.coverage_pages import install_coverage_page
from journeykg.web.explorer_pages import install_explorer_page
from journeykg.web.glossary_pages import install_glossary_pages
from journeykg.web.i18n import LANGUAGES, language_of, texts
from journeykg.web.insight_pages import install_insight_pages
from journeykg.web.journey_table import first_of, journey_page
from journeykg.web.lifecycle_view import MEASURES, cell_views, measure_of
from journeykg.web.mining_pages import install_mining_page
from journeykg.web.rendering import Renderer
from journeykg.web.report_pages import install_report_pages
from journeykg.web.session import (
    CSRF_FIELD,
    LANGUAGE_COOKIE,
    CsrfError,
    SessionEndedError,
    Sessions,
    SignInNeededError,
    Visitor,
    check_csrf,
    end_session,
    keep_csrf,
    start_session,
)
from journeykg.web.whatif_pages import install_whatif_pages


class MissingPermissionError(Exception):
    """The signed-in role lacks what the page needs (a reader's pages need READ)."""

    def __init__(self, visitor: Visitor, permission: Permission) -> None:
        super().__init__(permission)
        self.visitor = visitor
        self.permission = permission


def install_pages(
    app: FastAPI,
    store: Store,
    tokens: TokenStore,
    latest_picture: Callable[[], LifecyclePicture],
    *,
    anonymous_read: bool,
) -> None:
    """Mount the workspace's pages and their error pages on ``app``.

    ``latest_picture``: the lifecycle picture of the graph as it is now, kept between
    requests (:func:`.kept_per_generation.picture_keeper`; the app shares it with
    GraphQL's ``priorities``).
    """
    sessions = Sessions(tokens, anonymous_read=anonymous_read)
    render = Renderer()
    router = APIRouter(include_in_schema=False)

    def page(
        request: Request,
        template: str,
        visitor: Visitor,
        status: int = 200,
        **values: Any,
    ) -> HTMLResponse:
        language = _language(request)
        response = render(
            template,
            status=status,
            request=request,
            t=texts(language),
            language=language,
            languages=LANGUAGES,
            visitor=visitor,
            csrf_field=CSRF_FIELD,
            url_with=lambda **changed: _url_with(request, changed),
            **values,
        )
        keep_csrf(request, response, visitor)
        response.headers["Content-Security-Policy"] = WORKSPACE_POLICY
        if request.query_params.get("lang") in LANGUAGES:
            response.set_cookie(LANGUAGE_COOKIE, language, samesite="strict", max_age=365 * 86400)
        return response

    def problem_page(request: Request, status: int, message: str, **extra: Any) -> HTMLResponse:
        visitor = sessions.anyone(request)
        return page(request, "problem.html", visitor, status=status, message=message, **extra)

    def answered(request: Request, ask: Callable[[], Response]) -> Response:
        """``ask()``, or the page that says why the store could not answer it."""
        t = texts(_language(request))
        try:
            return ask()
        except UnknownElementError as exc:
            return problem_page(request, 404, f"{t('not_found')}: {exc}")
        except StoreUnavailableError:
            response = problem_page(request, 503, t("unavailable"))
            response.headers["Retry-After"] = "5"
            return response

    def allowed(request: Request, permission: Permission) -> Visitor:
        visitor = sessions.visitor(request)
        if visitor.principal is None or not visitor.principal.may(permission):
            raise MissingPermissionError(visitor, permission)
        return visitor

    def reader(request: Request) -> Visitor:
        return allowed(request, Permission.READ)

    @router.get("/", response_class=HTMLResponse)
    def picture(
        request: Request,
        measure: Annotated[str | None, Query()] = None,
        number: Annotated[int, Query(alias="page", ge=1, le=1_000_000)] = 1,
    ) -> Response:
        visitor = reader(request)
        chosen = measure_of(measure)

        def ask() -> Response:
            found = latest_picture()
            unowned = [j for j in found.journeys if not j.owners]
            unmeasured = [j for j in found.journeys if not j.kpis]
            return page(
                request,
                "lifecycle.html",
                visitor,
                picture=found,
                measure=chosen,
                measures=MEASURES,
                cells=cell_views(found, chosen, texts(_language(request))),
                table=journey_page(found, chosen, number),
                page_url=lambda n: "/?" + urlencode({"measure": chosen, "page": n}) + "#journeys",
                uncovered=[c for c in found.reasons() if not c.journeys],
                unowned=len(unowned),
                unowned_listed=first_of(unowned),
                unmeasured=len(unmeasured),
                unmeasured_listed=first_of(unmeasured),
            )

        return answered(request, ask)

    def element_page(
        request: Request,
        id: str,
        kind: str,
        not_that_kind: str,
        template: str,
        **built: Callable[[Store, URIRef], object],
    ) -> Response:
        # The contact reason and journey pages differ only in the type they
        # accept, the question they ask of it and the template that shows it.
        visitor = reader(request)

        def ask() -> Response:
            element = resolve(store, id)
            if element.type != kind:
                message = f"{id}: {element.type}, {texts(_language(request))(not_that_kind)}"
                return problem_page(request, 404, message)
            iri = URIRef(element.iri)
            shown: dict[str, Any] = {name: build(store, iri) for name, build in built.items()}
            return page(request, template, visitor, **shown)

        return answered(request, ask)

    @router.get("/reason", response_class=HTMLResponse)
    def reason(request: Request, id: Annotated[str, Query(max_length=2000)] = "") -> Response:
        return element_page(
            request, id, "ContactReason", "not_a_reason", "reason.html", detail=reason_detail
        )

    @router.get("/journey", response_class=HTMLResponse)
    def journey(request: Request, id: Annotated[str, Query(max_length=2000)] = "") -> Response:
        return element_page(request, id, "Journey", "not_a_journey", "journey.html", bp=blueprint)

    @router.get("/sign-in", response_class=HTMLResponse)
    def sign_in_form(request: Request) -> Response:
        return page(request, "sign_in.html", sessions.anyone(request))

    @router.post("/sign-in", response_class=HTMLResponse)
    def sign_in(
        request: Request,
        token: Annotated[str, Form(max_length=500)] = "",
        csrf: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        check_csrf(request, csrf)
        try:
            sessions.sign_in(token.strip())
        except InvalidTokenError as exc:
            visitor = sessions.anyone(request)
            t = texts(_language(request))
            return page(
                request, "sign_in.html", visitor, status=401, error=f"{t('bad_token')}: {exc}"
            )
        response = RedirectResponse("/", status_code=303)
        start_session(request, response, token.strip())
        return response

    @router.post("/sign-out")
    def sign_out(request: Request, csrf: Annotated[str, Form(max_length=200)] = "") -> Response:
        check_csrf(request, csrf)
        response = RedirectResponse("/", status_code=303)
        end_session(request, response)
        return response

    install_coverage_page(router, store, page=page, answered=answered, allowed=allowed)
    install_mining_page(
        router, store, page=page, answered=answered, allowed=allowed, problem=problem_page
    )
    install_report_pages(router, store, page=page, answered=answered, allowed=allowed)
    install_audit_pages(router, store, page=page, answered=answered, allowed=allowed)
    install_explorer_page(router, store, page=page, answered=answered, allowed=allowed)
    install_whatif_pages(router, store, page=page, answered=answered, allowed=allowed)
    install_insight_pages(router, store, page=page, answered=answered, allowed=allowed)
    install_glossary_pages(
        router,
        store,
        page=page,
        reader=reader,
        answered=answered,
        forbidden=MissingPermissionError,
    )
    app.include_router(router)

    def session_ended(request: Request, exc: Exception) -> Response:
        response = problem_page(
            request, 401, texts(_language(request))("session_ended"), sign_in=True
        )
        end_session(request, response)
        return response

    def sign_in_needed(request: Request, exc: Exception) -> Response:
        return problem_page(request, 401, texts(_language(request))("needs_sign_in"), sign_in=True)

    def missing_permission(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, MissingPermissionError)
        principal = exc.visitor.principal
        assert principal is not None
        role = principal.role.value if principal.role else "anonymous"
        t = texts(_language(request))
        message = f"{t('forbidden')}: {principal.name} ({role}) {t('permission')}: {exc.permission}"
        return problem_page(request, 403, message)

    def bad_form(request: Request, exc: Exception) -> Response:
        return problem_page(request, 403, texts(_language(request))("bad_form"))

    app.add_exception_handler(SessionEndedError, session_ended)
    app.add_exception_handler(SignInNeededError, sign_in_needed)
    app.add_exception_handler(MissingPermissionError, missing_permission)
    app.add_exception_handler(CsrfError, bad_form)


def _language(request: Request) -> str:
    """The page's language: ?lang=, else the language cookie, else Dutch."""
    return language_of(request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE))


def _url_with(request: Request, changed: dict[str, str]) -> str:
    """This page's path and query with ``changed`` parameters (a language switch keeps the rest)."""
    return f"{request.url.path}?{urlencode({**request.query_params, **changed})}"
