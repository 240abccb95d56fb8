"""Laying a DOT source out with Graphviz's ``dot`` (Debian's graphviz package) into SVG or PNG.

The ``graphviz`` package runs the ``dot`` program; a missing program is
told as what to install, not as a traceback.
"""

from __future__ import annotations

import graphviz


class LayoutEngineMissingError(RuntimeError):
    """Graphviz's ``dot`` program is not installed."""


def laid_out(source: str, engine_format: str) -> bytes:
    """``source`` (DOT) laid out by ``dot`` in ``engine_format`` (svg or png)."""
    try:
        drawn: bytes = graphviz.Source(source).pipe(format=engine_format, engine="dot")
    except graphviz.ExecutableNotFound as exc:
        raise LayoutEngineMissingError(
            "Graphviz's dot program is missing: install Debian's graphviz package "
            "(`apt-get install graphviz`; `make demo` and `make test` do)"
        ) from exc
    return drawn
