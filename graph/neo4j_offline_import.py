"""An initial load into an empty Neo4j database by Neo4j's import tool; the server down briefly.

``neo4j-admin database import full`` writes store files directly, without
transactions: for the 1M organisation about a third of the time the
transactional write in batches takes (docs/neo4j-bulk.md, "Offline
import"). It writes only into a database that is empty and not running;
Community Edition serves one database and cannot stop it alone, so the
server is stopped around it. What this module does, in order:

1. refuses unless the database holds no element and no lease (a sync's
   or an editor's): the import replaces the database's files, and nothing
   stored may be lost;
2. writes the delta as the tool's CSV (graph/neo4j_import_csv.py) and
   imports it into a **staging directory** beside the server's data
   (the tool's ``--additional-config`` points ``server.directories.data``
   there): the server keeps running meanwhile, and a failed import costs
   nothing but the staging directory. Beside it, the audit's record of the
   delta is made (the lines it adds, ``addition_of``);
3. in ``swap`` (the caller runs it inside its audit record, so that the
   journal holds the load if and only if the graph does): stops the server
   (the home's ``bin/neo4j stop``), moves the database's store files and
   transaction logs aside and the imported ones in, starts it
   (``bin/neo4j start``) and reconnects the store, which makes its schema
   (the ``iri`` constraint and the ``key`` index; Community's import tool
   makes no index). If the start or the reconnection fails, the replaced
   files are moved back and the server started on them: the database is as
   it was, empty.

The home is a Neo4j installation's directory (``bin/neo4j``,
``bin/neo4j-admin``, ``conf/neo4j.conf``): a standalone server's, or the
test server's (tools/neo4j/neo4j-server writes the same layout). A server
run by a service manager (systemd, Docker) is stopped and started by it,
not by ``bin/neo4j``: see docs/neo4j-bulk.md.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from rdflib import Graph

from journeykg.graph.audit_change import addition_of
from journeykg.graph.audit_journal import Change
from journeykg.graph.errors import StoreError
from journeykg.graph.forked_call import CAN_FORK, ForkedCall, ForkedCallError
from journeykg.graph.model import WriteSummary
from journeykg.graph.neo4j_import_csv import (
    ARRAY_DELIMITER_OPTION,
    ImportFiles,
    ImportValueError,
    write_import_files,
)
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.state import carry_neo4j_identity, neo4j_identity
from journeykg.graph.store import Store
from journeykg.private_files import private_directory

log = logging.getLogger(__name__)

#: The staging directory's name, inside the server's data directory (the same file
#: system as the database's files, so that moving them in is a rename).
STAGING = "journeykg-offline-import"
#: Seconds the server may take to answer after ``bin/neo4j start``.
START_TIMEOUT = 180.0
#: Stage the import in a child process (where the system can fork), beside the caller's
#: gate and audit; False stages it in this process first. bench/neo4j_product_load.py
#: compares both (``offline`` and ``offline-inline``).
STAGE_IN_CHILD = CAN_FORK
#: The last lines of a failed command's output quoted in the error.
QUOTED_LINES = 12


class OfflineImportError(StoreError):
    """The offline import was refused or failed; the database is as it was before."""


@dataclass(frozen=True)
class Neo4jHome:
    """A Neo4j installation on this machine: where its commands and its data are."""

    path: Path

    def command(self, name: str) -> Path:
        """``bin/<name>``, which must exist and be executable."""
        found = self.path / "bin" / name
        if not found.is_file():
            raise OfflineImportError(
                f"{found} is not there: JOURNEYKG_NEO4J_HOME ({self.path}) must be a Neo4j "
                "installation's directory, holding bin/neo4j and bin/neo4j-admin"
            )
        return found

    def setting(self, name: str) -> str | None:
        """A setting of ``conf/neo4j.conf`` (its last value), or None.

        Read by hand: the file is Java-properties-like ``key=value`` lines without
        sections, which :mod:`configparser` refuses, and only two keys are asked.
        """
        conf = self.path / "conf" / "neo4j.conf"
        value = None
        if conf.is_file():
            for line in conf.read_text(encoding="utf-8").splitlines():
                key, sep, given = line.partition("=")
                if sep and key.strip() == name:
                    value = given.strip()
        return value

    def _directory(self, setting: str, default: Path) -> Path:
        given = self.setting(setting)
        if given is None:
            return default
        path = Path(given)
        return path if path.is_absolute() else self.path / path

    @property
    def data(self) -> Path:
        """The server's data directory (``server.directories.data``)."""
        return self._directory("server.directories.data", self.path / "data")

    def store_files(self, database: str) -> tuple[Path, Path]:
        """A database's store directory and its transaction logs' directory."""
        logs = self._directory(
            "server.directories.transaction.logs.root", self.data / "transactions"
        )
        return self.data / "databases" / database, logs / database

    def run(self, name: str, *args: str, refused: str | None = None) -> None:
        """Run ``bin/<name> args``; if it fails, an :class:`OfflineImportError` quoting its
        last lines, after ``refused`` (what the failure means) or the command."""
        command = [str(self.command(name)), *args]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            output = (done.stdout + done.stderr).strip().splitlines()[-QUOTED_LINES:]
            said = refused or f"`{name} {' '.join(args[:3])}` failed"
            raise OfflineImportError(f"{said} (exit {done.returncode}): " + " | ".join(output))


@dataclass
class StagedImport:
    """An import written into the staging directory, waiting for :meth:`swap`."""

    store: Neo4jStore
    home: Neo4jHome
    staging: Path
    files: ImportFiles
    subjects: int
    """Subjects written (rows made), the load's activity with them."""
    triples: int
    """Triples written, counted as the rows were made."""
    files_seconds: float
    """Seconds to make the rows and write them as CSV."""
    import_seconds: float
    """Seconds the import tool took."""
    added: Change | None = None
    """The audit's record of the delta (:func:`addition_of`), made beside the staging."""
    swap_seconds: float = 0.0
    """Seconds from the stop to the store answering again, schema made."""

    def swap(self) -> None:
        """Stop the server, put the imported files in place of the empty database's, start it.

        On a failure after the stop, the replaced files go back and the server is
        started on them before the error is raised.
        """
        database = _database(self.store)
        live = self.home.store_files(database)
        staged = (self.staging / "databases" / database, self.staging / "transactions" / database)
        replaced = (self.staging / "replaced-store", self.staging / "replaced-logs")
        started = time.perf_counter()
        # Read while the empty database still answers: its files are about to go.
        identity = neo4j_identity(self.store)
        self.home.run("neo4j", "stop")
        if self.store.answers():
            # The home's server is not the store's: its files are not the database
            # that was found empty. Nothing was moved; the home's server runs again.
            self.home.run("neo4j", "start")
            raise OfflineImportError(
                f"the server at {self.store.uri} still answers after {self.home.path}/bin/neo4j "
                "stop: JOURNEYKG_NEO4J_HOME must be the installation of the server "
                "JOURNEYKG_NEO4J_URI names; nothing was written"
            )
        moved: list[tuple[Path, Path]] = []
        try:
            for current, aside in zip(live, replaced, strict=True):
                if current.exists():
                    shutil.move(current, aside)
                    moved.append((aside, current))
            for new, current in zip(staged, live, strict=True):
                current.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(new, current)
            self.home.run("neo4j", "start")
            self.store.reopen(START_TIMEOUT)
            # The state keyed by the identity (graph/state.py) stays the database's.
            carry_neo4j_identity(self.store, identity)
        except BaseException as exc:
            self._restore(live, moved, exc)
            raise
        self.swap_seconds = time.perf_counter() - started
        shutil.rmtree(self.staging, ignore_errors=True)

    def _restore(
        self, live: tuple[Path, Path], moved: list[tuple[Path, Path]], cause: BaseException
    ) -> None:
        """Put the database back as it was before :meth:`swap` and start the server on it."""
        log.error("offline import: %s; putting the database back as it was", cause)
        with contextlib.suppress(OfflineImportError):  # it did not start: nothing to stop
            self.home.run("neo4j", "stop")
        for current in live:
            shutil.rmtree(current, ignore_errors=True)
        for aside, current in moved:
            shutil.move(aside, current)
        self.home.run("neo4j", "start")
        self.store.reopen(START_TIMEOUT)


def _database(store: Neo4jStore) -> str:
    """The database the store writes: the one it names, else Neo4j's default."""
    return store.database or "neo4j"


def refuse_unless_empty(store: Neo4jStore) -> None:
    """Refuse, before anything is written, a database that holds an element or a lease."""
    elements, leases = store.occupancy()
    if elements or leases:
        raise OfflineImportError(
            f"the Neo4j database holds {elements} element(s) and {leases} lease(s); an "
            "offline import replaces the database's files, so it only loads into an empty "
            "one: load with `journeykg load` (without --offline-import), or clear the store first"
        )


def _stage_import(store: Neo4jStore, delta: Graph, home: Neo4jHome) -> StagedImport:
    """Write ``delta`` as CSV and import it into the staging directory (the server runs on).

    Reads nothing from the server: it runs in the child process of
    :func:`start_staging`. A refused value (graph/neo4j_import_csv.py) or a
    failed import removes the staging directory and raises; nothing else changed.
    """
    staging = home.data / STAGING
    private_directory(staging / "csv")
    try:
        started = time.perf_counter()
        rows, triples = store.mapping.rows_counted(delta, store.ids.key)
        subjects = len(rows)
        files = write_import_files(rows, store.ids.key, staging / "csv")
        del rows
        files_seconds = time.perf_counter() - started
        config = staging / "import.conf"
        config.write_text(
            f"server.directories.data={staging}\n"
            f"server.directories.transaction.logs.root={staging / 'transactions'}\n",
            encoding="utf-8",
        )
        arguments = [
            "database",
            "import",
            "full",
            *(f"--nodes={path}" for path in files.nodes),
            *(f"--relationships={kind}={path}" for kind, path in files.relationships.items()),
            f"--array-delimiter={ARRAY_DELIMITER_OPTION}",
            f"--additional-config={config}",
            f"--report-file={staging / 'import.report'}",
        ]
        if files.multiline:
            arguments += [
                "--multiline-fields-format=v2",
                f"--multiline-fields={','.join(str(p) for p in files.multiline)}",
            ]
        started = time.perf_counter()
        home.run(
            "neo4j-admin",
            *arguments,
            _database(store),
            refused="Neo4j's import tool refused the files; nothing was written to the database",
        )
        seconds = time.perf_counter() - started
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(staging / "csv", ignore_errors=True)
    return StagedImport(store, home, staging, files, subjects, triples, files_seconds, seconds)


class StagingWork:
    """The staging of an import (rows, CSV, the import tool) and the audit's record of its
    delta, under way beside the caller.

    Each in a child process of its own (:class:`~journeykg.graph.forked_call.ForkedCall`:
    it starts with the caller's parsed delta, nothing copied) where the system
    can fork, so that the caller's gate, the staging and the record share the
    cores: on 2 cores the caller, which only waits after its gate, had a core
    idle for a minute at 1M while one child made the record after its files
    (docs/benchmarks.md, "Neo4j product load"). Each child applies ``prepare``
    (the load's provenance) to its own copy first. Where ``fork`` is missing (or
    :data:`STAGE_IN_CHILD` is off) both are done in this process when
    :meth:`result` is first asked for.
    """

    def __init__(
        self,
        store: Neo4jStore,
        delta: Graph,
        home: Neo4jHome,
        prepare: Callable[[Graph], object],
    ) -> None:
        self.store, self.home = store, home
        self.staging = home.data / STAGING
        self._done: StagedImport | None = None
        self._delta, self._prepare = delta, prepare
        self._files: ForkedCall[dict[str, Any]] | None = None
        self._record: ForkedCall[Change] | None = None
        if STAGE_IN_CHILD:
            self._files = ForkedCall(partial(_staged_report, store, delta, home, prepare))
            self._record = ForkedCall(partial(_record_of, delta, prepare))

    def result(self) -> StagedImport:
        """The staged import with the audit's record, once both are done; an error of
        either raised again here (as the class it had, where it is one of this module's)."""
        if self._done is not None:
            return self._done
        if self._files is None or self._record is None:
            self._prepare(self._delta)
            staged = _stage_import(self.store, self._delta, self.home)
            staged.added = addition_of(self._delta)
            self._done = staged
            return staged
        try:
            report = self._files.result()
            added = self._record.result()
        except ForkedCallError as exc:
            raise _raised(exc) from None
        files = ImportFiles(node_count=report["nodes"], relationship_count=report["relationships"])
        self._done = StagedImport(
            self.store,
            self.home,
            self.staging,
            files,
            report["subjects"],
            report["triples"],
            report["files_s"],
            report["import_s"],
            added,
        )
        return self._done

    def cancel(self) -> None:
        """Stop the staging (the caller's gate refused the file) and remove what it wrote."""
        for call in (self._files, self._record):
            if call is not None:
                call.cancel()  # the whole group: the import tool, a process of its own, too
        shutil.rmtree(self.staging, ignore_errors=True)


def _staged_report(
    store: Neo4jStore, delta: Graph, home: Neo4jHome, prepare: Callable[[Graph], object]
) -> dict[str, Any]:
    """The staging child's work (its own copy of ``delta``): what the caller needs of it."""
    prepare(delta)
    staged = _stage_import(store, delta, home)
    return {
        "nodes": staged.files.node_count,
        "relationships": staged.files.relationship_count,
        "subjects": staged.subjects,
        "triples": staged.triples,
        "files_s": staged.files_seconds,
        "import_s": staged.import_seconds,
    }


def _record_of(delta: Graph, prepare: Callable[[Graph], object]) -> Change:
    """The recording child's work: the audit's record of its own copy of ``delta``."""
    prepare(delta)
    return addition_of(delta)


def _raised(error: ForkedCallError) -> StoreError:
    """A child's error as this module's class that it was (the caller may tell them apart)."""
    if not error.kind:
        return OfflineImportError(
            f"a staging process failed: {error}; nothing was written to the database"
        )
    kind = ImportValueError if error.kind == "ImportValueError" else OfflineImportError
    return kind(str(error))


def start_staging(
    store: Store, delta: Graph, home: Neo4jHome, prepare: Callable[[Graph], object]
) -> StagingWork:
    """Start staging ``delta``'s import into ``store``'s empty database (:class:`StagingWork`).

    Checked first: the store is Neo4j and empty, and the home has both commands.
    ``prepare`` is applied to the staging's own copy of ``delta`` first (the
    load's provenance, which the caller adds to its delta after the gate).
    """
    backend = neo4j_backend(store)
    refuse_unless_empty(backend)
    home.command("neo4j")
    home.command("neo4j-admin")
    shutil.rmtree(home.data / STAGING, ignore_errors=True)  # an attempt's never swapped in
    return StagingWork(backend, delta, home, prepare)


def neo4j_backend(store: Store) -> Neo4jStore:
    """The Neo4j store behind ``store`` (the audited store wraps it); refused for any other."""
    from journeykg.graph.audited import AuditedStore

    inner = store.inner if isinstance(store, AuditedStore) else store
    if not isinstance(inner, Neo4jStore):
        raise OfflineImportError(
            f"--offline-import loads into Neo4j; the store is {inner.name}: set "
            "JOURNEYKG_BACKEND=neo4j, or load without --offline-import"
        )
    return inner


def write_offline(store: Store, delta: Graph, work: StagingWork) -> WriteSummary:
    """Put ``work``'s import of ``delta`` in place of ``store``'s empty database, audited.

    The gate and the governance check have passed the whole delta (the caller's
    job, as for every load). All of it is written, or nothing: a refusal or a
    failure leaves the database empty and the audit journal without the entry.
    The audit's record is the staging's, of its own copy of ``delta`` as
    ``prepare`` left it (the load's provenance added): the caller need not stamp
    its own.
    """
    from journeykg.graph.audited import AuditedStore

    started = time.perf_counter()
    backend = neo4j_backend(store)
    try:
        # Waited for before the audit entry is opened: the entry holds the journal's
        # write lock, and records what the staging made of the delta.
        staged = work.result()

        def swap() -> None:
            refuse_unless_empty(backend)  # again: another writer may have come meanwhile
            staged.swap()

        if isinstance(store, AuditedStore):
            store.recorded_into_empty(delta, swap, added=staged.added)
        else:
            swap()
    finally:
        work.cancel()  # nothing left to stop by now: removes the staging directory
    log.info(
        "offline import: %d nodes, %d relationships; rows and CSV %.1f s, import tool %.1f s, "
        "stop to schema %.1f s",
        staged.files.node_count,
        staged.files.relationship_count,
        staged.files_seconds,
        staged.import_seconds,
        staged.swap_seconds,
    )
    # Counted as the rows were made: a second pass over a 1M delta here cost seconds.
    return WriteSummary(
        subjects=staged.subjects, triples=staged.triples, seconds=time.perf_counter() - started
    )
