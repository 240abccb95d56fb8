"""A batched write's batches: whole subjects, in IRI order, ``size`` each, resumed after a subject.

graph/neo4j_bulk.py cuts a delta sorted by subject text; these cases hold it to
the definition (group the triples by subject, sort the subjects by IRI, take
``size`` at a time after the resume point) on a generated organisation.
"""

from __future__ import annotations

from collections import defaultdict

import pytest
from rdflib import Graph
from rdflib.term import Node

from bench.synthetic import generate
from journeykg.graph.neo4j_bulk import subject_batches

Triple = tuple[Node, Node, Node]


def by_definition(delta: Graph, size: int, after: str | None) -> list[set[Triple]]:
    by_subject: dict[Node, list[Triple]] = defaultdict(list)
    for triple in delta:
        by_subject[triple[0]].append(triple)
    subjects = [s for s in sorted(by_subject, key=str) if after is None or str(s) > after]
    return [
        {t for s in subjects[start : start + size] for t in by_subject[s]}
        for start in range(0, len(subjects), size)
    ]


ORGANISATION = generate(400).graph
SUBJECTS = sorted({str(s) for s in ORGANISATION.subjects()})


@pytest.mark.parametrize("size", [1, 3, 50, 10_000])
@pytest.mark.parametrize(
    "after",
    [None, "", SUBJECTS[0], SUBJECTS[len(SUBJECTS) // 2], SUBJECTS[-1], SUBJECTS[5] + "-"],
    ids=["start", "empty", "first", "middle", "last", "between"],
)
def test_batches_are_whole_subjects_in_iri_order(size: int, after: str | None) -> None:
    batches = [set(batch) for batch in subject_batches(ORGANISATION, size, after)]
    assert batches == by_definition(ORGANISATION, size, after)
