"""The lifecycle picture as main computed it before the 1M work (a1acef8), for the *before* rows.

bench/web_picture_scale.py times this path and today's in the same run, so
that the figures before and after come from the same machine at the same
load. Only what this branch changed is kept here, as it was:

- :func:`lifecycle_picture_before`: the picture that let :func:`.quantify.prioritise`
  read every journey, its placements and its refs again, read the journeys'
  names in a second round trip, and found a journey's first stage by a scan
  of the columns;
- :func:`reached_totals_before`: Neo4j's :meth:`.Store.reached_totals` in two
  statements that each summed every (journey, holder) pair, patched in by
  :func:`main_path` (the embedded store's is the port's default, unchanged).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager

from rdflib import URIRef

from journeykg.graph import neo4j_store
from journeykg.graph.edges import follow
from journeykg.graph.factors import reason_volumes as volumes_of
from journeykg.graph.lifecycle import (
    LifecyclePicture,
    PhaseRow,
    PlacedJourney,
    ReasonCell,
    StageColumn,
    _grouped,
    _order,
    named_elements,
)
from journeykg.graph.neo4j_store import Neo4jStore, _quote
from journeykg.graph.property_graph import DATATYPE_MARK
from journeykg.graph.quantify import prioritise
from journeykg.graph.store import EdgeRequest, Hop, ReachedTotals, Store
from journeykg.graph.stored_terms import stored_iri
from journeykg.namespaces import JKG


def lifecycle_picture_before(store: Store) -> LifecyclePicture:
    """:func:`.lifecycle.lifecycle_picture` as main had it (the same answer)."""
    stages = store.instances(JKG.LifecycleStage)
    phases = follow(store, JKG.inStage, stages, inverse=True)
    reasons = follow(store, JKG.inPhase, [p for _, p in phases], inverse=True)
    volumes = volumes_of(store, [r for _, r in reasons])
    ranked = prioritise(store, volumes=volumes).journeys
    journeys = [URIRef(f.journey.iri) for f in ranked]
    on_framework = {r for _, r in reasons}
    placements, ownership = (
        store.edges(
            [
                EdgeRequest(str(JKG.placedOn), [str(j) for j in journeys]),
                EdgeRequest(str(JKG.ownedBy), [str(j) for j in journeys]),
            ]
        ).found
        if journeys
        else ([], [])
    )
    placed = [
        (URIRef(reason), URIRef(journey))
        for journey, reason in placements
        if URIRef(reason) in on_framework
    ]
    owners = [(URIRef(j), URIRef(o)) for j, o in ownership]
    framework = [*stages, *(p for _, p in phases), *(r for _, r in reasons)]
    named = named_elements(store, [*framework, *journeys, *{o for _, o in owners}])
    order = _order(store.describe([*stages, *(p for _, p in phases)]))
    journeys_on: dict[URIRef, set[str]] = defaultdict(set)
    for reason, journey in placed:
        journeys_on[reason].add(named[journey].id)
    reasons_in = _grouped(reasons)

    def key(iri: URIRef) -> tuple[str, str]:
        return (order.get(iri, "~"), named[iri].id)

    columns = tuple(
        StageColumn(
            named[stage],
            tuple(
                PhaseRow(
                    named[phase],
                    tuple(
                        ReasonCell(named[r], volumes[r], tuple(sorted(journeys_on[r])))
                        for r in sorted(reasons_in[phase], key=key)
                    ),
                )
                for phase in sorted(_grouped(phases)[stage], key=key)
            ),
        )
        for stage in sorted(stages, key=key)
    )
    owners_of = _grouped(owners)
    placed_journeys = tuple(
        sorted(
            (
                PlacedJourney(
                    named[URIRef(f.journey.iri)],
                    f,
                    tuple(named[o] for o in sorted(owners_of[URIRef(f.journey.iri)])),
                )
                for f in ranked
            ),
            key=lambda j: (_first_stage(j.figures.stage_ids, columns), j.journey.id),
        )
    )
    return LifecyclePicture(columns, placed_journeys)


def _first_stage(stage_ids: Iterable[str], columns: tuple[StageColumn, ...]) -> int:
    positions = [i for i, c in enumerate(columns) if c.stage.id in set(stage_ids)]
    return min(positions, default=len(columns))


def reached_totals_before(
    self: Neo4jStore,
    roots: Collection[URIRef],
    paths: Sequence[Sequence[Hop]],
    link: URIRef,
    amount: URIRef,
    period: URIRef,
) -> ReachedTotals:
    """Neo4j's :meth:`.Store.reached_totals` as main had it: two statements, per pair."""
    wanted = sorted({str(r) for r in roots})
    if not wanted:
        return ReachedTotals({}, 0.0)
    reach = " UNION ".join(
        ["RETURN r AS h"]
        + [f"MATCH (r){self._path_pattern(path)}(h:Resource) RETURN h" for path in paths]
    )
    latest_total = (
        f"OPTIONAL MATCH (h)<-[:{_quote(self.mapping.name(link))}]-(f:Resource) "
        "WITH r, h, f, "
        "coalesce(head([k IN keys(f) WHERE k = $period OR k STARTS WITH $period + $mark "
        "| toString(f[k])]), '') AS stated, "
        "coalesce(head([k IN keys(f) WHERE k = $amount OR k STARTS WITH $amount + $mark "
        "| toFloat(f[k])]), 0.0) AS number "
        "WITH r, h, collect(CASE WHEN f IS NULL THEN null ELSE [stated, number] END) "
        "AS facts "
        "WITH r, h, facts, "
        "reduce(m = '', x IN facts | CASE WHEN x[0] > m THEN x[0] ELSE m END) AS latest "
        "WITH r, h, reduce(s = 0.0, x IN facts | "
        "CASE WHEN x[0] = latest THEN s + x[1] ELSE s END) AS total "
    )
    start = f"UNWIND $roots AS iri MATCH (r:Resource {{iri: iri}}) CALL (r) {{ {reach} }} "
    names = {
        "roots": wanted,
        "period": self.mapping.name(period),
        "amount": self.mapping.name(amount),
        "mark": DATATYPE_MARK,
    }
    per_root = self._read(
        start + latest_total + "RETURN r.iri AS root, sum(total) AS total", **names
    )
    overall = self._read(
        start + "WITH DISTINCT h, null AS r " + latest_total + "RETURN sum(total) AS total",
        **names,
    )
    found = {stored_iri(rec["root"]): float(rec["total"]) for rec in per_root}
    return ReachedTotals(
        per_root={URIRef(r): found.get(URIRef(r), 0.0) for r in wanted},
        overall=float(overall[0]["total"] or 0.0) if overall else 0.0,
    )


@contextmanager
def main_path() -> Iterator[None]:
    """Within the block, Neo4j sums reached costs as main did (two statements per pair)."""
    today = neo4j_store.Neo4jStore.reached_totals
    neo4j_store.Neo4jStore.reached_totals = reached_totals_before  # type: ignore[method-assign]
    try:
        yield
    finally:
        neo4j_store.Neo4jStore.reached_totals = today  # type: ignore[method-assign]


def picture_before(store: Store) -> LifecyclePicture:
    """The picture computed along main's path on ``store`` (either backend)."""
    with main_path():
        return lifecycle_picture_before(store)
