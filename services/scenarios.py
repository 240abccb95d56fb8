"""What-if scenarios kept under a name: save, list, load, compare and discard.

A saved scenario is a change set stored in the graph (``scenario/<slug>``,
a ``jkg:Scenario``), checked against the graph before it is kept. What a
change set would do is :mod:`journeykg.graph.scenario`'s: evaluating and
comparing never write. A change set that names what does not exist is
refused with :class:`~journeykg.graph.scenario.ScenarioError` and an unknown
scenario with :class:`~journeykg.graph.errors.UnknownElementError`; nothing
is written then.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from rdflib import Graph, Literal

from journeykg.graph.audit_context import audit_reason
from journeykg.graph.errors import UnknownElementError
from journeykg.graph.scenario import (
    Change,
    ScenarioComparison,
    ScenarioError,
    apply_changes,
    compare,
    parse_changes,
)
from journeykg.graph.store import Capability, Store, require
from journeykg.namespaces import DCTERMS, JKG, RDF, RDFS, XSD

__all__ = ["SavedScenario", "compare_saved", "discard", "load", "save", "saved"]


@dataclass(frozen=True)
class SavedScenario:
    """A change set kept in the graph under a name."""

    id: str
    name: str
    created: str
    changes: tuple[Change, ...]


def _dump(changes: Sequence[Change]) -> str:
    return json.dumps(
        [c.model_dump(mode="json", by_alias=True) for c in changes], ensure_ascii=False
    )


def save(store: Store, name: str, changes: Sequence[Change]) -> SavedScenario:
    """Check ``changes`` against the graph, then keep them as ``scenario/<slug of name>``."""
    require(store, Capability.WRITABLE, "save a scenario")
    if not name.strip():
        raise ScenarioError("name: a scenario needs a name")
    apply_changes(store, changes)  # refuses ids that do not exist before anything is written
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "scenario"
    iri = store.ids.iri(f"scenario/{slug}")
    created = datetime.now(UTC).replace(microsecond=0).isoformat()
    delta = Graph()
    delta.add((iri, RDF.type, JKG.Scenario))
    delta.add((iri, RDFS.label, Literal(name)))
    delta.add((iri, JKG.changeSet, Literal(_dump(changes))))
    delta.add((iri, DCTERMS.created, Literal(created, datatype=XSD.dateTime)))
    store.upsert(delta)
    return SavedScenario(store.ids.key(str(iri)), name, created, tuple(changes))


def saved(store: Store) -> list[SavedScenario]:
    """Every saved scenario, by id."""
    found = []
    iris = store.instances(JKG.Scenario)
    facts = store.describe(iris)
    for iri in iris:
        found.append(
            SavedScenario(
                id=store.ids.key(str(iri)),
                name=str(facts.value(iri, RDFS.label) or ""),
                created=str(facts.value(iri, DCTERMS.created) or ""),
                changes=tuple(parse_changes(json.loads(str(facts.value(iri, JKG.changeSet))))),
            )
        )
    return found


def load(store: Store, ident: str) -> SavedScenario:
    """One saved scenario; :class:`UnknownElementError` if there is none."""
    iri = store.ids.iri(ident)
    for scenario in saved(store):
        if store.ids.iri(scenario.id) == iri:
            return scenario
    raise UnknownElementError(ident, str(iri))


def compare_saved(store: Store, a: str, b: str) -> ScenarioComparison:
    """Two saved scenarios evaluated and compared (:func:`journeykg.graph.scenario.compare`)."""
    return compare(store, load(store, a).changes, load(store, b).changes)


def discard(store: Store, ident: str, *, rationale: str | None = None) -> None:
    """Forget a saved scenario; the audit trail keeps it, who discarded it and ``rationale``."""
    require(store, Capability.WRITABLE, "discard a scenario")
    scenario = load(store, ident)
    with audit_reason(reason=rationale):
        store.retract([store.ids.iri(scenario.id)])
