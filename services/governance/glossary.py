"""Reading governed concepts: one by id, all of them filtered, and those sharing a label."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from rdflib import Graph, Literal, URIRef

from journeykg.graph.elements import is_stored
from journeykg.graph.errors import UnknownElementError
from journeykg.graph.store import Store
from journeykg.namespaces import SKOS
from journeykg.services.governance.model import Concept
from journeykg.services.governance.records import read_concept
from journeykg.services.governance.transitions import Status

#: The default glossary scheme, relative to the base IRI.
GLOSSARY_SCHEME = "scheme/glossary"


def concept_key(ident: str) -> str:
    """``fcr`` as ``concept/fcr``: a bare name is a glossary concept; keys and IRIs stay."""
    return ident if ("/" in ident or ":" in ident) else f"concept/{ident}"


def concept_iri(store: Store, ident: str) -> URIRef:
    """The IRI of a stored element by key or IRI; :class:`UnknownElementError` if none."""
    iri = store.ids.iri(ident)
    if not is_stored(store, iri):
        raise UnknownElementError(ident, str(iri))
    return iri


def load_concept(store: Store, ident: str) -> Concept:
    """The concept (or framework element) ``ident`` as it stands now."""
    iri = concept_iri(store, ident)
    return read_concept(store.describe([iri]), iri, store.ids)


def all_concepts(store: Store) -> Graph:
    """Every stored ``skos:Concept`` (explicitly typed) with its description."""
    return store.describe(store.instances(SKOS.Concept))


def search(
    store: Store,
    text: str | None = None,
    *,
    language: str | None = None,
    statuses: Collection[Status] | None = None,
    scheme: str | None = None,
) -> list[Concept]:
    """Concepts whose label contains ``text`` (case-insensitively), sorted by id.

    ``language`` limits the labels searched (``nl``, ``en``); ``statuses`` and
    ``scheme`` (a key such as ``scheme/glossary``) filter the result.
    """
    graph = all_concepts(store)
    needle = (text or "").casefold()
    scheme_iri = store.ids.iri(scheme) if scheme else None
    found: list[Concept] = []
    for iri in sorted({s for s in graph.subjects() if isinstance(s, URIRef)}):
        concept = read_concept(graph, iri, store.ids)
        if statuses is not None and concept.status not in statuses:
            continue
        if scheme_iri is not None and (iri, SKOS.inScheme, scheme_iri) not in graph:
            continue
        labels = [
            value
            for lang, value in concept.text.pref_labels.items()
            if language is None or lang == language
        ]
        if needle and not any(needle in label.casefold() for label in labels):
            continue
        found.append(concept)
    return found


def same_label(store: Store, labels: Iterable[Literal]) -> Graph:
    """The descriptions of stored concepts with any of ``labels`` (same language, any case).

    The SHACL gate sees only a delta's neighbourhood; the unique-label rule
    needs these concepts in view, so the workflow adds them as context.
    """
    wanted = {(label.language, str(label).casefold()) for label in labels}
    graph = all_concepts(store)
    matches = {
        s
        for s, label in graph.subject_objects(SKOS.prefLabel)
        if isinstance(label, Literal) and (label.language, str(label).casefold()) in wanted
    }
    out = Graph()
    for s, p, o in graph:
        if s in matches:
            out.add((s, p, o))
    return out
