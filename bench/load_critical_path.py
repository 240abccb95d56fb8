"""The part of a large load no other process can take over: the parse, then the gate.

    python -m bench.load_critical_path --nodes 1000000 --work /tmp/jkg-1m [--rounds 1]

``journeykg load --offline-import`` runs the rows, the CSV, the import tool
and the audit's record in child processes beside the gate
(graph/neo4j_offline_import.py), but the gate needs the whole parsed file,
and the swap of the database needs the gate's verdict: parse → gate → swap
is a chain, and the load can never be shorter than it, however many cores
the rest is given. This bench times the first two links in one process, as
the command runs them (the collector paused), with two baselines from the
same run (and, with ``JOURNEYKG_BENCH_CODE``, another copy of journeykg's
code, bench/other_code.py):

- ``oxigraph iteration``: Oxigraph's parser handing each triple of the file
  to Python and nothing else: the least any pass over the file in Python
  costs (the parse builds rdflib terms and indexes on top of it);
- ``pyrudof``: when the package is importable (it is not a dependency of
  journeykg), rudof's SHACL engine (Rust) on the same file with journeykg's
  core shapes (core-mandatory and core-recommended, the shapes that report
  on the synthetic organisation), against journeykg's compiled gate with
  every shape: is there a native engine that would shorten the gate?

Printed per round: wall and CPU seconds of each, the gate's problem count,
and this machine's reference figure (bench/machine_speed.py) before and after.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from bench import other_code  # first: JOURNEYKG_BENCH_CODE picks the code (before, after)
from bench.machine_speed import reference_seconds
from bench.synthetic import BASE, organisation_file

#: The shapes rudof is given: the ones the synthetic organisation's problems come from.
RUDOF_SHAPES = ("core-mandatory.ttl", "core-recommended.ttl")


def _timed(work: Callable[[], Any]) -> tuple[Any, float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, round(time.perf_counter() - started, 1), round(time.process_time() - cpu, 1)


def _iterate(path: Path) -> int:
    count = 0
    for _quad in ox.parse(path=path, format=ox.RdfFormat.N_TRIPLES):
        count += 1
    return count


def _rudof(path: Path) -> Callable[[], int] | None:
    """rudof's validation of ``path`` (data and ontology read first, outside the timing)."""
    if importlib.util.find_spec("pyrudof") is None:
        return None
    import pyrudof  # type: ignore[import-not-found]  # optional, for this comparison only
    from rdflib import Graph

    from journeykg.resources import SHAPES_DIR, ontology_files

    rudof = pyrudof.Rudof(pyrudof.RudofConfig())
    rudof.read_data(str(path), format=pyrudof.RDFFormat.NTriples)
    for ontology in ontology_files():
        rudof.read_data(str(ontology), format=pyrudof.RDFFormat.Turtle, merge=True)
    shapes = Graph()
    for name in RUDOF_SHAPES:
        shapes.parse(SHAPES_DIR / name, format="turtle")
    rudof.read_shacl(shapes.serialize(format="turtle"), format=pyrudof.ShaclFormat.Turtle)

    def validate() -> int:
        return len(list(rudof.validate_shacl().violations))

    return validate


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/jkg-1m"))
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-rudof", action="store_true", help="leave rudof out")
    args = parser.parse_args(argv)

    path = organisation_file(args.nodes, args.work)
    gc.disable()  # as `journeykg load` runs: the collector paused for the whole command
    try:
        for round_number in range(args.rounds):
            figures = _round(path, with_rudof=not args.no_rudof)
            print(json.dumps({"nodes": args.nodes, "round": round_number + 1} | figures))
    finally:
        gc.enable()


def _round(path: Path, *, with_rudof: bool) -> dict[str, Any]:
    from journeykg.ids import Identifiers
    from journeykg.loaders.rdf_fast_read import read_large_rdf
    from journeykg.validation.compiled_gate import check_compiled

    figures: dict[str, Any] = {
        "code": other_code.CODE or "this tree",
        "machine_reference_s": reference_seconds(),
    }
    triples, wall, cpu = _timed(partial(_iterate, path))
    figures |= {"triples": triples, "oxigraph_iteration_s": [wall, cpu]}
    graph, wall, cpu = _timed(partial(read_large_rdf, path, "nt"))
    figures["parse_s"] = [wall, cpu]
    gate, wall, cpu = _timed(partial(check_compiled, graph, None, str(path), Identifiers(BASE)))
    figures |= {"gate_s": [wall, cpu], "gate_problems": len(gate.problems)}
    figures["critical_path_s"] = round(figures["parse_s"][0] + wall, 1)
    del graph, gate
    rudof = _rudof(path) if with_rudof else None
    if rudof is not None:
        problems, wall, cpu = _timed(rudof)
        figures |= {"rudof_core_shapes_s": [wall, cpu], "rudof_problems": problems}
    figures["machine_reference_after_s"] = reference_seconds()
    return figures


if __name__ == "__main__":
    main()
