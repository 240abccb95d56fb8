"""How fast ``neo4j-admin database import full`` writes an organisation: a measurement, no path.

docs/neo4j-bulk.md ("Not done (yet)") leaves the import tool as the lever for
an initial load into an empty database; this probe measures it before
anything is built on it:

    JOURNEYKG_NEO4J_STATE=/tmp/jkg-neo4j-loadwrite20b JOURNEYKG_NEO4J_URI=bolt://127.0.0.1:17725 \\
        python -m bench.neo4j_import_probe --nodes 100000 --work /tmp/jkg-import --port 17725

1. the rows of the whole file (``PropertyGraphMapping.rows_counted``, as the
   store's write makes them), written as the import tool's CSV by the product's
   own writer (graph/neo4j_import_csv.py, which ``journeykg load
   --offline-import`` uses: this probe came first, and measures the tool alone);
2. the import tool (``org.neo4j.cli.AdminTool database import full``, the
   classes ``neo4j-admin`` runs, from the test launcher's class path) into a
   new Neo4j home;
3. the test launcher started on that home (tools/neo4j/neo4j-server's jar,
   on ``--port``), and journeykg's schema made (``Neo4jStore`` opening it:
   the ``iri`` constraint and the ``key`` index built over what was imported);
4. the stored graph counted, and compared with the file (``--compare``).

The server on ``--port`` must be stopped first (the probe starts its own and
stops it). It writes only under ``--work``; nothing of it is journeykg's
product: no gate, no audit, no governance (which a product path would keep).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from bench.server_cpu import children_cpu_seconds
from bench.synthetic import BASE, organisation_file
from journeykg.graph.canonical import canonical
from journeykg.graph.neo4j_import_csv import ARRAY_DELIMITER_OPTION, write_import_files
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.property_graph import PropertyGraphMapping
from journeykg.loaders.collector_pause import collector_paused
from journeykg.loaders.rdf_fast_read import read_large_rdf
from journeykg.ontology_graph import load_ontology


def _launcher() -> Path:
    """The test launcher's build (tools/neo4j/neo4j-server builds it), with its class path."""
    cache = Path(os.environ.get("JOURNEYKG_CACHE", Path.home() / ".cache" / "journeykg"))
    found = sorted(cache.glob("neo4j-launcher-*"))
    if not found:
        raise SystemExit("no launcher build: start tools/neo4j/neo4j-server once first")
    return found[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--heap", default="1g")
    parser.add_argument("--compare", action="store_true", help="export and compare with the file")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    file = organisation_file(args.nodes, args.work)
    build = _launcher()
    classpath = f"{build / 'neo4j-launcher.jar'}:{build / 'lib'}/*"
    home = args.work / "import-home"
    shutil.rmtree(home, ignore_errors=True)
    (home / "conf").mkdir(parents=True)
    (home / "conf" / "neo4j.conf").write_text("")
    figures: dict[str, Any] = {"nodes": args.nodes, "load_average_before": os.getloadavg()}
    mapping = PropertyGraphMapping.from_ontology(load_ontology())
    with collector_paused():
        graph = read_large_rdf(file)
        started, cpu = time.perf_counter(), time.process_time()
        from journeykg.ids import Identifiers

        key = Identifiers(BASE).key
        rows, triples = mapping.rows_counted(graph, key)
        figures["rows_s"] = round(time.perf_counter() - started, 1)
        (args.work / "csv").mkdir(parents=True, exist_ok=True)
        files = write_import_files(rows, key, args.work / "csv")
        figures["rows_and_csv_s"] = round(time.perf_counter() - started, 1)
        figures["client_cpu_s"] = round(time.process_time() - cpu, 1)
        figures["triples"] = triples
        del rows
    command = [
        "java",
        f"-Xmx{args.heap}",
        "-cp",
        classpath,
        "org.neo4j.cli.AdminTool",
        "database",
        "import",
        "full",
        *(f"--nodes={path}" for path in files.nodes),
        *(f"--relationships={rel_type}={path}" for rel_type, path in files.relationships.items()),
        f"--array-delimiter={ARRAY_DELIMITER_OPTION}",
        "--multiline-fields=true",
        "--overwrite-destination=true",
        "--threads=2",
        # The tool writes its report into the working directory unless told.
        f"--report-file={args.work / 'import.report'}",
        "neo4j",
    ]
    environment = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    started, cpu = time.perf_counter(), children_cpu_seconds()
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    figures["import_s"] = round(time.perf_counter() - started, 1)
    figures["import_cpu_s"] = round(children_cpu_seconds() - cpu, 1)
    (args.work / "import.log").write_text(done.stdout + done.stderr)
    if done.returncode != 0:
        print(json.dumps(figures))
        raise SystemExit(f"import failed ({done.returncode}): see {args.work / 'import.log'}")
    log = (args.work / "server.log").open("w")
    server_cpu = children_cpu_seconds()
    started = time.perf_counter()
    server = subprocess.Popen(
        [
            "java",
            "-Xms256m",
            f"-Xmx{args.heap}",
            "-cp",
            classpath,
            "journeykg.Neo4jLauncher",
            str(home),
            str(args.port),
            str(build / "plugins"),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        while "neo4j ready" not in (args.work / "server.log").read_text():
            if server.poll() is not None:
                raise SystemExit(f"the server did not start: see {args.work / 'server.log'}")
            time.sleep(0.2)
        figures["start_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        store = Neo4jStore(f"bolt://127.0.0.1:{args.port}", BASE, mapping)
        figures["schema_s"] = round(time.perf_counter() - started, 1)
        figures["stored_nodes"] = store.driver.execute_query(
            "MATCH (n:Resource) RETURN count(n) AS n"
        ).records[0]["n"]
        figures["stored_edges"] = store.driver.execute_query(
            "MATCH (:Resource)-[r]->(:Resource) RETURN count(r) AS r"
        ).records[0]["r"]
        if args.compare:
            figures["same_graph"] = canonical(store.export()) == canonical(graph)
        store.close()
    finally:
        server.terminate()
        server.wait(timeout=60)
    # Start, schema, counting (and the export with --compare), and the stop.
    figures["server_cpu_s"] = round(children_cpu_seconds() - server_cpu, 1)
    figures["load_average_after"] = os.getloadavg()
    print(json.dumps(figures), flush=True)


if __name__ == "__main__":
    main()
