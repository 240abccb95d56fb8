"""The glossary's pages: the list with its search (/glossary) and a concept's page (/concept).

They read through the governance service the CLI and GraphQL use
(:mod:`journeykg.services.governance.service`), via :mod:`.glossary_view`.
"""

# No `from __future__ import annotations`: FastAPI must see the handlers' parameter types.

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from journeykg.graph.store import Store
from journeykg.services.governance.transitions import Status
from journeykg.web.glossary_view import (
    DETAIL_LINKS,
    DETAIL_TEXTS,
    STATUSES,
    concept_page,
    detail_links,
    detail_texts,
    find,
)
from journeykg.web.i18n import LANGUAGES
from journeykg.web.session import Visitor

#: Renders a page: (request, template, visitor, **values) -> response.
PageFn = Callable[..., HTMLResponse]


def install_glossary_pages(
    router: APIRouter,
    store: Store,
    *,
    page: PageFn,
    reader: Callable[[Request], Visitor],
    answered: Callable[[Request, Callable[[], Response]], Response],
) -> None:
    """Add the glossary's routes to ``router``, rendered by the workspace's ``page``."""

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
            found = find(store, q, language=language, status=chosen)
            return page(
                request,
                "glossary.html",
                visitor,
                concepts=found,
                q=q,
                searched_in=language or "",
                chosen_status=chosen.value if chosen else "",
                statuses=STATUSES,
            )

        return answered(request, ask)

    @router.get("/concept", response_class=HTMLResponse)
    def concept(request: Request, id: Annotated[str, Query(max_length=2000)] = "") -> Response:
        visitor = reader(request)

        def ask() -> Response:
            found = concept_page(store, id)
            values: dict[str, Any] = {
                "found": found,
                "c": found.concept,
                "detail_texts": [(n, detail_texts(found.concept, n)) for n in DETAIL_TEXTS],
                "detail_links": [(n, detail_links(found.concept, n)) for n in DETAIL_LINKS],
            }
            return page(request, "concept.html", visitor, **values)

        return answered(request, ask)
