"""Finding elements by label: the impact explorer's search, in Dutch, English or both.

A question over the store port (:meth:`Store.instances` and
:meth:`Store.element_facts`), so both backends answer it alike. Only
elements an impact question may start from are searched
(:data:`~journeykg.graph.relations.IMPACT_ROOTS`).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import URIRef

from journeykg.graph.elements import element_type, pick_label
from journeykg.graph.model import ElementRef
from journeykg.graph.relations import CONCEPT, IMPACT_ROOTS
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, SKOS

#: Results given at most: a search is for picking one element, not for listing the graph.
DEFAULT_LIMIT = 50


@dataclass(frozen=True)
class LabelMatch:
    """An element whose label contains the text searched, and the label that matched."""

    element: ElementRef
    matched: str
    """The label that contains the text (in the language searched, if one was given)."""
    language: str | None
    """The language of ``matched``."""


def _class_iri(name: str) -> URIRef:
    return SKOS.Concept if name == CONCEPT else JKG[name]


def find_by_label(
    store: Store,
    text: str,
    *,
    language: str | None = None,
    show_in: str | None = None,
    limit: int = DEFAULT_LIMIT,
) -> list[LabelMatch]:
    """Elements with a label containing ``text`` (case-insensitively), at most ``limit``.

    ``language`` (``nl``, ``en``) limits the labels searched; without it every
    label counts. The element's own label (:attr:`ElementRef.label`) is the
    one in ``show_in`` (default: ``language``) when it has one, else the one
    :func:`~journeykg.graph.elements.pick_label` picks. Ordered by the matched
    label, then id.
    An empty ``text`` finds nothing.
    """
    needle = text.strip().casefold()
    if not needle or limit <= 0:
        return []
    candidates: set[str] = set()
    for name in sorted(IMPACT_ROOTS):
        candidates.update(str(i) for i in store.instances(_class_iri(name)))
    found: list[LabelMatch] = []
    for iri, (types, labels) in store.element_facts(candidates).items():
        kind = element_type(types)
        if kind not in IMPACT_ROOTS:
            continue  # a subclass typed twice (a Concept that is also a Scenario, ...)
        hits = [
            (label, lang)
            for label, lang in labels
            if (language is None or lang == language) and needle in label.casefold()
        ]
        if not hits:
            continue
        matched, lang = min(hits, key=lambda hit: (hit[1] != language, hit[0]))
        wanted = show_in or language
        shown = next((label for label, lg in sorted(labels) if lg == wanted), None)
        found.append(
            LabelMatch(
                ElementRef(store.ids.key(iri), iri, kind, shown or pick_label(labels)),
                matched,
                lang,
            )
        )
    found.sort(key=lambda m: (m.matched.casefold(), m.element.id))
    return found[:limit]
