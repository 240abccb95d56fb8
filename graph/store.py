"""The one store interface that both backends implement.

The interface is domain-level: callers write validated deltas and ask
questions (resolve an id, impact of a change); they never see SPARQL or
Cypher. A backend implements a handful of primitives (atomic upsert, describe,
follow edges in batches); the questions are answered once, in shared code,
on top of those primitives, so that the backends cannot drift apart.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef

from journeykg.graph.errors import StoreError, UnknownElementError
from journeykg.graph.model import ElementRef, ImpactAnswer, WriteSummary
from journeykg.graph.relations import Direction, Relation, Rule
from journeykg.ids import Identifiers
from journeykg.namespaces import JKG, RDF, RDFS, SKOS

if TYPE_CHECKING:
    from journeykg.graph.walk import WalkState

#: An element's rdf:types and its labels as (text, language or None).
ElementFacts = tuple[list[URIRef], list[tuple[str, str | None]]]

#: Called after each written batch with (done, total) subjects.
Progress = Callable[[int, int], None]

#: The predicates an element's labels are read from, by every backend.
LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel)

#: When an element has several labels, the first language here wins.
LABEL_LANGUAGES = ("nl", "en", None)

#: One batch of a hop: (predicate, IRIs of the nodes to follow it from, inverse).
HopRequest = tuple[URIRef, Collection[str], bool]


class Store(ABC):
    """A journeykg graph: the embedded default, or Neo4j."""

    name: str = "store"

    def __init__(self, base_iri: str) -> None:
        self.ids = Identifiers(base_iri)

    # --- writing ----------------------------------------------------------

    @abstractmethod
    def upsert(self, delta: Graph, progress: Progress | None = None) -> WriteSummary:
        """Write a delta in one transaction: all of it, or (on any error) nothing.

        For every (subject, predicate) pair in the delta, the stored values are
        replaced by the delta's, so that writing the same delta twice leaves
        the store as it was after the first write.
        """

    @abstractmethod
    def clear(self) -> None:
        """Remove everything; not necessarily in one transaction (see the backends)."""

    @abstractmethod
    def retract(self, iris: Collection[URIRef]) -> None:
        """Remove every triple whose subject is one of ``iris``, in one transaction."""

    # --- reading primitives ---------------------------------------------------

    @abstractmethod
    def describe(self, iris: Collection[URIRef]) -> Graph:
        """All stored triples whose subject is one of ``iris``."""

    @abstractmethod
    def export(self) -> Graph:
        """Every stored triple."""

    @abstractmethod
    def follow(
        self, predicate: URIRef, nodes: Collection[URIRef], *, inverse: bool = False
    ) -> list[tuple[URIRef, URIRef]]:
        """Edges ``(node, neighbour)`` along ``predicate`` from any of ``nodes``.

        Forward: ``node predicate neighbour``. Inverse: ``neighbour predicate node``.
        One round trip for the whole batch, whatever its size.
        """

    def follow_many(
        self, requests: Sequence[tuple[URIRef, Collection[URIRef], bool]]
    ) -> list[list[tuple[URIRef, URIRef]]]:
        """:meth:`follow` for several (predicate, nodes, inverse) requests at once.

        A backend with costly round trips answers them all in one.
        """
        return [self.follow(p, nodes, inverse=inverse) for p, nodes, inverse in requests]

    @abstractmethod
    def element_facts(self, iris: Collection[URIRef]) -> dict[URIRef, ElementFacts]:
        """For each stored element among ``iris``: its rdf:types and its (label, language)s."""

    # The primitives below serve the impact traversal, which touches
    # every element and edge of an answer that can hold hundreds of thousands
    # of them. They take and give IRIs as plain strings (an rdflib term per
    # IRI costs more than the lookup itself), and split an element's facts so
    # that the walk fetches only types and the labels wait for the page that
    # is actually returned. The defaults here are correct for any store built
    # on the primitives above; both backends override them with cheaper ones.

    def neighbours(self, requests: Sequence[HopRequest]) -> list[list[tuple[str, str]]]:
        """:meth:`follow_many` with plain-string IRIs: edges ``(node, neighbour)`` per request."""
        found = self.follow_many(
            [(p, [URIRef(n) for n in nodes], inverse) for p, nodes, inverse in requests]
        )
        return [[(str(a), str(b)) for a, b in edges] for edges in found]

    def hop(
        self, requests: Sequence[HopRequest]
    ) -> tuple[list[list[tuple[str, str]]], dict[str, list[str]]]:
        """:meth:`neighbours`, and the rdf:types of the neighbours the store learned on the way.

        The types map holds only neighbours with at least one type, exactly as
        :meth:`element_types` gives them; the caller looks up the others. A
        backend with costly round trips returns them with the neighbours
        (Neo4j has the node in hand); this default learns none.
        """
        return self.neighbours(requests), {}

    def start_walk(
        self, roots: Sequence[ElementRef], rules: Sequence[Rule], max_hops: int | None
    ) -> WalkState:
        """A breadth-first walk from ``roots`` along ``rules``, not yet taken.

        This default walks one :meth:`hop` per hop; a backend with costly
        round trips may return a walk of its own that reaches the same state.
        """
        from journeykg.graph.walk import HopByHop

        return HopByHop(self, roots, rules, max_hops)

    def element_types(self, iris: Collection[str]) -> dict[str, list[str]]:
        """The rdf:types (IRIs) of each stored element among ``iris``.

        Stored means some triple has the element as subject; a stored element
        without a type maps to an empty list, one that is not stored is absent.
        """
        facts = self.element_facts([URIRef(i) for i in iris])
        return {str(iri): [str(t) for t in types] for iri, (types, _) in facts.items()}

    def element_labels(self, iris: Collection[str]) -> dict[str, list[tuple[str, str | None]]]:
        """The (label, language)s of each stored element among ``iris`` that has a label."""
        facts = self.element_facts([URIRef(i) for i in iris])
        return {str(iri): labels for iri, (_, labels) in facts.items() if labels}

    @abstractmethod
    def instances(self, cls: URIRef) -> list[URIRef]:
        """Every element typed ``cls`` (no subclass reasoning), sorted."""

    def concepts_labelled(self, labels: Collection[Literal]) -> set[URIRef]:
        """Stored ``skos:Concept``s whose ``skos:prefLabel`` is one of ``labels`` (same language).

        The SHACL gate needs them: "one label names one concept" can only be
        checked against the concepts already stored under that label. This
        generic version reads every concept; the backends answer from an index.
        """
        wanted = set(labels)
        described = self.describe(self.instances(SKOS.Concept))
        return {
            s
            for s, o in described.subject_objects(SKOS.prefLabel)
            if isinstance(s, URIRef) and o in wanted
        }

    def close(self) -> None:  # noqa: B027 - a backend without resources has nothing to close
        """Release connections and file locks."""

    def check_ready(self) -> None:  # noqa: B027 - a backend on local disk is ready once open
        """Raise StoreUnavailableError when the store cannot answer right now (readiness)."""

    # --- questions, answered once for both backends ---------------------------

    def refs(self, iris: Iterable[URIRef]) -> dict[URIRef, ElementRef]:
        """Element references (key, type, label) for the stored elements among ``iris``."""
        wanted = set(iris)
        facts = self.element_facts(wanted)
        # The model's own individuals (jkg:NPS, jkg:JourneyOwner) live in the ontology.
        facts.update(_ontology_facts(wanted - facts.keys()))
        return {
            iri: ElementRef(
                id=self.ids.key(str(iri)),
                iri=str(iri),
                type=element_type(types),
                label=pick_label(labels),
            )
            for iri, (types, labels) in facts.items()
        }

    def classes(
        self, iris: Iterable[str], known: Mapping[str, Sequence[str]] | None = None
    ) -> dict[str, str]:
        """The journeykg class (as in :attr:`ElementRef.type`) of each element among ``iris``.

        Only elements :meth:`refs` would give are present: stored ones, and the
        model's own individuals in the ontology. ``known`` holds types already
        fetched (as :meth:`element_types` gives them, e.g. by :meth:`hop`):
        those elements are not looked up again.
        """
        wanted = set(iris)
        known = known or {}
        found = {iri: _class_of(tuple(known[iri])) for iri in wanted if iri in known}
        rest = wanted - found.keys()
        if rest:
            found.update(
                (iri, _class_of(tuple(types))) for iri, types in self.element_types(rest).items()
            )
        missing = [URIRef(i) for i in wanted - found.keys() if i.startswith(_JKG)]
        for iri, (types, _) in _ontology_facts(missing).items():
            found[str(iri)] = element_type(types)
        return found

    def labels(self, iris: Iterable[str]) -> dict[str, str | None]:
        """The label :meth:`refs` would give each element among ``iris`` (None when it has none)."""
        wanted = set(iris)
        found = {iri: pick_label(labels) for iri, labels in self.element_labels(wanted).items()}
        # The model's own individuals take their labels from the ontology, unless stored.
        unlabelled = [i for i in wanted - found.keys() if i.startswith(_JKG)]
        stored = self.element_types(unlabelled).keys() if unlabelled else set()
        for iri, (_, labels) in _ontology_facts(
            URIRef(i) for i in unlabelled if i not in stored
        ).items():
            found[str(iri)] = pick_label(labels)
        return {iri: found.get(iri) for iri in wanted}

    def resolve(self, ident: str) -> ElementRef:
        """The element a key or IRI names; :class:`UnknownElementError` if there is none."""
        iri = self.ids.iri(ident)
        found = self.refs([iri]).get(iri)
        if found is None:
            raise UnknownElementError(ident, str(iri))
        return found

    def impact(
        self,
        of: str,
        max_hops: int | None = None,
        *,
        direction: Direction = Direction.DOWNSTREAM,
        via: Collection[Relation] | None = None,
    ) -> ImpactAnswer:
        """What a change to ``of`` affects (downstream), or what it needs (upstream)."""
        from journeykg.graph.impact import compute_impact

        return compute_impact(self, of, direction=direction, max_hops=max_hops, via=via)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- sync primitives (journeykg.loaders.sync) ---------------------------

    def apply(
        self, delta: Graph, retract: Collection[URIRef] = (), progress: Progress | None = None
    ) -> WriteSummary:
        """Retract whole subjects and write a delta in ONE transaction: all of it, or nothing.

        First every stored triple whose subject is in ``retract`` goes (as
        :meth:`retract`), then ``delta`` is written as by :meth:`upsert`. A
        subject both retracted and written ends up with exactly the delta's
        triples: that is how a sync replaces a record it owns.
        """
        raise StoreError(f"the {self.name} store cannot be written")

    @contextmanager
    def sync_lease(self, source: str) -> Iterator[None]:
        """Hold the store-wide lease on syncing ``source``: other processes are kept out.

        Raises :class:`~journeykg.graph.errors.LeaseHeldError` at once when
        another process holds it. This default holds nothing: it is right for
        a store only one process can open (the embedded store's directory is
        locked by its first opener); a shared server overrides it.
        """
        yield

    @contextmanager
    def element_lease(self, iri: str) -> Iterator[None]:
        """Hold the store-wide lease on governing element ``iri``: other processes wait for it.

        A governance step reads an element, checks it and writes it; held
        around the three, this makes the step atomic across every process
        that shares the store, as the workflow's lock per element does
        between the threads of one. Raises
        :class:`~journeykg.graph.errors.LeaseHeldError` when another process
        keeps it for longer than a step may wait. Not re-entrant: the caller
        holds it once per element. This default holds nothing: it is right
        for a store only one process can open; a shared server overrides it.
        """
        yield

    # --- incoming references (governance: what still points at an element) ----

    @abstractmethod
    def referrers(self, iris: Collection[URIRef]) -> list[tuple[URIRef, URIRef, URIRef]]:
        """Every stored ``(subject, predicate, object)`` whose object is one of ``iris``, sorted.

        Only references between resources count: ``rdf:type`` statements are
        not references (Neo4j keeps types as labels), and blank-node subjects
        are left out (Neo4j has none).
        """


_JKG = str(JKG)


def _ontology_facts(iris: Iterable[URIRef]) -> dict[URIRef, ElementFacts]:
    from journeykg.ontology_graph import load_ontology

    ontology = load_ontology()
    facts: dict[URIRef, ElementFacts] = {}
    for iri in iris:
        types = [t for t in ontology.objects(iri, RDF.type) if isinstance(t, URIRef)]
        if types and str(iri).startswith(str(JKG)):
            labels = [
                (str(label), label.language)
                for label in ontology.objects(iri, SKOS.prefLabel)
                if isinstance(label, Literal)
            ]
            facts[iri] = (types, labels)
    return facts


def ontology_labels(iris: Iterable[str]) -> dict[str, str | None]:
    """The label :meth:`Store.labels` gives each of ``iris`` the store does not hold.

    Only the model's own individuals (jkg:NPS) have one; the rest map to None.
    """
    wanted = list(iris)
    facts = _ontology_facts(URIRef(i) for i in wanted if i.startswith(_JKG))
    found = {str(iri): pick_label(labels) for iri, (_, labels) in facts.items()}
    return {iri: found.get(iri) for iri in wanted}


@lru_cache(maxsize=1)
def ontology_classes() -> dict[str, str]:
    """The class :meth:`Store.classes` gives every IRI the store does not hold.

    Only IRIs the ontology types in the model's namespace have one (jkg:NPS
    is a KPIType; the model's own terms, jkg:Journey, are a plain Resource).
    """
    from journeykg.ontology_graph import load_ontology

    subjects = {s for s in load_ontology().subjects(RDF.type) if isinstance(s, URIRef)}
    return {str(iri): element_type(types) for iri, (types, _) in _ontology_facts(subjects).items()}


@lru_cache(maxsize=1024)
def _class_of(types: tuple[str, ...]) -> str:
    # Most elements share a handful of type combinations: a walk asks for 100k of them.
    return element_type(types)


_CONCEPT = str(SKOS.Concept)


def element_type(types: Iterable[str]) -> str:
    """The journeykg class name of an element; the alphabetically first if it has several.

    ``Concept`` for a plain ``skos:Concept``; ``Resource`` for anything else.
    """
    # Compared as plain strings: an rdflib URIRef never equals a str.
    types = [str(t) for t in types]
    names = sorted(str(t)[len(JKG) :] for t in types if str(t).startswith(str(JKG)))
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
