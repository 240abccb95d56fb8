"""The demo organisation in a store, kept across runs: what ``journeykg demo`` does before serving.

A run loads the demo organisation (Polder Telecom) and the journeykg
glossary into the store, but only the elements the store does not hold yet
(:func:`~journeykg.loaders.pipeline.load_new_elements`): whatever is there
already, with every governance decision, saved scenario and sync since, is
left as it is. So a re-run destroys nothing; it restores demo elements that
are missing and says what it kept. Only ``reset`` empties the graph first
(governance history and scenarios go with it, into the audit trail); the
API tokens and the audit trail itself are never removed.
"""

from __future__ import annotations

from dataclasses import dataclass

from journeykg.access.tokens import TokenStore
from journeykg.graph.audit_context import audit_reason
from journeykg.graph.audited import AuditedStore
from journeykg.graph.store import Store
from journeykg.loaders.pipeline import NewElementsReport, load_new_elements
from journeykg.namespaces import JKG, PROV
from journeykg.resources import DEMO_DATASET, GLOSSARY_DATASET

__all__ = ["DemoOutcome", "Kept", "prepare"]


@dataclass(frozen=True)
class Kept:
    """What the store holds besides the demo data as it was shipped: what a run keeps."""

    governance_steps: int
    """Workflow steps (proposals, decisions, migrations), each with who took it and why."""
    versions: int
    """Versions of governed concepts and framework elements."""
    change_proposals: int
    scenarios: int
    """Saved what-if scenarios."""
    tokens: int
    """API tokens that are neither revoked nor expired."""
    audit_entries: int
    """Entries in the store's audit trail."""


@dataclass(frozen=True)
class DemoOutcome:
    """What a run did to the store."""

    reset: bool
    removed_triples: int
    """Triples the reset removed (0 without one)."""
    organisation: NewElementsReport
    glossary: NewElementsReport
    kept: Kept


def prepare(store: Store, tokens: TokenStore | None, *, reset: bool = False) -> DemoOutcome:
    """Load the demo organisation and glossary into ``store``, keeping what is there.

    ``reset`` first empties the graph: the one way a demo run removes
    governance history and scenarios. ``tokens`` are counted, never changed.
    """
    removed = 0
    if reset:
        removed = len(store.export())
        with audit_reason(reason="journeykg demo --reset: start the demo organisation afresh"):
            store.clear()
    organisation = load_new_elements(store, DEMO_DATASET)
    glossary = load_new_elements(store, GLOSSARY_DATASET)
    return DemoOutcome(
        reset=reset,
        removed_triples=removed,
        organisation=organisation,
        glossary=glossary,
        kept=kept(store, tokens),
    )


def kept(store: Store, tokens: TokenStore | None) -> Kept:
    """Count what the store holds beyond the shipped demo data."""
    active = 0
    if tokens is not None:
        now = tokens.clock()
        active = sum(1 for t in tokens.tokens() if t.status(now) == "active")
    entries = store.journal.entries(limit=0)[1] if isinstance(store, AuditedStore) else 0
    return Kept(
        # Every workflow step records who took it through its qualified association.
        governance_steps=len(store.instances(PROV.Association)),
        versions=len(store.instances(JKG.ConceptVersion)),
        change_proposals=len(store.instances(JKG.ChangeProposal)),
        scenarios=len(store.instances(JKG.Scenario)),
        tokens=active,
        audit_entries=entries,
    )
