"""The audit's change of a write, computed on N-Triples lines, is what sets of triples give.

graph/audit_change.py compares a write's old and new values as lines (in C)
instead of as sets of rdflib triples (in Python); these cases hold it to the
set definition, value for value and line for line.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.serializers.nt import _nt_row
from rdflib.plugins.stores.memory import SimpleMemory

from bench.synthetic import generate
from journeykg.graph.audit_change import Triple, addition_of, change_of, value
from journeykg.graph.audit_journal import Change
from journeykg.namespaces import RDFS, XSD
from journeykg.validation.subject_memory import SubjectMemory

A = URIRef("https://id.example/a")
B = URIRef("https://id.example/b")
P = URIRef("https://id.example/p")


def by_sets(replaced: Iterable[Triple], new: Iterable[Triple]) -> Change:
    """The definition: the values before and after as sets, each removed or added one a line."""
    before = {value(t) for t in replaced}
    after = {value(t) for t in new}
    removed, added = before - after, after - before
    return Change(
        elements={str(t[0]) for t in removed | added if isinstance(t[0], URIRef)},
        removed="".join(sorted(_nt_row(t) for t in removed)),
        added="".join(sorted(_nt_row(t) for t in added)),
        removed_count=len(removed),
        added_count=len(added),
    )


CASES: dict[str, tuple[list[Triple], list[Triple]]] = {
    "new elements only": ([], [(A, P, Literal("a")), (A, RDFS.label, Literal("A", lang="nl"))]),
    "a value replaced": ([(A, P, Literal("old"))], [(A, P, Literal("new"))]),
    "a value written again": ([(A, P, Literal("same"))], [(A, P, Literal("same"))]),
    "a number in another spelling": (
        [(A, P, Literal("3.0", datatype=XSD.decimal))],
        [(A, P, Literal("3", datatype=XSD.decimal))],
    ),
    "xsd:string against a simple literal": (
        [(A, P, Literal("s", datatype=XSD.string))],
        [(A, P, Literal("s"))],
    ),
    "a language tag in other case": (
        [(A, P, Literal("x", lang="en-gb"))],
        [(A, P, Literal("x", lang="en-GB")), (B, P, Literal("y", lang="NL"))],
    ),
    "two spellings of one value in one write": (
        [],
        [
            (A, P, Literal("1.50", datatype=XSD.decimal)),
            (A, P, Literal("1.5", datatype=XSD.decimal)),
        ],
    ),
    "escapes, links and blank nodes": (
        [(A, P, B), (B, P, BNode("x"))],
        [(A, P, Literal('q "quoted"\nline\\')), (BNode("y"), P, A)],
    ),
    "a whole subject removed": ([(A, P, Literal("a")), (A, RDFS.label, Literal("A"))], []),
    "one spelling, three datatypes, repeated": (
        [(A, P, Literal("7", datatype=XSD.integer)), (B, P, Literal("7"))],
        [
            (A, P, Literal("7", datatype=XSD.integer)),
            (A, RDFS.label, Literal("7", datatype=XSD.string)),
            (B, P, Literal("7", datatype=XSD.decimal)),
            (B, RDFS.label, Literal("7")),
        ],
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_the_change_is_the_set_difference_of_values(case: str) -> None:
    replaced, new = CASES[case]
    assert change_of(replaced, new) == by_sets(replaced, new)


def test_a_batch_of_an_organisation_is_recorded_as_sets_record_it() -> None:
    organisation = list(generate(200).graph)
    stored = organisation[::3]  # a third already stored, some of it rewritten below
    rewritten = [
        (s, p, Literal("changed")) if isinstance(o, Literal) else (s, p, o)
        for s, p, o in stored[::2]
    ]
    new = organisation[1::3] + rewritten
    assert change_of(stored, new) == by_sets(stored, new)


def _graph(triples: Iterable[Triple], store: type[SimpleMemory] = SimpleMemory) -> Graph:
    graph = Graph(store=store())
    for triple in triples:
        graph.add(triple)
    return graph


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_graphs_read_through_their_index_record_the_same_change(case: str) -> None:
    replaced, new = CASES[case]
    assert change_of(_graph(replaced), _graph(new)) == by_sets(replaced, new)


def test_a_batch_of_an_organisation_as_graphs_is_recorded_as_sets_record_it() -> None:
    organisation = list(generate(200).graph)
    stored = organisation[::3]
    rewritten = [(s, p, Literal("changed")) for s, p, o in stored[::2] if isinstance(o, Literal)]
    new = organisation[1::3] + rewritten
    assert change_of(_graph(stored), _graph(new)) == by_sets(stored, new)


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_an_addition_is_the_change_from_nothing(case: str) -> None:
    _, new = CASES[case]
    expected = by_sets([], new)
    assert addition_of(new) == expected
    assert addition_of(_graph(new)) == expected
    assert addition_of(_graph(new, SubjectMemory)) == expected


def test_an_organisation_loaded_into_an_empty_store_is_recorded_as_sets_record_it() -> None:
    organisation = list(generate(200).graph)
    graph = _graph(organisation, SubjectMemory)
    gone = organisation[::7]
    for triple in gone:
        graph.remove(triple)  # rdflib's emptied entries stay in the index: recorded as nothing
    kept = [t for t in organisation if t not in set(gone)]
    assert addition_of(graph) == by_sets([], kept)
    assert addition_of(graph) == change_of((), graph)
