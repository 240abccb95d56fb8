"""Create an insight, move it through its lifecycle, add evidence.

Every write goes through :func:`~journeykg.services.insights.writing.gated_write`
(the shapes, then one audited write). Refusals are :class:`InsightError` naming
the record, the field and the rule; nothing is written then.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from rdflib import Graph, Literal, URIRef

from journeykg.graph.elements import refs
from journeykg.graph.store import Store
from journeykg.namespaces import DCTERMS, JKG, PROV, RDF, RDFS, XSD
from journeykg.services.insights.errors import InsightError
from journeykg.services.insights.records import Insight, read_insight, slug
from journeykg.services.insights.statuses import INSIGHT_LIFECYCLE, INSIGHT_STATUSES
from journeykg.services.insights.writing import gated_write

#: What an insight may concern, by the element types :func:`refs` gives.
SUBJECT_TYPES = frozenset({"Step", "Touchpoint", "ContactReason", "Journey", "KPI"})
#: What an insight may be derived from.
EVIDENCE_TYPES = frozenset({"KPIValue", "ContactVolume", "Signal", "ThemeCount"})


def now() -> Literal:
    """This moment as an ``xsd:dateTime``, to the second."""
    return Literal(datetime.now(UTC).replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def checked_elements(
    store: Store,
    record: str,
    field: str,
    rule: str,
    idents: Sequence[str],
    kinds: frozenset[str],
) -> list[URIRef]:
    """The IRIs of ``idents``, each stored and of one of ``kinds``; InsightError otherwise."""
    iris = [store.ids.iri(i) for i in idents]
    found = refs(store, iris)
    for ident, iri in zip(idents, iris, strict=True):
        ref = found.get(iri)
        if ref is None:
            raise InsightError(
                "UNKNOWN_ELEMENT",
                record,
                field,
                rule,
                f"unknown element {ident!r}: nothing in the store has <{iri}>",
            )
        if ref.type not in kinds:
            raise InsightError(
                "WRONG_TYPE",
                record,
                field,
                rule,
                f"{ref.id} is a {ref.type}; expected one of {', '.join(sorted(kinds))}",
            )
    return iris


def checked_owner(store: Store, record: str, owner: str | None, rule: str) -> URIRef:
    """The owner's IRI: a stored ``jkg:Owner``; InsightError when missing or another thing."""
    if owner is None or not owner.strip():
        raise InsightError(
            "OWNER_REQUIRED",
            record,
            "jkg:ownedBy",
            rule,
            "an owner (a post, jkg:Owner) is required",
        )
    (iri,) = checked_elements(store, record, "jkg:ownedBy", rule, [owner], frozenset({"Owner"}))
    return iri


def _language(statement: str, lang: str) -> Literal:
    if not statement.strip():
        raise InsightError(
            "STATEMENT_REQUIRED",
            "insight",
            "rdfs:label",
            "jkgsh:Insight-label",
            "an insight needs a statement",
        )
    return Literal(statement.strip(), lang=lang)


def create_insight(
    store: Store,
    statement: str,
    *,
    owner: str | None,
    concerns: Sequence[str],
    evidence: Sequence[str] = (),
    confidence: float | None = None,
    lang: str = "en",
    key: str | None = None,
    why: str | None = None,
) -> Insight:
    """A new insight (status new), kept as ``insight/<key or slug of the statement>``."""
    record = f"insight/{slug(key or statement)}"
    label = _language(statement, lang)
    iri = store.ids.iri(record)
    if refs(store, [iri]):
        raise InsightError(
            "EXISTS",
            record,
            "rdf:type",
            "one insight per id",
            "an insight with this id exists already",
        )
    owner_iri = checked_owner(store, record, owner, "jkgsh:Insight-owner")
    if not concerns:
        raise InsightError(
            "CONCERNS_REQUIRED",
            record,
            "jkg:concerns",
            "jkgsh:Insight-concerns",
            "an insight concerns at least one step, touchpoint, contact reason, journey or KPI",
        )
    subjects = checked_elements(
        store, record, "jkg:concerns", "jkgsh:Insight-concerns", concerns, SUBJECT_TYPES
    )
    sources = checked_elements(
        store, record, "prov:wasDerivedFrom", "jkgsh:Insight-evidence", evidence, EVIDENCE_TYPES
    )
    delta = Graph()
    delta.add((iri, RDF.type, JKG.Insight))
    delta.add((iri, RDFS.label, label))
    delta.add((iri, JKG.insightStatus, INSIGHT_STATUSES["new"]))
    delta.add((iri, JKG.ownedBy, owner_iri))
    delta.add((iri, DCTERMS.created, now()))
    if confidence is not None:
        delta.add((iri, JKG.confidence, Literal(str(confidence), datatype=XSD.decimal)))
    for s in subjects:
        delta.add((iri, JKG.concerns, s))
    for e in sources:
        delta.add((iri, PROV.wasDerivedFrom, e))
    gated_write(store, delta, record, why=why)
    return read_insight(store, record)


def set_insight_status(store: Store, ident: str, status: str, *, why: str | None = None) -> Insight:
    """Move an insight one allowed step (new → validated → addressed → closed, or rejected)."""
    current = read_insight(store, ident)
    target = INSIGHT_LIFECYCLE.check_step(current.id, current.status, status)
    iri = store.ids.iri(current.id)
    delta = Graph()
    delta.add((iri, JKG.insightStatus, target))
    delta.add((iri, DCTERMS.modified, now()))
    gated_write(store, delta, current.id, why=why)
    return read_insight(store, current.id)


def update_insight(
    store: Store,
    ident: str,
    *,
    confidence: float | None = None,
    add_evidence: Sequence[str] = (),
    why: str | None = None,
) -> Insight:
    """Change an insight's confidence or add evidence to it (its status is not touched)."""
    current = read_insight(store, ident)
    iri = store.ids.iri(current.id)
    sources = checked_elements(
        store,
        current.id,
        "prov:wasDerivedFrom",
        "jkgsh:Insight-evidence",
        add_evidence,
        EVIDENCE_TYPES,
    )
    delta = Graph()
    if confidence is not None:
        delta.add((iri, JKG.confidence, Literal(str(confidence), datatype=XSD.decimal)))
    if sources:
        for e in {*(store.ids.iri(e) for e in current.evidence), *sources}:
            delta.add((iri, PROV.wasDerivedFrom, e))
    if not len(delta):
        return current
    delta.add((iri, DCTERMS.modified, now()))
    gated_write(store, delta, current.id, why=why)
    return read_insight(store, current.id)
