"""What a GraphQL request may ask for: sizes, depth, tokens, aliases, cost, pages, introspection.

The limits are settings (docs/hardening.md lists each, its default and what a
caller gets beyond it). They are enforced in five places, cheapest first:

- the request's size, before anything is parsed: the query text's bytes, the
  variables' bytes and the length of every list in them
  (:mod:`journeykg.api.request_size`, a 413 problem);
- parsing: graphql-core's token limit stops the parser (:mod:`journeykg.api.documents`);
- validation: depth, aliases, cost, literal page sizes and literal list
  lengths, one rule of our own (:mod:`journeykg.api.budget`); introspection
  with strawberry's ``DisableIntrospection`` (graphql-core's
  ``NoSchemaIntrospectionCustomRule``);
- before running: the cost again with the variables' list lengths
  (:class:`~journeykg.api.budget.VariableBudget`), and while running the page
  cap for a page size given by a variable (:class:`PageCap`).

Parsing and validation run off the event loop and are cached per query text
within a memory budget (:mod:`journeykg.api.documents`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from strawberry.extensions import AddValidationRules, DisableIntrospection, SchemaExtension

from journeykg.api.budget import Budget, VariableBudget, budget_rule
from journeykg.api.documents import CheckedDocuments, DocumentCache
from journeykg.api.pagination import page_cap
from journeykg.settings import Settings

#: Most distinct query texts whose parse and validation are kept (least recent out first).
DOCUMENT_CACHE_SIZE = 256


@dataclass(frozen=True)
class QueryLimits:
    """The limits one schema enforces (hashable: schemas are cached per set of limits)."""

    max_depth: int = 15
    max_tokens: int = 2_000
    max_aliases: int = 30
    max_cost: int = 200_000
    max_page_size: int = 500
    max_list_items: int = 100
    document_cache_bytes: int = 32 * 1024 * 1024
    introspection: bool = False

    @classmethod
    def of(cls, settings: Settings) -> QueryLimits:
        """The limits the settings ask for."""
        return cls(
            max_depth=settings.max_query_depth,
            max_tokens=settings.max_query_tokens,
            max_aliases=settings.max_aliases,
            max_cost=settings.max_query_cost,
            max_page_size=settings.max_page_size,
            max_list_items=settings.max_list_items,
            document_cache_bytes=settings.document_cache_bytes,
            introspection=settings.graphql_introspection,
        )

    @property
    def budget(self) -> Budget:
        """What one operation may cost."""
        return Budget(
            max_depth=self.max_depth,
            max_aliases=self.max_aliases,
            max_cost=self.max_cost,
            max_page_size=self.max_page_size,
            max_list_items=self.max_list_items,
        )

    def extensions(self) -> list[Callable[[], SchemaExtension]]:
        """Strawberry schema extensions enforcing these limits (one fresh set per request)."""
        budget = self.budget
        rule = budget_rule(budget)
        cache = document_cache(self)
        hide_suggestions = not self.introspection
        extensions: list[Callable[[], SchemaExtension]] = [
            lambda: AddValidationRules([rule]),
            lambda: CheckedDocuments(cache, self.max_tokens, hide_suggestions),
            lambda: VariableBudget(budget),
            lambda: PageCap(self.max_page_size),
        ]
        if not self.introspection:
            extensions.append(DisableIntrospection)
        return extensions


@cache
def document_cache(limits: QueryLimits) -> DocumentCache:
    """The parse and validation cache of the schema enforcing ``limits``.

    One per set of limits: what a text was validated with (the rules, the token
    limit) is the schema's.
    """
    return DocumentCache(DOCUMENT_CACHE_SIZE, limits.document_cache_bytes)


class PageCap(SchemaExtension):
    """Makes the configured page cap the one connections check while the operation runs."""

    def __init__(self, cap: int) -> None:
        self.cap = cap

    def on_operation(self) -> Any:
        token = page_cap.set(self.cap)
        try:
            yield
        finally:
            page_cap.reset(token)
