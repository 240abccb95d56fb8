"""The Neo4j backend: journeykg as a property graph on a Neo4j 5 server over Bolt.

Nodes are keyed by IRI under a uniqueness constraint; writes are batched
``UNWIND $rows`` statements inside one transaction per delta, so a failed
load leaves nothing behind: ``CREATE`` for the nodes a chunk's lookup does
not find, ``MERGE`` for the others (docs/neo4j-bulk.md, "How a batch is
written"). With journeykg's plugin, new nodes, bare placeholders and edges
go in columns to its procedures instead, in the same transaction
(graph/neo4j_columns.py). See :mod:`journeykg.graph.property_graph`
for how triples map onto nodes, labels, properties and relationships.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any, LiteralString

import neo4j
from neo4j import GraphDatabase, ManagedTransaction
from neo4j.exceptions import DriverError, Neo4jError, ServiceUnavailable, SessionExpired
from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory

from journeykg.graph import change_log, neo4j_columns, neo4j_procedures
from journeykg.graph.change_log import Changes
from journeykg.graph.errors import LeaseHeldError, StoreError, StoreUnavailableError
from journeykg.graph.model import ElementRef, WriteSummary
from journeykg.graph.neo4j_edges import EdgeGroup, ServerEdges
from journeykg.graph.neo4j_newest import NewestRows, ServerNewestPoints
from journeykg.graph.neo4j_reached import ServerReachedTotals
from journeykg.graph.neo4j_walk import ProcedureWalk, ServerWalks, collect_labels
from journeykg.graph.property_graph import (
    DATATYPE_MARK,
    IDENTITY_PROPERTIES,
    RESOURCE_LABEL,
    DecodedValues,
    NodeRow,
    PropertyGraphMapping,
)
from journeykg.graph.relations import Rule
from journeykg.graph.store import (
    Capability,
    DatedPoint,
    EdgeRequest,
    Edges,
    ElementFacts,
    Facts,
    Hop,
    LeaseScope,
    Progress,
    ReachedTotals,
    SeriesKey,
    SeriesShape,
    Store,
)
from journeykg.graph.stored_terms import stored_iri
from journeykg.graph.walk_state import WalkState
from journeykg.namespaces import RDF, RDFS, SKOS

#: Rows per UNWIND statement: large enough to amortise round trips, small
#: enough to keep each statement's memory modest on a 2-core machine.
BATCH_SIZE = 2_000

#: Up to this many subjects, a write's subjects that it retracts and writes again (a sync's
#: batch of its own elements) are written as a difference from what their nodes hold
#: (graph/neo4j_small_write.py); every other row, and every row of a larger write, as before.
SMALL_WRITE_ROWS = 5_000

#: Rows per chunk when the chunk goes to the plugin's procedures in columns
#: (graph/neo4j_columns.py): a whole batch of neo4j_bulk.BATCH_SUBJECTS. Fewer
#: chunks mean fewer lookups and calls; the 100k write took 6.6 s and 7.8 s
#: against 9.5 s and 8.4 s with BATCH_SIZE (docs/benchmarks.md).
COLUMNS_BATCH_SIZE = 20_000

#: How the driver behaves when the server goes away, so that a request fails
#: within seconds (the API answers 503) instead of hanging on the driver's
#: defaults (30 s to connect, 60 s to get a connection, 30 s of retries).
DRIVER_OPTIONS: dict[str, Any] = {
    # A refused or silent server is given up on after this long.
    "connection_timeout": 2.0,
    # Waiting for a pooled connection (incl. opening one) is bounded as well.
    "connection_acquisition_timeout": 4.0,
    # Managed transactions (writes) retry transient failures for this long only.
    "max_transaction_retry_time": 3.0,
    # A connection idle this long is checked before use: after an outage the
    # pool's dead connections are found and replaced instead of failing a request.
    "liveness_check_timeout": 1.0,
}
#: How many times a read is sent before its failure is the store's error. A read is
#: idempotent; an auto-commit query is not retried by the driver (a managed transaction
#: is, within max_transaction_retry_time), so Neo4jStore._read retries it, after a pause, on a
#: new connection, when the failure is one a retry can cure (_transient): a pooled
#: connection the server or a proxy closed (a restart, an idle cut), a cluster member that
#: left, a TransientError.
READ_ATTEMPTS = 2
#: ... and only while less than this many seconds have passed since it was first sent:
#: such failures come at once, while a server that does not answer costs the driver's
#: connection deadline (4 s) per attempt, and a request must fail within seconds when the
#: server is gone (the API answers 503: tests/api/test_store_outage.py), not after two waits.
READ_RETRY_SECONDS = 1.0
#: The pause before a read is sent again: a connection that broke because its server or
#: proxy restarted finds it listening again a moment later (an immediate retry was refused
#: in the test of a cut and a restore); the driver's own first pause is 1 s.
READ_RETRY_PAUSE = 0.2
#: Relationships, then nodes, deleted per transaction by :meth:`Neo4jStore.clear`.
CLEAR_BATCH = 10_000

#: The notifications a session of this store turns off: a statement naming a label or
#: relation the graph does not hold yet (no KPIs loaded: `measures`; no offline import:
#: ``:JourneykgIdentity``) is no reason to log a warning.
QUIET_NOTIFICATIONS = (neo4j.NotificationDisabledClassification.UNRECOGNIZED,)

#: What a driver raises when the server does not answer (stopped, starting, gone).
_UNREACHABLE = (ServiceUnavailable, SessionExpired, DriverError, OSError)

_SCHEMA = (
    "CREATE CONSTRAINT resource_iri IF NOT EXISTS FOR (n:Resource) REQUIRE n.iri IS UNIQUE",
    "CREATE INDEX resource_key IF NOT EXISTS FOR (n:Resource) ON (n.key)",
    "CREATE CONSTRAINT sync_lease_source IF NOT EXISTS "
    "FOR (l:JourneykgSyncLease) REQUIRE l.source IS UNIQUE",
    "CREATE CONSTRAINT element_lease_iri IF NOT EXISTS "
    "FOR (l:JourneykgElementLease) REQUIRE l.iri IS UNIQUE",
    "CREATE CONSTRAINT generation_id IF NOT EXISTS "
    "FOR (g:JourneykgGeneration) REQUIRE g.id IS UNIQUE",
)
#: The index each of _SCHEMA's statements makes, by name, and the constraint that owns it
#: (a constraint's index takes its name). ``IF NOT EXISTS`` goes by name too, so a database
#: listing all of them would leave every statement of _SCHEMA doing nothing.
_SCHEMA_INDEXES: dict[str, str | None] = {
    "resource_iri": "resource_iri",
    "resource_key": None,
    "sync_lease_source": "sync_lease_source",
    "element_lease_iri": "element_lease_iri",
    "generation_id": "generation_id",
}
_LIST_INDEXES = "SHOW INDEXES YIELD name, owningConstraint RETURN name, owningConstraint"
# The graph's generation (Store.generation) exists from the first open on.
_FIRST_GENERATION = (
    "MERGE (g:JourneykgGeneration {id: 'graph'}) ON CREATE SET g.value = randomUUID()"
)

#: A new generation for the graph. The database keeps it, so that every process
#: (each worker of ``serve --workers N``, a CLI beside them) sees another's writes.
#: A random value, not a count: a node deleted by hand and made again cannot
#: bring back a value some process still keeps answers under. Not a :Resource,
#: so ``clear`` leaves it.
_NEW_GENERATION = "MERGE (g:JourneykgGeneration {id: 'graph'}) SET g.value = randomUUID()"

#: The nodes ``$iris`` and their outgoing edges, in one statement (Neo4jStore.describe).
_DESCRIBE = (
    "UNWIND $iris AS iri MATCH (n:Resource {iri: iri}) "
    "RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props, "
    "[(n)-[r]->(o:Resource) | [type(r), o.iri]] AS rels"
)

#: :data:`_DESCRIBE` after a lease's claim (Neo4jStore.lease_describing): after its MERGE
#: (the aggregation completes it first), by ``$nodes``' [iri, key] pairs.
_HELD_DESCRIBE = (
    " WITH count(l) AS held UNWIND $nodes AS node "
    "MATCH (n:Resource {key: node[1]}) USING INDEX n:Resource(key) WHERE n.iri = node[0] "
    "RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props, "
    "[(n)-[r]->(o:Resource) | [type(r), o.iri]] AS rels"
)

#: How long a sync waits for another process's lease before it is refused.
LEASE_PROBE_SECONDS = 2.0
#: How long a governance step waits for another process's step on the same
#: element: steps take milliseconds, so a longer wait means a stuck holder.
ELEMENT_LEASE_WAIT_SECONDS = 10.0


def _quote(name: str) -> str:
    """A label, type or property name as a Cypher identifier (names cannot be parameters)."""
    return "`" + name.replace("`", "``") + "`"


def _cypher(text: str) -> LiteralString:
    # Only identifiers quoted by _quote() are ever spliced in; values are always parameters.
    return text


def _transient(exc: Exception) -> bool:
    """Whether a read that failed with ``exc`` may answer when sent again."""
    if isinstance(exc, DriverError | Neo4jError):
        return exc.is_retryable()
    # A socket that broke under the driver (the connection, not the statement).
    return isinstance(exc, OSError)


def _label(tx: ManagedTransaction, verb: str, label: str, iris: list[str]) -> None:
    """SET or REMOVE one label on the nodes of ``iris`` (labels cannot be parameters)."""
    tx.run(
        _cypher(f"UNWIND $iris AS iri MATCH (n:Resource {{iri: iri}}) {verb} n:{_quote(label)}"),
        iris=iris,
    )


def _bare(labels: set[str], keys: set[str], linked: bool) -> bool:
    """Whether a node the lookup found is a bare placeholder: an IRI and nothing else."""
    return labels <= {RESOURCE_LABEL} and keys <= IDENTITY_PROPERTIES and not linked


def _check_edges(made: int, expected: int, kind: str) -> None:
    """Refuse the write when an edge was not made: an end node another writer deleted meanwhile.

    MATCH (or the procedure's lookup) finds nothing for such a node: the edge would
    be lost without a word, so the whole transaction is refused instead (rolled back,
    nothing written)."""
    if made != expected:
        raise StoreError(
            f"{expected - made} of the {expected} {kind}edges of this write "
            "lost an end node while it ran (deleted by another writer); nothing of "
            "the write is stored: run it again"
        )


def write_node_groups(
    tx: ManagedTransaction,
    created: dict[tuple[str, ...], list[dict[str, Any]]],
    merged: dict[tuple[str, ...], list[dict[str, Any]]],
) -> None:
    """Nodes grouped by the labels they get: new ones created, found ones merged."""
    for labels, rows in sorted(created.items()):
        tx.run(_cypher(f"UNWIND $rows AS row CREATE (n:{_labels(labels)}) SET n = row"), rows=rows)
    for labels, rows in sorted(merged.items()):
        # MERGE, not MATCH: a node another writer deleted since the lookup is made again.
        added = f", n:{_labels(labels)}" if labels else ""
        tx.run(
            _cypher(
                "UNWIND $rows AS row MERGE (n:Resource {iri: row.iri}) "
                f"SET n.key = row.key, n += row.props{added}"
            ),
            rows=rows,
        )


def write_edges_cypher(
    tx: ManagedTransaction,
    placeholders: list[str],
    key_of: Callable[[str], str],
    new_rels: dict[str, list[list[Any]]],
) -> None:
    """Edges that do not exist yet, by type, after bare placeholders for targets not yet nodes.

    ``new_rels`` maps a type to ``[subject, [targets]]`` pairs; every edge is
    created, so the caller makes sure none of them exists already.
    """
    if placeholders:
        tx.run(
            "UNWIND $targets AS t MERGE (o:Resource {iri: t[0]}) ON CREATE SET o.key = t[1]",
            targets=[[t, key_of(t)] for t in placeholders],
        )
    for rel_type, pairs in sorted(new_rels.items()):
        made = tx.run(
            _cypher(
                # Both ends exist: the statement only reads nodes and creates
                # edges, so rows stream through it (with a MERGE of the target
                # here, the planner buffered every row: an Eager).
                "UNWIND $rels AS rel MATCH (s:Resource {iri: rel[0]}) "
                "UNWIND rel[1] AS target MATCH (o:Resource {iri: target}) "
                # CREATE, not MERGE: the caller deleted this subject's edges of this
                # type or found them absent, and its targets are distinct (a graph's
                # triples are a set), so no edge can exist twice; MERGE would scan
                # each subject's edges for nothing (the largest cost of a bulk write).
                f"CREATE (s)-[:{_quote(rel_type)}]->(o) RETURN count(*) AS made"
            ),
            rels=pairs,
        ).single(strict=True)["made"]
        # MATCH finds nothing for a node another writer deleted since it was
        # made or found above: the edge would be lost without a word, so the
        # whole transaction is refused instead (rolled back, nothing written).
        _check_edges(made, sum(len(targets) for _, targets in pairs), f"{rel_type!r} ")


def _labels(labels: Sequence[str]) -> str:
    """``Resource`` and ``labels`` as a Cypher label expression (``Resource:`Journey```)."""
    return ":".join([RESOURCE_LABEL, *(_quote(label) for label in labels)])


#: What every Neo4j store can do; SERVER_WALK comes with journeykg's plugin.
CAPABILITIES = frozenset(
    {Capability.WRITABLE, Capability.SHARED, Capability.LABEL_INDEX, Capability.BATCHED_WRITE}
)


class Neo4jStore(Store):
    """journeykg on a Neo4j server."""

    name = "neo4j"

    #: Take impact walks in the server (journeykg.walk) when the plugin is
    #: installed; False walks hop by hop regardless (the tests compare both).
    walk_in_server = True
    #: Take large loads and restores in batches (graph/neo4j_bulk.py); False writes
    #: each in one transaction, as before (bench/neo4j_product_load.py compares both).
    batched_write = True
    #: Seconds a write transaction may run before the server ends it (rolled back,
    #: nothing written); None: the server's own limit (db.transaction.timeout).
    write_timeout: float | None = None
    #: Seconds a read statement may run before the server ends it (the store's error
    #: names the timeout); None: the server's own limit (db.transaction.timeout).
    read_timeout: float | None = None
    #: Send the chunks of a write in columns to journeykg's plugin when it is
    #: installed (graph/neo4j_columns.py); False writes with Cypher regardless
    #: (the tests and bench/neo4j_product_load.py compare both).
    write_in_server = True

    def __init__(
        self,
        uri: str,
        base_iri: str,
        mapping: PropertyGraphMapping,
        *,
        auth: tuple[str, str] | None = None,
        database: str | None = None,
    ) -> None:
        super().__init__(base_iri)
        self.uri = uri
        self.mapping = mapping
        self.database = database
        self._auth = auth
        self._connect()
        self._walks = ServerWalks(self._read, mapping, self._procedures)
        with self._errors():
            self.driver.verify_connectivity()
            self._make_schema()

    def _connect(self) -> None:
        """A new driver, and nothing kept from an earlier one (sessions, the plugin's answer)."""
        self.driver = GraphDatabase.driver(self.uri, auth=self._auth, **DRIVER_OPTIONS)
        self._local = threading.local()
        # journeykg's procedures on this server, listed once for all that ask (one round trip),
        # the first time one of them is asked about.
        self._procedures = neo4j_procedures.Listing(self._read)
        self._server_columns = neo4j_columns.ServerColumns(self._read, self._procedures)
        self._server_totals = ServerReachedTotals(self._read, self._procedures)
        self._server_newest = ServerNewestPoints(self._read, self._procedures)
        self._server_edges = ServerEdges(self._read, self._procedures)

    def _make_schema(self) -> None:
        # Every process that opens the store comes here (each CLI command, each server
        # worker): the five statements took ~20 ms of the server, the listing ~2.5 ms
        # (docs/benchmarks.md, "Where the suite's CPU goes").
        if not self._schema_listed():
            for statement in _SCHEMA:
                self.driver.execute_query(_cypher(statement), database_=self.database)
        self.driver.execute_query(_cypher(_FIRST_GENERATION), database_=self.database)

    def _schema_listed(self) -> bool:
        """Whether the database lists every index and constraint _SCHEMA makes."""
        try:
            records = self.driver.execute_query(
                _cypher(_LIST_INDEXES), database_=self.database, routing_=neo4j.RoutingControl.READ
            ).records
        except Neo4jError:
            # A user who may not list indexes: the statements themselves say what it may do.
            return False
        listed = {record["name"]: record["owningConstraint"] for record in records}
        return all(
            name in listed and listed[name] == owner for name, owner in _SCHEMA_INDEXES.items()
        )

    @property
    def capabilities(self) -> frozenset[Capability]:
        # Whether the plugin is there is asked once, at the first question that needs it.
        declared = CAPABILITIES if self.batched_write else CAPABILITIES - {Capability.BATCHED_WRITE}
        if self.walk_in_server and self._walks.installed():
            return declared | {Capability.SERVER_WALK}
        return declared

    @contextmanager
    def _errors(self, tried: int = 1) -> Iterator[None]:
        # ``tried``: how many times a read was sent before it gave up (see _read).
        attempts = "" if tried == 1 else f"; the read was tried {tried} times"
        try:
            yield
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreUnavailableError(
                f"Neo4j at {self.uri} is unreachable ({exc}{attempts}); check that it runs and "
                "that JOURNEYKG_NEO4J_URI points at it, then retry"
            ) from exc
        except Neo4jError as exc:
            raise StoreError(f"Neo4j refused the request: {exc.message}{attempts}") from exc
        except (DriverError, OSError) as exc:
            # A connection that broke mid-answer (e.g. cut by a proxy) surfaces as
            # a driver error or a socket error, depending on where it broke.
            raise StoreUnavailableError(
                f"Neo4j at {self.uri} stopped answering ({type(exc).__name__}: {exc}{attempts}); "
                "retry"
            ) from exc

    def _session(self, access: str) -> neo4j.Session:
        # One bookmark manager for reads and writes: a read sees every write
        # this store committed before it, also on a cluster.
        return self.driver.session(
            database=self.database,
            default_access_mode=access,
            bookmark_manager=self.driver.execute_query_bookmark_manager,
            notifications_disabled_classifications=QUIET_NOTIFICATIONS,
            # Reads do not go through the driver's managed transactions (see _read,
            # which retries them itself); the writes' retries are bounded in time.
            max_transaction_retry_time=DRIVER_OPTIONS["max_transaction_retry_time"],
        )

    def _read(self, query: str, **params: Any) -> list[neo4j.Record]:
        """Every record of one read statement, in one wait for the server.

        An auto-commit query in a session opened for READ (kept per thread: a
        traversal asks many small questions, and a session spares each of them the
        set-up that execute_query pays, ~3 ms here). It is still a read transaction:
        its RUN message carries the access mode and this store's bookmarks (a write
        it follows is seen, also on a cluster), the server refuses it a write, and a
        routing driver (neo4j://, neo4j+s://) sends it to a follower. What it spares
        against the managed transaction (``execute_read``) it replaced is the BEGIN
        and the COMMIT, each a wait of its own: 1 message flush instead of 3, 0.94
        against 1.29 ms for a describe of 10 nodes (bench/neo4j_round_trips.py, issue
        20). ``read_timeout`` goes with the statement (the server ends it after that
        long). Reads that must see one snapshot across several statements do not come
        here: each statement here is a transaction of its own, as each managed one was.

        What an auto-commit query loses is the driver's retry; a read is idempotent,
        so it is retried here: see :data:`READ_ATTEMPTS` and :data:`READ_RETRY_SECONDS`.
        """
        statement = neo4j.Query(_cypher(query), timeout=self.read_timeout)
        attempt, started = 1, time.monotonic()
        while True:
            session: neo4j.Session | None = getattr(self._local, "session", None)
            if session is None:
                session = self._local.session = self._session(neo4j.READ_ACCESS)
            try:
                return list(session.run(statement, params))
            except (DriverError, Neo4jError, OSError) as exc:
                # The session may hold a broken connection: the next read opens another.
                self._local.session = None
                session.close()
                if (
                    attempt < READ_ATTEMPTS
                    and _transient(exc)
                    and time.monotonic() - started < READ_RETRY_SECONDS
                ):
                    attempt += 1
                    time.sleep(READ_RETRY_PAUSE)
                    continue
                with self._errors(tried=attempt):
                    raise

    # --- writing ----------------------------------------------------------

    def apply(
        self, delta: Graph, retract: Collection[URIRef] = (), progress: Progress | None = None
    ) -> WriteSummary:
        started = time.perf_counter()
        rows, triples = self.mapping.rows_counted(delta, self.ids.key)
        gone = sorted(str(i) for i in retract)
        # A small write's subjects that it retracts and rewrites are written as a difference
        # (graph/neo4j_small_write.py), not stripped first and written again.
        whole = set(gone) & {row.iri for row in rows} if len(rows) <= SMALL_WRITE_ROWS else set()
        with self._errors(), self._session(neo4j.WRITE_ACCESS) as session:
            work = neo4j.unit_of_work(timeout=self.write_timeout)(self._apply)
            session.execute_write(work, [i for i in gone if i not in whole], rows, progress, whole)
        return WriteSummary(
            subjects=len(rows) + len(gone),
            triples=triples,
            seconds=time.perf_counter() - started,
        )

    def _apply(
        self,
        tx: ManagedTransaction,
        gone: list[str],
        rows: list[NodeRow],
        progress: Progress | None,
        whole: set[str],
    ) -> None:
        # What the subjects hold before the write, for the change log (graph/change_log.py)
        # and for the difference of the subjects rewritten whole: one read for both.
        subjects = sorted({*gone, *(row.iri for row in rows)})
        logged = len(subjects) <= change_log.MOST_SUBJECTS
        stored = change_log.stored_nodes(tx, subjects if logged else sorted(whole))
        before = change_log.links_before(stored) if logged else None
        # One transaction: the retraction and the writes commit together or not at all.
        for start in range(0, len(gone), BATCH_SIZE):
            self._retract(tx, gone[start : start + BATCH_SIZE])
        # What was read of the rows still holds for them unless this transaction strips
        # one first (a subject retracted and written again on the general path).
        unchanged = logged and {row.iri for row in rows}.isdisjoint(gone)
        self._write_rows(tx, rows, progress, whole, stored, all_read=unchanged)
        # In the same transaction, so readers see the new generation and the write
        # together; last, so that a transaction waiting for the generation's lock
        # holds every other lock it needs already (no deadlock between writers).
        # The generation moves as _NEW_GENERATION moves it, and the change log
        # records this write beside it (Store.changes_since).
        change_log.bump_and_record(tx, subjects, before)

    def _write_rows(
        self,
        tx: ManagedTransaction,
        rows: list[NodeRow],
        progress: Progress | None,
        whole: set[str],
        stored: Mapping[str, change_log.StoredNode],
        *,
        all_read: bool,
    ) -> None:
        """``stored``: what the subjects' nodes held when the transaction began (those of
        ``whole`` at least; with ``all_read``, of every row, none of them retracted since)."""
        # The first batch takes what the change log read of its nodes, instead of a
        # lookup of its own, when nothing before it in this transaction could have made
        # one of them: no subject rewritten whole (whose edges make placeholders) and
        # every row read (a small write: a sync's batch). One wait less per write.
        ahead = stored if all_read and not whole else None
        if whole:
            # Imported here: the module takes its Cypher helpers from this one.
            from journeykg.graph.neo4j_small_write import write_small

            rewritten = [row for row in rows if row.iri in whole]
            write_small(tx, rewritten, self.ids.key, stored)
            rows = [row for row in rows if row.iri not in whole]
        size = COLUMNS_BATCH_SIZE if self._writes_in_server() else BATCH_SIZE
        for start in range(0, len(rows), size):
            self._write_batch(tx, rows[start : start + size], ahead if start == 0 else None)
            if progress is not None:
                progress(min(start + size, len(rows)), len(rows))

    def _write_batch(
        self,
        tx: ManagedTransaction,
        batch: list[NodeRow],
        read: Mapping[str, change_log.StoredNode] | None = None,
    ) -> None:
        # One indexed lookup for the whole batch: which subjects exist already,
        # with their labels, property names and whether they have outgoing edges;
        # or, ``read``, what the write read of them already (the change log's read,
        # made in this transaction before anything was written).
        existing = (
            {
                row.iri: (node.labels, node.keys, bool(node.edges))
                for row in batch
                if (node := read.get(row.iri)) is not None
            }
            if read is not None
            else {
                record["iri"]: (set(record["labels"]), set(record["keys"]), record["linked"])
                for record in tx.run(
                    "UNWIND $iris AS iri MATCH (n:Resource {iri: iri}) "
                    "RETURN n.iri AS iri, labels(n) AS labels, keys(n) AS keys, "
                    "EXISTS { (n)-->() } AS linked",
                    iris=[row.iri for row in batch],
                )
            }
        )
        # Nodes grouped by (new or not, the labels they gain): one statement per
        # group sets the labels with the properties, instead of one more
        # statement per label (labels cannot be parameters).
        created: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        merged: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
        drop_labels: dict[str, list[str]] = defaultdict(list)
        drop_rels: dict[str, list[str]] = defaultdict(list)
        new_rels: dict[str, list[list[Any]]] = defaultdict(list)
        edge_targets: set[str] = set()
        # With journeykg's plugin, the nodes that hold nothing the write could
        # replace (absent, or a bare placeholder) and every edge go to its
        # procedures in columns (graph/neo4j_columns.py); the rest as before.
        in_server = self._writes_in_server()
        fresh: list[NodeRow] = []
        bare: list[NodeRow] = []
        for row in batch:
            for rel_type, targets in row.relationships.items():
                new_rels[rel_type].append([row.iri, targets])
                edge_targets.update(targets)
            found = existing.get(row.iri)
            if in_server and found is None:
                fresh.append(row)
                continue
            if in_server and found is not None and _bare(*found):
                bare.append(row)
                continue
            props: dict[str, Any] = dict(row.properties)
            if found is None:
                # Absent from the store (and from this transaction so far): nothing
                # to remove, no label to drop, no edge to delete; CREATE, not MERGE.
                # Identity and properties in one map: SET n = map is one operator,
                # where SET n.key then n += props made the planner buffer every row
                # between them (an Eager: the map might have held a key).
                props["iri"], props["key"] = row.iri, row.key
                created[tuple(sorted(row.labels - {RESOURCE_LABEL}))].append(props)
            else:
                old_labels, old_keys, linked = found
                for key in old_keys - IDENTITY_PROPERTIES - props.keys():
                    if self.mapping.split_property_name(key)[0] in row.replaced_predicates:
                        props[key] = None  # SET n += {k: null} removes k
                merged[tuple(sorted(row.labels - old_labels))].append(
                    {"iri": row.iri, "key": row.key, "props": props}
                )
                if row.replaces_types:
                    for label in old_labels - row.labels - {RESOURCE_LABEL}:
                        drop_labels[label].append(row.iri)
                if linked:
                    for rel_type in row.relationships:
                        drop_rels[rel_type].append(row.iri)

        if in_server:
            neo4j_columns.write_nodes(
                tx,
                neo4j_columns.node_groups(fresh, fresh=True)
                + neo4j_columns.node_groups(bare, fresh=False),
            )
        write_node_groups(tx, created, merged)
        for label, iris in sorted(drop_labels.items()):
            _label(tx, "REMOVE", label, iris)
        for rel_type, iris in sorted(drop_rels.items()):
            tx.run(
                _cypher(
                    "UNWIND $iris AS iri MATCH (:Resource {iri: iri})-[r:"
                    f"{_quote(rel_type)}]->() DELETE r"
                ),
                iris=iris,
            )
        # The edges' targets that are not subjects of this chunk (those exist
        # now), made as bare placeholders where absent: one statement for all
        # types, each target once, in IRI order (locks taken in one order).
        subjects = {row.iri for row in batch}
        placeholders = sorted(edge_targets - subjects)
        if in_server:
            made = neo4j_columns.write_edges(tx, placeholders, self.ids.key, new_rels)
            _check_edges(made, sum(len(t) for pairs in new_rels.values() for _, t in pairs), "")
            return
        write_edges_cypher(tx, placeholders, self.ids.key, new_rels)

    def _writes_in_server(self) -> bool:
        """Whether chunks go to journeykg's procedures (asked of the server once)."""
        return self.write_in_server and self._server_columns.installed()

    @staticmethod
    def _retract(tx: ManagedTransaction, iris: list[str]) -> None:
        tx.run("UNWIND $iris AS iri MATCH (n:Resource {iri: iri})-[r]->() DELETE r", iris=iris)
        labels = tx.run(
            "UNWIND $iris AS iri MATCH (n:Resource {iri: iri}) UNWIND labels(n) AS label "
            "RETURN DISTINCT label",
            iris=iris,
        )
        for label in [r["label"] for r in labels if r["label"] != RESOURCE_LABEL]:
            _label(tx, "REMOVE", label, iris)
        # Keep the node (as a bare placeholder) while other triples still point at it.
        tx.run(
            "UNWIND $iris AS iri MATCH (n:Resource {iri: iri}) SET n = {iri: n.iri, key: n.key} "
            "WITH n WHERE NOT EXISTS { ()-->(n) } DELETE n",
            iris=iris,
        )

    def clear(self) -> None:
        """Remove everything, in batches of :data:`CLEAR_BATCH` rows: **not atomic**.

        One transaction deleting a 1M-node graph needs more memory than a
        1 GB heap allows, so each batch commits by itself; a failure part of
        the way leaves part of the graph behind, and calling ``clear`` again
        finishes the job.
        """
        # CALL { ... } IN TRANSACTIONS only runs in an auto-commit transaction
        # (session.run), not in the managed one execute_query opens.
        with self._errors(), self._session(neo4j.WRITE_ACCESS) as session:
            try:
                # Relationships first: a node-by-node DETACH DELETE makes every batch
                # rewrite the relationship chains of the hubs its nodes hang off (a
                # channel, a stage), which took 170 s for 600k leaves of one hub and
                # ran out of transaction memory on the 1M organisation; relationships
                # in batches, then bare nodes, took 28 s (bench/neo4j_clear.py).
                session.run(
                    "MATCH (:Resource)-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF $rows ROWS",
                    rows=CLEAR_BATCH,
                ).consume()
                session.run(
                    "MATCH (n:Resource) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF $rows ROWS",
                    rows=CLEAR_BATCH,
                ).consume()
            finally:
                # After the batches (each commits by itself): a reader of the new
                # generation sees the graph cleared, also after a clear that failed.
                session.run(_NEW_GENERATION).consume()

    def generation(self) -> str:
        records = self._read("MATCH (g:JourneykgGeneration {id: 'graph'}) RETURN g.value AS value")
        if not records or records[0]["value"] is None:
            # Deleted by hand: a value no answer is kept under, so nothing is reused.
            return f"unknown-{uuid.uuid4().hex}"
        value: str = records[0]["value"]
        return value

    # --- reading ----------------------------------------------------------

    def _graph_of(
        self, nodes: list[neo4j.Record], rels: list[neo4j.Record], *, context_free: bool
    ) -> Graph:
        # Context-free halves the cost of rdflib's default store (the sync's hot path);
        # a whole export goes to pySHACL, which needs a context-aware store.
        out = Graph(store=SimpleMemory()) if context_free else Graph()
        by_node: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for record in rels:
            by_node[record["s"]].append((record["type"], record["o"]))
        for record in nodes:
            for triple in self.mapping.triples(
                record["iri"], record["labels"], record["props"], by_node.get(record["iri"], [])
            ):
                out.add(triple)
        return out

    def describe(self, iris: Collection[URIRef]) -> Graph:
        # One statement for the nodes and their outgoing edges: one round trip instead of
        # two, and both from the same snapshot (a write between two reads could otherwise
        # give a node's properties before it and its edges after it).
        records = self._read(_DESCRIBE, iris=[str(i) for i in iris])
        return self._described(records, lambda _name: True)

    reads_together = True

    def describe_with_referrers(
        self, iris: Collection[URIRef], referred: Collection[URIRef]
    ) -> tuple[Graph, list[tuple[URIRef, URIRef, URIRef]]]:
        # One statement, one snapshot, one row: the edges pointing at the referred nodes
        # (as referrers() reads them) and the described nodes (as describe() does).
        row = self._read(
            "CALL () { UNWIND $referred AS iri "
            "MATCH (s:Resource)-[r]->(o:Resource {iri: iri}) "
            "RETURN collect([s.iri, type(r), o.iri]) AS incoming } "
            "CALL () { UNWIND $iris AS iri MATCH (n:Resource {iri: iri}) "
            "RETURN collect({iri: n.iri, labels: labels(n), props: properties(n), "
            "rels: [(n)-[r]->(o:Resource) | [type(r), o.iri]]}) AS nodes } "
            "RETURN incoming, nodes",
            iris=[str(i) for i in iris],
            referred=sorted({str(i) for i in referred}),
        )[0]
        referrers = sorted(
            (URIRef(s), self.mapping.iri(t), URIRef(o)) for s, t, o in row["incoming"]
        )
        return self._described(row["nodes"], lambda _name: True), referrers

    def describe_only(self, iris: Collection[URIRef], predicates: Collection[URIRef]) -> Graph:
        # A read of its own (describe's answer, cut down before decoding): turning every
        # stored value into an rdflib term is most of what a describe costs here.
        names = {self.mapping.name(p) for p in predicates if p != RDF.type}
        records = self._read(
            "UNWIND $iris AS iri MATCH (n:Resource {iri: iri}) "
            "RETURN n.iri AS iri, CASE WHEN $typed THEN labels(n) ELSE [] END AS labels, "
            "properties(n) AS props, "
            "[(n)-[r]->(o:Resource) WHERE type(r) IN $types | [type(r), o.iri]] AS rels",
            iris=[str(i) for i in iris],
            typed=RDF.type in predicates,
            types=sorted(names),
        )
        split = self.mapping.split_property_name
        return self._described(records, lambda name: split(name)[0] in names)

    def _described(
        self, records: Sequence[neo4j.Record | Mapping[str, Any]], wanted: Callable[[str], bool]
    ) -> Graph:
        """The triples of described nodes, of the properties whose names are ``wanted``."""
        out = Graph(store=SimpleMemory())  # context-free: half the cost (the sync's hot path)
        add = out.store.add
        decoded: DecodedValues = {}  # each stored value decoded once per read
        targets: dict[str, URIRef] = {}  # and each IRI an edge points at
        for record in records:
            props = {k: v for k, v in record["props"].items() if wanted(k)}
            edges = [(rel_type, target) for rel_type, target in record["rels"]]
            for triple in self.mapping.triples(
                record["iri"], record["labels"], props, edges, decoded, targets
            ):
                add(triple, out)
        return out

    def export(self) -> Graph:
        nodes = self._read(
            "MATCH (n:Resource) RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props"
        )
        rels = self._read(
            "MATCH (s:Resource)-[r]->(o:Resource) RETURN s.iri AS s, type(r) AS type, o.iri AS o"
        )
        return self._graph_of(nodes, rels, context_free=False)

    def instances(self, cls: URIRef) -> list[URIRef]:
        records = self._read(
            f"MATCH (n:{_quote(self.mapping.name(cls))}) RETURN n.iri AS iri ORDER BY iri"
        )
        return [URIRef(r["iri"]) for r in records]

    def pref_labelled(self, cls: URIRef, labels: Collection[Literal]) -> set[URIRef]:
        wanted: dict[str, list[Any]] = defaultdict(list)
        for label in labels:
            name, value = self.mapping.encode(SKOS.prefLabel, label)
            wanted[name].append(value)
        if not wanted:
            return set()
        # A label scan of the concepts; a property holding several values is a list.
        records = self._read(
            f"MATCH (n:{_quote(self.mapping.name(cls))}) "
            "UNWIND [name IN keys($wanted) WHERE n[name] IS NOT NULL] AS name "
            "WITH n, name, n[name] AS stored "
            "WHERE any(v IN CASE WHEN stored IS :: LIST<ANY> THEN stored ELSE [stored] END "
            "          WHERE v IN $wanted[name]) "
            "RETURN DISTINCT n.iri AS iri",
            wanted=dict(wanted),
        )
        return {URIRef(r["iri"]) for r in records}

    # For the walk, types alone and labels alone (plain-string IRIs, one round
    # trip per call): only what the walk needs (labels(n) for types; label
    # properties only for the elements actually returned), never every
    # property of every node.

    def element_facts(
        self, iris: Collection[str], want: Facts = Facts.ALL
    ) -> dict[str, ElementFacts]:
        if want == Facts.TYPES:
            return self._types_of(iris)
        if want == Facts.LABELS:
            return {iri: ((), found) for iri, found in self._labels_of(iris).items()}
        records = self._read(
            "UNWIND $iris AS iri MATCH (n:Resource {iri: iri}) "
            "RETURN n.iri AS iri, labels(n) AS labels, properties(n) AS props, "
            "EXISTS { (n)-->() } AS linked",
            iris=[str(i) for i in iris],
        )
        label_names = {self.mapping.name(RDFS.label), self.mapping.name(SKOS.prefLabel)}
        facts: dict[str, ElementFacts] = {}
        for record in records:
            names = set(record["labels"]) - {RESOURCE_LABEL}
            props = {k: v for k, v in record["props"].items() if k not in IDENTITY_PROPERTIES}
            if not (names or props or record["linked"]):
                continue  # a placeholder for an IRI that is only ever an object
            labels: list[tuple[str, str | None]] = []
            for name, value in props.items():
                base, lang = self.mapping.split_property_name(name)
                if base in label_names:
                    for v in value if isinstance(value, list) else [value]:
                        labels.append((str(v), lang))
            facts[record["iri"]] = (tuple(str(self.mapping.iri(n)) for n in names), tuple(labels))
        return facts

    #: Follow edges in journeykg's plugin (journeykg.edges) when it is installed; False
    #: asks the Cypher statement regardless (the tests compare both).
    edges_in_server = True

    def edges(self, requests: Sequence[EdgeRequest]) -> Edges:
        if not requests:
            return Edges([], {})
        if self.edges_in_server and self._server_edges.installed():
            groups: Iterable[EdgeGroup] = self._server_edges.groups(
                [
                    (self.mapping.name(URIRef(predicate)), inverse, nodes)
                    for predicate, nodes, inverse in requests
                ],
                RESOURCE_LABEL,
            )
        else:
            groups = self._edges_by_statement(requests)
        found: list[list[tuple[str, str]]] = [[] for _ in requests]
        typed: dict[str, tuple[str, ...]] = {}
        name = self.mapping.iri
        combinations: dict[str, tuple[str, ...]] = {}
        for index, node, types, neighbours in groups:
            found[index].extend((node, b) for b in neighbours)
            if types:  # a neighbour without labels may be a bare placeholder: not known here
                if types not in combinations:
                    combinations[types] = tuple(str(name(t)) for t in types.split())
                for b in neighbours:
                    typed[b] = combinations[types]
        return Edges(found, typed)

    def _edges_by_statement(self, requests: Sequence[EdgeRequest]) -> Iterator[EdgeGroup]:
        """:meth:`edges`' groups from one Cypher statement, as journeykg.edges makes them."""
        # One part per request, UNION ALL'd into one statement: each part
        # expands only its own relationship type from an index seek, where
        # a type compared after expansion would walk every relationship of
        # a hub. Only identifiers quoted by _quote() are spliced in. (Each
        # combination of requests is a text the server plans anew: why the
        # plugin's procedure is asked first.)
        parts = []
        params: dict[str, Any] = {"resource": RESOURCE_LABEL}
        for i, (predicate, nodes, inverse) in enumerate(requests):
            rel = _quote(self.mapping.name(URIRef(predicate)))
            pattern = f"<-[:{rel}]-" if inverse else f"-[:{rel}]->"
            # Collected into one record per part, neighbours grouped by node
            # and by their combination of types (one string: names are IRIs
            # or local names, without spaces): the driver decodes a record
            # far more slowly than a list item (~10x, measured on a hub's
            # hop), a hub's IRI is sent once, not once per dependant, and the
            # types come with the neighbours instead of in another round trip
            # that would send every neighbour's IRI back.
            parts.append(
                f"UNWIND $n{i} AS iri MATCH (a:Resource {{iri: iri}}){pattern}(b:Resource) "
                "WITH iri, reduce(s = '', t IN [l IN labels(b) WHERE l <> $resource] | s + ' ' + t)"
                " AS types, collect(b.iri) AS bs "
                f"RETURN {i} AS i, collect(iri) AS a, collect(types) AS t, collect(bs) AS b"
            )
            params[f"n{i}"] = list(nodes)
        for record in self._read(" UNION ALL ".join(parts), **params):
            index = record["i"]
            for node, types, neighbours in zip(record["a"], record["t"], record["b"], strict=True):
                yield index, node, types, neighbours

    def _types_of(self, iris: Collection[str]) -> dict[str, ElementFacts]:
        records = self._read(
            "UNWIND $iris AS iri MATCH (n:Resource {iri: iri}) "
            "WITH n, [l IN labels(n) WHERE l <> $resource] AS types "
            # A bare placeholder (an IRI that is only ever an object) is not stored.
            "WHERE size(types) > 0 OR any(k IN keys(n) WHERE NOT k IN $identity) "
            "OR EXISTS { (n)-->() } "
            # Grouped by combination of types (one string: names are IRIs or
            # local names, without spaces): a handful of records, each with a
            # flat list of IRIs, is what the driver decodes fastest.
            "WITH reduce(s = '', t IN types | s + ' ' + t) AS types, n.iri AS iri "
            "RETURN types, collect(iri) AS iris",
            iris=list(iris),
            resource=RESOURCE_LABEL,
            identity=sorted(IDENTITY_PROPERTIES),
        )
        name = self.mapping.iri
        found: dict[str, ElementFacts] = {}
        for record in records:
            # One record per combination of types: its elements share their facts.
            facts = (tuple(str(name(t)) for t in record["types"].split()), ())
            for iri in record["iris"]:
                found[iri] = facts
        return found

    def _labels_of(self, iris: Collection[str]) -> dict[str, tuple[tuple[str, str | None], ...]]:
        label_names = self._walks.label_names
        records = self._read(
            "UNWIND $iris AS iri MATCH (n:Resource {iri: iri}) "
            "UNWIND [k IN keys(n) WHERE any(p IN $names WHERE k STARTS WITH p)] AS k "
            # Three flat lists: cheaper for the driver than a list of pairs per node.
            "RETURN collect(iri) AS iris, collect(k) AS keys, collect(n[k]) AS values",
            iris=list(iris),
            names=label_names,
        )
        found: dict[str, list[tuple[str, str | None]]] = {}
        for record in records:
            labels = collect_labels(
                self.mapping, label_names, record["iris"], record["keys"], record["values"]
            )
            for iri, pairs in labels.items():
                found.setdefault(iri, []).extend(pairs)
        return {iri: tuple(pairs) for iri, pairs in found.items()}

    def server_walk(
        self,
        roots: Sequence[ElementRef],
        rules: Sequence[Rule],
        max_hops: int | None,
        *,
        fallback: Callable[[], WalkState],
    ) -> WalkState:
        if Capability.SERVER_WALK not in self.capabilities:
            raise self._without(Capability.SERVER_WALK, "walk in the server")
        return ProcedureWalk(
            self._walks, roots, rules, max_hops, key=self.ids.key, fallback=fallback
        )

    # --- leases ---------------------------------------------------------------

    @contextmanager
    def lease(self, scope: LeaseScope, key: str) -> Iterator[None]:
        with self._lease(scope, key, None):
            yield

    @contextmanager
    def lease_describing(
        self, scope: LeaseScope, key: str, iris: Collection[URIRef]
    ) -> Iterator[Graph]:
        # The read in the hold's own statement, after its MERGE has taken the lock: one
        # round trip less than the lease and a describe, and what it reads is what the
        # store held once this holder had the lease (the transaction is not committed,
        # but it reads what every committed write left).
        with self._lease(scope, key, [str(i) for i in iris]) as records:
            yield self._described(records, lambda _name: True)

    @contextmanager
    def _lease(
        self, scope: LeaseScope, key: str, iris: list[str] | None
    ) -> Iterator[list[neo4j.Record]]:
        """Hold the lease on ``key`` in ``scope`` until the block ends; hand the block the
        nodes ``iris`` (as :meth:`describe` reads them) read once it is held.

        The lease is a lock, not a record: an open transaction that has
        MERGEd the (uniquely constrained) lease node holds its index lock
        until it ends. Nothing is ever committed: the transaction is rolled
        back when the block ends, and Neo4j rolls it back itself when the
        holder's connection drops (a killed process), so a crash never
        leaves a stale lease behind. The node is not a :Resource: no
        question, export or clear could see it anyway.
        """
        if scope is LeaseScope.SYNC:
            # A sync that finds the source busy is refused at once: the other run
            # may take minutes, and the caller's scheduler retries later.
            claim: LiteralString = (
                "MERGE (l:JourneykgSyncLease {source: $key}) SET l.claimed = datetime()"
            )
            wait = LEASE_PROBE_SECONDS
        else:
            # Another process's step on the element takes milliseconds: wait for it.
            claim = "MERGE (l:JourneykgElementLease {iri: $key}) SET l.claimed = datetime()"
            wait = ELEMENT_LEASE_WAIT_SECONDS
        with self._errors(), self._session(neo4j.WRITE_ACCESS) as session:
            # First probes with a timeout: one blocked on another holder's
            # lock is terminated, so the wait is bounded. (A timeout on the
            # hold itself would also end the hold while the block runs.)
            waited = time.monotonic() + wait
            while True:
                probe = session.begin_transaction(timeout=min(wait, LEASE_PROBE_SECONDS))
                try:
                    probe.run(claim, key=key).consume()
                    break
                except Neo4jError as exc:
                    # Terminated by its timeout while waiting for the lock (the
                    # server names it TransactionTimedOut* or LockClientStopped).
                    if not any(k in (exc.code or "") for k in ("TimedOut", "LockClientStopped")):
                        raise
                    if time.monotonic() >= waited:
                        raise LeaseHeldError(key) from exc
                finally:
                    probe.close()
            # Then the hold, without a timeout. (If another process claimed
            # in the instant between, this waits for its block to end.) The
            # MERGE runs before the read that follows it in the statement.
            hold = session.begin_transaction()
            try:
                if iris is None:
                    hold.run(claim, key=key).consume()
                    records: list[neo4j.Record] = []
                else:
                    # Found by the (non-unique) key index, not the unique iri: in a write
                    # transaction a seek of a unique index locks the entry it looks up
                    # (NodeUniqueIndexSeek(Locking)), and that lock, held until the lease
                    # ends, would stop the sync's own write from creating the node (its
                    # first run: a deadlock). A key is its iri's (Identifiers.key).
                    records = list(
                        hold.run(
                            _cypher(claim + _HELD_DESCRIBE),
                            key=key,
                            nodes=[[iri, self.ids.key(iri)] for iri in iris],
                        )
                    )
                yield records
            finally:
                hold.close()  # rolls back: the lock goes, nothing was written

    def latest_totals(
        self, link: URIRef, holders: Collection[URIRef], amount: URIRef, period: URIRef
    ) -> dict[URIRef, float]:
        if not holders:
            return {}
        # One aggregation in the server: per holder its facts' (period, amount)
        # pairs, the latest period, and the sum of that period's amounts; only a
        # total per holder comes back. A literal whose datatype is not the
        # predicate's range is kept under the name with "^^datatype" appended
        # (property_graph.py), so both names are read.
        records = self._read(
            f"UNWIND $holders AS iri "
            f"MATCH (h:Resource {{iri: iri}})<-[:{_quote(self.mapping.name(link))}]-(f:Resource) "
            "WITH iri, f, "
            "coalesce(head([k IN keys(f) WHERE k = $period OR k STARTS WITH $period + $mark "
            "| toString(f[k])]), '') AS stated, "
            "coalesce(head([k IN keys(f) WHERE k = $amount OR k STARTS WITH $amount + $mark "
            "| toFloat(f[k])]), 0.0) AS number "
            "WITH iri, collect([stated, number]) AS facts "
            "WITH iri, facts, "
            "reduce(m = '', x IN facts | CASE WHEN x[0] > m THEN x[0] ELSE m END) AS latest "
            "RETURN iri, reduce(s = 0.0, x IN facts | "
            "CASE WHEN x[0] = latest THEN s + x[1] ELSE s END) AS total",
            holders=sorted({str(h) for h in holders}),
            period=self.mapping.name(period),
            amount=self.mapping.name(amount),
            mark=DATATYPE_MARK,
        )
        return {URIRef(r["iri"]): float(r["total"]) for r in records}

    # --- incoming references ------------------------------------------------

    def referrers(self, iris: Collection[URIRef]) -> list[tuple[URIRef, URIRef, URIRef]]:
        # Types are labels here, never relationships, so rdf:type cannot show up.
        records = self._read(
            "UNWIND $iris AS iri MATCH (s:Resource)-[r]->(o:Resource {iri: iri}) "
            "RETURN s.iri AS s, type(r) AS type, o.iri AS o",
            iris=sorted({str(i) for i in iris}),
        )
        return sorted(
            (URIRef(r["s"]), self.mapping.iri(r["type"]), URIRef(r["o"])) for r in records
        )

    # --- resources ----------------------------------------------------------

    def close(self) -> None:
        self.driver.close()

    def occupancy(self) -> tuple[int, int]:
        """How many elements (``:Resource`` nodes) and leases (syncs' and editors') the
        database holds: what an offline import, which replaces the database, must not lose."""
        records = self._read(
            "CALL () { MATCH (n:Resource) RETURN count(n) AS elements } "
            "CALL () { MATCH (l) WHERE l:JourneykgSyncLease OR l:JourneykgElementLease "
            "RETURN count(l) AS leases } RETURN elements, leases"
        )
        return records[0]["elements"], records[0]["leases"]

    def answers(self) -> bool:
        """Whether the server answers now (a new connection is made: none is kept)."""
        probe = GraphDatabase.driver(self.uri, auth=self._auth, **DRIVER_OPTIONS)
        try:
            probe.verify_connectivity()
        except _UNREACHABLE:
            return False
        finally:
            probe.close()
        return True

    def reopen(self, timeout: float) -> None:
        """Connect again once the server runs on other store files (graph/neo4j_offline_import.py).

        A new driver: the old one's pooled connections lead to the stopped server,
        and its bookmarks name transactions of the replaced database, which the new
        one would wait for. Waits up to ``timeout`` seconds for the server to
        answer, then makes the schema as opening the store does.
        """
        self.driver.close()
        self._connect()
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.driver.verify_connectivity()
                break
            except _UNREACHABLE:
                if time.monotonic() > deadline:
                    with self._errors():
                        raise
                time.sleep(0.2)
        with self._errors():
            self._make_schema()

    def check_ready(self) -> None:
        with self._errors():
            self.driver.verify_connectivity()

    # --- totals over paths (read only) ---------------------------------------

    #: Sum the costs reached along paths in journeykg's plugin (journeykg.reachedTotals)
    #: when it is installed; False asks the Cypher statement regardless (the tests and
    #: bench/picture_reached.py compare both).
    reached_in_server = True

    def reached_totals(
        self,
        roots: Collection[URIRef],
        paths: Sequence[Sequence[Hop]],
        link: URIRef,
        amount: URIRef,
        period: URIRef,
    ) -> ReachedTotals:
        wanted = sorted({str(r) for r in roots})
        if not wanted:
            return ReachedTotals({}, 0.0)
        if self.reached_in_server and self._server_totals.installed():
            # The walk and the sums in the server's core API: no row per (root, holder)
            # pair, which was most of the statement's time at 1M nodes (docs/benchmarks.md,
            # "The reached costs summed by the plugin").
            name = self.mapping.name
            in_server, overall = self._server_totals.totals(
                wanted,
                [[(name(p), inverse) for p, inverse in path] for path in paths],
                name(link),
                name(amount),
                name(period),
                DATATYPE_MARK,
            )
            return ReachedTotals(
                per_root={stored_iri(r): in_server.get(r, 0.0) for r in wanted},
                overall=overall,
            )
        # Followed and summed in the server, in one statement: the port's default
        # sends every reached node back (a 1M-node organisation's 240k touchpoints
        # and their processes) and then every holder to latest_totals. The pairs
        # (root, holder) are grouped by holder first, so each holder's latest total
        # is computed once however many roots reach it (a hub process: thousands),
        # and only holders with facts are summed; the overall total is the sum over
        # those holders, each once. Two statements that each summed per pair took
        # 7.5 s at 1M nodes (docs/benchmarks.md, "The picture computed at 1M").
        # Flat lists come back: the driver decodes a list item far faster than a record.
        reach = " UNION ".join(
            ["RETURN r AS h"]
            + [f"MATCH (r){self._path_pattern(path)}(h:Resource) RETURN h" for path in paths]
        )
        link_name = _quote(self.mapping.name(link))
        records = self._read(
            f"UNWIND $roots AS iri MATCH (r:Resource {{iri: iri}}) CALL (r) {{ {reach} }} "
            "WITH h, collect(iri) AS reaching "
            f"MATCH (h)<-[:{link_name}]-(f:Resource) "
            "WITH h, reaching, "
            "coalesce(head([k IN keys(f) WHERE k = $period OR k STARTS WITH $period + $mark "
            "| toString(f[k])]), '') AS stated, "
            "coalesce(head([k IN keys(f) WHERE k = $amount OR k STARTS WITH $amount + $mark "
            "| toFloat(f[k])]), 0.0) AS number "
            "WITH h, reaching, collect([stated, number]) AS facts "
            "WITH reaching, facts, "
            "reduce(m = '', x IN facts | CASE WHEN x[0] > m THEN x[0] ELSE m END) AS latest "
            "WITH reaching, reduce(s = 0.0, x IN facts | "
            "CASE WHEN x[0] = latest THEN s + x[1] ELSE s END) AS total "
            "WITH collect([reaching, total]) AS held, sum(total) AS overall "
            "UNWIND (CASE WHEN held = [] THEN [null] ELSE held END) AS row "
            "UNWIND (CASE WHEN row IS NULL THEN [null] ELSE row[0] END) AS root "
            "WITH overall, root, sum(row[1]) AS total "
            # The null row keeps one record when nothing was reached; collect skips nulls.
            "RETURN overall, collect(root) AS roots, "
            "collect(CASE WHEN root IS NULL THEN null ELSE total END) AS totals",
            roots=wanted,
            period=self.mapping.name(period),
            amount=self.mapping.name(amount),
            mark=DATATYPE_MARK,
        )
        found: dict[str, float] = {}
        overall = 0.0
        for record in records:
            overall = float(record["overall"] or 0.0)
            found.update(zip(record["roots"], map(float, record["totals"]), strict=True))
        return ReachedTotals(
            per_root={stored_iri(r): found.get(r, 0.0) for r in wanted},
            overall=overall,
        )

    def class_facts(self, cls: URIRef) -> dict[str, ElementFacts]:
        # element_facts of instances, in one statement: three flat lists in one
        # record (the driver decodes a list item far faster than a record).
        records = self._read(
            f"MATCH (n:{_quote(self.mapping.name(cls))}) "
            "RETURN collect(n.iri) AS iris, collect(labels(n)) AS labels, "
            "collect(properties(n)) AS props"
        )
        label_names = {self.mapping.name(RDFS.label), self.mapping.name(SKOS.prefLabel)}
        facts: dict[str, ElementFacts] = {}
        # Elements of a class mostly share their combination of labels: named once each.
        combinations: dict[tuple[str, ...], tuple[str, ...]] = {}
        for record in records:
            for iri, names, props in zip(
                record["iris"], record["labels"], record["props"], strict=True
            ):
                # As element_facts: every element here has a type, so none is a placeholder.
                labels: list[tuple[str, str | None]] = []
                for name, value in props.items():
                    if name in IDENTITY_PROPERTIES:
                        continue
                    base, lang = self.mapping.split_property_name(name)
                    if base in label_names:
                        for v in value if isinstance(value, list) else [value]:
                            labels.append((str(v), lang))
                combination = tuple(names)
                if combination not in combinations:
                    combinations[combination] = tuple(
                        str(self.mapping.iri(n)) for n in set(names) - {RESOURCE_LABEL}
                    )
                facts[iri] = (combinations[combination], tuple(labels))
        return facts

    def _path_pattern(self, path: Sequence[Hop]) -> str:
        """The Cypher pattern of ``path`` between its start and its end, e.g. ``<-[:A]-()``."""
        hops = [
            f"<-[:{_quote(self.mapping.name(p))}]-" if inverse
            else f"-[:{_quote(self.mapping.name(p))}]->"
            for p, inverse in path
        ]  # fmt: skip
        return "(:Resource)".join(hops)

    # --- the newest points of some series (read only) -------------------------

    #: Pick the newest points in journeykg's plugin (journeykg.newestPoints) when it is
    #: installed; False asks the Cypher statement regardless (the tests compare both).
    newest_in_server = True

    def newest_points(
        self,
        shape: SeriesShape,
        series: Collection[SeriesKey],
        measures: Sequence[URIRef],
        last: int,
    ) -> dict[tuple[URIRef, URIRef | None, URIRef], tuple[DatedPoint, ...]]:
        if last < 1:
            raise ValueError(f"newest_points: last must be at least 1, not {last}")
        if not series or not measures:
            return {}
        # By holder, not by series: a holder's facts are read once, whatever number
        # of its series (a contact reason's channels) is asked (8x fewer rows read for
        # the 480 series of a 1,010-record sync over 60 reasons).
        wanted: dict[str, list[str]] = defaultdict(list)
        for holder, channel in sorted(
            {(str(h), str(b) if b is not None else "") for h, b in series}
        ):
            wanted[holder].append(channel)
        if self.newest_in_server and self._server_newest.installed():
            name = self.mapping.name
            rows = self._server_newest.newest(
                list(wanted.items()),
                (
                    name(shape.kind),
                    name(shape.link),
                    name(shape.by),
                    name(shape.start),
                    name(shape.end),
                ),
                [name(m) for m in measures],
                DATATYPE_MARK,
                last,
            )
        else:
            rows = self._newest_by_statement(shape, wanted, measures, last)
        found: dict[tuple[URIRef, URIRef | None, URIRef], tuple[DatedPoint, ...]] = {}
        for holder, channel, measure, newest in rows:
            key = (
                stored_iri(holder),
                stored_iri(channel) if channel else None,
                measures[measure],
            )
            found[key] = tuple(
                DatedPoint(start, end, float(value), stored_iri(fact))
                for start, end, value, fact in reversed(newest)
            )
        return found

    def _newest_by_statement(
        self,
        shape: SeriesShape,
        wanted: Mapping[str, list[str]],
        measures: Sequence[URIRef],
        last: int,
    ) -> NewestRows:
        """:meth:`newest_points`' rows from one Cypher statement (without the plugin)."""
        # One statement: per series and measure, the fact of each start (the greatest
        # IRI of a start: the later key) and of those the `last` newest starts, each
        # as [start, end, value, fact] in plain values, newest first. Plain values:
        # decoding the facts into rdflib terms (as describe does) was most of this
        # read's time (0.5 of 0.74 s profiled, 1,010-record sync at 100k nodes). A
        # value whose datatype is not the predicate's range is kept under the name
        # with "^^datatype" appended (property_graph.py): both names are read, the
        # plain one directly and the others only where it holds nothing (a walk over
        # every fact's keys for each value was a third of this read at 1M nodes).
        link, by = (_quote(self.mapping.name(p)) for p in (shape.link, shape.by))
        value_of = (
            "CASE WHEN f[{name}] IS NOT NULL AND NOT f[{name}] IS :: LIST<ANY> THEN f[{name}] "
            "ELSE head([k IN keys(f) WHERE k STARTS WITH {name} + $mark "
            "AND NOT f[k] IS :: LIST<ANY> | f[k]]) END"
        )
        records = self._read(
            "UNWIND $holders AS h "
            f"MATCH (:Resource {{iri: h[0]}})<-[:{link}]-"
            f"(f:{_quote(self.mapping.name(shape.kind))}) "
            f"WITH h, f, coalesce(head([(f)-[:{by}]->(c:Resource) | c.iri]), '') AS by "
            "WHERE by IN h[1] "
            f"WITH [h[0], by] AS s, f, toString({value_of.format(name='$start')}) AS start, "
            f"toString({value_of.format(name='$end')}) AS end "
            "WHERE start IS NOT NULL AND end IS NOT NULL "
            "UNWIND range(0, size($measures) - 1) AS m "
            f"WITH s, m, f, start, end, {value_of.format(name='$measures[m]')} AS value "
            "WHERE value IS NOT NULL "
            "WITH s, m, start, max(f.iri) AS latest, collect([f.iri, end, value]) AS facts "
            "WITH s, m, start, [x IN facts WHERE x[0] = latest][0] AS fact "
            "ORDER BY start DESC "
            "WITH s, m, collect([start, fact[1], toFloat(fact[2]), fact[0]])[..$last] AS newest "
            "RETURN s, m, newest",
            holders=[[holder, channels] for holder, channels in wanted.items()],
            start=self.mapping.name(shape.start),
            end=self.mapping.name(shape.end),
            measures=[self.mapping.name(m) for m in measures],
            mark=DATATYPE_MARK,
            last=last,
        )
        return [(r["s"][0], r["s"][1], r["m"], r["newest"]) for r in records]

    # --- what the writes changed (Store.changes_since) ------------------------

    def changes_since(self, generation: str) -> Changes | None:
        records = self._read(change_log.chain_query(), generation=generation)
        return change_log.neo4j_changes_since(records, generation, self.mapping.iri)
