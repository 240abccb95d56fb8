"""How RDF maps onto Neo4j's property graph, and back, without loss.

- every subject or IRI object is a node ``(:Resource {iri, key})``;
- each ``rdf:type`` is a label: the class's local name for journeykg classes
  (``:Journey``), ``prefix_local`` for other known vocabularies (``:skos_Concept``);
- a literal is a node property named after its predicate the same way, with
  ``@lang`` appended for language-tagged strings (``rdfs_label@nl``); several
  values become a list;
- an IRI object is a relationship typed after its predicate (``dependsOn``).

Predicates outside the known namespaces keep their full IRI as the name, so
nothing is refused. The datatype of a literal comes back exactly:

- the fast path, a plain name (``amountEur``, ``rdfs_label``): a literal of the
  datatype the ontology's ``rdfs:range`` gives the predicate, stored natively
  where Neo4j has the type (the walk and Cypher read these), and a string
  without a range. Its datatype comes back from the range, or is a string;
- every other typed literal (no range, or not the range's datatype, or a value
  the native type would change) is named with ``^^`` and its datatype appended
  (``dcterms_issued^^xsd_date``, ``x^^xsd_integer``), and keeps its lexical form, or
  its native value where Neo4j has the type without loss (integers, booleans,
  doubles), so one property holds one type of value.

Data written before the ``^^`` names (by the mapping until 5f97449) is read as it
was, never migrated: a plain name without a range gives a string, or a number or
boolean after the stored Python type; writing the values again stores them under
the new names and removes the old property (docs/neo4j-mapping.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from journeykg.graph.subject_index import subject_index
from journeykg.namespaces import JKG, PREFIXES, RDF, RDFS, XSD

_LANG_SUFFIX = re.compile(r"^(?P<name>.+)@(?P<lang>[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$")
#: Node properties that hold the node's identity, not a triple.
IDENTITY_PROPERTIES = frozenset({"iri", "key"})
RESOURCE_LABEL = "Resource"
_NATIVE_DATATYPES = {XSD.integer, XSD.boolean, XSD.double, XSD.decimal, XSD.string}
#: Separates a predicate's name from its literal's datatype (``dcterms_issued^^xsd_date``).
#: ``^`` is not allowed in an IRI (RFC 3987), so no predicate or datatype holds it.
DATATYPE_MARK = "^^"
_INT64 = range(-(2**63), 2**63)
# Looked up once: rdflib resolves a namespace attribute in Python on every access,
# and rows() and encode() ask for these once per triple written.
_TYPE = RDF.type
_STRING = XSD.string


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


#: Stored values decoded already: (property name, the value's type, value) -> (predicate, literal).
DecodedValues = dict[tuple[str, type, Any], tuple[URIRef, Literal]]
#: How many Neo4j names :meth:`PropertyGraphMapping.iri` keeps the term of: a schema's
#: labels, types and properties fit many times over; a database of unbounded names does not
#: grow the cache.
_NAMES_KEPT = 10_000


class PropertyGraphMapping:
    """Names and values for RDF terms in Neo4j, and the way back."""

    def __init__(self, ranges: Mapping[URIRef, URIRef] | None = None) -> None:
        self._ranges = dict(ranges or {})
        self._names: dict[URIRef, str] = {}
        self._iris: dict[str, URIRef] = {}
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
        # Asked for every triple written (predicate and datatype): a handful of
        # distinct terms, each worked out once.
        found = self._names.get(iri)
        if found is None:
            found = self._names[iri] = self._name(iri)
        return found

    def _name(self, iri: URIRef) -> str:
        text = str(iri)
        for ns, prefix in self._by_namespace:
            if text.startswith(ns) and len(text) > len(ns):
                local = text[len(ns) :]
                return local if ns == str(JKG) else f"{prefix}_{local}"
        return text

    def iri(self, name: str) -> URIRef:
        """The RDF term a Neo4j name stands for."""
        # Asked for every label, relationship and property read (a describe of a sync's
        # batch: thousands), of a handful of names; each URIRef is built and checked once.
        found = self._iris.get(name)
        if found is None:
            found = self._iri(name)
            if len(self._iris) < _NAMES_KEPT:
                self._iris[name] = found
        return found

    def _iri(self, name: str) -> URIRef:
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
        """``rdfs_label@nl`` -> (``rdfs_label``, ``nl``); ``x^^xsd_date`` -> (``x``, None)."""
        base, mark, _ = name.partition(DATATYPE_MARK)
        if mark:
            return base, None
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

    def encode(self, predicate: URIRef, literal: Literal) -> tuple[str, Any]:
        """The property name and value a literal of ``predicate`` is stored under.

        A plain name where :meth:`literal` gives the same literal back from it (the
        fast path); else the name with the datatype appended, see the module."""
        base = self.name(predicate)
        if literal.language is not None:
            return f"{base}@{literal.language}", str(literal)
        datatype = literal.datatype
        if datatype is None or datatype == _STRING:
            if predicate not in self._ranges or self._ranges[predicate] == _STRING:
                return base, str(literal)
        elif datatype == self._ranges.get(predicate):
            value = self.value(literal)
            if _restores(literal, value):
                return base, value
        return f"{base}{DATATYPE_MARK}{self.name(datatype or XSD.string)}", _typed_value(literal)

    def literal(self, predicate: URIRef, value: Any, lang: str | None) -> Literal:
        """The literal a stored value stands for (under a plain name, see :meth:`decode`)."""
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

    def decode(self, name: str, value: Any) -> tuple[URIRef, Literal]:
        """The predicate and literal a stored property value stands for."""
        base, mark, datatype = name.partition(DATATYPE_MARK)
        if mark:
            return self.iri(base), _typed_literal(value, self.iri(datatype))
        base, lang = self.split_property_name(name)
        predicate = self.iri(base)
        return predicate, self.literal(predicate, value, lang)

    # --- whole nodes --------------------------------------------------------

    def rows(self, delta: Graph, key_of: Any) -> list[NodeRow]:
        """The delta grouped by subject, with names and values Neo4j can take.

        The rows come in IRI order (locks taken in one order by every writer);
        a property holding several values lists them in the order of their
        literals, so the same triples always give the same list (a bulk load
        writes what ``upsert`` writes).
        """
        return self.rows_counted(delta, key_of)[0]

    def rows_counted(self, delta: Graph, key_of: Any) -> tuple[list[NodeRow], int]:
        """:meth:`rows`, and how many triples the delta holds (counted on the way).

        Counted here because ``len()`` of an rdflib memory graph walks every
        triple again (a second pass at 3.7M triples)."""
        # The triples as rdflib's store groups them (graph/subject_index.py): per
        # subject, per predicate, so a predicate's name and kind are worked out
        # once per subject, not once per triple. Only the values of a property
        # that holds several are sorted (_listed), never the triples.
        rows: list[NodeRow] = []
        name = self.name
        encode = self.encode
        count = 0
        for s, by_predicate in subject_index(delta).items():
            iri = str(s)
            row = NodeRow(iri=iri, key=key_of(iri))
            values: dict[str, list[tuple[Literal, Any]]] = {}
            for p, objects in by_predicate.items():
                if p == _TYPE:
                    row.replaces_types = True
                    for o in objects:
                        row.labels.add(name(o))  # type: ignore[arg-type]
                        count += 1
                    continue
                predicate = name(p)  # type: ignore[arg-type]
                for o in objects:
                    count += 1
                    if isinstance(o, Literal):
                        row.replaced_predicates.add(predicate)
                        prop, value = encode(p, o)  # type: ignore[arg-type]
                        found = values.get(prop)
                        if found is None:
                            values[prop] = [(o, value)]
                        else:
                            found.append((o, value))
                    else:
                        row.relationships.setdefault(predicate, []).append(str(o))
            if not (row.labels or values or row.relationships):
                continue  # an entry rdflib emptied when its triples were removed
            row.properties = {
                prop: pairs[0][1] if len(pairs) == 1 else _listed(pairs)
                for prop, pairs in values.items()
            }
            rows.append(row)
        rows.sort(key=_by_iri)
        return rows, count

    def triples(
        self,
        iri: str,
        labels: Iterable[str],
        properties: Mapping[str, Any],
        relationships: Iterable[tuple[str, str]],
        decoded: DecodedValues | None = None,
        targets: dict[str, URIRef] | None = None,
    ) -> Iterable[tuple[URIRef, URIRef, Node]]:
        """The RDF triples of one stored node.

        ``decoded``: the values decoded so far, by a caller that reads many nodes at once
        (a describe of a sync's batch repeats the same names, counts, dates and codes, and
        building each Literal again was most of its client time); filled as it goes.
        ``targets``: likewise the IRIs of the relationships' targets (a batch's thousand
        volumes point at a few reasons and channels).
        """
        subject = URIRef(iri)
        for label in sorted(labels):
            if label != RESOURCE_LABEL:
                yield subject, RDF.type, self.iri(label)
        for name, stored in sorted(properties.items()):
            if name in IDENTITY_PROPERTIES:
                continue
            for value in stored if isinstance(stored, list) else [stored]:
                if decoded is None:
                    yield subject, *self.decode(name, value)
                    continue
                # With the value's type: True == 1 == 1.0 in Python, not in RDF.
                key = (name, type(value), value)
                pair = decoded.get(key)
                if pair is None:
                    pair = decoded[key] = self.decode(name, value)
                yield subject, *pair
        for rel_type, target in relationships:
            if targets is None:
                yield subject, self.iri(rel_type), URIRef(target)
                continue
            term = targets.get(target)
            if term is None:
                term = targets[target] = URIRef(target)
            yield subject, self.iri(rel_type), term


def _by_iri(row: NodeRow) -> str:
    return row.iri


def _listed(pairs: list[tuple[Literal, Any]]) -> list[Any]:
    """The values of one property that holds several, in the order of their literals.

    rdflib orders literals by value, and literals of two numeric datatypes do
    not always compare (a decimal beside a NaN double raises): then their
    N-Triples spelling orders them. Neo4j stores a list of one type only:
    values of mixed types under one name (``1`` and ``2**70``) become their
    texts, which read back as the same literals (the datatype comes from the
    range or the name)."""
    try:
        pairs = sorted(pairs, key=_literal_of)
    except (TypeError, ArithmeticError):
        pairs = sorted(pairs, key=_spelling_of)
    if len({type(value) for _, value in pairs}) > 1:
        return [str(literal) for literal, _ in pairs]
    return [value for _, value in pairs]


def _literal_of(pair: tuple[Literal, Any]) -> Literal:
    return pair[0]


def _spelling_of(pair: tuple[Literal, Any]) -> str:
    return pair[0].n3()


def _restores(literal: Literal, value: Any) -> bool:
    """Whether a native value stored for ``literal`` under its range's name gives it back.

    Spellings that the canonical form makes one (``1.50`` and ``1.5``) count as the
    same; what the native type cannot hold does not: an integer beyond 64 bits, a
    decimal with more digits than a double, an ill-typed value, ``"1"^^xsd:boolean``."""
    if isinstance(value, bool):
        return str(literal) in ("true", "false")
    if isinstance(value, int):
        return value in _INT64
    if isinstance(value, float) and literal.datatype == XSD.decimal:
        python = literal.toPython()
        return isinstance(python, Decimal) and Decimal(repr(value)) == python
    if isinstance(value, float):
        return isinstance(literal.toPython(), float)
    # A string: the lexical form, which the range's datatype is put back on.
    return True


def _typed_value(literal: Literal) -> Any:
    """A typed literal's value under a ``^^`` name: native where nothing is lost, else its text."""
    python = literal.toPython()
    datatype = literal.datatype
    if datatype == XSD.integer and isinstance(python, int) and python in _INT64:
        return python
    if datatype == XSD.boolean and str(literal) in ("true", "false"):
        return python
    if datatype == XSD.double and isinstance(python, float):
        return python
    return str(literal)


def _typed_literal(value: Any, datatype: URIRef) -> Literal:
    """The literal a value under a ``^^`` name stands for."""
    if isinstance(value, bool):
        return Literal("true" if value else "false", datatype=datatype)
    if isinstance(value, float):
        return Literal(value, datatype=datatype)
    return Literal(str(value), datatype=datatype)
