"""``journeykg load --offline-import``: Neo4j's import tool into an empty database, real server.

The server is one of this module's own (tools/neo4j/neo4j-server, on a free
port of 127.0.0.1), since the import stops and starts it; its home has the
layout of a Neo4j installation (bin/neo4j, bin/neo4j-admin), which is all
journeykg asks of one. The import tool is Neo4j's own, from the server's
class path. Faults are made at the edge of the commands journeykg runs: a
home whose ``bin/neo4j-admin`` or ``bin/neo4j start`` fails before calling
the real one.
"""

from __future__ import annotations

import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph
from typer.testing import CliRunner

from journeykg.bootstrap import load_settings, open_store
from journeykg.cli.app import app
from journeykg.graph import neo4j_offline_import
from journeykg.graph.audit_change import addition_of
from journeykg.graph.audited import AuditedStore
from journeykg.graph.canonical import canonical
from journeykg.graph.neo4j_offline_import import (
    STAGING,
    Neo4jHome,
    OfflineImportError,
)
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.property_graph import PropertyGraphMapping
from journeykg.graph.state import identity_of
from journeykg.graph.store import Store
from journeykg.loaders.pipeline import load_file
from journeykg.loaders.restore import restore
from journeykg.namespaces import PROV
from journeykg.ontology_graph import load_ontology
from journeykg.resources import DEMO_DATASET
from journeykg.validation.problems import ValidationError
from tests.conftest import BASE, read_fixture
from tests.graph.test_conformance import _all_impacts

SERVER = Path(__file__).resolve().parents[2] / "tools" / "neo4j" / "neo4j-server"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """A throwaway server of this module's own, and its home."""

    def __init__(self, state: Path) -> None:
        # C1 only: this server and its restarts each answer a few statements, so C2's
        # compiling never pays off: the module took 154 busy CPU seconds with it, 87 without
        # (docs/benchmarks.md, "Where the suite's CPU goes").
        self.env = {
            **os.environ,
            "JOURNEYKG_NEO4J_JAVA_OPTS": "-XX:TieredStopAtLevel=1",
            "JOURNEYKG_NEO4J_STATE": str(state),
        }
        self.port = _free_port()
        self._run("start", "--port", str(self.port))
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self.home = Path(self._run("home").strip())
        self.state = state

    def _run(self, *args: str) -> str:
        done = subprocess.run(
            [str(SERVER), *args], env=self.env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        return done.stdout

    def pid(self) -> str:
        return (self.state / "pid").read_text().strip()

    def java_options(self) -> list[str]:
        """The running JVM's command line."""
        return Path(f"/proc/{self.pid()}/cmdline").read_bytes().decode().split("\0")

    def stop(self) -> None:
        self._run("stop")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = Server(tmp_path_factory.mktemp("offline-neo4j") / "state")
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def store(server: Server, tmp_path: Path) -> Iterator[AuditedStore]:
    opened = open_store(
        load_settings(
            backend="neo4j", neo4j_uri=server.uri, base_iri=BASE, state_dir=tmp_path / "state"
        )
    )
    assert isinstance(opened, AuditedStore)
    assert isinstance(opened.inner, Neo4jStore)
    opened.inner.clear()
    try:
        yield opened
    finally:
        opened.close()


def _without_provenance(graph: Graph) -> Graph:
    """``graph`` less its load activities and the links to them (minted per load)."""
    activities = set(graph.subjects(PROV.wasGeneratedBy, None, unique=True))
    activities = {o for s in activities for o in graph.objects(s, PROV.wasGeneratedBy)}
    kept = Graph()
    for s, p, o in graph:
        if s not in activities and o not in activities:
            kept.add((s, p, o))
    return kept


def _faulty_home(home: Path, tmp_path: Path, fail: str, command: str) -> Neo4jHome:
    """A home whose ``bin/<command>`` runs ``fail`` (shell) first, then the real command.

    The data and conf are the real home's (links), so the import and the swap act on
    the server's own files."""
    faulty = tmp_path / "faulty-home"
    (faulty / "bin").mkdir(parents=True)
    for name in ("data", "conf"):
        (faulty / name).symlink_to(home / name)
    for name in ("neo4j", "neo4j-admin"):
        script = faulty / "bin" / name
        extra = fail if name == command else ""
        script.write_text(f'#!/usr/bin/env bash\n{extra}\nexec {home / "bin" / name} "$@"\n')
        script.chmod(0o755)
    return Neo4jHome(faulty)


def _nothing_written(store: AuditedStore, server: Server, pid: str | None = None) -> None:
    """The database empty, the journal without an entry, no staging left, and (given
    the server's pid before) the server never stopped."""
    if pid is not None:
        assert server.pid() == pid
    assert not (server.home / "data" / STAGING).exists()
    assert len(store.export()) == 0
    assert store.journal.entries()[1] == 0


def test_the_cli_loads_the_demo_offline_as_it_loads_embedded(
    server: Server, embedded_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One offline import serves every check of it (each costs a server stop and start):
    # the command as a user runs it, then what the database and its trail hold.
    for name, value in {
        "JOURNEYKG_BACKEND": "neo4j",
        "JOURNEYKG_NEO4J_URI": server.uri,
        "JOURNEYKG_NEO4J_HOME": str(server.home),
        "JOURNEYKG_STATE_DIR": str(tmp_path / "state"),
        "JOURNEYKG_BASE_IRI": BASE,
    }.items():
        monkeypatch.setenv(name, value)
    cleared = Neo4jStore(server.uri, BASE, _mapping())
    cleared.clear()
    before = identity_of(cleared)
    cleared.close()
    pid = server.pid()
    done = CliRunner().invoke(app, ["load", str(DEMO_DATASET), "--offline-import"])
    assert done.exit_code == 0, done.output
    demo = Graph().parse(DEMO_DATASET, format="turtle")
    assert f"loaded {len(demo)} triples" in done.output
    assert server.pid() != pid  # stopped and started on the imported files
    # Started again with the JVM options it was first started with (neo4j-server's jvm.env).
    assert "-XX:TieredStopAtLevel=1" in server.java_options()
    assert not (server.home / "data" / STAGING).exists()
    # The next command finds the same state: the load's entry is in its trail.
    trail = CliRunner().invoke(app, ["audit", "--limit", "5"])
    assert trail.exit_code == 0, trail.output
    assert "cli:load" in trail.output
    store = open_store(load_settings())
    assert isinstance(store, AuditedStore)
    try:
        neo4j = store.inner
        assert isinstance(neo4j, Neo4jStore)
        # The import tool gave the database a new id; journeykg's state (the audit trail,
        # the tokens) is keyed by the identity, which the swap carries over.
        assert identity_of(neo4j) == before
        elements, leases = neo4j.occupancy()
        assert elements > len(set(demo.subjects()))
        assert leases == 0
        load_file(embedded_store, DEMO_DATASET)
        imported, embedded = store.export(), embedded_store.export()
        assert canonical(_without_provenance(imported)) == canonical(_without_provenance(embedded))
        assert len(imported) == len(embedded)  # the provenance too, with its own activity
        assert _all_impacts(store, demo) == _all_impacts(embedded_store, demo)
        # One audit entry holds the whole load, every triple added, as the staging child
        # recorded it: the lines and the elements of what the database now holds.
        entries, count = store.journal.entries()
        assert count == 1
        assert entries[0].added_count == len(imported)
        recorded = addition_of(imported)
        assert entries[0].added == recorded.added
        assert set(entries[0].elements) == set(recorded.elements)
        # The schema a load relies on was made over the imported nodes: a later load on
        # top (the batched path, MERGE on iri) adds to the same nodes, duplicating none.
        load_file(store, _fixture_file(tmp_path, "impact_small.ttl"))
        nodes = neo4j.driver.execute_query(
            "MATCH (n:Resource) RETURN count(n) AS nodes, count(DISTINCT n.iri) AS iris"
        ).records[0]
        assert nodes["nodes"] == nodes["iris"]
        constraints = neo4j.driver.execute_query("SHOW CONSTRAINTS YIELD name").records
        assert "resource_iri" in {record["name"] for record in constraints}
    finally:
        store.close()


def _fixture_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    read_fixture(name).serialize(path, format="turtle")
    return path


@pytest.mark.parametrize("in_child", [True, False], ids=["staged-in-a-child", "staged-inline"])
def test_an_export_restores_offline_exactly(
    store: AuditedStore,
    server: Server,
    embedded_store: Store,
    in_child: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(neo4j_offline_import, "STAGE_IN_CHILD", in_child)
    load_file(embedded_store, DEMO_DATASET)
    exported = embedded_store.export()
    written = restore(store, exported, "demo.nt", offline_import=Neo4jHome(server.home))
    assert written == len(exported)
    assert canonical(store.export()) == canonical(exported)  # triple for triple
    entries, count = store.journal.entries()
    assert count == 1
    assert entries[0].added == addition_of(exported).added  # the staging's record


def test_a_database_holding_an_element_is_refused_before_anything(
    store: AuditedStore, server: Server, tmp_path: Path
) -> None:
    store.upsert(read_fixture("impact_small.ttl"))
    before, pid = canonical(store.export()), server.pid()
    with pytest.raises(OfflineImportError, match=r"holds \d+ element\(s\) and 0 lease"):
        load_file(store, DEMO_DATASET, offline_import=Neo4jHome(server.home))
    assert server.pid() == pid
    assert canonical(store.export()) == before
    assert store.journal.entries()[1] == 1  # the upsert's entry only


def test_a_file_failing_the_gate_stops_the_staging_and_writes_nothing(
    store: AuditedStore, server: Server, tmp_path: Path
) -> None:
    bad = _fixture_file(tmp_path, "journey_without_owner.ttl")
    pid = server.pid()
    with pytest.raises(ValidationError, match="does not conform"):
        load_file(store, bad, offline_import=Neo4jHome(server.home))
    _nothing_written(store, server, pid)


def test_a_failed_import_leaves_the_database_empty_and_the_server_running(
    store: AuditedStore, server: Server, tmp_path: Path
) -> None:
    # The real tool, given a node file that is not there: it fails as on any bad input.
    home = _faulty_home(
        server.home, tmp_path, 'set -- "$@" --nodes=/nonexistent.csv', "neo4j-admin"
    )
    pid = server.pid()
    with pytest.raises(OfflineImportError, match="import tool refused the files"):
        load_file(store, DEMO_DATASET, offline_import=home)
    _nothing_written(store, server, pid)


def test_a_failed_start_puts_the_database_back_and_starts_it(
    store: AuditedStore, server: Server, tmp_path: Path
) -> None:
    # bin/neo4j start fails once (as a server refusing its configuration would), then
    # works: the swap puts the empty database back and starts the server on it.
    flag = tmp_path / "failed-once"
    fail = (
        f'if [ "$1" = start ] && [ ! -e {flag} ]; then '
        f'touch {flag}; echo "no start" >&2; exit 1; fi'
    )
    home = _faulty_home(server.home, tmp_path, fail, "neo4j")
    generation = store.generation()  # kept in the database's own files
    with pytest.raises(OfflineImportError, match="no start"):
        load_file(store, DEMO_DATASET, offline_import=home)
    assert flag.exists()
    assert store.generation() == generation  # the very files it had, not a new database
    _nothing_written(store, server)
    store.upsert(read_fixture("impact_small.ttl"))  # the server answers and writes
    assert len(store.export()) > 0


def test_a_home_that_is_not_the_stores_server_is_refused_before_a_file_moves(
    store: AuditedStore, server: Server, tmp_path: Path
) -> None:
    # Another installation's bin/neo4j: stopping it leaves the store's server running.
    home = _faulty_home(
        server.home, tmp_path, '[ "$1" = stop ] || [ "$1" = start ] && exit 0', "neo4j"
    )
    pid = server.pid()
    with pytest.raises(OfflineImportError, match="still answers after"):
        load_file(store, DEMO_DATASET, offline_import=home)
    _nothing_written(store, server, pid)


def test_the_cli_needs_the_home_and_a_neo4j_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JOURNEYKG_NEO4J_HOME", raising=False)
    runner = CliRunner()
    refused = runner.invoke(app, ["load", str(DEMO_DATASET), "--offline-import"])
    assert refused.exit_code == 2
    assert "JOURNEYKG_NEO4J_HOME" in refused.output
    monkeypatch.setenv("JOURNEYKG_NEO4J_HOME", str(tmp_path))
    monkeypatch.setenv("JOURNEYKG_BACKEND", "embedded")
    monkeypatch.delenv("JOURNEYKG_NEO4J_URI", raising=False)
    embedded = runner.invoke(
        app,
        ["load", str(DEMO_DATASET), "--offline-import", "--store-dir", str(tmp_path / "s")],
    )
    assert embedded.exit_code != 0
    assert "--offline-import loads into Neo4j" in embedded.output


def _mapping() -> PropertyGraphMapping:
    return PropertyGraphMapping.from_ontology(load_ontology())


def test_the_home_finds_the_data_where_its_configuration_puts_it(tmp_path: Path) -> None:
    home = Neo4jHome(tmp_path)
    assert home.store_files("neo4j") == (
        tmp_path / "data" / "databases" / "neo4j",
        tmp_path / "data" / "transactions" / "neo4j",
    )
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf" / "neo4j.conf").write_text(
        "#server.directories.data=/commented/out\n"
        "server.directories.data=elsewhere\n"
        "server.directories.transaction.logs.root=/var/lib/neo4j/tx\n"
    )
    assert home.store_files("neo4j") == (
        tmp_path / "elsewhere" / "databases" / "neo4j",
        Path("/var/lib/neo4j/tx/neo4j"),
    )
    with pytest.raises(OfflineImportError, match="must be a Neo4j installation's directory"):
        home.command("neo4j-admin")
