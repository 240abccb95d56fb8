"""What keeping every literal's datatype costs on Neo4j: this mapping against an older one.

    JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:7687 python -m bench.neo4j_literals --against 5f97449

Times, in one run and on one graph, the mapping of this checkout and the
mapping of ``graph/property_graph.py`` at the revision ``--against`` names
(read with ``git show``): turning a graph into rows (the write path's Python
half), turning the stored properties back into triples (the read path's),
and a real ``upsert`` into an emptied Neo4j then an ``export``. The graph is
the synthetic organisation of ``--nodes`` elements with, on each, a date and a
date-time without an ontology range (a glossary's ``dct:issued``), the case
the older mapping read back as plain strings; ``--plain`` leaves them out.
Each figure is the best of ``--repeat`` runs, the two mappings alternating.
**Clears the database.**
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS

from bench.stores import open_neo4j
from bench.synthetic import BASE, generate
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.property_graph import PropertyGraphMapping
from journeykg.namespaces import RDF, XSD
from journeykg.ontology_graph import load_ontology


def mapping_at(revision: str) -> Any:
    """``PropertyGraphMapping`` as ``graph/property_graph.py`` was at ``revision``."""
    source = subprocess.run(
        ["git", "show", f"{revision}:graph/property_graph.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / f"property_graph_{revision}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(f"property_graph_{revision}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.PropertyGraphMapping.from_ontology(load_ontology())


def with_dates(graph: Graph) -> Graph:
    """Each typed subject also issued on a date and modified at a time (no range for either)."""
    day = date(2024, 1, 1)
    for n, subject in enumerate(sorted(set(graph.subjects(RDF.type)), key=str)):
        issued = day + timedelta(days=n % 700)
        graph.add((subject, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.date)))
        graph.add(
            (subject, DCTERMS.modified, Literal(f"{issued}T09:30:00Z", datatype=XSD.dateTime))
        )
    return graph


def best(repeat: int, work: Callable[[], object]) -> float:
    """The fastest of ``repeat`` runs of ``work``, in seconds."""
    times = []
    for _ in range(repeat):
        # The other mapping's garbage (a whole exported graph) is not this one's cost.
        gc.collect()
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def measure(graph: Graph, mapping: Any, repeat: int) -> dict[str, float]:
    """Rows, triples, upsert and export with ``mapping``, in seconds."""
    rows = mapping.rows(graph, lambda iri: iri)
    figures = {
        "rows_s": best(repeat, lambda: mapping.rows(graph, lambda iri: iri)),
        "triples_s": best(
            repeat,
            lambda: [t for r in rows for t in mapping.triples(r.iri, r.labels, r.properties, ())],
        ),
    }
    uri = open_neo4j(BASE).uri
    store = Neo4jStore(uri, BASE, mapping)
    try:
        upserts, exports = [], []
        for _ in range(repeat):
            store.clear()
            gc.collect()
            started = time.perf_counter()
            store.upsert(graph)
            upserts.append(time.perf_counter() - started)
            started = time.perf_counter()
            store.export()
            exports.append(time.perf_counter() - started)
        figures["upsert_s"], figures["export_s"] = min(upserts), min(exports)
    finally:
        store.clear()
        store.close()
    return figures


def main(argv: list[str] | None = None) -> None:
    """Print the figures of both mappings as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", required=True, help="git revision of the older mapping")
    parser.add_argument("--nodes", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--plain", action="store_true", help="no unranged dates")
    args = parser.parse_args(argv)
    graph = generate(args.nodes).graph
    if not args.plain:
        graph = with_dates(graph)
    mappings = {
        args.against: mapping_at(args.against),
        "this": PropertyGraphMapping.from_ontology(load_ontology()),
    }
    results: dict[str, dict[str, float]] = {name: {} for name in mappings}
    # Alternating, so that a busy moment on the shared machine hits both alike.
    for _ in range(args.repeat):
        for name, mapping in mappings.items():
            for key, seconds in measure(graph, mapping, 1).items():
                results[name][key] = min(seconds, results[name].get(key, seconds))
    print(
        json.dumps(
            {"nodes": args.nodes, "triples": len(graph), "dates": not args.plain, **results},
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
