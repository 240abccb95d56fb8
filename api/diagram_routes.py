"""Diagrams over REST: ``GET /impact/<id>.<format>`` and ``GET /lifecycle.<format>``.

The answer is the picture itself, with its content type (``image/svg+xml``,
``image/png``, ``text/vnd.graphviz``, ``text/vnd.mermaid``), so a browser,
``curl -o`` or a wiki can embed it; the same drawing as GraphQL's
``impact { diagram }`` and the CLI's ``--format`` (services/diagrams/drawing.py).
Reading the graph is all it takes: the READ permission.
"""

# No `from __future__ import annotations`: FastAPI must see the closures' Depends(...).

import asyncio
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from journeykg.access.roles import Permission, Principal
from journeykg.api.auth import Authenticator
from journeykg.api.problems import problem, problem_response
from journeykg.graph.errors import UnknownElementError
from journeykg.graph.impact import impact
from journeykg.graph.lifecycle import LifecyclePicture
from journeykg.graph.relations import Direction, Relation
from journeykg.graph.store import Store
from journeykg.services.diagrams.drawing import draw_impact, draw_lifecycle
from journeykg.services.diagrams.formats import DiagramFormat
from journeykg.services.diagrams.impact_diagram import CLUSTER_ABOVE

_FORMATS = ", ".join(f.value for f in DiagramFormat)
_RESPONSES = {
    200: {
        "description": "The diagram.",
        "content": {f.media_type.split(";")[0]: {} for f in DiagramFormat},
    },
    400: problem_response("An unknown format, language or relation, or a bad hop limit."),
    401: problem_response("No valid token."),
    403: problem_response("The token's role may not read the graph."),
    404: problem_response("No element has this id."),
    503: problem_response("The store cannot be reached; retry later."),
}


def _format(name: str) -> DiagramFormat | None:
    try:
        return DiagramFormat(name)
    except ValueError:
        return None


def _bad(detail: str) -> Response:
    return problem(400, "Bad request", detail)


def diagram_router(
    store: Store, auth: Authenticator, picture: Callable[[], LifecyclePicture] | None = None
) -> APIRouter:
    """The diagram routes over ``store``, for callers who may read the graph.

    ``picture``: the lifecycle picture the app keeps between writes (the start page's);
    without it each request computes the picture.
    """
    router = APIRouter(tags=["diagrams"])
    reader = auth.requiring(Permission.READ)

    @router.get(
        "/impact/{element:path}.{fmt}",
        summary="An impact answer as a diagram",
        description=(
            f"`fmt` is one of {_FORMATS}. The element is a key (process/kredietcheck) or "
            "an IRI. Every element of the answer is a node, every edge of its paths a "
            "link; above `clusterAbove` elements one node per class and hop stands for "
            "them (docs/diagrams.md)."
        ),
        responses=_RESPONSES,  # type: ignore[arg-type]
    )
    async def impact_diagram(
        element: str,
        fmt: str,
        caller: Annotated[Principal, Depends(reader)],
        lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
        direction: Annotated[str, Query(pattern="^(DOWNSTREAM|UPSTREAM)$")] = "DOWNSTREAM",
        max_hops: Annotated[int | None, Query(alias="maxHops", ge=0)] = None,
        via: Annotated[list[str] | None, Query()] = None,
        cluster_above: Annotated[int, Query(alias="clusterAbove", ge=1)] = CLUSTER_ABOVE,
    ) -> Response:
        chosen = _format(fmt)
        if chosen is None:
            return _bad(f"format: {fmt!r} is not one of {_FORMATS}")
        relations: list[Relation] | None = None
        if via:
            unknown = [v for v in via if v.upper() not in Relation.__members__]
            if unknown:
                return _bad(f"via: {', '.join(unknown)} is not a relation")
            relations = [Relation[v.upper()] for v in via]

        def drawn() -> bytes:
            answer = impact(store, element, max_hops, direction=Direction[direction], via=relations)
            return draw_impact(store, answer, chosen, lang, cluster_above=cluster_above).content

        try:
            content = await asyncio.to_thread(drawn)
        except UnknownElementError as exc:
            return problem(404, "Not found", str(exc))
        except ValueError as exc:  # an element impact cannot start from, among others
            return _bad(str(exc))
        return Response(content, media_type=chosen.media_type)

    @router.get(
        "/lifecycle.{fmt}",
        summary="The lifecycle picture as a diagram",
        description=f"`fmt` is one of {_FORMATS}: stages, phases, contact reasons with "
        "their figures, and the journeys placed on them.",
        responses=_RESPONSES,  # type: ignore[arg-type]
    )
    async def lifecycle_diagram(
        fmt: str,
        caller: Annotated[Principal, Depends(reader)],
        lang: Annotated[str, Query(pattern="^(nl|en)$")] = "nl",
    ) -> Response:
        chosen = _format(fmt)
        if chosen is None:
            return _bad(f"format: {fmt!r} is not one of {_FORMATS}")

        def drawn() -> bytes:
            kept = picture() if picture is not None else None
            return draw_lifecycle(store, chosen, lang, picture=kept).content

        content = await asyncio.to_thread(drawn)
        return Response(content, media_type=chosen.media_type)

    return router
