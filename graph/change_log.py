"""What the writes after a generation changed: the subjects, and what they linked to before.

:meth:`.Store.changes_since` answers from a short log of the last writes,
kept where the generation is kept: in the embedded store's instance (the
generation carries the instance), and in the Neo4j database itself, written
in each write's own transaction by :func:`bump_and_record` (which also moves
the generation), so that another process's write (a CLI sync beside the
server) is in the log the moment its generation is visible.

A write records its subjects (retracted or written) and, for each, the edges
it had before the write (predicate and object, ``rdf:type`` included): a
question kept per generation (the lifecycle picture, :mod:`.lifecycle_kept`)
needs both the old and the new links of what changed to know what it may
have affected. A write of more than :data:`MOST_SUBJECTS` subjects (a bulk
load's batch) records only that it happened; so does a write of a blank
node. Then, and whenever the log cannot vouch for every write since the
generation asked about (a clear, a write older than the last
:data:`KEEP_WRITES`, another instance, a generation moved by a tool outside
the store), the answer is None: not known, compute everything again.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TYPE_CHECKING, Any, LiteralString

from rdflib import URIRef

if TYPE_CHECKING:
    from neo4j import ManagedTransaction

#: The writes the log keeps: a reader further behind computes everything again.
KEEP_WRITES = 128
#: A write of more subjects records only that it happened (a bulk load's batch:
#: reading every subject's old edges would cost the load a second read). As many as
#: the Neo4j small write's (``SMALL_WRITE_ROWS``), whose read of the rewritten
#: subjects the log shares: a 1,000-record CRM sync is logged, and the picture after
#: it updated rather than computed again (at 500, it was not).
MOST_SUBJECTS = 5_000


@dataclass(frozen=True)
class Changes:
    """The subjects the writes since a generation changed, and the edges they had before.

    ``links_before``: each subject's stored ``(predicate, object)`` resources just
    before the write that changed it (``rdf:type`` and its class included); over
    several writes, the union. Their edges after the writes are in the store.
    """

    subjects: frozenset[URIRef]
    links_before: frozenset[tuple[URIRef, URIRef]]

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.subjects | other.subjects, self.links_before | other.links_before)


NO_CHANGES = Changes(frozenset(), frozenset())


def united(changes: Iterable[Changes | None]) -> Changes | None:
    """Every write's changes together; None if any one is unknown."""
    total = NO_CHANGES
    for one in changes:
        if one is None:
            return None
        total = total | one
    return total


class InstanceChangeLog:
    """The last writes of one store instance, by write number (the embedded store's log)."""

    def __init__(self, keep: int = KEEP_WRITES) -> None:
        self._entries: deque[tuple[int, Changes | None]] = deque(maxlen=keep)
        self._lock = threading.Lock()

    def record(self, write: int, changes: Changes | None) -> None:
        """Write number ``write`` changed ``changes`` (None: unknown)."""
        with self._lock:
            self._entries.append((write, changes))

    def since(self, write: int, now: int) -> Changes | None:
        """What writes ``write + 1`` .. ``now`` changed; None unless every one is in the log."""
        if write == now:
            return NO_CHANGES
        if write > now:
            return None
        with self._lock:
            entries = dict(self._entries)
        wanted = range(write + 1, now + 1)
        if any(n not in entries for n in wanted):
            return None
        return united(entries[n] for n in wanted)


# --- Neo4j: the log in the database -------------------------------------------------------

#: What the subjects' nodes hold just before a write, read in its transaction: labels,
#: property names and outgoing edges (type, target IRI).
_STORED: LiteralString = (
    "UNWIND $iris AS iri MATCH (n:Resource {iri: iri}) "
    "RETURN n.iri AS iri, labels(n) AS labels, keys(n) AS keys, "
    "[(n)-[r]->(o:Resource) | [type(r), o.iri]] AS rels"
)

#: Moves the generation and records the write, in one statement of the write's own
#: transaction. The generation node is locked first (``changeLock``) and only then is
#: its value read, so two writers can never both record the same value as their
#: ``before`` (Neo4j's documented way to avoid a lost update); every record carries
#: the value before and after, so a reader follows an unbroken chain or gets None.
_BUMP_AND_RECORD: LiteralString = (
    "MERGE (g:JourneykgGeneration {id: 'graph'}) "
    "SET g.changeLock = true "
    "WITH g, g.value AS before, coalesce(g.changeSeq, 0) + 1 AS seq "
    "SET g.value = randomUUID(), g.changeSeq = seq "
    "REMOVE g.changeLock "
    "CREATE (c:JourneykgChange {seq: seq, before: before, after: g.value, known: $known, "
    "subjects: $subjects, types: $types, links: $links}) "
    "WITH seq "
    "OPTIONAL MATCH (old:JourneykgChange) WHERE old.seq <= seq - $keep "
    "DELETE old"
)

#: The chain of records from the one that starts at ``$generation``, and the generation now.
_CHAIN: LiteralString = (
    "MATCH (g:JourneykgGeneration {id: 'graph'}) "
    "OPTIONAL MATCH (first:JourneykgChange {before: $generation}) "
    "WITH g, min(first.seq) AS start "
    "OPTIONAL MATCH (c:JourneykgChange) WHERE c.seq >= start "
    "WITH g, c ORDER BY c.seq "
    "RETURN g.value AS now, collect([c.seq, c.before, c.after, c.known]) AS chain, "
    "collect(c.subjects) AS subjects, collect(c.types) AS types, collect(c.links) AS links"
)


@dataclass(frozen=True)
class StoredNode:
    """What one subject's node holds before a write."""

    labels: set[str]
    keys: set[str]
    edges: list[tuple[str, str]]
    """Its outgoing edges: type and target IRI."""


def stored_nodes(tx: ManagedTransaction, iris: Sequence[str]) -> dict[str, StoredNode]:
    """What the nodes of ``iris`` hold now, in ``tx`` (absent ones left out).

    One read serves the log (:func:`links_before`) and the small write's difference
    (graph/neo4j_small_write.py), which needs the same labels and edges: a sync's
    1,000 rewritten aggregates are read once, not once for each.
    """
    if not iris:
        return {}
    return {
        record["iri"]: StoredNode(
            set(record["labels"]), set(record["keys"]), [(t, o) for t, o in record["rels"]]
        )
        for record in tx.run(_STORED, iris=list(iris))
    }


@dataclass(frozen=True)
class LinksBefore:
    """What the log records of the subjects before a write: label names and
    ``[type, object]`` pairs, flattened."""

    types: list[str]
    links: list[str]


def links_before(stored: Mapping[str, StoredNode]) -> LinksBefore:
    """The labels and edges of the written subjects' nodes (:func:`stored_nodes`)."""
    types: set[str] = set()
    links: set[tuple[str, str]] = set()
    for node in stored.values():
        types.update(node.labels)
        links.update(node.edges)
    return LinksBefore(sorted(types), [x for pair in sorted(links) for x in pair])


def bump_and_record(
    tx: ManagedTransaction, subjects: Collection[str], before: LinksBefore | None
) -> None:
    """Move the graph's generation and log what this write changed, in its transaction.

    ``before``: what :func:`links_before` read at the start of the write (None:
    the write records only that it happened).
    """
    known = before is not None and len(subjects) <= MOST_SUBJECTS
    tx.run(
        _BUMP_AND_RECORD,
        known=known,
        subjects=sorted(subjects) if known else [],
        types=before.types if known and before is not None else [],
        links=before.links if known and before is not None else [],
        keep=KEEP_WRITES,
    ).consume()


def neo4j_changes_since(records: list[Any], generation: str, iri_of: Any) -> Changes | None:
    """:meth:`.Store.changes_since` from the answer of :data:`_CHAIN` (``iri_of``: a name's IRI)."""
    if not records:
        return None
    record = records[0]
    if record["now"] == generation:
        return NO_CHANGES
    chain = [c for c in record["chain"] if c[0] is not None]
    if not chain or chain[0][1] != generation or chain[-1][2] != record["now"]:
        return None
    for (seq, _before, after, _known), (next_seq, next_before, _, _) in pairwise(chain):
        if next_seq != seq + 1 or next_before != after:
            return None  # a write the log missed (a clear, a tool outside the store)
    if not all(c[3] for c in chain):
        return None
    subjects = {URIRef(s) for names in record["subjects"] for s in names}
    type_iri = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    links = {(type_iri, iri_of(t)) for names in record["types"] for t in names if t != "Resource"}
    for flat in record["links"]:
        links.update(
            (iri_of(kind), URIRef(obj)) for kind, obj in zip(flat[::2], flat[1::2], strict=True)
        )
    return Changes(frozenset(subjects), frozenset(links))


def chain_query() -> LiteralString:
    """The statement :func:`neo4j_changes_since` reads (one read transaction)."""
    return _CHAIN
