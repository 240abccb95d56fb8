"""Exports are deterministic: the same graph gives the same bytes, in every format, on both
backends, whatever order it was written in, after a restart and after a restore."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from typer.testing import CliRunner

from journeykg.cli.app import app
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.export import EXPORT_FORMATS, ExportFormat, canonical_bytes, export_bytes
from journeykg.graph.store import Store
from journeykg.namespaces import JKG, RDFS, XSD
from journeykg.resources import DEMO_DATASET
from tests.conftest import BACKENDS, BASE

runner = CliRunner()


def demo() -> Graph:
    return Graph().parse(DEMO_DATASET, format="turtle")


def write_in_order(store: Store, graph: Graph, seed: int) -> None:
    """``graph`` into an emptied ``store``, its subjects shuffled by ``seed``, in batches of
    30 subjects: on Neo4j the order nodes are created in is the order they are read in."""
    store.clear()
    subjects = sorted({s for s in graph.subjects()}, key=str)
    random.Random(seed).shuffle(subjects)
    for start in range(0, len(subjects), 30):
        batch = Graph()
        for subject in subjects[start : start + 30]:
            for triple in graph.triples((subject, None, None)):
                batch.add(triple)
        store.upsert(batch)


@pytest.mark.parametrize("rdf_format", EXPORT_FORMATS)
def test_insertion_order_does_not_reach_the_bytes(store: Store, rdf_format: ExportFormat) -> None:
    write_in_order(store, demo(), seed=1)
    first, count = export_bytes(store, rdf_format)
    write_in_order(store, demo(), seed=2)
    second, _ = export_bytes(store, rdf_format)
    assert count == len(demo())
    assert first == second


@pytest.mark.parametrize("rdf_format", EXPORT_FORMATS)
def test_both_backends_export_the_demo_to_the_same_bytes(
    embedded_store: Store, neo4j_store: Store, rdf_format: ExportFormat
) -> None:
    # Neo4j keeps an xsd:decimal as a float ("18.0"), Oxigraph as "18": one spelling.
    write_in_order(embedded_store, demo(), seed=3)
    write_in_order(neo4j_store, demo(), seed=4)
    assert export_bytes(embedded_store, rdf_format) == export_bytes(neo4j_store, rdf_format)


def test_nt_export_is_sorted_lines_with_numbers_in_one_spelling() -> None:
    graph = Graph()
    thing = URIRef(BASE + "kpi/b")
    graph.add((thing, JKG.target, Literal("18.0", datatype=XSD.decimal)))
    graph.add((URIRef(BASE + "kpi/a"), RDFS.label, Literal("a")))
    lines = canonical_bytes(graph, "nt").decode().splitlines()
    assert lines == sorted(lines)
    assert f'<{BASE}kpi/b> <{JKG.target}> "18"^^<{XSD.decimal}> .' in lines


@pytest.mark.parametrize("rdf_format", EXPORT_FORMATS)
def test_blank_node_labels_do_not_reach_the_bytes(rdf_format: ExportFormat) -> None:
    # The same graph as read twice: a parser gives each blank node a fresh label.
    # Pointed at twice, so that Turtle writes the blank node's label, not [ ... ].
    text = (
        f"<{BASE}scheme/x> <{JKG.note}> _:m . <{BASE}scheme/y> <{JKG.note}> _:m .\n"
        f'_:m <{RDFS.label}> "metadata" .\n'
    )
    once = Graph().parse(data=text, format="turtle")
    twice = Graph().parse(data=once.serialize(format="nt"), format="nt")
    assert {o for o in once.objects() if isinstance(o, BNode)} != {
        o for o in twice.objects() if isinstance(o, BNode)
    }
    assert canonical_bytes(once, rdf_format) == canonical_bytes(twice, rdf_format)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("rdf_format", EXPORT_FORMATS)
def test_cli_export_is_the_same_after_a_reopen_and_after_a_restore(
    backend: str,
    rdf_format: ExportFormat,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    monkeypatch.setenv("JOURNEYKG_BASE_IRI", BASE)
    monkeypatch.setenv("JOURNEYKG_BACKEND", backend)
    store: Store
    if backend == "embedded":
        monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
        where = ["--store-dir", str(tmp_path / "store")]
        store = EmbeddedStore(tmp_path / "store", BASE)
        write_in_order(store, demo(), seed=5)
        store.close()  # the CLI opens its own: one process per directory
    else:
        where = []
        store = request.getfixturevalue("neo4j_store")
        write_in_order(store, demo(), seed=5)
    exports = []
    for number in range(3):
        file = tmp_path / f"export-{number}.{rdf_format}"
        done = runner.invoke(app, ["export", str(file), "--format", rdf_format, *where])
        assert done.exit_code == 0, done.output
        exports.append(file.read_bytes())
        if number == 1:  # each export opened the store anew; the third reads a restore of it
            if backend == "embedded":
                where = ["--store-dir", str(tmp_path / "restored")]
            else:
                store.clear()
            restored = runner.invoke(app, ["restore", str(file), "--format", rdf_format, *where])
            assert restored.exit_code == 0, restored.output
    assert exports[0] == exports[1] == exports[2]


def test_a_string_is_spelled_as_a_simple_literal() -> None:
    # Oxigraph gave skos:notation "1.1" back as "1.1"^^xsd:string, Neo4j as "1.1":
    # the same RDF 1.1 term, so the export writes it one way.
    from journeykg.graph.canonical import canonical_term
    from journeykg.namespaces import XSD

    assert canonical_term(Literal("1.1", datatype=XSD.string)) == Literal("1.1")
    assert canonical_term(Literal("1.1", lang="nl")) == Literal("1.1", lang="nl")
