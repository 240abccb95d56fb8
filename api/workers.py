"""The threads that parse, validate and measure GraphQL documents, off the event loop.

Parsing a query text and validating it are pure Python and take time in
proportion to the text: done on the event loop they would stall every other
request meanwhile. They run here instead, on a small fixed pool: at most
``WORKERS`` at once, the rest queued, so a burst of large documents occupies
two threads, not every thread the server has.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

#: Documents checked at once; one per core of the 2-core machines journeykg is sized for.
WORKERS = 2

_pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="journeykg-graphql")


async def off_loop(fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """``fn(*args, **kwargs)`` on the document pool, awaited without blocking the loop."""
    return await asyncio.get_running_loop().run_in_executor(_pool, partial(fn, *args, **kwargs))
