"""A question's answer kept for the graph's generation, asked again only after a write.

The lifecycle picture is a function of the graph alone, yet on Neo4j it takes
a score of round trips (every figure of ``priorities`` and the framework). Kept
under :meth:`journeykg.graph.store.Store.generation`, read *before* the
question is asked, a kept answer is never older than the graph it is shown
for: every write changes the generation (ARCHITECTURE.md, "Invariants"). The
same rule keeps the coverage report (:class:`.coverage_pages.LatestReport`)
and the API's answers (api/cached_answers.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from journeykg.graph.store import Store

T = TypeVar("T")


class KeptPerGeneration(Generic[T]):
    """``question(store)``, asked once per generation of ``store``'s graph."""

    def __init__(self, store: Store, question: Callable[[Store], T]) -> None:
        self.store = store
        self.question = question
        self._kept: tuple[str, T] | None = None

    def __call__(self) -> T:
        """The answer for the graph as it is now."""
        generation = self.store.generation()
        kept = self._kept  # one read: another thread may replace it meanwhile
        if kept is not None and kept[0] == generation:
            return kept[1]
        answer = self.question(self.store)
        self._kept = (generation, answer)
        return answer
