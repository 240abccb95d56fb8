"""GraphQL answers kept per graph generation, least recently used first out, within two bounds.

An answer is kept as its JSON text (bytes) under an :class:`AnswerKey`: the
graph's generation read before the answer was computed
(:meth:`journeykg.graph.store.Store.generation`), the caller's role, and the
request itself. Kept as text, its memory is what the bound counts, and every
hit decodes fresh objects, so no request can change what another is
answered.

The cache holds the answers of one generation: the first request that reads
a new generation empties it, and an answer computed under an older
generation (a request that began before a write and ended after it) is not
kept. So a write costs the next request of each question one computation,
and dead answers hold no memory.
"""

from __future__ import annotations

import sys
import threading
from typing import NamedTuple

from cachetools import LRUCache

#: Estimated bytes an entry holds besides its key's texts and its answer (the tuples,
#: the LRU's links).
ENTRY_OVERHEAD = 512


class AnswerKey(NamedTuple):
    """What an answer depends on: the graph's state, who asks, and what exactly they ask."""

    generation: str
    role: str | None
    """The caller's role: answers are not shared across roles, even where none depends on it."""
    query: str
    variables: bytes
    """The request's variables as JSON with sorted keys (one spelling per value)."""
    operation: str | None


class _Entry(NamedTuple):
    answer: bytes
    size: int


def _size(entry: _Entry) -> int:
    return entry.size


class AnswerCache:
    """Answers by :class:`AnswerKey`, bounded by entries and by estimated bytes.

    cachetools' LRUCache keeps the recency order and the byte bound (each
    entry sized by its key's texts, its answer and :data:`ENTRY_OVERHEAD`);
    the entry bound is kept here by dropping the least recent beyond it. Not
    thread-safe by itself (cachetools' caches are not): one lock serialises
    every use.
    """

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.hits = 0
        self.misses = 0
        self._generation: str | None = None
        self._answers: LRUCache[AnswerKey, _Entry] = LRUCache(
            maxsize=max(max_bytes, 1), getsizeof=_size
        )
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._answers)

    @property
    def size(self) -> int:
        """Estimated bytes the kept answers hold."""
        return int(self._answers.currsize)

    def get(self, key: AnswerKey) -> bytes | None:
        """The answer kept for ``key`` (it becomes the most recent); None when there is none.

        A key of another generation than the kept answers' empties the cache first.
        """
        with self._lock:
            if key.generation != self._generation:
                self._answers.clear()
                self._generation = key.generation
            entry = self._answers.get(key)
            if entry is None:
                self.misses += 1
                return None
            self.hits += 1
            return entry.answer

    def put(self, key: AnswerKey, answer: bytes) -> None:
        """Keep ``answer`` for ``key``, unless it is of a generation older than the last read."""
        size = entry_size(key, answer)
        if size > self.max_bytes or self.max_entries < 1:
            return
        with self._lock:
            if key.generation != self._generation:
                return
            self._answers[key] = _Entry(answer, size)
            while len(self._answers) > self.max_entries:
                self._answers.popitem()


def entry_size(key: AnswerKey, answer: bytes) -> int:
    """Estimated bytes an entry for ``key`` and ``answer`` holds."""
    texts = (key.generation, key.role or "", key.query, key.operation or "")
    return (
        sum(sys.getsizeof(t) for t in texts)
        + sys.getsizeof(key.variables)
        + sys.getsizeof(answer)
        + ENTRY_OVERHEAD
    )
