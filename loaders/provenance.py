"""Provenance of loaded facts: which load wrote each element, and when.

Every load is a ``prov:Activity``; every subject it writes points at it with
``prov:wasGeneratedBy``. Because a write replaces the values of each
(subject, predicate) it mentions, an element always points at the load that
last wrote it, which is what "how fresh is this answer?" needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from rdflib import Graph, Literal, URIRef

from journeykg.ids import Identifiers
from journeykg.namespaces import DCTERMS, PROV, RDF, RDFS, XSD
from journeykg.validation.graph_index import subjects_of


def load_activity(ids: Identifiers, moment: datetime) -> URIRef:
    """The IRI of the load activity at ``moment`` (minted ahead when records must name it)."""
    return ids.iri(f"run/load-{moment:%Y%m%dT%H%M%S%fZ}")


def stamp(
    delta: Graph,
    ids: Identifiers,
    source: str,
    started: datetime,
    *,
    activity: URIRef | None = None,
    ended: datetime | None = None,
) -> URIRef:
    """Add the load activity to ``delta`` and link every subject to it; returns the activity.

    ``activity``: its IRI, when minted ahead (:func:`load_activity`); else minted from the end.
    ``ended``: when the load ended, if not now (two copies of a delta stamped alike).
    """
    ended = ended or datetime.now(UTC)
    activity = activity if activity is not None else load_activity(ids, ended)
    link(delta, activity, subjects_of(delta))
    describe_activity(delta, activity, f"load of {source}", source, started, ended)
    return activity


def link(delta: Graph, activity: URIRef, subjects: Iterable[URIRef]) -> None:
    """Point each of ``subjects`` at the activity that (last) wrote it."""
    # The store's own add: Graph.add re-checks each term, and a load links a million subjects.
    add, generated_by = delta.store.add, PROV.wasGeneratedBy
    for subject in subjects:
        add((subject, generated_by, activity), delta)


def describe_activity(
    delta: Graph,
    activity: URIRef,
    label: str,
    source: str,
    started: datetime,
    ended: datetime | None,
) -> None:
    """The activity itself: a ``prov:Activity`` with its label, source and times."""
    delta.add((activity, RDF.type, PROV.Activity))
    delta.add((activity, RDFS.label, Literal(label)))
    delta.add((activity, DCTERMS.source, Literal(source)))
    delta.add((activity, PROV.startedAtTime, time_literal(started)))
    if ended is not None:
        delta.add((activity, PROV.endedAtTime, time_literal(ended)))


def time_literal(moment: datetime) -> Literal:
    """An ``xsd:dateTime`` to the millisecond, as every provenance time is written."""
    return Literal(moment.isoformat(timespec="milliseconds"), datatype=XSD.dateTime)
