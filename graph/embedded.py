"""The embedded default backend: an rdflib Graph on an Oxigraph store, on disk.

Nothing to install or start: the data lives in a directory (default
``./.journeykg``) and survives restarts. Reads go through rdflib's Graph API
and Oxigraph's native SPARQL engine (oxrdflib hands queries straight to it);
writes are single SPARQL updates because Oxigraph applies one update
atomically, which is what makes a load all-or-nothing.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Generic, TypeVar

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.plugins.stores.memory import SimpleMemory
from rdflib.term import Node

from journeykg.graph.change_log import MOST_SUBJECTS, Changes, InstanceChangeLog
from journeykg.graph.model import WriteSummary
from journeykg.graph.oxigraph_files import OxigraphFiles
from journeykg.graph.relations import Relation
from journeykg.graph.store import (
    Capability,
    DatedPoint,
    EdgeRequest,
    Edges,
    ElementFacts,
    Facts,
    Progress,
    SeriesKey,
    SeriesShape,
    Store,
    require,
)
from journeykg.graph.stored_terms import stored_iri
from journeykg.namespaces import RDF, RDFS, SKOS, XSD

T = TypeVar("T")

DEFAULT = ox.DefaultGraph()
_TYPE = str(RDF.type)
_LABELS = frozenset({str(RDFS.label), str(SKOS.prefLabel)})
_OX_TYPE = ox.NamedNode(_TYPE)
_OX_LABELS = tuple(ox.NamedNode(p) for p in sorted(_LABELS))


#: Single-process (Oxigraph locks the directory), so not SHARED; walks in Python.
CAPABILITIES = frozenset({Capability.WRITABLE, Capability.LABEL_INDEX})
#: Opened read-only beside the process that holds the directory: never WRITABLE.
READ_ONLY_CAPABILITIES = CAPABILITIES - {Capability.WRITABLE}


class EmbeddedStore(Store):
    """journeykg on an Oxigraph store in ``directory`` (or in memory when it is None)."""

    name = "embedded"

    def __init__(self, directory: Path | None, base_iri: str, *, read_only: bool = False) -> None:
        """Open (or create) the store in ``directory``.

        ``read_only`` opens an existing store without taking its lock, beside
        the process that holds it (a server): it sees the store as it was
        when it was opened, and refuses every write.
        """
        super().__init__(base_iri)
        self.directory = directory
        self.read_only = read_only
        # One write at a time through this store (the only one open on its directory):
        # what a write looks up in the store before its update (apply) stays true until
        # the update is applied.
        self._write_lock = threading.RLock()
        # The generation (Store.generation): an in-process count suffices, because
        # the process that opened the store holds its directory's lock and is the
        # only one that can write it (a read-only open beside it sees the store as
        # it was and never writes). The instance's own token keeps a reopened
        # store's counts apart from the old ones.
        self._instance = uuid.uuid4().hex
        self._writes = 0
        # What each of the last writes changed (Store.changes_since), by write number.
        self._changes = InstanceChangeLog()
        self._files = OxigraphFiles(directory, self._use, read_only=read_only)

    def _use(self, store: ox.Store) -> None:
        """Read and write ``store`` from now on (at the start, and after a reopen)."""
        for old in (getattr(self, "_types", None), getattr(self, "_links", None)):
            if old is not None:
                old.stop()
        self.graph = Graph(store=OxigraphStore(store=store), identifier=DATASET_DEFAULT_GRAPH_ID)
        self._types = _Snapshot(store, _scan_types)
        self._links = _Snapshot(store, _scan_links)

    @property
    def _ox(self) -> ox.Store:
        return self._files.store

    @property
    def capabilities(self) -> frozenset[Capability]:
        return READ_ONLY_CAPABILITIES if self.read_only else CAPABILITIES

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """Wrap a write: one at a time; the in-memory snapshots are dropped before and after it.

        After a failed write the database is opened again first (or the fault is raised).
        """
        require(self, Capability.WRITABLE, "write", "it is open read-only beside its holder")
        with self._write_lock:
            try:
                self._files.recover()
                with self._types.writing(), self._links.writing():
                    yield
            finally:
                # After the write is applied (readers see it), failed or not: a
                # reader that reads the new generation then reads the new graph.
                self._writes += 1

    def generation(self) -> str:
        return f"{self._instance}.{self._writes}"

    def check_ready(self) -> None:
        # A write under way recovers by itself if it must; readiness does not wait for it.
        if self._write_lock.acquire(blocking=False):
            try:
                self._files.check()
            finally:
                self._write_lock.release()
        else:
            error = self._files.error()
            if error is not None:
                raise error

    # --- writing ----------------------------------------------------------

    def apply(
        self, delta: Graph, retract: Collection[URIRef] = (), progress: Progress | None = None
    ) -> WriteSummary:
        started = time.perf_counter()
        # Read once: len(graph) would scan it again, and so would every pass over it.
        triples: list[tuple[Node, Node, Node]] = list(delta.triples((None, None, None)))
        subjects = {s for s, _, _ in triples} | set(retract)
        if triples or retract:
            with self._writing():
                # Under the write lock: no other write can add to a subject found empty
                # here before the update below is applied.
                update = _apply_update(triples, retract, self._holds_anything)
                changes = self._links_before(subjects)
                # Oxigraph applies one update in one transaction: all of it or nothing.
                self._files.update(update)
                # Before the write's number moves (_writing): a reader of the new
                # generation finds its changes logged (or, failed, no entry: unknown).
                self._changes.record(self._writes + 1, changes)
        if progress is not None:
            progress(len(subjects), len(subjects))
        return WriteSummary(
            subjects=len(subjects), triples=len(triples), seconds=time.perf_counter() - started
        )

    def _holds_anything(self, subject: URIRef) -> bool:
        quads = self._ox.quads_for_pattern(ox.NamedNode(subject), None, None, DEFAULT)
        return next(quads, None) is not None

    def clear(self) -> None:
        with self._writing():
            self._files.update("CLEAR ALL")

    # --- reading ----------------------------------------------------------

    # The read primitives below go straight to pyoxigraph's index lookups: a
    # batched SPARQL VALUES query through rdflib costs far more per result
    # (query planning plus term conversion) than one pattern lookup per node.

    def describe(self, iris: Collection[URIRef]) -> Graph:
        # A context-free store: rdflib's default Memory store keeps a context
        # index per triple, which costs about half of every add and lookup.
        out = Graph(store=SimpleMemory())
        for iri in iris:
            for quad in self._ox.quads_for_pattern(ox.NamedNode(iri), None, None, DEFAULT):
                out.add((iri, _from_ox(quad.predicate), _from_ox(quad.object)))
        return out

    def describe_only(self, iris: Collection[URIRef], predicates: Collection[URIRef]) -> Graph:
        # describe's loop, the other predicates left out before their values become
        # rdflib terms (most of what a describe costs).
        # Compared as Oxigraph terms: reading each quad's predicate out as a Python
        # string cost more than the lookup.
        wanted = {ox.NamedNode(str(p)): stored_iri(str(p)) for p in predicates}
        out = Graph(store=SimpleMemory())
        # Into the memory store directly: Graph.add checks each term again (read out of
        # the store, they are terms already).
        add = out.store.add
        lookup, named = self._ox.quads_for_pattern, ox.NamedNode
        for iri in iris:
            for quad in lookup(named(iri), None, None, DEFAULT):
                predicate = wanted.get(quad.predicate)
                if predicate is not None:
                    add((iri, predicate, _from_ox(quad.object)), out)
        return out

    def export(self) -> Graph:
        out = Graph()
        for triple in self.graph.triples((None, None, None)):
            out.add(triple)
        return out

    def instances(self, cls: URIRef) -> list[URIRef]:
        quads = self._ox.quads_for_pattern(None, ox.NamedNode(_TYPE), ox.NamedNode(cls), DEFAULT)
        # key=str: rdflib's own order of IRIs, without its Python-level __lt__ per comparison.
        return sorted(
            (stored_iri(q.subject.value) for q in quads if isinstance(q.subject, ox.NamedNode)),
            key=str,
        )

    def pref_labelled(self, cls: URIRef, labels: Collection[Literal]) -> set[URIRef]:
        pref, typed, rdf_type = (
            ox.NamedNode(str(SKOS.prefLabel)),
            ox.NamedNode(str(cls)),
            ox.NamedNode(_TYPE),
        )
        found: set[URIRef] = set()
        for label in labels:
            term = ox.Literal(str(label), language=label.language) if label.language else None
            if term is None:
                term = ox.Literal(
                    str(label), datatype=ox.NamedNode(str(label.datatype or XSD.string))
                )
            for quad in self._ox.quads_for_pattern(None, pref, term, DEFAULT):
                subject = quad.subject
                if isinstance(subject, ox.NamedNode) and any(
                    self._ox.quads_for_pattern(subject, rdf_type, typed, DEFAULT)
                ):
                    found.add(URIRef(subject.value))
        return found

    # For the walk, types alone and labels alone (IRIs as plain strings) are
    # answered from the in-memory snapshots (types; neighbours and labels)
    # once they are built, else with one index lookup per node and
    # predicate, and only the quads asked for: fetching all of a node's
    # quads to pick out its types costs several times more (each quad is
    # materialised in Python). One SPARQL query per hop and rule (VALUES)
    # instead of a lookup per node was measured no faster (100k: 0.42 s
    # against 0.47 s for 5k nodes), and with two VALUES clauses (labels) a
    # hundred times slower.
    #
    # Only those two start building the snapshots (they are the walk's: many
    # elements, and more questions to come). Edges use a snapshot that is
    # ready, and both facts at once (a resolve) read the disk, so that a
    # writer that reads a little between its writes (a sync, a governance
    # step) does not set off a scan of the whole store each time.

    def element_facts(
        self, iris: Collection[str], want: Facts = Facts.ALL
    ) -> dict[str, ElementFacts]:
        if want == Facts.LABELS:
            return {iri: ((), found) for iri, found in self._labels_of(iris).items()}
        if want == Facts.TYPES:
            self._links.start(wait=False)  # the walk follows edges next
            return self._types_of(iris)
        return self._facts_on_disk(iris)

    def _facts_on_disk(self, iris: Collection[str]) -> dict[str, ElementFacts]:
        facts: dict[str, ElementFacts] = {}
        for iri in iris:
            quads = list(self._ox.quads_for_pattern(ox.NamedNode(iri), None, None, DEFAULT))
            if not quads:
                continue
            types: list[str] = []
            labels: list[tuple[str, str | None]] = []
            for quad in quads:
                predicate = quad.predicate.value
                if predicate == _TYPE and isinstance(quad.object, ox.NamedNode):
                    types.append(quad.object.value)
                elif predicate in _LABELS and isinstance(quad.object, ox.Literal):
                    labels.append((quad.object.value, quad.object.language))
            facts[iri] = (tuple(types), tuple(labels))
        return facts

    def edges(self, requests: Sequence[EdgeRequest]) -> Edges:
        links = self._links.ready()
        if links is None:
            return Edges(self._edges_on_disk(requests), {})
        out: list[list[tuple[str, str]]] = []
        for request in requests:
            predicate, nodes, inverse = request
            table = links.neighbours.get((str(predicate), inverse))
            if table is None:  # the snapshot holds the walk's predicates only
                out.extend(self._edges_on_disk([request]))
            else:
                out.append([(node, b) for node in nodes for b in table.get(node, ())])
        return Edges(out, {})

    def _edges_on_disk(self, requests: Sequence[EdgeRequest]) -> list[list[tuple[str, str]]]:
        lookup = self._ox.quads_for_pattern
        named = ox.NamedNode
        out: list[list[tuple[str, str]]] = []
        for predicate, nodes, inverse in requests:
            edge = named(predicate)
            if len(nodes) >= _SCAN_FROM:
                scanned = self._edges_by_scan(edge, nodes, inverse)
                if scanned is not None:
                    out.append(scanned)
                    continue
            edges: list[tuple[str, str]] = []
            for node in nodes:
                if inverse:
                    edges.extend(
                        (node, q.subject.value)
                        for q in lookup(None, edge, named(node), DEFAULT)
                        if isinstance(q.subject, ox.NamedNode)
                    )
                else:
                    edges.extend(
                        (node, q.object.value)
                        for q in lookup(named(node), edge, None, DEFAULT)
                        if isinstance(q.object, ox.NamedNode)
                    )
            out.append(edges)
        return out

    def _edges_by_scan(
        self, edge: ox.NamedNode, nodes: Collection[str], inverse: bool
    ) -> list[tuple[str, str]] | None:
        """The edges of many nodes from one pass over ``edge``'s quads (None: too many quads).

        One index lookup per node cost 85k lookups for the priorities of an
        80k-node organisation; one pass over the predicate reads each quad at
        a fraction of a lookup's cost, but only pays while the predicate has
        not many more quads than there are nodes: past that the pass stops
        and the lookups are made after all. Edges come grouped by node in
        the nodes' order, as the lookups give them.
        """
        wanted = set(nodes)
        found: dict[str, list[str]] = {}
        budget = _SCAN_QUADS_PER_NODE * len(wanted)
        for read, quad in enumerate(self._ox.quads_for_pattern(None, edge, None, DEFAULT)):
            if read >= budget:
                return None
            node, other = (quad.object, quad.subject) if inverse else (quad.subject, quad.object)
            if (
                isinstance(node, ox.NamedNode)
                and isinstance(other, ox.NamedNode)
                and node.value in wanted
            ):
                found.setdefault(node.value, []).append(other.value)
        return [(node, other) for node in nodes for other in found.get(node, ())]

    def _types_of(self, iris: Collection[str]) -> dict[str, ElementFacts]:
        """The rdf:types of each stored element among ``iris`` (empty for an untyped one)."""
        lookup = self._ox.quads_for_pattern
        named = ox.NamedNode
        index = self._types.get()
        found: dict[str, ElementFacts] = {}
        # Most elements share one of a handful of type combinations: so do their facts.
        shared: dict[tuple[str, ...], ElementFacts] = {}
        for iri in iris:
            if index is not None and iri in index:
                types = index[iri]
                facts = shared.get(types)
                if facts is None:
                    facts = shared[types] = (types, ())
                found[iri] = facts
                continue
            node = named(iri)
            types = (
                ()
                if index is not None  # the index has every typed subject: this one has none
                else tuple(
                    q.object.value
                    for q in lookup(node, _OX_TYPE, None, DEFAULT)
                    if isinstance(q.object, ox.NamedNode)
                )
            )
            # Without a type, one quad of any kind says the element is stored.
            if types or next(lookup(node, None, None, DEFAULT), None) is not None:
                found[iri] = (types, ())
        return found

    def _labels_of(self, iris: Collection[str]) -> dict[str, tuple[tuple[str, str | None], ...]]:
        """The (label, language)s of each element among ``iris`` that has a label."""
        links = self._links.get()
        if links is not None:
            indexed = links.labels
            return {iri: indexed[iri] for iri in iris if iri in indexed}
        return self._labels_on_disk(iris)

    def _labels_on_disk(
        self, iris: Collection[str]
    ) -> dict[str, tuple[tuple[str, str | None], ...]]:
        lookup = self._ox.quads_for_pattern
        named = ox.NamedNode
        found: dict[str, tuple[tuple[str, str | None], ...]] = {}
        for iri in iris:
            node = named(iri)
            labels = tuple(
                (q.object.value, q.object.language)
                for predicate in _OX_LABELS
                for q in lookup(node, predicate, None, DEFAULT)
                if isinstance(q.object, ox.Literal)
            )
            if labels:
                found[iri] = labels
        return found

    # --- incoming references ------------------------------------------------

    def latest_totals(
        self, link: URIRef, holders: Collection[URIRef], amount: URIRef, period: URIRef
    ) -> dict[URIRef, float]:
        if not holders:
            return {}
        # One aggregate in Oxigraph's own engine (pyoxigraph directly, not through
        # rdflib): a total per holder and period comes back, never a fact, and the
        # latest period is picked here. Measured at 80k nodes (20k costs): the
        # latest period found in the query as well (a sub-select joined back)
        # took 400 ms, these sums 190 ms. Many holders are matched by a set
        # here rather than a VALUES clause: joining 41k IRIs took longer than
        # summing every fact of the link.
        wanted = {str(h) for h in holders}
        query = _TOTALS_PER_PERIOD.format(
            values=(
                f"VALUES ?holder {{ {' '.join(f'<{h}>' for h in wanted)} }}"
                if len(wanted) <= _VALUES_AT_MOST
                else ""
            ),
            link=f"<{link}>",
            amount=f"<{amount}>",
            period=f"<{period}>",
        )
        solutions = self._ox.query(query)
        assert isinstance(solutions, ox.QuerySolutions)  # a SELECT
        latest: dict[str, tuple[str, float]] = {}
        for holder, when, total in solutions:
            if not (
                isinstance(holder, ox.NamedNode)
                and isinstance(when, ox.Literal)
                and isinstance(total, ox.Literal)
            ):
                continue
            if holder.value in wanted and when.value >= latest.get(holder.value, ("", 0.0))[0]:
                latest[holder.value] = (when.value, float(total.value))
        return {stored_iri(h): total for h, (_, total) in latest.items()}

    def referrers(self, iris: Collection[URIRef]) -> list[tuple[URIRef, URIRef, URIRef]]:
        found: list[tuple[URIRef, URIRef, URIRef]] = []
        for iri in set(iris):
            for quad in self._ox.quads_for_pattern(None, None, ox.NamedNode(iri), DEFAULT):
                if isinstance(quad.subject, ox.NamedNode) and quad.predicate.value != _TYPE:
                    found.append((URIRef(quad.subject.value), URIRef(quad.predicate.value), iri))
        return sorted(found)

    # --- resources ----------------------------------------------------------

    def build_type_index(self, *, wait: bool = True) -> None:
        """Start building the in-memory type index now (and wait for it), not at the next walk.

        The index is built by itself after every write; this is for callers
        that want it ready before their first question (a benchmark, a server
        that has just loaded data).
        """
        self._types.start(wait=wait)

    def build_indexes(self, *, wait: bool = True) -> None:
        """:meth:`build_type_index`, then the index of neighbours and labels (slower: ~4x)."""
        self._types.start(wait=wait)
        self._links.start(wait=wait)

    def close(self) -> None:
        # Oxigraph holds a lock on the directory until its last reference is gone,
        # and a running index build holds one.
        self._types.stop()
        self._links.stop()
        self.graph.close()
        self._files.close()

    # --- the newest points of some series (read only) -------------------------

    def newest_points(
        self,
        shape: SeriesShape,
        series: Collection[SeriesKey],
        measures: Sequence[URIRef],
        last: int,
    ) -> dict[tuple[URIRef, URIRef | None, URIRef], tuple[DatedPoint, ...]]:
        if last < 1:
            raise ValueError(f"newest_points: last must be at least 1, not {last}")
        wanted = set(series)
        if not wanted or not measures:
            return {}
        # Oxigraph's own indexes (pyoxigraph, not rdflib): the facts linked to each holder,
        # then each fact's statements, as plain values; the newest are picked here. The
        # port's default reads the same facts as rdflib terms (3-4x the CPU at 100k nodes),
        # and one SPARQL query of the same join took 19 s at 1M nodes (its plan scanned).
        link, by, kind = (ox.NamedNode(str(p)) for p in (shape.link, shape.by, shape.kind))
        start_p, end_p = str(shape.start), str(shape.end)
        wanted_measures = {str(m): i for i, m in enumerate(measures)}
        store = self._ox
        facts: dict[str, tuple[SeriesKey, str, str, list[ox.Literal | None]]] = {}
        for holder in sorted({str(h) for h, _ in wanted}):
            for link_quad in store.quads_for_pattern(None, link, ox.NamedNode(holder), DEFAULT):
                fact = link_quad.subject
                if not isinstance(fact, ox.NamedNode) or fact.value in facts:
                    continue
                read = _fact_values(store, fact, kind, by, start_p, end_p, wanted_measures)
                if read is None:
                    continue
                channel, start, end, counts = read
                key = (stored_iri(holder), stored_iri(channel) if channel is not None else None)
                if key in wanted:
                    facts[fact.value] = (key, start, end, counts)
        grouped: dict[tuple[URIRef, URIRef | None, URIRef], dict[str, DatedPoint]] = defaultdict(
            dict
        )
        # In IRI order, so that of two facts with one start the later key is kept.
        for node in sorted(facts):
            key, start, end, counts = facts[node]
            for measure, count in zip(measures, counts, strict=True):
                if isinstance(count, ox.Literal):
                    grouped[(*key, measure)][start] = DatedPoint(
                        start, end, _as_float(count), stored_iri(node)
                    )
        return {k: tuple(sorted(points.values()))[-last:] for k, points in grouped.items()}

    # --- what the writes changed (Store.changes_since) ------------------------

    def changes_since(self, generation: str) -> Changes | None:
        instance, _, written = generation.partition(".")
        if instance != self._instance or not written.isdigit():
            return None  # another instance's (a reopened store's) or not a generation
        return self._changes.since(int(written), self._writes)

    def _links_before(self, subjects: Collection[Node]) -> Changes | None:
        """The subjects with their stored edges before the write (None: a blank node, or too
        many subjects to read: the write is logged as unknown)."""
        if len(subjects) > MOST_SUBJECTS or not all(isinstance(s, URIRef) for s in subjects):
            return None
        links = set()
        for subject in subjects:
            for quad in self._ox.quads_for_pattern(ox.NamedNode(str(subject)), None, None, DEFAULT):
                if isinstance(quad.object, ox.NamedNode):
                    links.add((stored_iri(quad.predicate.value), stored_iri(quad.object.value)))
        return Changes(frozenset(URIRef(str(s)) for s in subjects), frozenset(links))


#: A snapshot's scan: reads the store (checking ``stale`` as it goes) into one value.
Scan = Callable[[ox.Store, Callable[[], bool]], T]


#: Store.latest_totals: per holder and period (its text; none is "") the sum of the
#: amounts as doubles (what float() of each gives in Python). The double is read from
#: the lexical form: Oxigraph's own decimal keeps 18 digits after the point and
#: refuses a longer one, which Python's float() rounds.
_TOTALS_PER_PERIOD = """
SELECT ?holder ?when (SUM(?number) AS ?total) WHERE {{
  {values}
  ?fact {link} ?holder .
  FILTER(isIRI(?fact))
  OPTIONAL {{ ?fact {period} ?stated }}
  BIND(COALESCE(STR(?stated), "") AS ?when)
  OPTIONAL {{ ?fact {amount} ?given }}
  BIND(COALESCE(<http://www.w3.org/2001/XMLSchema#double>(STR(?given)), 0.0e0) AS ?number)
}} GROUP BY ?holder ?when
"""
#: From this many nodes, an edge request is first tried as one pass over its predicate.
_SCAN_FROM = 2000
#: ... which stops (and the nodes are looked up one by one) after this many quads per node.
_SCAN_QUADS_PER_NODE = 4
#: Up to this many holders are named in the query; more are picked out of every total.
_VALUES_AT_MOST = 2000


class _StaleScanError(Exception):
    """A scan noticed that a write began or ended, or that the store is closing."""


class _Snapshot(Generic[T]):
    """A value computed from the whole store by one sequential scan, in memory, never stale.

    A walk needs the class of every element it reaches, its neighbours along
    every rule and, for the answer, its labels; on disk each is one index
    lookup per element (20 µs idle, 100-160 µs under load: seconds for an
    answer of 10k elements). A snapshot reads them all with one scan per
    predicate, in a background thread so that no question waits for it:
    until it is ready, callers get None and look up per element as before.

    Never stale: every write drops the snapshot before and after it is
    applied, and a build only installs its result when no write began or
    ended while it scanned (a generation counter), so a scan that may have
    seen a half-applied write is thrown away. After each write the next walk
    starts the rebuild.
    """

    def __init__(self, store: ox.Store, scan: Scan[T]) -> None:
        self._ox: ox.Store | None = store
        self._scan = scan
        self._lock = threading.Lock()
        self._index: T | None = None
        self._generation = 0
        self._builder: threading.Thread | None = None
        self._stopping = False

    def get(self) -> T | None:
        """The snapshot when it is ready; else None, and a build is started."""
        index = self._index
        if index is None:
            self.start(wait=False)
        return index

    def ready(self) -> T | None:
        """The snapshot when it is ready; else None (and no build is started)."""
        return self._index

    def start(self, *, wait: bool) -> None:
        """Build the snapshot unless it is ready or under way; with ``wait``, until it is ready."""
        with self._lock:
            builder = self._builder
            if self._index is None and not self._stopping and builder is None:
                builder = self._builder = threading.Thread(
                    target=self._build, args=(self._generation,), daemon=True
                )
                builder.start()
        if wait and builder is not None:
            builder.join()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Wrap a write: the snapshot is dropped before it and after it."""
        self._invalidate()
        try:
            yield
        finally:
            self._invalidate()

    def _invalidate(self) -> None:
        with self._lock:
            self._generation += 1
            self._index = None

    def stop(self) -> None:
        """Stop a build under way and let go of the store (it is closing)."""
        with self._lock:
            self._stopping = True
            builder = self._builder
        if builder is not None:
            builder.join()
        self._ox = None
        self._index = None

    def _build(self, generation: int) -> None:
        def stale() -> bool:
            return self._stopping or self._generation != generation

        try:
            if self._ox is None:
                return
            try:
                index = self._scan(self._ox, stale)
            except _StaleScanError:
                return
            with self._lock:
                if not stale():
                    self._index = index
        finally:
            with self._lock:
                self._builder = None


#: Quads read between checks of whether a scan should stop.
_CHUNK = 10_000


def _scanned(
    store: ox.Store, predicate: ox.NamedNode, stale: Callable[[], bool]
) -> Iterator[ox.Quad]:
    """Every quad of ``predicate`` in the default graph; raises once ``stale()``."""
    for read, quad in enumerate(store.quads_for_pattern(None, predicate, None, DEFAULT)):
        if read % _CHUNK == 0 and stale():
            raise _StaleScanError
        yield quad


def _scan_types(store: ox.Store, stale: Callable[[], bool]) -> dict[str, tuple[str, ...]]:
    """The rdf:types of every typed subject."""
    index: dict[str, tuple[str, ...]] = {}
    # Most elements have the same one or two types: share those tuples.
    shared: dict[tuple[str, ...], tuple[str, ...]] = {}
    for quad in _scanned(store, _OX_TYPE, stale):
        subject, kind = quad.subject, quad.object
        if isinstance(subject, ox.NamedNode) and isinstance(kind, ox.NamedNode):
            types = (*index.get(subject.value, ()), kind.value)
            index[subject.value] = shared.setdefault(types, types)
    return index


@dataclass(frozen=True, slots=True)
class _Links:
    """What a walk reads besides types: neighbours along the rules' predicates, and labels."""

    #: (predicate, inverse) -> node -> its neighbours (IRIs, both ends named).
    neighbours: dict[tuple[str, bool], dict[str, tuple[str, ...]]]
    #: Element -> its (label, language)s under rdfs:label and skos:prefLabel.
    labels: dict[str, tuple[tuple[str, str | None], ...]]


def _scan_links(store: ox.Store, stale: Callable[[], bool]) -> _Links:
    """Both directions of every predicate a rule follows, and every label."""
    # One string object per IRI however often it occurs: at 1M nodes the
    # same IRIs appear as keys and values millions of times.
    names: dict[str, str] = {}
    intern = names.setdefault
    neighbours: dict[tuple[str, bool], dict[str, tuple[str, ...]]] = {}
    for predicate in sorted({str(relation.predicate) for relation in Relation}):
        forward: dict[str, list[str]] = defaultdict(list)
        backward: dict[str, list[str]] = defaultdict(list)
        for quad in _scanned(store, ox.NamedNode(predicate), stale):
            subject, target = quad.subject, quad.object
            if isinstance(subject, ox.NamedNode) and isinstance(target, ox.NamedNode):
                a, b = intern(subject.value, subject.value), intern(target.value, target.value)
                forward[a].append(b)
                backward[b].append(a)
        neighbours[predicate, False] = {node: tuple(found) for node, found in forward.items()}
        neighbours[predicate, True] = {node: tuple(found) for node, found in backward.items()}
    labels: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    for label_predicate in _OX_LABELS:
        for quad in _scanned(store, label_predicate, stale):
            subject, text = quad.subject, quad.object
            if isinstance(subject, ox.NamedNode) and isinstance(text, ox.Literal):
                labels[intern(subject.value, subject.value)].append((text.value, text.language))
    return _Links(neighbours, {element: tuple(found) for element, found in labels.items()})


#: rdflib terms of the Oxigraph terms read lately. Building an rdflib term checks it again
#: (an IRI's characters, a literal's value cast to Python: ~10-90 us each), and reads meet
#: the same predicates, classes, channels and years over and over. Bounded: cleared when full.
_FROM_OX: dict[ox.NamedNode | ox.BlankNode | ox.Literal, Node] = {}
_FROM_OX_MAX = 200_000


def _from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    if isinstance(term, ox.Triple):
        raise TypeError(f"RDF-star triples are not supported: {term}")
    found = _FROM_OX.get(term)
    if found is None:
        found = _convert(term)
        if len(_FROM_OX) >= _FROM_OX_MAX:
            _FROM_OX.clear()
        _FROM_OX[term] = found
    return found


def _convert(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return BNode(term.value)


def _fact_values(
    store: ox.Store,
    fact: ox.NamedNode,
    kind: ox.NamedNode,
    by: ox.NamedNode,
    start_p: str,
    end_p: str,
    measures: dict[str, int],
) -> tuple[str | None, str, str, list[ox.Literal | None]] | None:
    """A series fact's channel, start, end and counts (the first of each, as describe's
    value() gives one); None unless it is typed ``kind`` with a literal start and end."""
    typed, channel, start, end = False, None, None, None
    counts: list[ox.Literal | None] = [None] * len(measures)
    for quad in store.quads_for_pattern(fact, None, None, DEFAULT):
        predicate, value = quad.predicate.value, quad.object
        if predicate == _TYPE:
            typed = typed or value == kind
        elif predicate == by.value:
            channel = channel or value
        elif predicate == start_p:
            start = start or value
        elif predicate == end_p:
            end = end or value
        elif predicate in measures and isinstance(value, ox.Literal):
            counts[measures[predicate]] = counts[measures[predicate]] or value
    if not (typed and isinstance(start, ox.Literal) and isinstance(end, ox.Literal)):
        return None
    linked = channel.value if isinstance(channel, ox.NamedNode) else None
    return linked, start.value, end.value, counts


def _as_float(value: ox.Literal) -> float:
    """``float()`` of the value as rdflib reads it (the port's default does so)."""
    try:
        return float(value.value)
    except ValueError:  # not a plain number (a boolean): as rdflib's toPython() gives it
        return float(Literal(value.value, datatype=URIRef(value.datatype.value)))


@lru_cache(maxsize=1 << 16)
def _n3(term: Node) -> str:
    # Cached: a write names each subject and predicate once per triple, and rdflib checks
    # the term again on every n3() (~5 us).
    return term.n3()


def _apply_update(
    delta: Sequence[tuple[Node, Node, Node]],
    retract: Collection[URIRef],
    holds_anything: Callable[[URIRef], bool] | None = None,
) -> str:
    """One SPARQL update: drop the retracted subjects, replace the delta's (s, p) pairs, insert.

    With ``holds_anything``, the pairs of subjects that hold nothing in the store are left
    out of the delete: there is nothing to replace (a first sync writes only such subjects,
    and Oxigraph's matching of ~140k (s, p) pairs was a third of its time on the update).
    """
    parts: list[str] = []
    gone = set(retract)
    if gone:
        # Sorted as text, not as terms: the order changes nothing but costs less so.
        values = " ".join(sorted(_n3(i) for i in gone))
        parts.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {values} }} ?s ?p ?o }}")
    # Subjects whose (s, p) pairs need no delete: retracted whole, or holding nothing.
    unpaired: set[Node] = set(gone)
    if holds_anything is not None:
        unpaired.update(
            s
            for s in {s for s, _, _ in delta}
            if isinstance(s, URIRef) and s not in unpaired and not holds_anything(s)
        )
    pairs = {(s, p) for s, p, _ in delta if s not in unpaired}
    if pairs:
        deletes = " ".join(sorted(f"({_n3(s)} {_n3(p)})" for s, p in pairs))
        parts.append(f"DELETE {{ ?s ?p ?o }} WHERE {{ VALUES (?s ?p) {{ {deletes} }} ?s ?p ?o }}")
    if delta:
        inserts = " .\n".join(f"{_n3(s)} {_n3(p)} {_n3(o)}" for s, p, o in delta)
        parts.append(f"INSERT DATA {{ {inserts} }}")
    return " ;\n".join(parts)
