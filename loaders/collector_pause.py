"""The cyclic garbage collector paused while a load or a sync builds many objects.

Defined in graph/collector_pause.py (why, and what it was measured to save), where
the lifecycle picture uses it too; the loaders and their callers import it here.
"""

from __future__ import annotations

from journeykg.graph.collector_pause import collector_paused

__all__ = ["collector_paused"]
