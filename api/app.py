"""The FastAPI application; the only place where the HTTP layer is wired."""

# No `from __future__ import annotations`: FastAPI must see the closures' Depends(...).

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cached_property
from typing import Annotated, Any

from cross_web import HTTPException as TransportError
from fastapi import Depends, FastAPI, Response
from starlette.exceptions import HTTPException
from strawberry.fastapi import BaseContext, GraphQLRouter
from strawberry.types.unset import UNSET

import journeykg
from journeykg import bootstrap
from journeykg.access.roles import Principal
from journeykg.access.tokens import TokenStore, TokenStoreUnavailableError
from journeykg.api.answer_cache import AnswerCache
from journeykg.api.auth import (
    Authenticator,
    ForbiddenError,
    NotAuthenticatedError,
    forbidden,
    not_authenticated,
    token_store_unavailable,
)
from journeykg.api.bodies import read_json
from journeykg.api.context import Context
from journeykg.api.diagram_routes import diagram_router
from journeykg.api.errors import RETRY_AFTER_SECONDS, STORE_UNAVAILABLE
from journeykg.api.health import health_router
from journeykg.api.limits import QueryLimits
from journeykg.api.middleware import BodyLimit, BodyLimitMiddleware, RequestIdMiddleware
from journeykg.api.problems import install_problem_handlers
from journeykg.api.queries import query
from journeykg.api.request_size import (
    BODY_FACTOR,
    RequestSize,
    RequestTooLargeError,
    check_request,
    graphql_body_limit,
    too_large,
)
from journeykg.api.schema import build_schema
from journeykg.api.sync_routes import sync_router
from journeykg.api.token_routes import token_router
from journeykg.api.worker import CountingMiddleware, WorkerStats, worker_router
from journeykg.graph.audited import AuditedStore
from journeykg.graph.store import Store
from journeykg.services.governance.workflow import Clock, system_clock
from journeykg.services.tokens import TokenAdmin
from journeykg.settings import Settings
from journeykg.web import kept_per_generation
from journeykg.web.kept_per_generation import UpdatedPicture
from journeykg.web.mount import install_web
from journeykg.web.offline_assets import served_locally


class HttpContext(Context, BaseContext):
    """The context of a request over HTTP: strawberry's router adds the request to it."""


class _Router(GraphQLRouter[Context, None]):
    """Strawberry's GraphQL router: requests' sizes checked first, GraphiQL on our examples."""

    def __init__(self, *args: Any, request_size: RequestSize, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_size = request_size

    async def execute_operation(
        self,
        request: Any,
        request_adapter: Any,
        request_data: Any,
        context: Any,
        root_value: Any,
        sub_response: Any,
    ) -> Any:
        # Before strawberry parses or runs anything: a request too large is a 413 problem.
        for data in request_data if isinstance(request_data, list) else [request_data]:
            check_request(data.query, data.variables, self.request_size)
        return await super().execute_operation(
            request=request,
            request_adapter=request_adapter,
            request_data=request_data,
            context=context,
            root_value=root_value,
            sub_response=sub_response,
        )

    @cached_property
    def graphql_ide_html(self) -> str:
        html = super().graphql_ide_html
        start = html.index("const EXAMPLE_QUERY = `") + len("const EXAMPLE_QUERY = `")
        end = html.index("`;", start)
        examples = query("examples").replace("\\", "\\\\").replace("`", "\\`").replace("${", "\\${")
        # Its scripts and styles from the app itself, never a CDN (web/offline_assets.py).
        return served_locally(html[:start] + examples + html[end:])

    def parse_json(self, data: str | bytes) -> Any:
        # strawberry hands over a POST body as bytes, and a GET parameter
        # (variables, extensions) as text.
        return read_json(data, whole_request=isinstance(data, bytes))

    async def run(self, request: Any, context: Any = UNSET, root_value: Any = UNSET) -> Any:
        # A request strawberry cannot read (wrong content type, a body that
        # is not JSON, no query) is refused by its transport layer with a
        # plain-text answer; re-raised as an HTTP error it becomes
        # problem+json with the request id, as every other error does.
        try:
            return await super().run(request, context=context, root_value=root_value)
        except TransportError as exc:
            raise HTTPException(exc.status_code, exc.reason) from exc

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        # An unreachable store is the server's trouble, not the query's: say so
        # with 503 and Retry-After, so that clients and proxies back off.
        response = super().create_response(response_data, sub_response)
        answers = response_data if isinstance(response_data, list) else [response_data]
        codes = {
            (e.get("extensions") or {}).get("code")
            for answer in answers
            for e in answer.get("errors") or ()
        }
        if STORE_UNAVAILABLE in codes:
            response.status_code = 503
            response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response


def create_app(
    store: Store,
    clock: Clock = system_clock,
    settings: Settings | None = None,
    tokens: TokenStore | None = None,
    *,
    warm: bool = False,
) -> FastAPI:
    """An app serving ``store``: GraphQL (GraphiQL) at /graphql, /sync, /tokens, /health.

    ``clock`` is the governance workflow's clock (tests pass a fixed one);
    ``settings`` default to the environment's; ``tokens`` to the token database
    in the store's state directory (graph/state.py). The settings also set the
    request limits and whether introspection and GraphiQL are on (docs/hardening.md).
    ``warm``: compute the lifecycle picture in the background when the app starts
    (``journeykg serve``), before anyone asks for the start page.
    """
    settings = settings or bootstrap.load_settings()
    if tokens is None:
        tokens = bootstrap.token_store(bootstrap.state_of(store, settings))
    journal = store.journal if isinstance(store, AuditedStore) else None
    admin = TokenAdmin(tokens, journal, store.ids, store.name)
    auth = Authenticator(tokens, anonymous_read=settings.anonymous_read)
    app = FastAPI(
        title="journeykg",
        version=journeykg.__version__,
        description=(
            "A governed knowledge graph for customer-journey management. Every request but "
            "/health needs `Authorization: Bearer <token>` (docs/security.md)."
        ),
        # /docs and /redoc are the web workspace's, on assets the app serves itself.
        docs_url=None,
        redoc_url=None,
    )
    app.add_exception_handler(NotAuthenticatedError, not_authenticated)
    app.add_exception_handler(ForbiddenError, forbidden)
    app.add_exception_handler(RequestTooLargeError, too_large)
    app.add_exception_handler(TokenStoreUnavailableError, token_store_unavailable)

    # One picture kept for the start page and for GraphQL's priorities (its figures).
    picture = kept_per_generation.picture_keeper(store)
    ranked = picture if isinstance(picture, UpdatedPicture) else None
    answers = (
        AnswerCache(settings.answer_cache_entries, settings.answer_cache_bytes)
        if settings.answer_cache_entries and settings.answer_cache_bytes
        else None
    )

    async def context(
        principal: Annotated[Principal, Depends(auth.graphql_principal)],
    ) -> Context:
        return HttpContext(
            store=store, principal=principal, clock=clock, answers=answers, picture=ranked
        )

    app.include_router(
        _Router(
            build_schema(QueryLimits.of(settings)),
            context_getter=context,
            graphql_ide="graphiql" if settings.graphql_ide else None,
            # The schema has no subscriptions: no websocket endpoint to authenticate at all.
            subscription_protocols=(),
            request_size=RequestSize.of(settings),
        ),
        prefix="/graphql",
    )

    # Where tests and operators find the kept answers (hits, misses, size) and picture.
    app.state.answers = answers
    app.state.picture = picture
    app.state.warm_up = None
    if warm:
        inner = app.router.lifespan_context

        @asynccontextmanager
        async def lifespan(app_: FastAPI) -> AsyncIterator[None]:
            app_.state.warm_up = kept_per_generation.warm_up(picture)
            async with inner(app_):
                yield

        app.router.lifespan_context = lifespan
    app.include_router(sync_router(store, settings, auth))
    app.include_router(token_router(admin, auth))
    app.include_router(health_router(store, auth))
    app.include_router(diagram_router(store, auth, picture))
    stats = WorkerStats()
    app.include_router(worker_router(stats, store.name, auth))
    install_problem_handlers(app)
    install_web(app, store, tokens, settings, picture)
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_body_bytes,
        timeout=settings.body_timeout,
        paths={
            "/graphql": BodyLimit(
                graphql_body_limit(settings),
                f"{BODY_FACTOR} x (JOURNEYKG_MAX_QUERY_BYTES + JOURNEYKG_MAX_VARIABLES_BYTES), "
                "at most JOURNEYKG_MAX_BODY_BYTES",
            )
        },
    )
    app.add_middleware(CountingMiddleware, stats=stats)
    # Added last, so outermost: the request id is current for everything inside.
    app.add_middleware(RequestIdMiddleware)

    return app
