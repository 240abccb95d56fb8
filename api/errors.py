"""Store calls from resolvers: off the event loop, with expected failures as coded errors."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from graphql import GraphQLError

from journeykg.graph.errors import StoreError, UnknownElementError

P = ParamSpec("P")
T = TypeVar("T")


async def store_call(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Run ``fn`` in a worker thread; NOT_FOUND, BAD_REQUEST or STORE_UNAVAILABLE on failure."""
    try:
        return await asyncio.to_thread(fn, *args, **kwargs)
    except UnknownElementError as exc:
        raise GraphQLError(str(exc), extensions={"code": "NOT_FOUND"}) from exc
    except ValueError as exc:  # includes UnsupportedElementError and ScenarioError
        raise GraphQLError(str(exc), extensions={"code": "BAD_REQUEST"}) from exc
    except StoreError as exc:
        raise GraphQLError(str(exc), extensions={"code": "STORE_UNAVAILABLE"}) from exc
