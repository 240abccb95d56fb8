"""What-if scenarios: a change set evaluated against the graph without writing it.

A change set becomes triples to add and to remove; :class:`OverlayStore`
shows the store as it would be with them, through the same read primitives,
so every question (impact, figures) works unchanged on the scenario. The
scenario's impact is that of the elements the changes touch, compared with
the impact of the same elements today. Keeping change sets under a name is
the scenario service's (:mod:`journeykg.services.scenarios`).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated
from typing import Literal as TypingLiteral

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from rdflib import Graph, Literal, URIRef

from journeykg.graph.change_log import Changes
from journeykg.graph.edges import follow
from journeykg.graph.elements import refs, resolve
from journeykg.graph.errors import UnknownElementError
from journeykg.graph.fact_totals import latest_totals_read_out
from journeykg.graph.impact import traverse
from journeykg.graph.model import ElementRef, ImpactAnswer, WriteSummary
from journeykg.graph.quantify import BlastRadius, blast_radius
from journeykg.graph.relations import IMPACT_ROOTS
from journeykg.graph.store import (
    LABEL_PREDICATES,
    Capability,
    DatedPoint,
    EdgeRequest,
    Edges,
    ElementFacts,
    Facts,
    Hop,
    Progress,
    ReachedTotals,
    SeriesKey,
    SeriesShape,
    Store,
    missing,
)
from journeykg.namespaces import JKG, OWL, RDF, RDFS, XSD
from journeykg.ontology_graph import load_ontology


class _Change(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Retire(_Change):
    """Retire an element: it and every relation to it disappear."""

    op: TypingLiteral["retire"] = "retire"
    element: str


class MoveTouchpoints(_Change):
    """Every touchpoint supported by one process is supported by another instead."""

    op: TypingLiteral["moveTouchpoints"] = "moveTouchpoints"
    from_process: str = Field(alias="fromProcess")
    to_process: str = Field(alias="toProcess")


class SetCost(_Change):
    """The annual cost of an element in a period becomes ``amount_eur``."""

    op: TypingLiteral["setCost"] = "setCost"
    element: str
    amount_eur: Decimal = Field(alias="amountEur", ge=0)
    period: str = Field(pattern=r"^\d{4}$")


class AddDependency(_Change):
    """``process`` comes to depend on ``depends_on``."""

    op: TypingLiteral["addDependency"] = "addDependency"
    process: str
    depends_on: str = Field(alias="dependsOn")


class RemoveDependency(_Change):
    """``process`` no longer depends on ``depends_on``."""

    op: TypingLiteral["removeDependency"] = "removeDependency"
    process: str
    depends_on: str = Field(alias="dependsOn")


Change = Annotated[
    Retire | MoveTouchpoints | SetCost | AddDependency | RemoveDependency,
    Field(discriminator="op"),
]
CHANGES = TypeAdapter(list[Change])


class ScenarioError(ValueError):
    """A change set that cannot be applied; says which change, which field and why."""


def parse_changes(raw: Sequence[Mapping[str, object]]) -> list[Change]:
    """Changes from JSON-like data; :class:`ScenarioError` names the change and field."""
    try:
        return CHANGES.validate_python(list(raw))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ScenarioError(f"change set: {where}: {first['msg']}") from exc


# --- the graph as it would be ----------------------------------------------------


#: Why a scenario refuses writes, and what to do instead.
_READ_ONLY = "a scenario is read-only: save it, or make the change for real"


class OverlayStore(Store):
    """A read-only view of ``base`` with ``added`` triples in and ``removed`` triples out.

    It declares no capability: it cannot be written, has no process to keep
    out, and walks and looks labels up through the primitives (the base's
    own walk or label index would not see the scenario's changes).
    """

    name = "scenario"

    def __init__(self, base: Store, added: Graph, removed: Graph) -> None:
        super().__init__(base.ids.base_iri)
        self.base = base
        self.added = added
        self.removed = removed
        # Elements whose every stored triple is removed are retired; worked
        # out once here, with one batched describe, not per lookup.
        subjects = {s for s in removed.subjects() if isinstance(s, URIRef)}
        kept = {s for s, p, o in base.describe(subjects) if (s, p, o) not in removed}
        self.retired = subjects - kept
        self._instance = uuid.uuid4().hex

    @property
    def capabilities(self) -> frozenset[Capability]:
        return frozenset()

    def apply(
        self, delta: Graph, retract: Collection[URIRef] = (), progress: Progress | None = None
    ) -> WriteSummary:
        raise missing(self, Capability.WRITABLE, "write", _READ_ONLY)

    def clear(self) -> None:
        raise missing(self, Capability.WRITABLE, "be cleared", _READ_ONLY)

    def generation(self) -> str:
        # The overlay's own changes are fixed when it is made: its state is the base's
        # state and this instance's changes, which no other overlay shares.
        return f"{self.base.generation()}+scenario-{self._instance}"

    def describe(self, iris: Collection[URIRef]) -> Graph:
        out = Graph()
        for triple in self.base.describe(iris):
            if triple not in self.removed:
                out.add(triple)
        for s in iris:
            for p, o in self.added.predicate_objects(s):
                out.add((s, p, o))
        return out

    def export(self) -> Graph:
        out = Graph()
        for triple in self.base.export():
            if triple not in self.removed:
                out.add(triple)
        out += self.added
        return out

    def edges(self, requests: Sequence[EdgeRequest]) -> Edges:
        found = self.base.edges(requests).found
        out: list[list[tuple[str, str]]] = []
        for (predicate, nodes, inverse), edges in zip(requests, found, strict=True):
            p = URIRef(predicate)
            kept = [
                (node, other)
                for node, other in edges
                if (
                    (URIRef(other), p, URIRef(node))
                    if inverse
                    else (URIRef(node), p, URIRef(other))
                )
                not in self.removed
            ]
            wanted = set(nodes)
            for s, o in self.added.subject_objects(p):
                if not isinstance(s, URIRef) or not isinstance(o, URIRef):
                    continue
                if inverse and str(o) in wanted:
                    kept.append((str(o), str(s)))
                elif not inverse and str(s) in wanted:
                    kept.append((str(s), str(o)))
            out.append(kept)
        # No types learned: the scenario may change them (the walk looks them up).
        return Edges(out, {})

    def instances(self, cls: URIRef) -> list[URIRef]:
        found = {i for i in self.base.instances(cls) if (i, RDF.type, cls) not in self.removed}
        found |= {s for s in self.added.subjects(RDF.type, cls) if isinstance(s, URIRef)}
        return sorted(found)

    def element_facts(
        self, iris: Collection[str], want: Facts = Facts.ALL
    ) -> dict[str, ElementFacts]:
        # What the real stores give once the scenario is written: the stored
        # types and labels less the removed ones, plus the added ones, for every
        # element that keeps or gains at least one triple.
        facts = self.base.element_facts(iris)
        out: dict[str, ElementFacts] = {}
        for iri in iris:
            node = URIRef(iri)
            stored = None if node in self.retired else facts.get(iri)
            if stored is None and (node, None, None) not in self.added:
                continue
            old_types, old_labels = stored or ((), ())
            gone_labels = _labels_of(self.removed, node)
            types = [t for t in old_types if (node, RDF.type, URIRef(t)) not in self.removed]
            labels = [label for label in old_labels if label not in gone_labels]
            types += [
                str(t)
                for t in self.added.objects(node, RDF.type)
                if isinstance(t, URIRef) and str(t) not in types
            ]
            labels += [label for label in _labels_of(self.added, node) if label not in labels]
            if want == Facts.LABELS and not labels:
                continue  # labels alone: only the elements that have one
            out[iri] = (
                tuple(types) if Facts.TYPES in want else (),
                tuple(labels) if Facts.LABELS in want else (),
            )
        return out

    def latest_totals(
        self, link: URIRef, holders: Collection[URIRef], amount: URIRef, period: URIRef
    ) -> dict[URIRef, float]:
        # The base's aggregate cannot see the scenario: when a change adds or
        # removes a fact's link, amount or period (a new cost, a retired one),
        # the facts are read out through this overlay and added up here.
        touched = {link, amount, period}
        if any(p in touched for p in (*self.added.predicates(), *self.removed.predicates())):
            return latest_totals_read_out(self, link, holders, amount, period)
        return self.base.latest_totals(link, holders, amount, period)

    def reached_totals(
        self,
        roots: Collection[URIRef],
        paths: Sequence[Sequence[Hop]],
        link: URIRef,
        amount: URIRef,
        period: URIRef,
    ) -> ReachedTotals:
        # As latest_totals: the base's aggregate cannot see the scenario. When a change
        # touches a path (a touchpoint moved, a process no longer supporting it) or the
        # facts, the paths are followed through this overlay's edges and the totals
        # summed by its latest_totals (the port's default).
        touched = {link, amount, period, *(hop.predicate for path in paths for hop in path)}
        if any(p in touched for p in (*self.added.predicates(), *self.removed.predicates())):
            return Store.reached_totals(self, roots, paths, link, amount, period)
        return self.base.reached_totals(roots, paths, link, amount, period)

    def newest_points(
        self,
        shape: SeriesShape,
        series: Collection[SeriesKey],
        measures: Sequence[URIRef],
        last: int,
    ) -> dict[tuple[URIRef, URIRef | None, URIRef], tuple[DatedPoint, ...]]:
        # As latest_totals: the base's pick cannot see the scenario. When a change
        # touches what makes a series (a fact's type, link, channel, dates or counts),
        # the facts are read out through this overlay (the port's default).
        touched = {RDF.type, *shape[1:], *measures}
        if any(p in touched for p in (*self.added.predicates(), *self.removed.predicates())):
            return Store.newest_points(self, shape, series, measures, last)
        return self.base.newest_points(shape, series, measures, last)

    def changes_since(self, generation: str) -> Changes | None:
        # The overlay's answers are the base's with a scenario's changes on top; what a
        # write to the base changed is not what changed in the overlay: not known.
        return None

    def referrers(self, iris: Collection[URIRef]) -> list[tuple[URIRef, URIRef, URIRef]]:
        wanted = set(iris)
        found = {t for t in self.base.referrers(wanted) if t not in self.removed}
        for s, p, o in self.added:
            if o in wanted and isinstance(s, URIRef) and isinstance(o, URIRef) and p != RDF.type:
                found.add((s, p, o))  # type: ignore[arg-type]
        return sorted(found)

    def check_ready(self) -> None:
        self.base.check_ready()

    def close(self) -> None:
        """Nothing to release: the base store is its opener's to close."""


def _labels_of(graph: Graph, iri: URIRef) -> list[tuple[str, str | None]]:
    """The (label, language)s of ``iri`` in ``graph``, under the predicates the stores read."""
    return [
        (str(label), label.language)
        for predicate in LABEL_PREDICATES
        for label in graph.objects(iri, predicate)
        if isinstance(label, Literal)
    ]


def _object_properties() -> list[URIRef]:
    ontology = load_ontology()
    return sorted(
        p
        for p in ontology.subjects(RDF.type, OWL.ObjectProperty)
        if isinstance(p, URIRef) and str(p).startswith(str(JKG))
    )


def _require(store: Store, index: int, field: str, ident: str, kind: str | None) -> ElementRef:
    try:
        ref = resolve(store, ident)
    except UnknownElementError as exc:
        raise ScenarioError(f"change {index}: {field}: {exc}") from exc
    if kind is not None and ref.type != kind:
        raise ScenarioError(f"change {index}: {field}: {ident!r} is a {ref.type}, not a {kind}")
    return ref


@dataclass(frozen=True)
class AppliedChanges:
    """A change set as triples, and the elements it touches."""

    added: Graph
    removed: Graph
    touched: tuple[ElementRef, ...]
    retired: tuple[ElementRef, ...]


def apply_changes(store: Store, changes: Sequence[Change]) -> AppliedChanges:
    """Triples to add and remove for ``changes``; checks every id and type first."""
    added, removed = Graph(), Graph()
    touched: dict[str, ElementRef] = {}
    retired: dict[str, ElementRef] = {}
    process = "BackofficeProcess"
    for index, change in enumerate(changes):
        if isinstance(change, Retire):
            ref = _require(store, index, "element", change.element, None)
            iri = URIRef(ref.iri)
            own = store.describe([iri])
            removed += own
            # Both ends matter: what pointed at it loses a link, and what it
            # depended on no longer reaches through it.
            neighbours = {o for o in own.objects() if isinstance(o, URIRef)}
            for predicate in _object_properties():
                for _, subject in follow(store, predicate, [iri], inverse=True):
                    removed.add((subject, predicate, iri))
                    neighbours.add(subject)
            touched.update(
                {r.id: r for r in refs(store, neighbours).values() if r.type in IMPACT_ROOTS}
            )
            retired[ref.id] = ref
        elif isinstance(change, MoveTouchpoints):
            source = _require(store, index, "fromProcess", change.from_process, process)
            target = _require(store, index, "toProcess", change.to_process, process)
            moved = follow(store, JKG.supportedBy, [URIRef(source.iri)], inverse=True)
            if not moved:
                raise ScenarioError(
                    f"change {index}: fromProcess: {source.id!r} supports no touchpoint to move"
                )
            for _, touchpoint in moved:
                removed.add((touchpoint, JKG.supportedBy, URIRef(source.iri)))
                added.add((touchpoint, JKG.supportedBy, URIRef(target.iri)))
            touched.update({r.id: r for r in refs(store, [t for _, t in moved]).values()})
            touched[source.id] = source
            touched[target.id] = target
        elif isinstance(change, SetCost):
            ref = _require(store, index, "element", change.element, None)
            iri = URIRef(ref.iri)
            period = Literal(change.period, datatype=XSD.gYear)
            amount = Literal(change.amount_eur, datatype=XSD.decimal)
            costs = [c for _, c in follow(store, JKG.costOf, [iri], inverse=True)]
            facts = store.describe(costs)
            same_period = [c for c in costs if (c, JKG.period, period) in facts]
            if same_period:
                for cost in same_period:
                    for old in facts.objects(cost, JKG.amountEur):
                        removed.add((cost, JKG.amountEur, old))
                    added.add((cost, JKG.amountEur, amount))
            else:
                slug = re.sub(r"[^a-z0-9]+", "-", ref.id.lower()).strip("-")
                cost = store.ids.iri(f"cost/scenario-{slug}-{change.period}")
                added.add((cost, RDF.type, JKG.Cost))
                added.add((cost, RDFS.label, Literal(f"Scenario cost of {ref.id}", lang="en")))
                added.add((cost, JKG.costOf, iri))
                added.add((cost, JKG.amountEur, amount))
                added.add((cost, JKG.period, period))
            touched[ref.id] = ref
        else:
            dependant = _require(store, index, "process", change.process, process)
            dependency = _require(store, index, "dependsOn", change.depends_on, process)
            triple = (URIRef(dependant.iri), JKG.dependsOn, URIRef(dependency.iri))
            exists = (URIRef(dependant.iri), URIRef(dependency.iri)) in set(
                follow(store, JKG.dependsOn, [URIRef(dependant.iri)])
            )
            if isinstance(change, AddDependency):
                if exists:
                    raise ScenarioError(
                        f"change {index}: {dependant.id!r} already depends on {dependency.id!r}"
                    )
                added.add(triple)
            else:
                if not exists:
                    raise ScenarioError(
                        f"change {index}: {dependant.id!r} does not depend on {dependency.id!r}"
                    )
                removed.add(triple)
            touched[dependant.id] = dependant
            touched[dependency.id] = dependency
    for rid in retired:
        touched.pop(rid, None)
    return AppliedChanges(
        added=added,
        removed=removed,
        touched=tuple(sorted(touched.values())),
        retired=tuple(sorted(retired.values())),
    )


# --- evaluating ------------------------------------------------------------------


@dataclass(frozen=True)
class RootDifference:
    """How the reach of one touched element changes: what it would newly or no longer affect."""

    root: ElementRef
    newly_affected: tuple[ElementRef, ...]
    no_longer_affected: tuple[ElementRef, ...]


@dataclass(frozen=True)
class ScenarioResult:
    """The impact of a change set, today and as it would be, and the difference."""

    changes: tuple[Change, ...]
    touched: tuple[ElementRef, ...]
    retired: tuple[ElementRef, ...]
    today: ImpactAnswer | None
    after: ImpactAnswer | None
    radius_today: BlastRadius | None
    radius_after: BlastRadius | None
    differences: tuple[RootDifference, ...]
    newly_affected: tuple[ElementRef, ...]
    """Union over the touched elements of what each would newly affect."""
    no_longer_affected: tuple[ElementRef, ...]
    """Union over the touched elements of what each would no longer affect."""


def _reach(answer: ImpactAnswer) -> dict[str, ElementRef]:
    return {a.element.id: a.element for a in answer.affected}


def _reach_after(result: ScenarioResult) -> dict[str, ElementRef]:
    """Everything the scenario's touched elements would reach, themselves included."""
    if result.after is None:
        return {}
    return {**_reach(result.after), **{r.id: r for r in result.after.roots}}


@dataclass(frozen=True)
class ScenarioComparison:
    """Two change sets evaluated side by side."""

    a: ScenarioResult
    b: ScenarioResult
    only_in_a: tuple[ElementRef, ...]
    only_in_b: tuple[ElementRef, ...]
    cost_eur_difference: float | None
    """Cost at stake after B minus after A."""


def compare(store: Store, a: Sequence[Change], b: Sequence[Change]) -> ScenarioComparison:
    """What each change set would reach that the other would not, and the cost difference."""
    result_a, result_b = evaluate(store, a), evaluate(store, b)
    reach_a, reach_b = _reach_after(result_a), _reach_after(result_b)
    cost_a = result_a.radius_after.cost_eur if result_a.radius_after else None
    cost_b = result_b.radius_after.cost_eur if result_b.radius_after else None
    return ScenarioComparison(
        a=result_a,
        b=result_b,
        only_in_a=tuple(sorted(reach_a[i] for i in reach_a.keys() - reach_b.keys())),
        only_in_b=tuple(sorted(reach_b[i] for i in reach_b.keys() - reach_a.keys())),
        cost_eur_difference=(
            round(cost_b - cost_a, 2) if cost_a is not None and cost_b is not None else None
        ),
    )


def evaluate(
    store: Store,
    changes: Sequence[Change],
    *,
    max_hops: int | None = None,
    weights: Mapping[str, float] | None = None,
) -> ScenarioResult:
    """What ``changes`` would affect, against what the same elements affect today."""
    if not changes:
        raise ScenarioError("change set: at least one change is needed")
    applied = apply_changes(store, changes)
    overlay = OverlayStore(store, applied.added, applied.removed)
    roots_today = [*applied.retired, *applied.touched]
    today = traverse(store, roots_today, max_hops=max_hops) if roots_today else None
    after = traverse(overlay, list(applied.touched), max_hops=max_hops) if applied.touched else None
    differences = []
    for root in applied.touched:
        before = _reach(traverse(store, [root], max_hops=max_hops))
        later = _reach(traverse(overlay, [root], max_hops=max_hops))
        differences.append(
            RootDifference(
                root=root,
                newly_affected=tuple(sorted(later[i] for i in later.keys() - before.keys())),
                no_longer_affected=tuple(sorted(before[i] for i in before.keys() - later.keys())),
            )
        )
    newly = {r.id: r for d in differences for r in d.newly_affected}
    gone = {r.id: r for d in differences for r in d.no_longer_affected}
    return ScenarioResult(
        changes=tuple(changes),
        touched=applied.touched,
        retired=applied.retired,
        today=today,
        after=after,
        radius_today=blast_radius(store, today, weights) if today else None,
        radius_after=blast_radius(overlay, after, weights) if after else None,
        differences=tuple(differences),
        newly_affected=tuple(sorted(newly.values())),
        no_longer_affected=tuple(sorted(gone.values())),
    )
