"""RDF files in the journeykg ontology (Turtle, JSON-LD, N-Triples, RDF/XML, TriG).

One :class:`MappedRecord` per subject, keyed on the subject's key
(``process/facturatie``, or the IRI if it is outside the base); a subject
described in two files is one record. Only statements in journeykg's own
vocabularies (:data:`~journeykg.namespaces.PREFIXES`: the ontology, RDF(S),
OWL, SKOS, PROV, ORG, DCTERMS, ...) are mapped; a statement with any other
predicate (FOAF's name and mailbox, vCard's telephone, a tool's own terms) is
left out and counted under ``unmapped`` by its predicate, never its value, so
that personal data another tool attached to an element stays out of the
graph and the report (docs/sync.md, "Personal data"). A file that does not parse (or has
blank nodes) is a :class:`~journeykg.validation.problems.ParseError`: nothing of
the input is synced, since a full sync would retire what the file holds.
"""

from __future__ import annotations

import dataclasses
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.util import guess_format

from journeykg.ids import Identifiers
from journeykg.loaders.rdf_file import read_rdf
from journeykg.loaders.source import MappedRecord, SourceBatch
from journeykg.loaders.source_kinds import SourceKind
from journeykg.loaders.sources._common import InputFile, RecipeSource, batches, input_files
from journeykg.namespaces import PREFIXES
from journeykg.validation.problems import ParseError

_SUFFIX = {"turtle": ".ttl", "json-ld": ".jsonld", "nt": ".nt", "xml": ".rdf", "trig": ".trig"}


def map_subjects(graph: Graph, source: str, origin: str, ids: Identifiers) -> list[MappedRecord]:
    """One record per subject of ``graph``, in key order. Pure."""
    subjects: dict[URIRef, Graph] = {}
    for s, p, o in graph:
        if isinstance(s, URIRef):
            subjects.setdefault(s, Graph()).add((s, p, o))
    return [
        MappedRecord(source, ids.key(str(s)), origin, subjects[s])
        for s in sorted(subjects, key=lambda s: ids.key(str(s)))
    ]


class RdfSource(RecipeSource):
    """RDF files as records, one per subject."""

    def read(self, bookmark: str | None) -> Iterator[SourceBatch]:
        """Every subject of every file (the bookmark is ignored: RDF has no change times)."""
        merged = Graph()
        origins: dict[URIRef, list[str]] = {}
        for file in input_files(self.recipe, self.payload, self.recipe_dir):
            graph = self._parse(file)
            for s in set(graph.subjects()):
                if isinstance(s, URIRef):
                    origins.setdefault(s, []).append(file.name)
            merged += graph
        merged, unmapped = _in_vocabularies(merged)
        records = [
            MappedRecord(r.source, r.external_id, ", ".join(origins[s]), r.graph)
            for r in map_subjects(merged, self.name, "", self.ids)
            for s in [next(iter(r.graph.subjects()))]
            if isinstance(s, URIRef)
        ]
        yield from batches(
            records,
            self.recipe.batch_size,
            rejected=[],
            unmapped=unmapped,
            read=len(records),
            bookmark=None,
        )

    def _parse(self, file: InputFile) -> Graph:
        fmt = self.recipe.input.format or guess_format(file.name) or "turtle"
        with tempfile.TemporaryDirectory(prefix="jkg-rdf-") as tmp:
            path = Path(tmp) / (
                Path(file.name).name if not file.name.startswith("<") else "payload"
            )
            if not path.suffix:
                path = path.with_suffix(_SUFFIX.get(fmt, ".ttl"))
            path.write_bytes(file.data)
            try:
                return read_rdf(path, fmt)
            except ParseError as exc:  # name the input as the user knows it, not the temp file
                problems = [dataclasses.replace(p, file=file.name) for p in exc.problems]
                raise ParseError(str(exc).replace(str(path), file.name), problems) from None


def _in_vocabularies(graph: Graph) -> tuple[Graph, dict[str, int]]:
    """The statements of ``graph`` in journeykg's vocabularies, and per other predicate how
    many statements were left out (named by the predicate, never by a value)."""
    known = tuple(PREFIXES.values())
    kept = Graph()
    left_out: Counter[str] = Counter()
    for s, p, o in graph:
        if str(p).startswith(known):
            kept.add((s, p, o))
        else:
            left_out[f"<{p}> (predicate outside journeykg's vocabularies, left out)"] += 1
    return kept, dict(left_out)


KIND = SourceKind(name="rdf", open=RdfSource)
