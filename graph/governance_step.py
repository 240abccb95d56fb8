"""The one way a write may change governed elements: a step of the governance workflow.

The audited store (graph/audited.py) refuses every write that would change
a governed element (:mod:`journeykg.graph.governed`), except one made here.
Only the workflow (``journeykg.services.governance.workflow``) may import
this module: an import-linter contract in pyproject.toml (``make layers``)
holds every other package to it, so no loader, entry point or flag can ask
for the way through.
"""

from __future__ import annotations

from collections.abc import Collection
from contextvars import ContextVar

from rdflib import Graph, URIRef

from journeykg.graph.store import Store

_step: ContextVar[str | None] = ContextVar("journeykg_governance_step", default=None)


def current_step() -> str | None:
    """The workflow step whose write is under way in this context, if any."""
    return _step.get()


def write_step(store: Store, delta: Graph, *, step: str, retract: Collection[URIRef] = ()) -> None:
    """Write the workflow's ``step`` (``approve concept/fcr``) in one :meth:`Store.apply`.

    Subjects in ``retract`` go first, whole (a deletion, a text rewritten).
    """
    token = _step.set(step)
    try:
        store.apply(delta, retract)
    finally:
        _step.reset(token)
