"""How RDF maps onto Neo4j's property graph, and back, without loss.

- every subject or IRI object is a node ``(:Resource {iri, key})``;
- each ``rdf:type`` is a label: the class's local name for journeykg classes
  (``:Journey``), ``prefix_local`` for other known vocabularies (``:skos_Concept``);
- a literal is a node property named after its predicate the same way, with
  ``@lang`` appended for language-tagged strings (``rdfs_label@nl``); several
  values become a list;
- an IRI object is a relationship typed after its predicate (``dependsOn``).

Predicates outside the known namespaces keep their full IRI as the name, so
nothing is refused. Datatypes come back from the ontology's ``rdfs:range``
(xsd:gYear, xsd:decimal, ...), or from the stored Python type.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from journeykg.namespaces import JKG, PREFIXES, RDF, RDFS, XSD

_LANG_SUFFIX = re.compile(r"^(?P<name>.+)@(?P<lang>[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$")
#: Node properties that hold the node's identity, not a triple.
IDENTITY_PROPERTIES = frozenset({"iri", "key"})
RESOURCE_LABEL = "Resource"
_NATIVE_DATATYPES = {XSD.integer, XSD.boolean, XSD.double, XSD.decimal, XSD.string}


@dataclass
class NodeRow:
    """One subject of a delta, ready for Cypher parameters."""

    iri: str
    key: str
    labels: set[str] = field(default_factory=set)
    properties: dict[str, Any] = field(default_factory=dict)
    relationships: dict[str, list[str]] = field(default_factory=dict)
    replaced_predicates: set[str] = field(default_factory=set)
    """Names (without language) of the literal predicates the delta replaces."""
    replaces_types: bool = False


class PropertyGraphMapping:
    """Names and values for RDF terms in Neo4j, and the way back."""

    def __init__(self, ranges: Mapping[URIRef, URIRef] | None = None) -> None:
        self._ranges = dict(ranges or {})
        self._by_namespace = sorted(
            ((ns, prefix) for prefix, ns in PREFIXES.items()), key=lambda x: -len(x[0])
        )

    @classmethod
    def from_ontology(cls, ontology: Graph) -> PropertyGraphMapping:
        """A mapping that restores datatypes from the ontology's ``rdfs:range``."""
        ranges = {
            p: r
            for p, r in ontology.subject_objects(RDFS.range)
            if isinstance(p, URIRef) and isinstance(r, URIRef) and str(r).startswith(str(XSD))
        }
        return cls(ranges)

    # --- names ------------------------------------------------------------

    def name(self, iri: URIRef) -> str:
        """The Neo4j label, relationship type or property name for an RDF term."""
        text = str(iri)
        for ns, prefix in self._by_namespace:
            if text.startswith(ns) and len(text) > len(ns):
                local = text[len(ns) :]
                return local if ns == str(JKG) else f"{prefix}_{local}"
        return text

    def iri(self, name: str) -> URIRef:
        """The RDF term a Neo4j name stands for."""
        if "://" in name or name.startswith("urn:"):
            return URIRef(name)
        prefix, sep, local = name.partition("_")
        if sep and prefix in PREFIXES and prefix != "jkg":
            return URIRef(PREFIXES[prefix] + local)
        return URIRef(str(JKG) + name)

    def property_name(self, predicate: URIRef, lang: str | None) -> str:
        """Property name for a literal of ``predicate`` in language ``lang``."""
        base = self.name(predicate)
        return f"{base}@{lang}" if lang else base

    def split_property_name(self, name: str) -> tuple[str, str | None]:
        """``rdfs_label@nl`` -> (``rdfs_label``, ``nl``)."""
        match = _LANG_SUFFIX.match(name)
        if match and "://" not in match.group("lang"):
            return match.group("name"), match.group("lang").lower()
        return name, None

    # --- values -----------------------------------------------------------

    @staticmethod
    def value(literal: Literal) -> Any:
        """A Neo4j value for a literal: native where Neo4j has the type, else the lexical form."""
        if literal.language is None and literal.datatype in _NATIVE_DATATYPES:
            python = literal.toPython()
            if isinstance(python, Decimal):
                return float(python)
            if isinstance(python, bool | int | float | str):
                return python
        return str(literal)

    def literal(self, predicate: URIRef, value: Any, lang: str | None) -> Literal:
        """The literal a stored value stands for."""
        if lang is not None:
            return Literal(value, lang=lang)
        datatype = self._ranges.get(predicate)
        if datatype is not None:
            if datatype == XSD.decimal and isinstance(value, float):
                return Literal(Decimal(repr(value)), datatype=XSD.decimal)
            return Literal(
                str(value).lower() if isinstance(value, bool) else value, datatype=datatype
            )
        return Literal(value)

    # --- whole nodes --------------------------------------------------------

    def rows(self, delta: Graph, key_of: Any) -> list[NodeRow]:
        """The delta grouped by subject, with names and values Neo4j can take."""
        rows: dict[Node, NodeRow] = {}
        for s, p, o in sorted(delta):
            row = rows.get(s)
            if row is None:
                row = rows[s] = NodeRow(iri=str(s), key=key_of(str(s)))
            assert isinstance(p, URIRef)
            if p == RDF.type:
                row.replaces_types = True
                row.labels.add(self.name(o))  # type: ignore[arg-type]
            elif isinstance(o, Literal):
                row.replaced_predicates.add(self.name(p))
                name = self.property_name(p, o.language)
                _append(row.properties, name, self.value(o))
            else:
                row.relationships.setdefault(self.name(p), []).append(str(o))
        return list(rows.values())

    def triples(
        self,
        iri: str,
        labels: Iterable[str],
        properties: Mapping[str, Any],
        relationships: Iterable[tuple[str, str]],
    ) -> Iterable[tuple[URIRef, URIRef, Node]]:
        """The RDF triples of one stored node."""
        subject = URIRef(iri)
        for label in sorted(labels):
            if label != RESOURCE_LABEL:
                yield subject, RDF.type, self.iri(label)
        for name, stored in sorted(properties.items()):
            if name in IDENTITY_PROPERTIES:
                continue
            base, lang = self.split_property_name(name)
            predicate = self.iri(base)
            for value in stored if isinstance(stored, list) else [stored]:
                yield subject, predicate, self.literal(predicate, value, lang)
        for rel_type, target in relationships:
            yield subject, self.iri(rel_type), URIRef(target)


def _append(properties: dict[str, Any], name: str, value: Any) -> None:
    if name not in properties:
        properties[name] = value
    elif isinstance(properties[name], list):
        properties[name].append(value)
    else:
        properties[name] = [properties[name], value]
