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

import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

from journeykg.graph.lifecycle import LifecyclePicture
from journeykg.graph.lifecycle_kept import KeptPicture, updated
from journeykg.graph.store import Store

T = TypeVar("T")
log = logging.getLogger(__name__)


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


class UpdatedPicture:
    """The lifecycle picture, kept per generation and *updated* after a write.

    Where :class:`KeptPerGeneration` asks the whole question again after any
    write, this keeps the picture's parts (:mod:`journeykg.graph.lifecycle_kept`)
    and recomputes only the journeys and cells the writes since can have
    changed (the store's :meth:`~journeykg.graph.store.Store.changes_since`),
    or all of it when that is not known. The answer is the one a full
    computation gives (``tests/graph/test_lifecycle_kept.py``); the generation
    is read before the update, as above.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._kept: KeptPicture | None = None
        # One update at a time: a request that comes while the picture is computed
        # (seconds at 1M nodes, on a server's start) waits for that computation
        # instead of making a second one beside it on the same two cores.
        self._lock = threading.Lock()

    def __call__(self) -> LifecyclePicture:
        """The picture for the graph as it is now."""
        return self.current().picture

    def current(self) -> KeptPicture:
        """The picture for the graph as it is now, with its parts (GraphQL's ``priorities``
        ranks the journeys' figures kept in them)."""
        with self._lock:
            fresh = updated(self.store, self._kept, self.store.generation())
            self._kept = fresh
            return fresh

    @property
    def kept(self) -> KeptPicture | None:
        """What is kept now (the bench reports how many journeys the last update recomputed)."""
        return self._kept


def warm_up(picture: Callable[[], LifecyclePicture]) -> threading.Thread:
    """Compute ``picture`` in a background thread (a server's start), so that the first
    visitor of the start page does not wait for the whole computation (7.5 s on Neo4j,
    17 s embedded at 1M nodes): it waits only for what is left of it, or not at all.

    A store that cannot answer yet is not an error here: the first request computes
    the picture, or says the store is unavailable, as it would have without this.
    """

    def compute() -> None:
        try:
            picture()
        except Exception as exc:  # the request that needs the picture reports it
            log.warning("the lifecycle picture was not computed at start: %s", type(exc).__name__)

    thread = threading.Thread(target=compute, name="journeykg-picture-warm-up", daemon=True)
    thread.start()
    return thread


def picture_keeper(store: Store) -> Callable[[], LifecyclePicture]:
    """How the start page keeps its picture (the bench swaps in main's way for its *before*)."""
    return UpdatedPicture(store)
