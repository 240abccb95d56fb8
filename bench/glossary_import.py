"""Importing a published glossary: ``journeykg glossary import`` at 100 and 1,000 concepts.

    python -m bench.glossary_import [--sizes 100,1000] [--baseline-sizes 100,236]
        [--baseline-timeout 600] [--backends embedded,neo4j]

Part 1 (per size, per backend; Neo4j when JOURNEYKG_NEO4J_URI is set, its
database CLEARED first): a sector begrippenkader of SIZE concepts shaped as
published (tests/loaders/glossary_corpus.py: UUID IRIs, identifiers,
notations, a scheme with blank-node publisher, creator and contact point)
is imported into a fresh store by the command a user runs, ``journeykg
glossary import FILE``, in a child process: parse, normalise, the SHACL
gate, first versions, the write through the audit journal. Printed: wall
seconds (the process, start-up included), CPU seconds of the child, and
the concepts imported.

Part 2, the baseline, measured in the same run: the SHACL gate on the same
import's delta (the file read and normalised, each concept's first version
added, merged over an empty store), once as journeykg runs it now
(validation/gate.py: the rewritten shapes and the label index) and once as
it ran before (pySHACL on shapes/ as written, whose unique-label SPARQL
constraints compare every concept with every other), each in a child
process killed after ``--baseline-timeout`` seconds. Printed: seconds each,
and the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.server_cpu import children_cpu_seconds

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BASE = "https://id.journeykg.example/"


@dataclass
class Imported:
    """One import: how long it took and what it wrote."""

    backend: str
    size: int
    wall: float
    cpu: float
    output: str


def write_glossary(directory: Path, size: int) -> Path:
    """A published-shaped sector begrippenkader of ``size`` concepts, all valid."""
    sys.path.insert(0, str(ROOT))
    from tests.loaders.glossary_corpus import sector_begrippenkader

    return sector_begrippenkader(directory, size, missing=None).path


def import_once(backend: str, size: int, work: Path) -> Imported:
    """``journeykg glossary import`` of a ``size``-concept file into a fresh store."""
    path = write_glossary(work, size)
    env = dict(os.environ, JOURNEYKG_BASE_IRI=BASE, JOURNEYKG_BACKEND=backend)
    store = work / f"store-{backend}-{size}"
    if backend == "embedded":
        env.pop("JOURNEYKG_NEO4J_URI", None)
    else:
        _clear_neo4j()
    command = [str(BIN / "journeykg"), "glossary", "import", str(path), "--store-dir", str(store)]
    cpu, started = children_cpu_seconds(), time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - started, children_cpu_seconds() - cpu
    if done.returncode != 0:
        raise SystemExit(f"import of {size} concepts failed on {backend}:\n{done.stderr[-2000:]}")
    return Imported(backend, size, wall, cpu, done.stdout.strip().splitlines()[-1])


def _clear_neo4j() -> None:
    from journeykg.bootstrap import open_store
    from journeykg.settings import Settings

    settings = Settings(backend="neo4j", neo4j_uri=os.environ["JOURNEYKG_NEO4J_URI"], base_iri=BASE)
    store = open_store(settings, audited=False)
    try:
        store.clear()
    finally:
        store.close()


def gate_child(mode: str, size: int) -> None:
    """(In a child process) time the gate on a ``size``-concept import's delta; print seconds."""
    from journeykg.ids import Identifiers
    from journeykg.loaders.glossary_file import read_glossary_file
    from journeykg.ontology_graph import load_ontology, load_shapes
    from journeykg.services.governance.imports import first_versions
    from journeykg.validation.gate import merged_view, run_shacl
    from journeykg.validation.pyshacl_shapes import shapes_for_pyshacl

    with tempfile.TemporaryDirectory() as work:
        path = write_glossary(Path(work), size)
        read = read_glossary_file(path, BASE)
        delta = read.graph
        concepts = sorted(read.concepts)
        first_versions(delta, concepts, Identifiers(BASE).iri("run/bench"), datetime.now(UTC))
        data = merged_view(delta, None)
        load_ontology(), load_shapes(), shapes_for_pyshacl()  # parsed before the clock starts
        started = time.perf_counter()
        if mode == "new":
            conforms, _ = run_shacl(data)
        else:
            import pyshacl

            combined = data + load_ontology()
            conforms, _, _ = pyshacl.validate(
                combined,
                shacl_graph=load_shapes(),
                inference="none",
                advanced=True,
                allow_warnings=True,
                inplace=True,
            )
        seconds = time.perf_counter() - started
    print(f"{seconds:.3f} {bool(conforms)}")


def gate_timed(mode: str, size: int, timeout: float) -> float | None:
    """Seconds of the gate in a child process; None if it was killed after ``timeout``."""
    command = [sys.executable, "-m", "bench.glossary_import", "--gate-child", mode, str(size)]
    try:
        done = subprocess.run(
            command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=True
        )
    except subprocess.TimeoutExpired:
        return None
    seconds, conforms = done.stdout.split()
    assert conforms == "True", f"the {mode} gate refused the {size}-concept glossary"
    return float(seconds)


def main() -> None:
    """Run both parts and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000")
    parser.add_argument("--baseline-sizes", default="100,236")
    parser.add_argument("--baseline-timeout", type=float, default=600)
    parser.add_argument("--backends", default="embedded,neo4j")
    parser.add_argument("--gate-child", nargs=2, metavar=("MODE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.gate_child:
        gate_child(args.gate_child[0], int(args.gate_child[1]))
        return
    backends = [
        b
        for b in args.backends.split(",")
        if b == "embedded" or os.environ.get("JOURNEYKG_NEO4J_URI")
    ]
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print("\n## journeykg glossary import (a child process, start-up included)\n")
    print("| backend | concepts | wall s | CPU s | concepts/s (wall) | outcome |")
    print("|---|---|---|---|---|---|")
    work = Path(tempfile.mkdtemp(prefix="jkg-bench-glossary-"))
    try:
        for backend in backends:
            for size in (int(s) for s in args.sizes.split(",")):
                done = import_once(backend, size, work)
                print(
                    f"| {backend} | {size:,} | {done.wall:.2f} | {done.cpu:.2f} | "
                    f"{size / done.wall:,.0f} | {done.output.split(' from ')[0]} |",
                    flush=True,
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n## The gate on the import's delta: now against before (pySHACL, all pairs)\n")
    print("| concepts | now s | before s | before / now |")
    print("|---|---|---|---|")
    for size in (int(s) for s in args.baseline_sizes.split(",")):
        new = gate_timed("new", size, args.baseline_timeout)
        old = gate_timed("old", size, args.baseline_timeout)
        shown_old = f"{old:.2f}" if old is not None else f"> {args.baseline_timeout:.0f} (killed)"
        ratio = (
            f"{old / new:.0f}x"
            if old is not None and new
            else f"> {args.baseline_timeout / new:.0f}x"
            if new
            else "-"
        )
        new_text = f"{new:.2f}" if new is not None else "killed"
        print(f"| {size:,} | {new_text} | {shown_old} | {ratio} |", flush=True)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
