"""Hypothesis strategies for RDF literals of every kind a store must give back.

Shared by the mapping's own test (no server) and the conformance test (both
backends): strings (long ones too), language tags (several on one property,
mixed case), dates and times with and without a time zone, years, booleans in
every spelling, integers beyond 64 bits, decimals beyond a double's digits,
doubles with their edge values, a datatype of nobody's vocabulary; on
predicates with and without a range in the ontology.
"""

from __future__ import annotations

from datetime import UTC, timedelta, timezone

from hypothesis import strategies as st
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS
from rdflib.term import Node

from journeykg.graph.canonical import canonical_term
from journeykg.namespaces import JKG, XSD

#: Predicates with a range, one per datatype the ontology ranges over.
RANGED = [
    JKG.contacts,  # xsd:integer
    JKG.momentOfTruth,  # xsd:boolean
    JKG.amountEur,  # xsd:decimal
    JKG.period,  # xsd:gYear
    JKG.externalId,  # xsd:string
    JKG.periodStart,  # xsd:date
    JKG.validFrom,  # xsd:dateTime
]
#: Predicates without one: a known vocabulary's (a glossary's dct:issued) and nobody's.
UNRANGED = [DCTERMS.issued, URIRef("http://example.org/vocab#note")]
CUSTOM = URIRef("http://example.org/datatypes#celsius")

_text = st.text(st.characters(codec="utf-8"), max_size=12)
_long = st.integers(1_000, 100_000).map(lambda n: "long " * (n // 5))
_zones = st.none() | st.sampled_from(
    [UTC, timezone(timedelta(hours=2)), timezone(-timedelta(hours=5, minutes=30))]
)


def _typed(lexical: st.SearchStrategy[str], datatype: URIRef) -> st.SearchStrategy[Literal]:
    return lexical.map(lambda text: Literal(text, datatype=datatype))


def _double(value: float) -> str:
    return str(Literal(value))


_date_times = st.builds(lambda d, tz: d.replace(tzinfo=tz).isoformat(), st.datetimes(), _zones)
_int64_edges = [str(-(2**63)), str(2**63 - 1), str(2**63), "0", "-0", "007"]
_decimals = st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: format(d, "f"))
_double_edges = ["INF", "-INF", "NaN", "-0.0", "1.7976931348623157E308", "4.9E-324"]

#: One strategy per kind of literal.
KINDS: list[st.SearchStrategy[Literal]] = [
    (_text | _long).map(Literal),
    _typed(_text, XSD.string),
    st.builds(
        lambda text, lang: Literal(text, lang=lang),
        _text,
        st.sampled_from(["en", "nl", "de", "fr", "en-GB", "zh-Hant"]),
    ),
    _typed(st.dates().map(lambda d: d.isoformat()), XSD.date),
    _typed(_date_times, XSD.dateTime),
    _typed(st.integers(1, 9999).map(lambda y: f"{y:04d}"), XSD.gYear),
    _typed(st.sampled_from(["true", "false", "1", "0"]), XSD.boolean),
    _typed(st.integers(-(2**80), 2**80).map(str) | st.sampled_from(_int64_edges), XSD.integer),
    _typed(_decimals, XSD.decimal),
    _typed(st.floats().map(_double) | st.sampled_from(_double_edges), XSD.double),
    _typed(_text, CUSTOM),
    # Ill-typed values are legal RDF; a store keeps them as they are.
    _typed(st.sampled_from(["not a number", "2024-13-45"]), XSD.integer),
    _typed(st.sampled_from(["not a date"]), XSD.date),
]
literals = st.one_of(KINDS)


def _several(predicate: URIRef) -> st.SearchStrategy[list[tuple[URIRef, Literal]]]:
    # Values of one kind (two integers, one beyond 64 bits), or of any kinds.
    of_one_kind = st.sampled_from(KINDS).flatmap(lambda kind: st.lists(kind, max_size=3))
    return (of_one_kind | st.lists(literals, max_size=3)).map(
        lambda found: [(predicate, literal) for literal in found]
    )


#: One subject's literals: single and multi-valued, on predicates with and without a range.
values = st.lists(st.sampled_from(RANGED + UNRANGED).flatmap(_several), min_size=1, max_size=3).map(
    lambda groups: [pair for group in groups for pair in group] or [(UNRANGED[0], Literal(""))]
)


def comparable(term: Node) -> Node:
    """A term up to RDF 1.1 literal equality as the stores keep it.

    :func:`canonical_term` (Oxigraph writes numbers in their canonical spelling);
    language tags in lower case, which RDF 1.1 allows a store to normalise to."""
    term = canonical_term(term)
    if isinstance(term, Literal) and term.language:
        return Literal(str(term), lang=term.language.lower())
    return term
