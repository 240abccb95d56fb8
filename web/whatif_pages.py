"""The what-if page (/whatif): compose a change set, see today against after, save, compare.

Evaluating is :func:`journeykg.graph.scenario.evaluate` (GraphQL's
``whatIf``), which never writes; saving is
:func:`journeykg.services.scenarios.save` (``saveScenario``), inside an
``audit_context`` as a GraphQL mutation is, and needs the SCENARIO
permission; comparing is :func:`journeykg.services.scenarios.compare_saved`
(``compareScenarios``). The change set travels between requests in a hidden
field and is checked again on every request. A refusal comes back next to
the field it concerns (:mod:`.whatif_view`), and nothing is written.
"""

# No `from __future__ import annotations`: FastAPI must see the handlers' parameter types.

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from journeykg.access.roles import Permission
from journeykg.graph.audit_context import audit_context
from journeykg.graph.errors import UnknownElementError
from journeykg.graph.scenario import Change, ScenarioError, ScenarioResult, evaluate
from journeykg.graph.store import Store
from journeykg.services import scenarios
from journeykg.web import whatif_view as forms
from journeykg.web.explorer_view import kind_of
from journeykg.web.explorer_words import CLASS_WORDS
from journeykg.web.i18n import language_of, texts
from journeykg.web.session import LANGUAGE_COOKIE, Visitor, check_csrf

#: Fields a what-if form may post (the change's, the set, the name, the step, CSRF).
MAX_FIELDS = 20


def install_whatif_pages(
    router: APIRouter,
    store: Store,
    *,
    page: Callable[..., HTMLResponse],
    answered: Callable[[Request, Callable[[], Response]], Response],
    allowed: Callable[[Request, Permission], Visitor],
) -> None:
    """Add /whatif, /whatif/save and /whatif/compare to ``router``."""

    def may_save(visitor: Visitor) -> bool:
        return visitor.principal is not None and visitor.principal.may(Permission.SCENARIO)

    def shown(
        request: Request,
        visitor: Visitor,
        *,
        changes: list[Change],
        form: dict[str, str] | None = None,
        refusal: forms.Refusal | None = None,
        result: ScenarioResult | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        language = language_of(
            request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE)
        )
        values: dict[str, Any] = {
            "changes": changes,
            "changes_json": forms.dump(changes),
            "form": form or {},
            "refusal": refusal,
            "result": result,
            "operations": forms.OPERATIONS,
            "operation_fields": forms.OPERATION_FIELDS,
            "change_fields": forms.CHANGE_FIELDS,
            "field_operations": forms.field_operations(),
            "saved": scenarios.saved(store),
            "may_save": may_save(visitor),
            "kind_of": kind_of,
            "class_word": lambda name: CLASS_WORDS[language].get(name, name),
            "just_saved": request.query_params.get("saved", ""),
        }
        return page(request, "whatif.html", visitor, status=status, **values)

    async def form_of(request: Request) -> dict[str, str]:
        submitted = await request.form(max_fields=MAX_FIELDS, max_files=0)
        return {k: v for k, v in submitted.items() if isinstance(v, str)}

    def t_of(request: Request) -> Any:
        return texts(
            language_of(request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE))
        )

    @router.get("/whatif", response_class=HTMLResponse)
    def whatif(request: Request) -> Response:
        visitor = allowed(request, Permission.READ)
        return answered(request, lambda: shown(request, visitor, changes=[]))

    @router.post("/whatif", response_class=HTMLResponse)
    async def compose(request: Request) -> Response:
        visitor = allowed(request, Permission.READ)
        form = await form_of(request)
        check_csrf(request, form.get("csrf"))
        t = t_of(request)

        def ask() -> Response:
            try:
                current = forms.parsed(forms.change_set(form.get("changes", "")))
            except ScenarioError as exc:
                return shown(
                    request,
                    visitor,
                    changes=[],
                    form=form,
                    refusal=forms.refusal_of(exc, t),
                    status=400,
                )
            step = form.get("do", "evaluate")
            if step == "add":
                index = len(current)
                try:
                    added = forms.parsed([forms.new_change(form)])
                    changes = [*current, *added]
                    if len(changes) > forms.MAX_CHANGES:
                        raise ScenarioError(f"change set: at most {forms.MAX_CHANGES} changes")
                    result = evaluate(store, changes)
                except ScenarioError as exc:
                    # A parse error names change 0 (the new change alone); evaluating, its index.
                    refusal = forms.refusal_of(exc, t)
                    about_new = str(exc).startswith(("change set: 0", f"change {index}"))
                    if not about_new and refusal.field != "changes":
                        refusal = forms.Refusal("changes", refusal.message, refusal.detail)
                    return shown(
                        request, visitor, changes=current, form=form, refusal=refusal, status=400
                    )
                return shown(request, visitor, changes=changes, result=result)
            if step.startswith("remove-") and step[7:].isdigit():
                drop = int(step[7:])
                current = [c for i, c in enumerate(current) if i != drop]
            if not current:
                return shown(request, visitor, changes=[])
            try:
                result = evaluate(store, current)
            except ScenarioError as exc:  # the graph changed under a change set since composed
                return shown(
                    request,
                    visitor,
                    changes=current,
                    form=form,
                    refusal=forms.refusal_of(exc, t),
                    status=400,
                )
            return shown(request, visitor, changes=current, result=result)

        return answered(request, ask)

    @router.post("/whatif/save", response_class=HTMLResponse)
    async def save(request: Request) -> Response:
        visitor = allowed(request, Permission.SCENARIO)
        form = await form_of(request)
        check_csrf(request, form.get("csrf"))
        t = t_of(request)
        principal = visitor.principal
        assert principal is not None  # allowed() let only a principal with SCENARIO through
        role = principal.role.value if principal.role else None

        def ask() -> Response:
            try:
                changes = forms.parsed(forms.change_set(form.get("changes", "")))
                name = form.get("name", "").strip()
                with audit_context(actor=principal.name, role=role, action="web:saveScenario"):
                    kept = scenarios.save(store, name, changes)
            except ScenarioError as exc:
                try:
                    current = forms.parsed(forms.change_set(form.get("changes", "")))
                except ScenarioError:
                    current = []
                result = evaluate(store, current) if current else None
                return shown(
                    request,
                    visitor,
                    changes=current,
                    form=form,
                    result=result,
                    refusal=forms.refusal_of(exc, t),
                    status=400,
                )
            target = "/whatif?" + urlencode({"saved": kept.id})
            return RedirectResponse(target, status_code=303)

        return answered(request, ask)

    @router.get("/whatif/compare", response_class=HTMLResponse)
    def compare(
        request: Request,
        a: Annotated[str, Query(max_length=2000)] = "",
        b: Annotated[str, Query(max_length=2000)] = "",
    ) -> Response:
        visitor = allowed(request, Permission.READ)
        language = t_of(request).language

        def ask() -> Response:
            try:
                first, second = scenarios.load(store, a), scenarios.load(store, b)
            except UnknownElementError as exc:
                t = t_of(request)
                return page(
                    request,
                    "problem.html",
                    visitor,
                    status=404,
                    message=f"{t('wi_unknown_scenario')}: {exc.ident}",
                )
            try:
                found = scenarios.compare_saved(store, a, b)
            except ScenarioError as exc:  # a saved change set names what is gone since
                t = t_of(request)
                return page(
                    request, "problem.html", visitor, status=409, message=f"{t('wi_stale')}: {exc}"
                )
            return page(
                request,
                "whatif_compare.html",
                visitor,
                first=first,
                second=second,
                comparison=found,
                kind_of=kind_of,
                class_word=lambda name: CLASS_WORDS[language].get(name, name),
            )

        return answered(request, ask)
