"""Python's cyclic garbage collector paused while a load builds millions of objects.

A load of an organisation allocates millions of rdflib terms, triples and
index entries that all live until the load ends. The cyclic collector runs
after every few hundred allocations and, as the heap grows, walks all of
them again in its older generations: measured on the 100k organisation
(371,558 triples), building the gate's graph took 12.9 s with it running
and 6.4 s without (docs/benchmarks.md, "Neo4j product load"). None of what
a load builds needs the cycle collector to be freed (reference counting
frees it when the load's graphs go), so it is paused for the load and
enabled again when the load ends (``gc.disable`` is the standard library's
own answer for code that allocates many long-lived objects at once).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector inside the block; enable it again after, if it ran."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
