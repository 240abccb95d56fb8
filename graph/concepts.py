"""Which stored concepts a preferred label names.

The SHACL gate needs them: "one label names one concept" can only be
checked against the concepts already stored under that label.
"""

from __future__ import annotations

from collections.abc import Collection

from rdflib import Literal, URIRef

from journeykg.graph.store import Capability, Store
from journeykg.namespaces import SKOS


def concepts_labelled(store: Store, labels: Collection[Literal]) -> set[URIRef]:
    """Stored ``skos:Concept``s whose ``skos:prefLabel`` is one of ``labels`` (same language).

    A store with a :attr:`~Capability.LABEL_INDEX` looks them up itself; on
    any other, every stored concept is read.
    """
    if Capability.LABEL_INDEX in store.capabilities:
        return store.pref_labelled(SKOS.Concept, labels)
    wanted = set(labels)
    described = store.describe(store.instances(SKOS.Concept))
    return {
        s
        for s, o in described.subject_objects(SKOS.prefLabel)
        if isinstance(s, URIRef) and o in wanted
    }
