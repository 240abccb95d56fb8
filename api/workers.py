"""The thread that parses, validates and measures GraphQL documents, off the event loop.

Parsing a query text and validating it are pure Python and take time in
proportion to the text: done on the event loop they would stall every other
request meanwhile. They run here instead, one document at a time, the rest
queued. One thread, not one per core: the work holds the GIL, so a second
thread would add no throughput, only a second contender for the GIL that the
event loop needs between its requests (measured under three clients sending
costly documents for 6 s: 67 to 79 small queries answered with one thread,
38 to 49 with two).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

#: Documents checked at once.
WORKERS = 1

_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="journeykg-graphql")


async def off_loop(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` on the document pool, awaited without blocking the loop."""
    return await asyncio.get_running_loop().run_in_executor(_pool, partial(fn, *args, **kwargs))
