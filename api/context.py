"""What every GraphQL resolver gets: the store of this app."""

from __future__ import annotations

from dataclasses import dataclass

from strawberry.fastapi import BaseContext

from journeykg.graph.store import Store


@dataclass
class Context(BaseContext):
    """Per-request context."""

    store: Store

    def __post_init__(self) -> None:
        super().__init__()
