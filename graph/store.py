"""The narrow port every journeykg store implements, and the capabilities each declares.

A backend implements the primitives below: one atomic write, describe,
export, instances, element facts, one batched edge lookup, referrers,
latest-period totals of facts (summed in the store; :meth:`Store.reached_totals`
sums them over paths), close and readiness.
The questions (resolve an id, the impact of a change, which concepts a
label names) are functions over these primitives, in the graph
modules named for what they answer (:mod:`~journeykg.graph.elements`,
:mod:`~journeykg.graph.impact`, :mod:`~journeykg.graph.concepts`, ...):
answered once for every backend, so that the backends cannot drift apart.

What only some stores can do is a declared :class:`Capability`, as rdflib's
stores declare theirs: code that needs one checks it with :func:`require`
before it does anything, and a store without it refuses the methods bound
to it by name (:class:`~journeykg.graph.errors.MissingCapabilityError`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from enum import Enum, Flag, auto
from typing import NamedTuple, final

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.stores.memory import SimpleMemory

from journeykg.graph.change_log import Changes
from journeykg.graph.errors import MissingCapabilityError
from journeykg.graph.model import ElementRef, WriteSummary
from journeykg.graph.relations import Rule
from journeykg.graph.stored_terms import stored_iri
from journeykg.graph.walk_state import WalkState
from journeykg.ids import Identifiers
from journeykg.namespaces import RDFS, SKOS

#: Called after each written batch with (done, total) subjects.
Progress = Callable[[int, int], None]

#: The predicates an element's labels are read from, by every backend.
LABEL_PREDICATES = (RDFS.label, SKOS.prefLabel)


class Capability(Enum):
    """What a store can do beyond the port's primitives; a store declares the ones it has."""

    WRITABLE = "writable"
    """:meth:`Store.apply` and :meth:`Store.clear` change the store."""
    SHARED = "shared between processes"
    """Several processes open the store at once; :meth:`Store.lease` keeps them apart."""
    SERVER_WALK = "server-side walk"
    """:meth:`Store.server_walk` takes a whole impact walk in one call to the server."""
    LABEL_INDEX = "label index"
    """:meth:`Store.pref_labelled` finds elements by label without reading every candidate."""
    BATCHED_WRITE = "batched write"
    """A large write may commit in batches of whole subjects, each atomic and resumable
    (:mod:`journeykg.graph.neo4j_bulk`); without it a write is one transaction."""


class LeaseScope(Enum):
    """What a lease keeps other processes from doing at the same time."""

    SYNC = "sync"
    """Syncing one source (keyed by the source's name)."""
    ELEMENT = "element"
    """Governing one element (keyed by its IRI)."""


class Facts(Flag):
    """Which facts :meth:`Store.element_facts` reads."""

    TYPES = auto()
    LABELS = auto()
    ALL = TYPES | LABELS


#: An element's rdf:types (IRIs) and its labels as (text, language or None). Tuples, so
#: that a store may hand out the ones it keeps without copying; a plain pair, not a
#: NamedTuple, because the walk makes one per element (10x cheaper to build).
ElementFacts = tuple[tuple[str, ...], tuple[tuple[str, str | None], ...]]


class EdgeRequest(NamedTuple):
    """One predicate to follow from some nodes: forward (``node p neighbour``) or inverse."""

    predicate: str
    nodes: Collection[str]
    inverse: bool = False


class Hop(NamedTuple):
    """One step of a path: a predicate followed forward (``node p next``) or inverse."""

    predicate: URIRef
    inverse: bool = False


class ReachedTotals(NamedTuple):
    """What :meth:`Store.reached_totals` found: a total per root, and over all roots."""

    per_root: dict[URIRef, float]
    overall: float


class SeriesShape(NamedTuple):
    """How dated facts form series: facts typed ``kind``, linked to a holder by ``link``,
    split by the optional ``by`` (a channel), each dated ``start``..``end``."""

    kind: URIRef
    link: URIRef
    by: URIRef
    start: URIRef
    end: URIRef


#: One series of a :class:`SeriesShape`: the holder and the ``by`` value (None: without one).
SeriesKey = tuple[URIRef, URIRef | None]


class DatedPoint(NamedTuple):
    """One period of a series as :meth:`Store.newest_points` gives it: the lexical start and
    end, the value as a double, and the fact it was read from."""

    start: str
    end: str
    value: float
    node: URIRef


class Edges(NamedTuple):
    """What :meth:`Store.edges` found: the edges of each request, and types learned on the way."""

    #: Per request, in its order: the edges ``(node, neighbour)``.
    found: list[list[tuple[str, str]]]
    #: rdf:types of neighbours the store had in hand, as :meth:`Store.element_facts`
    #: gives them; only neighbours with at least one type, possibly none at all.
    types: dict[str, tuple[str, ...]]


class Store(ABC):
    """A journeykg graph: the embedded default, Neo4j, or a view over one of them."""

    name: str = "store"

    def __init__(self, base_iri: str) -> None:
        self.ids = Identifiers(base_iri)

    @property
    @abstractmethod
    def capabilities(self) -> frozenset[Capability]:
        """What this store can do beyond the primitives (see :class:`Capability`)."""

    # --- writing ----------------------------------------------------------

    @abstractmethod
    def apply(
        self, delta: Graph, retract: Collection[URIRef] = (), progress: Progress | None = None
    ) -> WriteSummary:
        """Retract whole subjects and write a delta in ONE transaction: all of it, or nothing.

        First every stored triple whose subject is in ``retract`` goes, then
        ``delta`` is written: for every (subject, predicate) pair in it, the
        stored values are replaced by the delta's, so that writing the same
        delta twice leaves the store as the first write did. A subject both
        retracted and written ends up with exactly the delta's triples: that
        is how a sync replaces a record it owns. Needs :attr:`Capability.WRITABLE`.
        """

    @final
    def upsert(self, delta: Graph, progress: Progress | None = None) -> WriteSummary:
        """:meth:`apply` with nothing retracted."""
        return self.apply(delta, (), progress)

    @final
    def retract(self, iris: Collection[URIRef]) -> None:
        """:meth:`apply` with nothing written: every triple whose subject is in ``iris`` goes."""
        self.apply(Graph(), iris)

    @abstractmethod
    def clear(self) -> None:
        """Remove everything; not necessarily in one transaction (see the backends)."""

    @abstractmethod
    def generation(self) -> str:
        """A value that every write to the graph changes, and nothing else changes.

        Answers computed from the graph may be kept under it
        (:mod:`journeykg.api.answer_cache`): an answer kept under the value
        read *before* it was computed is never older than that value. So a
        backend changes it only once a write is visible to readers (in the
        write's own transaction, or after it commits), on every :meth:`apply`
        and :meth:`clear`, successful or not; and two different states of
        the graph never share a value, also after the store is reopened.
        Shared stores keep it where every process sees it.
        """

    # --- reading ----------------------------------------------------------

    @abstractmethod
    def describe(self, iris: Collection[URIRef]) -> Graph:
        """All stored triples whose subject is one of ``iris``."""

    def describe_only(self, iris: Collection[URIRef], predicates: Collection[URIRef]) -> Graph:
        """The stored triples whose subject is one of ``iris`` and predicate one of ``predicates``.

        :meth:`describe` cut down; a backend that can leave the other statements out
        before they become rdflib terms does so (Neo4j: the signal rules read six of a
        contact volume's fifteen statements, for every volume, after every sync).
        """
        wanted = set(predicates)
        out = Graph(store=SimpleMemory())
        add = out.store.add
        for s, p, o in self.describe(iris):
            if p in wanted:
                add((s, p, o), out)
        return out

    @abstractmethod
    def export(self) -> Graph:
        """Every stored triple."""

    @abstractmethod
    def instances(self, cls: URIRef) -> list[URIRef]:
        """Every element typed ``cls`` (no subclass reasoning), sorted."""

    # The two primitives below serve the impact walk, which touches every
    # element and edge of an answer that can hold hundreds of thousands of
    # them: they take and give IRIs as plain strings (an rdflib term per IRI
    # costs more than the lookup itself), and read only the facts asked for.

    @abstractmethod
    def element_facts(
        self, iris: Collection[str], want: Facts = Facts.ALL
    ) -> dict[str, ElementFacts]:
        """The facts ``want`` names of each element among ``iris`` the store holds.

        Held means some triple has the element as subject: one that is only
        ever an object is absent, one without a type maps to empty types.
        With ``want`` = :attr:`Facts.LABELS` alone, only the elements with
        at least one label are present (the rest are not looked up). Facts
        not asked for are left empty.
        """

    @abstractmethod
    def edges(self, requests: Sequence[EdgeRequest]) -> Edges:
        """The edges of every request, in one round trip for the whole batch, whatever its size.

        Only edges between resources: a literal or blank-node neighbour is
        not an edge.
        """

    @abstractmethod
    def latest_totals(
        self, link: URIRef, holders: Collection[URIRef], amount: URIRef, period: URIRef
    ) -> dict[URIRef, float]:
        """Per holder, the total ``amount`` of its facts of their latest ``period``, in the store.

        The facts of a holder are the resources ``fact link holder`` (costs by
        ``jkg:costOf``). Of those, only the ones whose ``period`` is the
        highest (compared as text; a fact without one counts as ``""``) are
        added up, as doubles; a fact without ``amount`` adds 0. Holders
        without facts are absent. The answer of
        :func:`~journeykg.graph.fact_totals.latest_totals_read_out`, which
        reads every fact out of the store, but summed where the facts are,
        so that no fact crosses into Python.
        """

    def reached_totals(
        self,
        roots: Collection[URIRef],
        paths: Sequence[Sequence[Hop]],
        link: URIRef,
        amount: URIRef,
        period: URIRef,
    ) -> ReachedTotals:
        """Per root, the :meth:`latest_totals` of what it reaches, each holder counted once.

        A root reaches itself and every node at the end of each of ``paths``
        (a path: hops followed in turn from the root). Per root the answer
        adds up the latest totals of the distinct nodes it reaches (a
        process that supports two of a journey's touchpoints counts once),
        and ``overall`` those of every node any root reaches, each once: a
        journey's cost at stake and the total (:mod:`.quantify`), without
        every holder crossing into Python. Every root is in ``per_root``
        (0.0 when it reaches no fact).

        This default follows the paths with :meth:`edges` (IRIs as text)
        and sums with :meth:`latest_totals`; a backend that can follow and
        sum in one request does (Neo4j). The definition is
        :func:`~journeykg.graph.fact_totals.reached_totals_read_out`.
        """
        reached: dict[str, set[str]] = {str(r): {str(r)} for r in roots}
        # Paths that begin alike (a journey's touchpoints, then their supporters)
        # follow their common hops once.
        ends: dict[tuple[Hop, ...], dict[str, set[str]]] = {(): {r: {r} for r in reached}}
        for path in paths:
            for length in range(1, len(path) + 1):
                prefix = tuple(path[:length])
                if prefix in ends:
                    continue
                before = ends[prefix[:-1]]
                predicate, inverse = prefix[-1]
                nodes = sorted({n for ns in before.values() for n in ns})
                (found,) = self.edges([EdgeRequest(str(predicate), nodes, inverse)]).found
                onward: dict[str, list[str]] = {}
                for node, other in found:
                    onward.setdefault(node, []).append(other)
                ends[prefix] = {
                    r: {o for n in ns for o in onward.get(n, ())} for r, ns in before.items()
                }
            for root, found_nodes in ends[tuple(path)].items():
                reached[root] |= found_nodes
        holders = {h for hs in reached.values() for h in hs}
        totals = {
            str(h): v
            for h, v in self.latest_totals(
                link, [stored_iri(h) for h in holders], amount, period
            ).items()
        }
        return ReachedTotals(
            per_root={
                stored_iri(r): sum(totals.get(h, 0.0) for h in hs) for r, hs in reached.items()
            },
            overall=sum(totals.get(h, 0.0) for h in holders),
        )

    def class_facts(self, cls: URIRef) -> dict[str, ElementFacts]:
        """Every stored element typed ``cls`` (IRI as text) with its :meth:`element_facts`.

        The answer of :meth:`element_facts` of :meth:`instances`, which this
        default asks; a backend that can answer both in one request does
        (Neo4j: one statement with flat lists, where the two took 1.1 s for
        30,000 journeys, most of it decoding a record per journey).
        """
        return self.element_facts({str(i) for i in self.instances(cls)})

    @abstractmethod
    def referrers(self, iris: Collection[URIRef]) -> list[tuple[URIRef, URIRef, URIRef]]:
        """Every stored ``(subject, predicate, object)`` whose object is one of ``iris``, sorted.

        Only references between resources count: ``rdf:type`` statements are
        not references (Neo4j keeps types as labels), and blank-node subjects
        are left out (Neo4j has none).
        """

    #: Whether :meth:`describe_with_referrers` costs less than :meth:`describe` then
    #: :meth:`referrers` (one round trip to a server instead of two). A caller that
    #: may not need the referrers asks for both at once only then.
    reads_together: bool = False

    def describe_with_referrers(
        self, iris: Collection[URIRef], referred: Collection[URIRef]
    ) -> tuple[Graph, list[tuple[URIRef, URIRef, URIRef]]]:
        """:meth:`describe` of ``iris`` and :meth:`referrers` of ``referred``, in one read
        where the backend can (see :attr:`reads_together`)."""
        return self.describe(iris), self.referrers(referred)

    # --- resources ----------------------------------------------------------

    @abstractmethod
    def check_ready(self) -> None:
        """Raise StoreUnavailableError when the store cannot answer right now (readiness)."""

    @abstractmethod
    def close(self) -> None:
        """Release connections and file locks."""

    @final
    def __enter__(self) -> Store:
        return self

    @final
    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- bound to a capability: refused by a store that lacks it ---------------

    def lease(self, scope: LeaseScope, key: str) -> AbstractContextManager[None]:
        """Hold the store-wide lease on ``key`` in ``scope`` until the block ends.

        Needs :attr:`Capability.SHARED` (a store only one process can open
        has no other process to keep out; :func:`journeykg.graph.leases.
        cross_process_lease` skips it). A sync lease another process holds
        is refused at once; an element lease is waited for, as long as a
        governance step may take. Either raises
        :class:`~journeykg.graph.errors.LeaseHeldError` when it gives up.
        Not re-entrant: the caller holds it once per key.
        """
        raise self._without(Capability.SHARED, f"hold the {scope.value} lease on {key!r}")

    def lease_describing(
        self, scope: LeaseScope, key: str, iris: Collection[URIRef]
    ) -> AbstractContextManager[Graph]:
        """:meth:`lease`, and :meth:`describe` of ``iris`` read once it is held.

        What the block is handed was read while the lease was held, so no other
        holder of the lease wrote it in between: a sync reads its source's bookmark
        so. A backend may take the lease and read in one statement (Neo4j: one round
        trip less). Needs :attr:`Capability.SHARED`, as :meth:`lease` does.
        """
        return _lease_then_describe(self, scope, key, iris)

    def server_walk(
        self,
        roots: Sequence[ElementRef],
        rules: Sequence[Rule],
        max_hops: int | None,
        *,
        fallback: Callable[[], WalkState],
    ) -> WalkState:
        """A breadth-first walk from ``roots`` along ``rules``, taken in the server, not yet taken.

        Needs :attr:`Capability.SERVER_WALK`. It reaches exactly the state the
        hop-by-hop walk reaches; ``fallback`` makes that walk, for when the
        server cannot take this one after all.
        """
        raise self._without(Capability.SERVER_WALK, "walk in the server")

    def pref_labelled(self, cls: URIRef, labels: Collection[Literal]) -> set[URIRef]:
        """Stored elements typed ``cls`` whose ``skos:prefLabel`` is one of ``labels``.

        Needs :attr:`Capability.LABEL_INDEX`; a label matches in its own
        language only.
        """
        raise self._without(Capability.LABEL_INDEX, "look elements up by label")

    def _without(self, capability: Capability, purpose: str) -> Exception:
        """The error for a method bound to ``capability`` that this store does not override."""
        if capability in self.capabilities:
            return NotImplementedError(
                f"{type(self).__name__} declares {capability.value!r} but does not implement it"
            )
        return missing(self, capability, purpose)

    # --- appended port methods (with a default over the primitives) -----------

    def newest_points(
        self,
        shape: SeriesShape,
        series: Collection[SeriesKey],
        measures: Sequence[URIRef],
        last: int,
    ) -> dict[tuple[URIRef, URIRef | None, URIRef], tuple[DatedPoint, ...]]:
        """Per requested series and measure, its newest ``last`` points, oldest first.

        A series' facts are the resources typed ``shape.kind`` with ``fact
        link holder`` and ``fact by value`` (no ``by`` at all: the series
        ``(holder, None)``) and a literal start and end. Per measure, the
        facts with a literal value of it; one point per start (compared as
        text): of two facts with the same start, the one with the greater IRI
        (the later key). Of those the ``last`` newest starts. A series and
        measure without points is absent. What the signal rules read after a
        sync: the series it wrote into, and only the points a rule needs
        (:mod:`~journeykg.graph.series`), not every fact in the store.

        This default reads the series' facts out with :meth:`edges` and
        :meth:`describe_only`; a backend that can pick the newest in the store
        does (Neo4j). The definition is
        :func:`~journeykg.graph.series.newest_points_read_out`.
        """
        from journeykg.graph.series import newest_points_read_out  # it imports this module

        return newest_points_read_out(self, shape, series, measures, last)

    def changes_since(self, generation: str) -> Changes | None:
        """What every write after ``generation`` changed, or None when this store cannot know.

        ``generation`` is a value :meth:`generation` gave. The answer holds every
        subject written or retracted since, and the edges each had just before
        (:class:`~journeykg.graph.change_log.Changes`); nothing since:
        no subjects. None when not every write since is known: the log was
        trimmed, a clear or a bulk batch above the log's cap came between, the
        value is another store's or another instance's. A question kept per
        generation (:mod:`~journeykg.graph.lifecycle_kept`) updates what those
        subjects can affect, and computes everything again on None. This
        default knows nothing; a backend that logs its writes (embedded, Neo4j)
        overrides it, each write recording its changes in its own transaction.
        """
        return None


def missing(
    store: Store, capability: Capability, purpose: str, hint: str | None = None
) -> MissingCapabilityError:
    """The refusal of ``store`` for ``purpose``: it lacks ``capability``."""
    declared = sorted(c.value for c in store.capabilities)
    return MissingCapabilityError(store.name, capability.value, purpose, declared, hint)


def require(store: Store, capability: Capability, purpose: str, hint: str | None = None) -> None:
    """Refuse ``store`` for ``purpose``, before anything is done, unless it has ``capability``."""
    if capability not in store.capabilities:
        raise missing(store, capability, purpose, hint)


@contextmanager
def _lease_then_describe(
    store: Store, scope: LeaseScope, key: str, iris: Collection[URIRef]
) -> Iterator[Graph]:
    """:meth:`Store.lease_describing` as two steps: the lease, then the read."""
    with store.lease(scope, key):
        yield store.describe(iris)
