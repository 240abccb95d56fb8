"""The impact explorer (/explorer): search an element by label, see its impact as a layered graph.

The page asks the same questions as GraphQL's ``impact`` field, with the
same arguments (direction, maxHops, via): :func:`journeykg.graph.impact.start_impact`
for the walk, :func:`journeykg.graph.label_search.find_by_label` for the
search, and :mod:`.explorer_view` lays the answer out. Choosing an element
is a link (so a keyboard chooses it too): the page comes back with the paths
to it highlighted.
"""

# No `from __future__ import annotations`: FastAPI must see the handlers' parameter types.

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from journeykg.access.roles import Permission
from journeykg.graph.errors import UnsupportedElementError
from journeykg.graph.label_search import find_by_label
from journeykg.graph.relations import Direction, Relation
from journeykg.graph.store import Store
from journeykg.web import explorer_view as view
from journeykg.web.explorer_words import CLASS_WORDS
from journeykg.web.i18n import language_of, texts
from journeykg.web.session import LANGUAGE_COOKIE, Visitor

#: The languages a search may be limited to ("" searches both).
SEARCH_LANGUAGES = ("", "nl", "en")


def explorer_url(**values: Any) -> str:
    """/explorer with ``values`` as its query (lists repeat their name; empty values left out)."""
    pairs: list[tuple[str, str]] = []
    for name, value in values.items():
        for one in value if isinstance(value, list | tuple) else [value]:
            if one not in (None, ""):
                pairs.append((name, str(one)))
    return "/explorer?" + urlencode(pairs)


def install_explorer_page(
    router: APIRouter,
    store: Store,
    *,
    page: Callable[..., HTMLResponse],
    answered: Callable[[Request, Callable[[], Response]], Response],
    allowed: Callable[[Request, Permission], Visitor],
) -> None:
    """Add /explorer to ``router``: anyone who may read the graph may explore it."""
    walks = view.KeptWalks(store)

    @router.get("/explorer", response_class=HTMLResponse)
    def explorer(
        request: Request,
        q: Annotated[str, Query(max_length=200)] = "",
        in_: Annotated[str, Query(alias="in", max_length=10)] = "",
        id: Annotated[str, Query(max_length=2000)] = "",
        direction: Annotated[str, Query(max_length=20)] = Direction.DOWNSTREAM.value,
        max_hops: Annotated[str, Query(alias="maxHops", max_length=10)] = "",
        via: Annotated[list[str] | None, Query(max_length=40)] = None,
        focus: Annotated[str, Query(max_length=2000)] = "",
        hop: Annotated[str, Query(max_length=10)] = "",
        cls: Annotated[str, Query(max_length=60)] = "",
        offset: Annotated[str, Query(max_length=10)] = "0",
        shape: Annotated[str, Query(alias="view", max_length=20)] = "",
    ) -> Response:
        visitor = allowed(request, Permission.READ)
        t = texts(
            language_of(request.query_params.get("lang") or request.cookies.get(LANGUAGE_COOKIE))
        )
        language = t.language
        chosen_via = list(via or [])
        # Bad arguments are named next to their control, in the page's language (400).
        errors: dict[str, str] = {}
        if direction not in Direction.__members__:
            errors["direction"] = f"{direction!r}: {t('ex_bad_direction')}"
        hops_limit: int | None = None
        if max_hops.strip():
            if max_hops.strip().isdigit():
                hops_limit = int(max_hops)
            else:
                errors["maxHops"] = f"{max_hops!r}: {t('ex_bad_max_hops')}"
        unknown = [v for v in chosen_via if v not in Relation.__members__]
        if unknown:
            errors["via"] = f"{', '.join(unknown)}: {t('ex_bad_relation')}"
        search_language = in_ if in_ in SEARCH_LANGUAGES else ""
        arguments = {
            "id": id,
            "direction": direction,
            "maxHops": max_hops.strip(),
            "via": chosen_via,
            "lang": request.query_params.get("lang", ""),
            "view": "clusters" if shape == "clusters" else "",
        }

        def link(**changed: Any) -> str:
            return explorer_url(**{**arguments, **changed})

        def ask() -> Response:
            values: dict[str, Any] = {
                "q": q,
                "search_in": search_language,
                "matches": None,
                "id": id,
                "direction": direction,
                "max_hops": max_hops.strip(),
                "via": chosen_via,
                "relations": [r.name for r in Relation],
                "errors": errors,
                "detail": None,
                "clusters": None,
                "root": None,
                "link": link,
                "kind_of": view.kind_of,
                "class_word": lambda name: CLASS_WORDS[language].get(name, name),
                "layout": view,
                "shape": shape,
            }
            if q.strip():
                values["matches"] = find_by_label(
                    store, q, language=search_language or None, show_in=language, limit=50
                )
            if not id or errors:
                return page(
                    request, "explorer.html", visitor, status=400 if errors else 200, **values
                )
            try:
                traversal = walks(
                    id,
                    direction=Direction(direction),
                    max_hops=hops_limit,
                    via=[Relation[v] for v in chosen_via] or None,
                )
            except UnsupportedElementError as exc:
                errors["id"] = f"{exc}: {t('ex_not_an_impact_root')}"
                return page(request, "explorer.html", visitor, status=400, **values)
            values["root"] = traversal.roots[0]
            # Clusters for a large answer, or when asked for (any answer may be seen so).
            if shape == "clusters" or view.is_large(traversal):
                wanted_hop = int(hop) if hop.isdigit() else None
                start = int(offset) if offset.isdigit() else 0
                found = view.cluster_view(
                    traversal, hops=wanted_hop, kind=cls or None, offset=start
                )
                if (hop or cls) and found.chosen is None:
                    errors["cluster"] = f"{hop}/{cls}: {t('ex_bad_cluster')}"
                values["clusters"] = found
            else:
                values["detail"] = view.detail_view(store, traversal, focus or None)
            status = 400 if errors else 200
            return page(request, "explorer.html", visitor, status=status, **values)

        return answered(request, ask)
