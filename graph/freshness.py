"""How fresh an answer is: the latest load or sync that wrote the facts it used."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from rdflib import URIRef

from journeykg.graph.edges import follow
from journeykg.graph.store import Store
from journeykg.namespaces import PROV


def data_as_of(store: Store, elements: Collection[URIRef]) -> str | None:
    """The latest ``prov:endedAtTime`` of the activities that wrote ``elements``.

    None when none of them carries provenance (data written without a loader).
    """
    activities = {a for _, a in follow(store, PROV.wasGeneratedBy, elements)}
    if not activities:
        return None
    facts = store.describe(activities)
    # Parsed, so that every backend prints the same instant the same way.
    times = [datetime.fromisoformat(str(t)) for t in facts.objects(None, PROV.endedAtTime)]
    return max(times).isoformat(timespec="milliseconds") if times else None
