"""Python's cyclic garbage collector paused while a load or a sync builds many objects.

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

A sync's batches (loaders/sync/engine.py) and the loop after it
(services/sync_runs.py) run paused too: there the objects are short-lived,
but each collection they set off also walked the process's long-lived ones
(ontology, shapes, modules), 0.2-0.3 s of a 1,010-record sync's 0.75 s of
CPU; the engine collects the young generations after each batch instead.

The lifecycle picture computed in full (graph/lifecycle.py ``picture_parts``:
30,000 journeys at 1M nodes, their records, IRIs and figures) runs paused as
well: measured on Neo4j at 1M nodes, the collector took ~1.0 s of the
question's 2.3 s of client CPU (docs/benchmarks.md, "The reached costs summed
by the plugin"). It lives in graph/, the lowest layer that pauses it; the
loaders import it from here (loaders/collector_pause.py). The pause is the
process's: while a picture is computed in one thread (a request, or the warm-up
when the server starts), the others run without the cyclic collector too
(reference counting still frees what they drop); whichever pause found the
collector running enables it again.
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
