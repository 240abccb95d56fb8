"""The one way the insight services write: the SHACL gate, then one audited atomic write."""

from __future__ import annotations

from collections.abc import Collection

from rdflib import Graph, URIRef

from journeykg.graph.audit_context import audit_reason
from journeykg.graph.gate_view import GateView
from journeykg.graph.store import Capability, Store, require
from journeykg.services.insights.errors import InsightValidationError
from journeykg.validation.focused import check_focused

#: Where the gate's problems say they come from.
SOURCE = "insights"


def gated_write(
    store: Store,
    delta: Graph,
    record: str,
    *,
    retract: Collection[URIRef] = (),
    why: str | None = None,
) -> None:
    """Validate ``delta`` (as it would be stored) and write it in one transaction, or nothing.

    The store is the audited store the entry point opened
    (:func:`journeykg.bootstrap.open_store`), so the write is recorded with
    the caller's :func:`~journeykg.graph.audit_context.audit_context`; its
    guard refuses any change to governed data as for every other write.
    """
    require(store, Capability.WRITABLE, f"write {record}")
    # The compiled shapes where they apply (the same results as pySHACL, a fraction of the
    # cost): after a sync the loop writes one signal and insight per cause.
    gate = check_focused(delta, GateView(store), SOURCE, store.ids, retract=retract)
    if gate.violations:
        raise InsightValidationError(record, gate.violations)
    with audit_reason(reason=why):
        store.apply(delta, retract)
