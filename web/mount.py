"""Puts the web workspace on the API's app: its pages, their assets, offline API docs."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from fastapi import FastAPI

    from journeykg.access.tokens import TokenStore
    from journeykg.graph.lifecycle import LifecyclePicture
    from journeykg.graph.store import Store
    from journeykg.settings import Settings


def install_web(
    app: FastAPI,
    store: Store,
    tokens: TokenStore,
    settings: Settings,
    picture: Callable[[], LifecyclePicture],
) -> None:
    """Serve the workspace on ``app``: pages at /, assets at /static, /docs and /redoc.

    ``picture``: the lifecycle picture kept between requests (the start page's).
    """
    from starlette.staticfiles import StaticFiles

    from journeykg.web.offline_assets import install_api_docs
    from journeykg.web.pages import install_pages

    install_api_docs(app)
    install_pages(app, store, tokens, picture, anonymous_read=settings.anonymous_read)
    app.mount("/static", StaticFiles(packages=[("journeykg.web", "static")]), name="static")
