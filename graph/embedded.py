"""The embedded default backend: an rdflib Graph on an Oxigraph store, on disk.

Nothing to install or start: the data lives in a directory (default
``./.journeykg``) and survives restarts. Reads go through rdflib's Graph API
and Oxigraph's native SPARQL engine (oxrdflib hands queries straight to it);
writes are single SPARQL updates because Oxigraph applies one update
atomically, which is what makes a load all-or-nothing.
"""

from __future__ import annotations

import time
from collections.abc import Collection, Iterable
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from journeykg.graph.model import WriteSummary
from journeykg.graph.store import Progress, Store
from journeykg.namespaces import RDF, RDFS, SKOS

#: SPARQL VALUES blocks are split so that no single query text grows unbounded.
VALUES_CHUNK = 5_000


class EmbeddedStore(Store):
    """journeykg on an Oxigraph store in ``directory`` (or in memory when it is None)."""

    name = "embedded"

    def __init__(self, directory: Path | None, base_iri: str) -> None:
        super().__init__(base_iri)
        self.directory = directory
        self.graph = Graph(store="Oxigraph", identifier=DATASET_DEFAULT_GRAPH_ID)
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
            # oxrdflib opens (or creates) the on-disk store either way; its create=True
            # refuses an existing directory, which would forbid reopening.
            self.graph.open(str(directory), create=False)

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

    def clear(self) -> None:
        self.graph.update("CLEAR ALL")

    # --- reading ----------------------------------------------------------

    def describe(self, iris: Collection[URIRef]) -> Graph:
        out = Graph()
        for chunk in _chunks(sorted(iris)):
            rows = self.graph.query(
                f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {_values(chunk)} }} ?s ?p ?o }}"
            )
            for s, p, o in rows:  # type: ignore[misc]
                out.add((s, p, o))
        return out

    def export(self) -> Graph:
        out = Graph()
        for triple in self.graph.triples((None, None, None)):
            out.add(triple)
        return out

    def follow(
        self, predicate: URIRef, nodes: Collection[URIRef], *, inverse: bool = False
    ) -> list[tuple[URIRef, URIRef]]:
        pattern = "?b <{p}> ?a" if inverse else "?a <{p}> ?b"
        edges: list[tuple[URIRef, URIRef]] = []
        for chunk in _chunks(sorted(nodes)):
            query = (
                f"SELECT ?a ?b WHERE {{ VALUES ?a {{ {_values(chunk)} }} "
                f"{pattern.format(p=predicate)} FILTER(isIRI(?b)) }}"
            )
            edges.extend((a, b) for a, b in self.graph.query(query))  # type: ignore[misc]
        return edges

    def element_facts(
        self, iris: Collection[URIRef]
    ) -> dict[URIRef, tuple[list[URIRef], list[Literal]]]:
        facts: dict[URIRef, tuple[list[URIRef], list[Literal]]] = {}
        for chunk in _chunks(sorted(iris)):
            query = (
                f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {_values(chunk)} }} "
                f"VALUES ?p {{ {RDF.type.n3()} {RDFS.label.n3()} {SKOS.prefLabel.n3()} }} "
                "?s ?p ?o }"
            )
            for s, p, o in self.graph.query(query):  # type: ignore[misc]
                types, labels = facts.setdefault(URIRef(str(s)), ([], []))
                if p == RDF.type:
                    types.append(URIRef(str(o)))
                elif isinstance(o, Literal):
                    labels.append(o)
        # Elements stored without type or label still exist: find them too.
        for iri in iris:
            if iri not in facts and (iri, None, None) in self.graph:
                facts[iri] = ([], [])
        return facts

    def close(self) -> None:
        self.graph.close()


def _values(terms: Iterable[Node]) -> str:
    return " ".join(t.n3() for t in terms)


def _chunks(items: list[URIRef]) -> Iterable[list[URIRef]]:
    for start in range(0, len(items), VALUES_CHUNK):
        yield items[start : start + VALUES_CHUNK]
