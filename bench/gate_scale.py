"""The SHACL gate on a synthetic organisation, without a store: today's gate against the old one.

    python -m bench.gate_scale --nodes 10000 --baseline --profile
    python -m bench.gate_scale --nodes 100000

The organisation (bench/synthetic.py) is written once as N-Triples into
``--work`` and parsed as ``journeykg load`` parses it (rdflib, loaders/rdf_file.py);
pyoxigraph's parser is timed on the same file for comparison (triples only,
no rdflib terms built). The gate is then run as a load into an empty store
runs it (:func:`journeykg.validation.gate.run_shacl` on the merged view, results
about the file's subjects):

- ``gate``: today's, with the step-sequence and self-dependency rules
  evaluated by validation/core_rules_index.py;
- ``baseline`` (``--baseline``): the gate before that module: pySHACL runs
  those two SPARQL constraints once per focus node, and the disjointness
  rule (``jkgsh:DisjointCoreClasses-type``), which the module now also indexes.

Both must agree on the violations; each run prints seconds, the number of
results and the load average before and after (the machine is shared).
``--profile`` prints where today's gate spends its time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from rdflib import Graph, URIRef

from bench.synthetic import organisation_file
from journeykg.namespaces import SH
from journeykg.ontology_graph import load_ontology, load_shapes
from journeykg.validation.core_rules_index import CORE_RULE_SHAPES, DISJOINT_SHAPE
from journeykg.validation.gate import merged_view, run_shacl


def _load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def baseline_gate(data: Graph, focus: list[URIRef]) -> tuple[bool, Graph]:
    """The gate before validation/core_rules_index.py: pySHACL runs the rules it indexes."""
    import pyshacl

    from journeykg.validation.gate import results_about, with_results
    from journeykg.validation.label_index import label_clashes
    from journeykg.validation.pyshacl_shapes import shapes_for_pyshacl
    from journeykg.validation.sparql import thread_safe_sparql

    thread_safe_sparql()
    shapes = Graph()
    shapes += shapes_for_pyshacl()
    written = load_shapes()
    for shape in CORE_RULE_SHAPES:
        query = written.value(shape, SH.sparql)
        assert query is not None, f"the shapes lost the SPARQL constraint of {shape}"
        shapes.add((shape, SH.sparql, query))
    # The disjointness rule back as the old rewrite had it: standing alone, with
    # its node shape's targets (validation/pyshacl_shapes.py), annotations left out.
    for p, o in written.predicate_objects(DISJOINT_SHAPE):
        if p not in (SH.name, SH.order, SH.description):
            shapes.add((DISJOINT_SHAPE, p, o))
    for holder in written.subjects(SH.property, DISJOINT_SHAPE):
        for target in written.objects(holder, SH.targetClass):
            shapes.add((DISJOINT_SHAPE, SH.targetClass, target))
    combined = Graph()
    combined += data
    combined += load_ontology()
    _, results, _ = pyshacl.validate(
        combined,
        shacl_graph=shapes,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=True,
    )
    with_results(results, label_clashes(combined))
    return results_about(results, set(focus))


def _violations(results: Graph) -> int:
    return sum(1 for _ in results.subjects(SH.resultSeverity, SH.Violation))


def _progress(figures: dict[str, Any]) -> None:
    """The figures so far, on stderr: a 100k baseline takes many minutes."""
    print({k: v for k, v in figures.items() if k != "profile"}, file=sys.stderr, flush=True)


def run(nodes: int, work: Path, baseline: bool, profile: bool) -> dict[str, Any]:
    """Parse and gate the organisation of ``nodes``; the figures."""
    file = organisation_file(nodes, work)
    figures: dict[str, Any] = {"nodes": nodes, "load_average_before": _load_average()}
    started = time.perf_counter()
    delta = Graph().parse(file, format="nt")  # as loaders/rdf_file.py reads it
    figures["parse_rdflib_s"] = round(time.perf_counter() - started, 1)
    figures["triples"] = len(delta)
    import pyoxigraph

    started = time.perf_counter()
    with file.open("rb") as stream:
        count = sum(1 for _ in pyoxigraph.parse(stream, pyoxigraph.RdfFormat.N_TRIPLES))
    figures["parse_pyoxigraph_s"] = round(time.perf_counter() - started, 1)
    assert count == figures["triples"]
    focus = sorted({s for s in delta.subjects() if isinstance(s, URIRef)})
    _progress(figures)
    started = time.perf_counter()
    data = merged_view(delta, None)
    figures["merged_view_s"] = round(time.perf_counter() - started, 1)
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler is not None:
        profiler.enable()
    conforms, results = run_shacl(data, focus)
    if profiler is not None:
        profiler.disable()
    figures["gate_s"] = round(time.perf_counter() - started, 1)
    figures["gate_conforms"], figures["gate_violations"] = conforms, _violations(results)
    _progress(figures)
    if baseline:
        started = time.perf_counter()
        old_conforms, old_results = baseline_gate(data, focus)
        figures["baseline_gate_s"] = round(time.perf_counter() - started, 1)
        figures["baseline_violations"] = _violations(old_results)
        assert (old_conforms, figures["baseline_violations"]) == (
            conforms,
            figures["gate_violations"],
        ), "the gate and its baseline disagree"
    figures["load_average_after"] = _load_average()
    if profiler is not None:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(20)
        figures["profile"] = text.getvalue()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "jkg-bench")
    parser.add_argument("--baseline", action="store_true", help="also time the old gate")
    parser.add_argument("--profile", action="store_true", help="print where the gate spent time")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    figures = run(args.nodes, args.work, args.baseline, args.profile)
    profile = figures.pop("profile", None)
    print(json.dumps(figures), flush=True)
    if profile:
        print(profile)


if __name__ == "__main__":
    main()
