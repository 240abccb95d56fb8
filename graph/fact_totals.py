"""Latest-period totals of facts (costs) read out of any store and added up in Python.

:meth:`.Store.latest_totals` answers the same question in the store (one
SPARQL aggregate on the embedded store, one Cypher aggregation on Neo4j);
this is its definition over the port's primitives, as
:func:`reached_totals_read_out` is of :meth:`.Store.reached_totals`. The scenario's overlay
uses it when its changes touch the facts (the store's own aggregate would
not see them), and the conformance tests compare every backend with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence

from rdflib import Literal, URIRef

from journeykg.graph.edges import follow
from journeykg.graph.store import Hop, ReachedTotals, Store


def latest_totals_read_out(
    store: Store, link: URIRef, holders: Collection[URIRef], amount: URIRef, period: URIRef
) -> dict[URIRef, float]:
    """:meth:`.Store.latest_totals`, from every fact read out with :meth:`.Store.describe`."""
    facts_of: dict[URIRef, list[URIRef]] = defaultdict(list)
    for holder, fact in follow(store, link, holders, inverse=True):
        facts_of[holder].append(fact)
    described = store.describe({f for fs in facts_of.values() for f in fs})
    totals: dict[URIRef, float] = {}
    for holder, facts in facts_of.items():
        periods = {f: str(described.value(f, period) or "") for f in facts}
        newest = max(periods.values(), default="")
        total = 0.0
        for fact in facts:
            value = described.value(fact, amount)
            if periods[fact] == newest and isinstance(value, Literal):
                total += float(value)
        totals[holder] = total
    return totals


def reached_totals_read_out(
    store: Store,
    roots: Collection[URIRef],
    paths: Sequence[Sequence[Hop]],
    link: URIRef,
    amount: URIRef,
    period: URIRef,
) -> ReachedTotals:
    """:meth:`.Store.reached_totals`, root by root with :func:`follow`, facts read out."""
    reached: dict[URIRef, set[URIRef]] = {r: {r} for r in roots}
    for root in reached:
        for path in paths:
            nodes = {root}
            for predicate, inverse in path:
                nodes = {n for _, n in follow(store, predicate, nodes, inverse=inverse)}
            reached[root] |= nodes
    holders = {h for hs in reached.values() for h in hs}
    totals = latest_totals_read_out(store, link, holders, amount, period)
    return ReachedTotals(
        per_root={r: sum(totals.get(h, 0.0) for h in hs) for r, hs in reached.items()},
        overall=sum(totals.get(h, 0.0) for h in holders),
    )
