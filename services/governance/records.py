"""How governance records look in RDF, both ways: concepts, versions, proposals, activities.

Every record is a resource with an IRI (never a blank node: Neo4j keeps
IRIs only), minted under the concept it belongs to so that it is easy to
find and reads well: ``concept/fcr/version/2``, ``concept/fcr/change/1``,
``concept/fcr/activity/3`` (and ``.../activity/3/association``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from journeykg.graph.elements import element_type
from journeykg.ids import Identifiers
from journeykg.namespaces import DCTERMS, JKG, PROV, RDF, REG, SKOS, XSD
from journeykg.services.governance.model import (
    Activity,
    ChangeProposal,
    Concept,
    ConceptDetails,
    ConceptText,
    LangValues,
    Texts,
    Version,
)
from journeykg.services.governance.transitions import Status

#: Concept text fields: RDF predicate per field of :class:`ConceptText`.
TEXT_PREDICATES = {
    "pref_labels": SKOS.prefLabel,
    "definitions": SKOS.definition,
    "scope_notes": SKOS.scopeNote,
}

#: Activity classes by kind, and the role IRIs by the names callers use.
ACTIVITY_KINDS = ("Proposal", "Approval", "Rejection", "Deprecation", "Migration")
ROLES = {"steward": JKG.Steward, "contributor": JKG.Contributor}

#: Links that belong to the governance record of an element, not to its use:
#: they are neither references that block a deletion nor moved by a migration.
RECORD_LINKS = frozenset(
    {
        DCTERMS.isVersionOf,
        DCTERMS.isReplacedBy,
        PROV.used,
        JKG.proposedChangeTo,
        JKG.currentVersion,
    }
)


def timestamp(moment: datetime) -> Literal:
    """An xsd:dateTime literal in UTC with milliseconds, as the loaders write them."""
    return Literal(moment.astimezone(UTC).isoformat(timespec="milliseconds"), datatype=XSD.dateTime)


def parse_time(value: Node | None) -> datetime | None:
    """A stored xsd:dateTime (whatever spelling the backend keeps) as an aware datetime."""
    if value is None:
        return None
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- writing -----------------------------------------------------------------------


def text_triples(subject: URIRef, text: ConceptText) -> Iterable[tuple[URIRef, URIRef, Node]]:
    """The labels, definitions and scope notes of ``text`` on ``subject``."""
    for name, predicate in TEXT_PREDICATES.items():
        texts: Texts = getattr(text, name)
        for lang, value in sorted(texts.items()):
            yield subject, predicate, Literal(value, lang=lang or None)


def version_iri(concept: URIRef, number: int) -> URIRef:
    return URIRef(f"{concept}/version/{number}")


def proposal_iri(concept: URIRef, number: int) -> URIRef:
    return URIRef(f"{concept}/change/{number}")


def activity_iri(concept: URIRef, number: int) -> URIRef:
    return URIRef(f"{concept}/activity/{number}")


def add_version(
    delta: Graph,
    concept: URIRef,
    number: int,
    text: ConceptText,
    status: Status,
    start: datetime,
    activity: URIRef,
) -> URIRef:
    """Add version ``number`` of ``concept`` (open-ended from ``start``) and make it current."""
    version = version_iri(concept, number)
    delta.add((version, RDF.type, JKG.ConceptVersion))
    delta.add((version, DCTERMS.isVersionOf, concept))
    delta.add((version, JKG.versionNumber, Literal(number)))
    delta.add((version, JKG.validFrom, timestamp(start)))
    delta.add((version, JKG.versionStatus, status.iri))
    delta.add((version, PROV.wasGeneratedBy, activity))
    for triple in text_triples(version, text):
        delta.add(triple)
    delta.add((concept, JKG.currentVersion, version))
    delta.add((activity, PROV.generated, version))
    return version


def add_activity(
    delta: Graph,
    iri: URIRef,
    *,
    kind: str,
    concept: URIRef,
    by: URIRef,
    role: str,
    at: datetime,
    rationale: str | None,
    from_status: Status | None = None,
    to_status: Status | None = None,
    proposal: URIRef | None = None,
) -> None:
    """Add one governance activity with its qualified association (who, in which role)."""
    association = URIRef(f"{iri}/association")
    delta.add((iri, RDF.type, JKG[kind]))
    delta.add((iri, RDF.type, PROV.Activity))
    delta.add((iri, PROV.used, concept))
    if proposal is not None:
        delta.add((iri, PROV.used, proposal))
    delta.add((iri, PROV.wasAssociatedWith, by))
    delta.add((iri, PROV.qualifiedAssociation, association))
    delta.add((iri, PROV.endedAtTime, timestamp(at)))
    delta.add((association, RDF.type, PROV.Association))
    delta.add((association, PROV.agent, by))
    delta.add((association, PROV.hadRole, ROLES[role]))
    if rationale:
        delta.add((iri, JKG.rationale, Literal(rationale)))
    if from_status is not None:
        delta.add((iri, JKG.fromStatus, from_status.iri))
    if to_status is not None:
        delta.add((iri, JKG.toStatus, to_status.iri))


# --- reading -----------------------------------------------------------------------


def read_texts(graph: Graph, subject: URIRef, predicate: URIRef) -> Texts:
    return {
        (o.language or ""): str(o)
        for o in graph.objects(subject, predicate)
        if isinstance(o, Literal)
    }


def read_text(graph: Graph, subject: URIRef) -> ConceptText:
    """The labels, definitions and scope notes of ``subject`` in ``graph``."""
    return ConceptText(
        **{name: read_texts(graph, subject, p) for name, p in TEXT_PREDICATES.items()}
    )


def _iri(graph: Graph, subject: URIRef, predicate: URIRef) -> URIRef | None:
    value = graph.value(subject, predicate)
    return value if isinstance(value, URIRef) else None


def _iris(graph: Graph, subject: URIRef, predicate: URIRef) -> list[URIRef]:
    return sorted(o for o in graph.objects(subject, predicate) if isinstance(o, URIRef))


def read_concept(graph: Graph, iri: URIRef, ids: Identifiers) -> Concept:
    """The concept ``iri`` from its description (``store.describe([iri])``)."""
    types = _iris(graph, iri, RDF.type)
    current = _iri(graph, iri, JKG.currentVersion)
    replaced_by = _iri(graph, iri, DCTERMS.isReplacedBy)
    scheme = _iri(graph, iri, SKOS.inScheme)
    number = current.rsplit("/", 1)[-1] if current is not None else None
    return Concept(
        id=ids.key(str(iri)),
        iri=str(iri),
        type=element_type(types),
        status=Status.of_iri(_iri(graph, iri, REG.status)),
        text=read_text(graph, iri),
        scheme=ids.key(str(scheme)) if scheme is not None else None,
        sources=tuple(sorted(str(o) for o in graph.objects(iri, DCTERMS.source))),
        broader=tuple(ids.key(str(b)) for b in _iris(graph, iri, SKOS.broader)),
        explains=tuple(ids.key(str(e)) for e in _iris(graph, iri, JKG.explains)),
        replaced_by=ids.key(str(replaced_by)) if replaced_by is not None else None,
        version=int(number) if number is not None and number.isdigit() else None,
        details=read_details(graph, iri, ids),
    )


#: Fields of :class:`ConceptDetails` that hold texts, by RDF predicate.
DETAIL_TEXTS = {
    "alt_labels": SKOS.altLabel,
    "hidden_labels": SKOS.hiddenLabel,
    "examples": SKOS.example,
    "notes": SKOS.note,
    "editorial_notes": SKOS.editorialNote,
    "change_notes": SKOS.changeNote,
    "history_notes": SKOS.historyNote,
}
#: Fields of :class:`ConceptDetails` that link to other concepts (or schemes), by predicate.
DETAIL_LINKS = {
    "narrower": SKOS.narrower,
    "related": SKOS.related,
    "top_concept_of": SKOS.topConceptOf,
    "exact_match": SKOS.exactMatch,
    "close_match": SKOS.closeMatch,
    "broad_match": SKOS.broadMatch,
    "narrow_match": SKOS.narrowMatch,
    "related_match": SKOS.relatedMatch,
}


def read_details(graph: Graph, iri: URIRef, ids: Identifiers) -> ConceptDetails:
    """The SKOS properties of ``iri`` beyond the governed texts, each sorted."""

    def texts(predicate: URIRef) -> LangValues:
        found = graph.objects(iri, predicate)
        return tuple(sorted((o.language or "", str(o)) for o in found if isinstance(o, Literal)))

    def links(predicate: URIRef) -> tuple[str, ...]:
        return tuple(sorted(ids.key(str(o)) for o in _iris(graph, iri, predicate)))

    return ConceptDetails(
        **{name: texts(p) for name, p in DETAIL_TEXTS.items()},  # type: ignore[arg-type]
        **{name: links(p) for name, p in DETAIL_LINKS.items()},  # type: ignore[arg-type]
        notations=tuple(sorted(str(o) for o in graph.objects(iri, SKOS.notation))),
    )


def read_version(graph: Graph, iri: URIRef, ids: Identifiers) -> Version:
    """One stored version."""
    concept = _iri(graph, iri, DCTERMS.isVersionOf)
    number = graph.value(iri, JKG.versionNumber)
    start = parse_time(graph.value(iri, JKG.validFrom))
    assert concept is not None, iri
    assert number is not None, iri
    assert start is not None, iri
    return Version(
        id=ids.key(str(iri)),
        concept=ids.key(str(concept)),
        number=int(str(number)),
        valid_from=start,
        valid_until=parse_time(graph.value(iri, JKG.validUntil)),
        status=Status.of_iri(_iri(graph, iri, JKG.versionStatus)),
        text=read_text(graph, iri),
    )


def read_proposal(graph: Graph, iri: URIRef, ids: Identifiers) -> ChangeProposal:
    """One stored change proposal."""
    concept = _iri(graph, iri, JKG.proposedChangeTo)
    assert concept is not None, iri
    return ChangeProposal(
        id=ids.key(str(iri)),
        concept=ids.key(str(concept)),
        status=Status.of_iri(_iri(graph, iri, REG.status)),
        text=read_text(graph, iri),
    )


def read_activity(graph: Graph, iri: URIRef, ids: Identifiers) -> Activity:
    """One stored governance activity (its association must be in ``graph`` too)."""
    kinds = [str(t)[len(JKG) :] for t in _iris(graph, iri, RDF.type)]
    kind = next((k for k in ACTIVITY_KINDS if k in kinds), "GovernanceActivity")
    used = _iris(graph, iri, PROV.used)
    proposal = next((u for u in used if "/change/" in str(u)), None)
    concept = next(u for u in used if u != proposal)
    association = _iri(graph, iri, PROV.qualifiedAssociation)
    role = _iri(graph, association, PROV.hadRole) if association is not None else None
    by = _iri(graph, iri, PROV.wasAssociatedWith)
    at = parse_time(graph.value(iri, PROV.endedAtTime))
    assert by is not None, iri
    assert at is not None, iri
    from_status = _iri(graph, iri, JKG.fromStatus)
    to_status = _iri(graph, iri, JKG.toStatus)
    generated = _iri(graph, iri, PROV.generated)
    rationale = graph.value(iri, JKG.rationale)
    return Activity(
        id=ids.key(str(iri)),
        kind=kind,
        concept=ids.key(str(concept)),
        by=ids.key(str(by)),
        role=next((name for name, r in ROLES.items() if r == role), "unknown"),
        at=at,
        rationale=str(rationale) if rationale is not None else None,
        from_status=Status.of_iri(from_status) if from_status is not None else None,
        to_status=Status.of_iri(to_status) if to_status is not None else None,
        proposal=ids.key(str(proposal)) if proposal is not None else None,
        version=ids.key(str(generated)) if generated is not None else None,
    )
