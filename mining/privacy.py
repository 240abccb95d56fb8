"""The k-threshold: a result shows a variant or a path only when at least k customers followed it.

A rare path can single a customer out even under a pseudonym (the only one who phoned
three times on a Sunday); below k customers a result keeps only how many cases it
leaves out, never which path they took.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def at_least_k(items: Sequence[T], customers: Callable[[T], int], k: int) -> tuple[list[T], int]:
    """The items followed by at least ``k`` customers, and how many items were left out."""
    kept = [item for item in items if customers(item) >= k]
    return kept, len(items) - len(kept)
