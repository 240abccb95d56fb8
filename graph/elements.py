"""Elements as the user knows them: key, class and label, from any store.

Answered over the store's element facts (:meth:`Store.element_facts`), and
over the ontology for the model's own individuals (``jkg:NPS``,
``jkg:JourneyOwner``), which live there rather than in the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from rdflib import Literal, URIRef

from journeykg.graph.errors import UnknownElementError
from journeykg.graph.model import ElementRef
from journeykg.graph.store import ElementFacts, Facts, Store
from journeykg.namespaces import JKG, RDF, SKOS
from journeykg.ontology_graph import load_ontology

#: When an element has several labels, the first language here wins.
LABEL_LANGUAGES = ("nl", "en", None)

_JKG = str(JKG)
_CONCEPT = str(SKOS.Concept)


def refs(store: Store, iris: Iterable[URIRef]) -> dict[URIRef, ElementRef]:
    """Element references (key, type, label) for the stored elements among ``iris``."""
    wanted = {str(i) for i in iris}
    facts = store.element_facts(wanted)
    # The model's own individuals (jkg:NPS, jkg:JourneyOwner) live in the ontology.
    facts.update(_ontology_facts(wanted - facts.keys()))
    return {
        URIRef(iri): ElementRef(
            id=store.ids.key(iri), iri=iri, type=element_type(types), label=pick_label(labels)
        )
        for iri, (types, labels) in facts.items()
    }


def resolve(store: Store, ident: str) -> ElementRef:
    """The element a key or IRI names; :class:`UnknownElementError` if there is none."""
    iri = store.ids.iri(ident)
    found = refs(store, [iri]).get(iri)
    if found is None:
        raise UnknownElementError(ident, str(iri))
    return found


def is_stored(store: Store, iri: str) -> bool:
    """Whether some stored triple has ``iri`` as its subject."""
    # Both facts, as a resolve asks: types alone are the walk's question, and on
    # the embedded store they set off building its in-memory snapshots.
    return bool(store.element_facts([str(iri)]))


def classes(
    store: Store, iris: Iterable[str], known: Mapping[str, Sequence[str]] | None = None
) -> dict[str, str]:
    """The journeykg class (as in :attr:`ElementRef.type`) of each element among ``iris``.

    Only elements :func:`refs` would give are present: stored ones, and the
    model's own individuals in the ontology. ``known`` holds types already
    fetched (as :meth:`Store.element_facts` gives them, e.g. by
    :meth:`Store.edges`): those elements are not looked up again.
    """
    wanted = set(iris)
    known = known or {}
    found = {iri: _class_of(tuple(known[iri])) for iri in wanted if iri in known}
    rest = wanted - found.keys()
    if rest:
        found.update(
            (iri, _class_of(types))
            for iri, (types, _) in store.element_facts(rest, Facts.TYPES).items()
        )
    unstored = [i for i in wanted - found.keys() if i.startswith(_JKG)]
    for iri, (types, _) in _ontology_facts(unstored).items():
        found[iri] = element_type(types)
    return found


def labels(store: Store, iris: Iterable[str]) -> dict[str, str | None]:
    """The label :func:`refs` would give each element among ``iris`` (None when it has none)."""
    wanted = set(iris)
    found = {
        iri: pick_label(labelled)
        for iri, (_, labelled) in store.element_facts(wanted, Facts.LABELS).items()
    }
    # The model's own individuals take their labels from the ontology, unless stored.
    unlabelled = [i for i in wanted - found.keys() if i.startswith(_JKG)]
    stored = store.element_facts(unlabelled, Facts.TYPES).keys() if unlabelled else set()
    for iri, (_, labelled) in _ontology_facts(i for i in unlabelled if i not in stored).items():
        found[iri] = pick_label(labelled)
    return {iri: found.get(iri) for iri in wanted}


def ontology_labels(iris: Iterable[str]) -> dict[str, str | None]:
    """The label :func:`labels` gives each of ``iris`` the store does not hold.

    Only the model's own individuals (jkg:NPS) have one; the rest map to None.
    """
    wanted = list(iris)
    found = {iri: pick_label(labelled) for iri, (_, labelled) in _ontology_facts(wanted).items()}
    return {iri: found.get(iri) for iri in wanted}


@lru_cache(maxsize=1)
def ontology_classes() -> dict[str, str]:
    """The class :func:`classes` gives every IRI the store does not hold.

    Only IRIs the ontology types in the model's namespace have one (jkg:NPS
    is a KPIType; the model's own terms, jkg:Journey, are a plain Resource).
    """
    subjects = {str(s) for s in load_ontology().subjects(RDF.type) if isinstance(s, URIRef)}
    return {iri: element_type(types) for iri, (types, _) in _ontology_facts(subjects).items()}


def element_type(types: Iterable[str]) -> str:
    """The journeykg class name of an element; the alphabetically first if it has several.

    ``Concept`` for a plain ``skos:Concept``; ``Resource`` for anything else.
    """
    # Compared as plain strings: an rdflib URIRef never equals a str.
    types = [str(t) for t in types]
    names = sorted(t[len(_JKG) :] for t in types if t.startswith(_JKG))
    if names:
        return names[0]
    # A glossary concept is plain SKOS; it is an impact root (what its definition explains).
    return "Concept" if _CONCEPT in types else "Resource"


def pick_label(labels: Iterable[tuple[str, str | None]]) -> str | None:
    """The label to show: Dutch first, then English, then one without a language."""
    by_lang: dict[str | None, str] = {}
    for text, lang in sorted(labels, key=lambda x: (x[1] or "", x[0])):
        by_lang.setdefault(lang, text)
    for lang in LABEL_LANGUAGES:
        if lang in by_lang:
            return by_lang[lang]
    return next(iter(sorted(by_lang.values())), None)


@lru_cache(maxsize=1024)
def _class_of(types: tuple[str, ...]) -> str:
    # Most elements share a handful of type combinations: a walk asks for 100k of them.
    return element_type(types)


def _ontology_facts(iris: Iterable[str]) -> dict[str, ElementFacts]:
    """The facts of the model's own individuals among ``iris``, from the ontology."""
    ontology = load_ontology()
    facts: dict[str, ElementFacts] = {}
    for iri in iris:
        if not iri.startswith(_JKG):
            continue
        node = URIRef(iri)
        types = tuple(str(t) for t in ontology.objects(node, RDF.type) if isinstance(t, URIRef))
        if types:
            found = ontology.objects(node, SKOS.prefLabel)
            labels = tuple((str(x), x.language) for x in found if isinstance(x, Literal))
            facts[iri] = (types, labels)
    return facts
