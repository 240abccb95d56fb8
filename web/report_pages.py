"""The board pack page (/report) and its two documents (/report/board-pack.html, .pdf).

The documents are :mod:`journeykg.services.board_pack`'s, the very ones
``journeykg report`` writes, in the page's language; reading the graph is
all they take (READ). The HTML document is self-contained and carries its own
style inline, so it is sent with a policy of its own (:data:`DOCUMENT_POLICY`):
no script at all, nothing fetched, its inline style allowed.
"""

# No `from __future__ import annotations`: FastAPI must see the handlers' parameter types.

from collections.abc import Callable
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from journeykg.access.roles import Permission
from journeykg.graph.store import Store
from journeykg.services.board_pack.contents import assemble
from journeykg.services.board_pack.document import board_pack_html, board_pack_pdf
from journeykg.services.board_pack.writing import HTML_NAME, PDF_NAME
from journeykg.services.scenarios import saved
from journeykg.web.i18n import language_of
from journeykg.web.session import LANGUAGE_COOKIE, Visitor

#: The board pack document's policy: its style is inline (it is one file), nothing else runs.
DOCUMENT_POLICY = "; ".join(
    (
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)

Id = Annotated[str, Query(max_length=2000)]


def install_report_pages(
    router: APIRouter,
    store: Store,
    *,
    page: Callable[..., HTMLResponse],
    answered: Callable[[Request, Callable[[], Response]], Response],
    allowed: Callable[[Request, Permission], Visitor],
) -> None:
    """Add /report and its documents to ``router``: anyone who may read the graph may see them."""

    def language(request: Request) -> str:
        return language_of(request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE))

    def chosen(impact: str, a: str, b: str) -> tuple[str | None, tuple[str, str] | None]:
        return (impact or None), ((a, b) if a and b and a != b else None)

    def document(request: Request, impact: str, a: str, b: str) -> str:
        impact_of, scenarios = chosen(impact, a, b)
        pack = assemble(store, language(request), impact_of=impact_of, scenarios=scenarios)
        return board_pack_html(pack)

    @router.get("/report", response_class=HTMLResponse)
    def report(request: Request, impact: Id = "", a: Id = "", b: Id = "") -> Response:
        visitor = allowed(request, Permission.READ)

        def ask() -> Response:
            query = urlencode({"impact": impact, "a": a, "b": b, "lang": language(request)})
            return page(
                request,
                "report.html",
                visitor,
                impact=impact,
                a=a,
                b=b,
                scenarios=saved(store),
                pick_two=bool(a or b) and chosen(impact, a, b)[1] is None,
                html_url=f"/report/{HTML_NAME}?{query}",
                pdf_url=f"/report/{PDF_NAME}?{query}",
            )

        return answered(request, ask)

    def refused(request: Request, visitor: Visitor, ask: Callable[[], Response]) -> Response:
        # An element impact cannot start from is the request's fault: 400, said in the page.
        try:
            return ask()
        except ValueError as exc:
            return page(request, "problem.html", visitor, status=400, message=str(exc))

    @router.get(f"/report/{HTML_NAME}", response_class=HTMLResponse)
    def report_html(request: Request, impact: Id = "", a: Id = "", b: Id = "") -> Response:
        visitor = allowed(request, Permission.READ)

        def ask() -> Response:
            response = HTMLResponse(document(request, impact, a, b))
            response.headers["Content-Security-Policy"] = DOCUMENT_POLICY
            return response

        return answered(request, lambda: refused(request, visitor, ask))

    @router.get(f"/report/{PDF_NAME}")
    def report_pdf(request: Request, impact: Id = "", a: Id = "", b: Id = "") -> Response:
        visitor = allowed(request, Permission.READ)

        def ask() -> Response:
            pdf = board_pack_pdf(document(request, impact, a, b))
            return Response(
                pdf,
                media_type="application/pdf",
                headers={"Content-Disposition": f'attachment; filename="{PDF_NAME}"'},
            )

        return answered(request, lambda: refused(request, visitor, ask))
