"""The embedded default backend: an rdflib Graph on an Oxigraph store, on disk.

Nothing to install or start: the data lives in a directory (default
``./.journeykg``) and survives restarts. Reads go through rdflib's Graph API
and Oxigraph's native SPARQL engine (oxrdflib hands queries straight to it);
writes are single SPARQL updates because Oxigraph applies one update
atomically, which is what makes a load all-or-nothing.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from pathlib import Path

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from journeykg.graph.model import WriteSummary
from journeykg.graph.store import ElementFacts, Progress, Store
from journeykg.namespaces import RDF, RDFS, SKOS, XSD

DEFAULT = ox.DefaultGraph()
_TYPE = str(RDF.type)
_LABELS = frozenset({str(RDFS.label), str(SKOS.prefLabel)})


class EmbeddedStore(Store):
    """journeykg on an Oxigraph store in ``directory`` (or in memory when it is None)."""

    name = "embedded"

    def __init__(self, directory: Path | None, base_iri: str) -> None:
        super().__init__(base_iri)
        self.directory = directory
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
            self._ox = ox.Store(str(directory))
        else:
            self._ox = ox.Store()
        self.graph = Graph(store=OxigraphStore(store=self._ox), identifier=DATASET_DEFAULT_GRAPH_ID)

    # --- writing ----------------------------------------------------------

    def upsert(self, delta: Graph, progress: Progress | None = None) -> WriteSummary:
        started = time.perf_counter()
        pairs = sorted({(s, p) for s, p, _ in delta})
        subjects = {s for s, _ in pairs}
        deletes = " ".join(f"({s.n3()} {p.n3()})" for s, p in pairs)
        inserts = " .\n".join(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in delta)
        update = (
            f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p) {{ {deletes} }} ?s ?p ?o }} ;\n"
            f"INSERT DATA {{ {inserts} }}"
        )
        if pairs:
            self.graph.update(update)
        if progress is not None:
            progress(len(subjects), len(subjects))
        return WriteSummary(
            subjects=len(subjects), triples=len(delta), seconds=time.perf_counter() - started
        )

    def retract(self, iris: Collection[URIRef]) -> None:
        if iris:
            values = " ".join(i.n3() for i in sorted(iris))
            self.graph.update(
                f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}"
            )

    def clear(self) -> None:
        self.graph.update("CLEAR ALL")

    # --- reading ----------------------------------------------------------

    # The read primitives below go straight to pyoxigraph's index lookups: a
    # batched SPARQL VALUES query through rdflib costs far more per result
    # (query planning plus term conversion) than one pattern lookup per node.

    def describe(self, iris: Collection[URIRef]) -> Graph:
        # A context-free store: rdflib's default Memory store keeps a context
        # index per triple, which costs about half of every add and lookup.
        out = Graph(store=SimpleMemory())
        for iri in iris:
            for quad in self._ox.quads_for_pattern(ox.NamedNode(iri), None, None, DEFAULT):
                out.add((iri, URIRef(quad.predicate.value), _from_ox(quad.object)))
        return out

    def export(self) -> Graph:
        out = Graph()
        for triple in self.graph.triples((None, None, None)):
            out.add(triple)
        return out

    def follow(
        self, predicate: URIRef, nodes: Collection[URIRef], *, inverse: bool = False
    ) -> list[tuple[URIRef, URIRef]]:
        edge = ox.NamedNode(predicate)
        edges: list[tuple[URIRef, URIRef]] = []
        for node in nodes:
            term = ox.NamedNode(node)
            if inverse:
                quads = self._ox.quads_for_pattern(None, edge, term, DEFAULT)
                edges.extend(
                    (node, URIRef(q.subject.value))
                    for q in quads
                    if isinstance(q.subject, ox.NamedNode)
                )
            else:
                quads = self._ox.quads_for_pattern(term, edge, None, DEFAULT)
                edges.extend(
                    (node, URIRef(q.object.value))
                    for q in quads
                    if isinstance(q.object, ox.NamedNode)
                )
        return edges

    def instances(self, cls: URIRef) -> list[URIRef]:
        quads = self._ox.quads_for_pattern(None, ox.NamedNode(_TYPE), ox.NamedNode(cls), DEFAULT)
        return sorted(URIRef(q.subject.value) for q in quads if isinstance(q.subject, ox.NamedNode))

    def concepts_labelled(self, labels: Collection[Literal]) -> set[URIRef]:
        pref, concept, rdf_type = (
            ox.NamedNode(str(SKOS.prefLabel)),
            ox.NamedNode(str(SKOS.Concept)),
            ox.NamedNode(_TYPE),
        )
        found: set[URIRef] = set()
        for label in labels:
            term = ox.Literal(str(label), language=label.language) if label.language else None
            if term is None:
                term = ox.Literal(
                    str(label), datatype=ox.NamedNode(str(label.datatype or XSD.string))
                )
            for quad in self._ox.quads_for_pattern(None, pref, term, DEFAULT):
                subject = quad.subject
                if isinstance(subject, ox.NamedNode) and any(
                    self._ox.quads_for_pattern(subject, rdf_type, concept, DEFAULT)
                ):
                    found.add(URIRef(subject.value))
        return found

    def element_facts(self, iris: Collection[URIRef]) -> dict[URIRef, ElementFacts]:
        facts: dict[URIRef, ElementFacts] = {}
        for iri in iris:
            quads = list(self._ox.quads_for_pattern(ox.NamedNode(iri), None, None, DEFAULT))
            if not quads:
                continue
            types: list[URIRef] = []
            labels: list[tuple[str, str | None]] = []
            for quad in quads:
                predicate = quad.predicate.value
                if predicate == _TYPE and isinstance(quad.object, ox.NamedNode):
                    types.append(URIRef(quad.object.value))
                elif predicate in _LABELS and isinstance(quad.object, ox.Literal):
                    labels.append((quad.object.value, quad.object.language))
            facts[iri] = (types, labels)
        return facts

    def close(self) -> None:
        # Oxigraph holds a lock on the directory until its last reference is gone.
        self.graph.close()
        del self._ox

    # --- sync primitives ------------------------------------------------------

    def apply(
        self, delta: Graph, retract: Collection[URIRef] = (), progress: Progress | None = None
    ) -> WriteSummary:
        started = time.perf_counter()
        subjects = {s for s in delta.subjects()} | set(retract)
        update = _apply_update(delta, retract)
        if update:
            # Oxigraph applies one update in one transaction: all of it or nothing.
            self._ox.update(update)
        if progress is not None:
            progress(len(subjects), len(subjects))
        return WriteSummary(
            subjects=len(subjects), triples=len(delta), seconds=time.perf_counter() - started
        )

    # --- incoming references ------------------------------------------------

    def referrers(self, iris: Collection[URIRef]) -> list[tuple[URIRef, URIRef, URIRef]]:
        found: list[tuple[URIRef, URIRef, URIRef]] = []
        for iri in set(iris):
            for quad in self._ox.quads_for_pattern(None, None, ox.NamedNode(iri), DEFAULT):
                if isinstance(quad.subject, ox.NamedNode) and quad.predicate.value != _TYPE:
                    found.append((URIRef(quad.subject.value), URIRef(quad.predicate.value), iri))
        return sorted(found)


def _from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"RDF-star triples are not supported: {term}")


def _apply_update(delta: Graph, retract: Collection[URIRef]) -> str:
    """One SPARQL update: drop the retracted subjects, replace the delta's (s, p) pairs, insert."""
    parts: list[str] = []
    gone = set(retract)
    if gone:
        values = " ".join(i.n3() for i in sorted(gone))
        parts.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}")
    pairs = {(s, p) for s, p, _ in delta if s not in gone}
    if pairs:
        deletes = " ".join(f"({s.n3()} {p.n3()})" for s, p in sorted(pairs))
        parts.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p) {{ {deletes} }} ?s ?p ?o }}")
    if len(delta):
        inserts = " .\n".join(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in delta)
        parts.append(f"INSERT DATA {{ {inserts} }}")
    return " ;\n".join(parts)
