"""Provenance of loaded facts: which load wrote each element, and when.

Every load is a ``prov:Activity``; every subject it writes points at it with
``prov:wasGeneratedBy``. Because a write replaces the values of each
(subject, predicate) it mentions, an element always points at the load that
last wrote it, which is what "how fresh is this answer?" needs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from rdflib import Graph, Literal, URIRef

from journeykg.graph.ids import Identifiers
from journeykg.namespaces import DCTERMS, PROV, RDF, RDFS, XSD


def stamp(delta: Graph, ids: Identifiers, source: str, started: datetime) -> URIRef:
    """Add the load activity to ``delta`` and link every subject to it; returns the activity."""
    ended = datetime.now(UTC)
    activity = ids.iri(f"run/load-{ended:%Y%m%dT%H%M%S%fZ}")
    subjects = {s for s in delta.subjects() if isinstance(s, URIRef)}
    for subject in subjects:
        delta.add((subject, PROV.wasGeneratedBy, activity))
    delta.add((activity, RDF.type, PROV.Activity))
    delta.add((activity, RDFS.label, Literal(f"load of {source}")))
    delta.add((activity, DCTERMS.source, Literal(source)))
    delta.add((activity, PROV.startedAtTime, _time(started)))
    delta.add((activity, PROV.endedAtTime, _time(ended)))
    return activity


def _time(moment: datetime) -> Literal:
    return Literal(moment.isoformat(timespec="milliseconds"), datatype=XSD.dateTime)
