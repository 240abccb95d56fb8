"""The import tool's CSV files made from a delta's rows (graph/neo4j_import_csv.py)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from journeykg.graph.neo4j_import_csv import (
    ARRAY_DELIMITER,
    ImportValueError,
    write_import_files,
)
from journeykg.graph.property_graph import RESOURCE_LABEL, NodeRow


def _key(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _read(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _row(iri: str, labels: set[str], **properties: object) -> NodeRow:
    return NodeRow(iri, _key(iri), {RESOURCE_LABEL, *labels}, dict(properties))


def test_nodes_are_grouped_by_labels_and_property_types(tmp_path: Path) -> None:
    rows = [
        _row("https://x/j1", {"Journey"}, name="Kredietcheck", steps=3),
        _row("https://x/j2", {"Journey"}, name="Verhuizen", steps=5),
        _row("https://x/c1", {"Cost"}, amount=12.5, tags=["a", "b"], active=True),
    ]
    files = write_import_files(rows, _key, tmp_path)
    assert files.node_count == 3
    by_header = {tuple(_read(p)[0]): _read(p)[1:] for p in files.nodes}
    journeys = by_header[("iri:ID", "key", ":LABEL", "name:string", "steps:long")]
    assert journeys == [
        ["https://x/j1", "j1", f"{RESOURCE_LABEL}{ARRAY_DELIMITER}Journey", "Kredietcheck", "3"],
        ["https://x/j2", "j2", f"{RESOURCE_LABEL}{ARRAY_DELIMITER}Journey", "Verhuizen", "5"],
    ]
    costs = by_header[
        ("iri:ID", "key", ":LABEL", "active:boolean", "amount:double", "tags:string[]")
    ]
    assert costs == [
        [
            "https://x/c1",
            "c1",
            f"{RESOURCE_LABEL}{ARRAY_DELIMITER}Cost",
            "true",
            "12.5",
            f"a{ARRAY_DELIMITER}b",
        ]
    ]
    assert files.multiline == []


def test_edges_per_type_and_their_targets_that_are_no_subject(tmp_path: Path) -> None:
    journey = _row("https://x/j1", {"Journey"})
    journey.relationships = {
        "hasStep": ["https://x/s1", "https://x/s2"],
        "ownedBy": ["https://x/o"],
    }
    step = _row("https://x/s1", {"Step"})
    files = write_import_files([journey, step], _key, tmp_path)
    assert {kind: _read(path) for kind, path in files.relationships.items()} == {
        "hasStep": [
            [":START_ID", ":END_ID"],
            ["https://x/j1", "https://x/s1"],
            ["https://x/j1", "https://x/s2"],
        ],
        "ownedBy": [[":START_ID", ":END_ID"], ["https://x/j1", "https://x/o"]],
    }
    assert files.relationship_count == 3
    targets = [p for p in files.nodes if p.name == "nodes-targets.csv"]
    # A target the delta says nothing about is made with its iri and key only, as the
    # transactional write makes it; one that is a subject is not made twice.
    assert _read(targets[0]) == [
        ["iri:ID", "key", ":LABEL"],
        ["https://x/o", "o", RESOURCE_LABEL],
        ["https://x/s2", "s2", RESOURCE_LABEL],
    ]
    assert files.node_count == 4


def test_commas_quotes_and_line_breaks_survive_and_mark_the_file(tmp_path: Path) -> None:
    text = 'Klant belt, "boos"\nen hangt op'
    files = write_import_files([_row("https://x/c", {"Complaint"}, text=text)], _key, tmp_path)
    assert _read(files.nodes[0])[1][3] == text
    assert files.multiline == [files.nodes[0]]


def test_numbers_the_import_tool_reads_as_java_does(tmp_path: Path) -> None:
    rows = [_row("https://x/k", {"KPI"}, a=float("nan"), b=float("inf"), c=float("-inf"))]
    files = write_import_files(rows, _key, tmp_path)
    assert _read(files.nodes[0])[1][3:] == ["NaN", "Infinity", "-Infinity"]


def test_a_value_holding_the_list_delimiter_is_refused_naming_element_and_property(
    tmp_path: Path,
) -> None:
    row = _row("https://x/j", {"Journey"}, altLabel=["ok", f"bad{ARRAY_DELIMITER}value"])
    with pytest.raises(ImportValueError, match=r"https://x/j: a value of property 'altLabel'"):
        write_import_files([row], _key, tmp_path)


def test_a_list_mixing_types_is_refused_naming_element_and_property(tmp_path: Path) -> None:
    row = _row("https://x/k", {"KPI"}, target=[1, "twee"])
    with pytest.raises(ImportValueError, match=r"https://x/k: property 'target' lists values"):
        write_import_files([row], _key, tmp_path)
