"""Relay-style connections (``first``/``after``, ``totalCount``, ``pageInfo``) over lists.

Cursors are opaque base64 strings over the offset, as in graphql-relay's
array connections; a cursor from another list is refused, not guessed at.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from contextvars import ContextVar
from typing import Generic, TypeVar

import strawberry
from graphql import GraphQLError

T = TypeVar("T")

#: The largest page a client may ask for; bigger requests are refused, not truncated
#: (a clamped page would look complete to a client that does not read pageInfo).
MAX_PAGE = 500
DEFAULT_PAGE = 50

#: The cap in force for the running operation: JOURNEYKG_MAX_PAGE_SIZE, set by
#: the schema's PageCap extension (journeykg.api.limits); MAX_PAGE elsewhere.
page_cap: ContextVar[int] = ContextVar("page_cap", default=MAX_PAGE)
_PREFIX = "offset:"


def encode_cursor(offset: int) -> str:
    return base64.b64encode(f"{_PREFIX}{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.b64decode(cursor.encode(), validate=True).decode()
        if not text.startswith(_PREFIX):
            raise ValueError(cursor)
        return int(text[len(_PREFIX) :])
    except ValueError as exc:
        raise GraphQLError(
            f"invalid cursor {cursor!r}: use a cursor this API returned",
            extensions={"code": "BAD_REQUEST"},
        ) from exc


def page_bounds(first: int | None, after: str | None) -> tuple[int, int]:
    """(offset, size) for a page request, with the size capped by the page cap."""
    size = DEFAULT_PAGE if first is None else first
    cap = page_cap.get()
    if size < 0 or size > cap:
        raise GraphQLError(
            f"first must be between 0 and {cap}, got {size}",
            extensions={"code": "BAD_REQUEST"},
        )
    offset = decode_cursor(after) + 1 if after else 0
    return offset, size


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type
class Connection(Generic[T]):
    total_count: int
    edges: list[Edge[T]]
    page_info: PageInfo

    @classmethod
    def of(
        cls, items: Sequence[T], first: int | None, after: str | None, total: int | None = None
    ) -> Connection[T]:
        """A page of ``items`` (the whole list), or of a list already cut at ``offset``."""
        offset, size = page_bounds(first, after)
        window = items[offset : offset + size]
        return cls.window(window, offset, total if total is not None else len(items))

    @classmethod
    def window(cls, window: Sequence[T], offset: int, total: int) -> Connection[T]:
        """A connection over one already-cut page starting at ``offset``."""
        edges = [Edge(cursor=encode_cursor(offset + i), node=n) for i, n in enumerate(window)]
        return cls(
            total_count=total,
            edges=edges,
            page_info=PageInfo(
                has_next_page=offset + len(window) < total,
                has_previous_page=offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
        )
