"""GraphQL output types over the store layer's answers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import date
from typing import Annotated

import strawberry
from rdflib import URIRef
from strawberry.types import Info

from journeykg.api.context import Context
from journeykg.api.diagrams import Diagram, DiagramLanguage, diagram_of
from journeykg.api.errors import store_call
from journeykg.api.pagination import Connection, Edge, PageInfo, encode_cursor, page_bounds
from journeykg.graph import freshness, model, paths, quantify
from journeykg.graph import owners as notify
from journeykg.graph.impact import FinishedWalk, Traversal, Walk
from journeykg.graph.relations import Direction, Relation
from journeykg.services.diagrams.formats import DiagramFormat
from journeykg.services.diagrams.impact_diagram import CLUSTER_ABOVE

# Registered as GraphQL enums in place; the Python enums stay the annotation types.
strawberry.enum(
    Direction, description="DOWNSTREAM: what a change affects. UPSTREAM: what it needs."
)
strawberry.enum(Relation, description="A relation an impact traversal may follow.")


@strawberry.type(description="An element of the graph: its key, IRI, class and label.")
class Element:
    id: strawberry.ID
    iri: str
    type: str
    label: str | None

    @classmethod
    def of(cls, ref: model.ElementRef) -> Element:
        return cls(id=strawberry.ID(ref.id), iri=ref.iri, type=ref.type, label=ref.label)

    @strawberry.field(description="The owners (posts) of this element. Batched per request.")
    async def owned_by(self, info: Info[Context, None]) -> list[Element]:
        return [Element.of(r) for r in await info.context.owned_by.load(self.iri)]


@strawberry.type(description="One path, element ids from the changed element to the affected one.")
class Path:
    elements: list[strawberry.ID]

    @strawberry.field(description="Edges on the path.")
    def length(self) -> int:
        return len(self.elements) - 1


@strawberry.type(description="Paths to one element; totalCount stops at a cap (see totalIsExact).")
class PathConnection(Connection[Path]):
    total_is_exact: bool


def path_connection(
    answer: model.ImpactAnswer, target: str, first: int | None, after: str | None
) -> PathConnection:
    offset, size = page_bounds(first, after)
    page = paths.paths_to(answer, target, first=size, offset=offset)
    base = Connection[Path].window(
        [Path(elements=[strawberry.ID(i) for i in p]) for p in page.paths], offset, page.total
    )
    return PathConnection(
        total_count=base.total_count,
        edges=base.edges,
        page_info=base.page_info,
        total_is_exact=page.total_is_exact,
    )


@strawberry.type(
    description="An affected element, its shortest distance in hops and how it was reached."
)
class AffectedElement:
    element: Element
    hops: int
    relation: Relation | None = strawberry.field(
        description="The relation of the last edge on a shortest path."
    )
    parent: strawberry.ID | None = strawberry.field(
        description="The element before this one on a shortest path."
    )
    walk: strawberry.Private[Walk]

    @classmethod
    def of(cls, affected: model.Affected, walk: Walk) -> AffectedElement:
        return cls(
            element=Element.of(affected.element),
            hops=affected.hops,
            relation=Relation[affected.relation] if affected.relation else None,
            parent=strawberry.ID(affected.parent) if affected.parent else None,
            walk=walk,
        )

    @strawberry.field(description="One shortest path from the changed element to this one.")
    async def shortest_path(self) -> list[strawberry.ID]:
        answer = await asyncio.to_thread(self.walk.answer)
        return [strawberry.ID(i) for i in answer.shortest_path(str(self.element.id))]

    @strawberry.field(description="Every distinct path within the hop limit, paged.")
    async def paths(self, first: int | None = None, after: str | None = None) -> PathConnection:
        answer = await asyncio.to_thread(self.walk.answer)
        return path_connection(answer, str(self.element.id), first, after)


@strawberry.type(
    name="AffectedElementConnection",
    description=(
        "A page of affected elements. The first page of an unfiltered list comes as soon as "
        "the walk has reached it; asking for totalCount finishes the walk."
    ),
)
class AffectedConnection:
    edges: list[Edge[AffectedElement]]
    page_info: PageInfo
    walk: strawberry.Private[Walk]
    count: strawberry.Private[Callable[[model.ImpactAnswer], int]]

    @strawberry.field
    async def total_count(self) -> int:
        answer = await asyncio.to_thread(self.walk.answer)
        return self.count(answer)


@strawberry.type(description="An element at the hop limit with edges that were not followed.")
class CutPoint:
    element: Element
    hops: int
    edges_beyond: int
    path: list[strawberry.ID]


@strawberry.type(description="A KPI's baseline against its target.")
class KpiStatus:
    kpi: Element
    kpi_type: strawberry.ID | None
    measures: strawberry.ID
    baseline: float | None
    target: float | None
    gap: float = strawberry.field(
        description="Share of the target not reached by the current value; 0 when on target."
    )
    measured: float | None = strawberry.field(
        default=None,
        description="The latest measured value (e.g. from a survey sync); the gap uses it.",
    )
    measured_until: date | None = strawberry.field(
        default=None, description="The end of the period `measured` covers."
    )


@strawberry.type(
    description="What is at stake in one journey; see docs/impact.md for the formulas."
)
class JourneyFigures:
    journey: Element
    hops: int | None
    contacts: int
    complaints: int
    first_contact_resolution: float | None
    cost_eur: float
    kpi_gap: float
    drop_off: float = strawberry.field(
        description="Share of the journey's cases that did not complete it in the latest "
        "period journey mining measured (0 if never mined); docs/mining.md."
    )
    score: float
    kpis: list[KpiStatus]
    lifecycle_stages: list[strawberry.ID]
    open_insights: int = strawberry.field(
        default=0,
        description="Open insights (new, validated, addressed) about the journey, its "
        "touchpoints, contact reasons or KPIs: a factor of the score (docs/insights.md).",
    )

    @classmethod
    def of(cls, f: quantify.JourneyFigures) -> JourneyFigures:
        return cls(
            journey=Element.of(f.journey),
            hops=f.hops,
            contacts=f.contacts,
            complaints=f.complaints,
            first_contact_resolution=f.first_contact_resolution,
            cost_eur=f.cost_eur,
            kpi_gap=f.kpi_gap,
            drop_off=f.drop_off,
            score=f.score,
            kpis=[
                KpiStatus(
                    kpi=Element.of(k.kpi),
                    kpi_type=strawberry.ID(k.kpi_type) if k.kpi_type else None,
                    measures=strawberry.ID(k.measures),
                    baseline=k.baseline,
                    target=k.target,
                    gap=k.gap,
                    measured=k.measured,
                    measured_until=date.fromisoformat(k.measured_until)
                    if k.measured_until
                    else None,
                )
                for k in f.kpis
            ],
            lifecycle_stages=[strawberry.ID(s) for s in f.stage_ids],
            open_insights=f.open_insights,
        )


@strawberry.input(description="Weights of the impact score; each defaults to 1.")
class WeightsInput:
    contacts: float = 1.0
    complaints: float = 1.0
    cost: float = 1.0
    kpi_gap: float = 1.0
    drop_off: float = 1.0
    open_insights: float = 1.0

    def as_dict(self) -> dict[str, float]:
        return {
            "contacts": self.contacts,
            "complaints": self.complaints,
            "cost": self.cost,
            "kpiGap": self.kpi_gap,
            "dropOff": self.drop_off,
            "openInsights": self.open_insights,
        }


@strawberry.type(description="Totals over the affected journeys, and the journeys ranked by score.")
class BlastRadius:
    contacts: int
    complaints: int
    first_contact_resolution: float | None
    cost_eur: float
    ranked: strawberry.Private[tuple[quantify.JourneyFigures, ...]]

    @strawberry.field(description="Affected journeys, highest impact score first.")
    def journeys(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[JourneyFigures]:
        return Connection[JourneyFigures].of(
            [JourneyFigures.of(f) for f in self.ranked], first, after
        )

    @classmethod
    def of(cls, radius: quantify.BlastRadius) -> BlastRadius:
        return cls(
            contacts=radius.contacts,
            complaints=radius.complaints,
            first_contact_resolution=radius.first_contact_resolution,
            cost_eur=radius.cost_eur,
            ranked=radius.journeys,
        )


@strawberry.type(description="An owner to notify, and the path that puts them on the list.")
class OwnerToNotify:
    owner: Element
    reason: list[strawberry.ID]


@strawberry.type(description="Owners to notify who share a role (journey owner, KPI owner, ...).")
class OwnerGroup:
    role: Element | None
    owners: list[OwnerToNotify]

    @classmethod
    def of(cls, group: notify.OwnerGroup) -> OwnerGroup:
        return cls(
            role=Element.of(group.role) if group.role else None,
            owners=[
                OwnerToNotify(
                    owner=Element.of(o.owner), reason=[strawberry.ID(i) for i in o.reason]
                )
                for o in group.owners
            ],
        )


TypeFilter = Annotated[
    list[str] | None,
    strawberry.argument(description='Only elements of these classes, e.g. ["Journey"].'),
]


Pick = Callable[[model.ImpactAnswer], tuple[model.Affected, ...]]


@strawberry.type(
    description="What a change to an element affects (or, upstream, what it needs), and why."
)
class Impact:
    of: Element
    direction: Direction
    max_hops: int | None
    via: list[Relation] | None
    walk: strawberry.Private[Walk]

    @classmethod
    def of_traversal(cls, traversal: Traversal) -> Impact:
        via = traversal.via
        return cls(
            of=Element.of(traversal.roots[0]),
            direction=traversal.direction,
            max_hops=traversal.max_hops,
            via=sorted(via, key=lambda r: r.name) if via is not None else None,
            walk=traversal,
        )

    @classmethod
    def of_answer(cls, answer: model.ImpactAnswer) -> Impact:
        return cls(
            of=Element.of(answer.of),
            direction=Direction(answer.direction),
            max_hops=answer.max_hops,
            via=[Relation[v] for v in answer.via] if answer.via is not None else None,
            walk=FinishedWalk(answer),
        )

    async def _full(self) -> model.ImpactAnswer:
        return await asyncio.to_thread(self.walk.answer)

    @strawberry.field(
        description="False when maxHops cut the traversal: more would be reached without it."
    )
    async def is_complete(self) -> bool:
        return (await self._full()).is_complete

    @strawberry.field(description="The hop limit that cut the traversal, when it did.")
    async def truncated_at_hop(self) -> int | None:
        return (await self._full()).truncated_at_hop

    async def _connection(
        self, pick: Pick, first: int | None, after: str | None
    ) -> AffectedConnection:
        offset, size = page_bounds(first, after)
        items = pick(await self._full())
        return self._page(items[offset : offset + size], offset, offset + size < len(items), pick)

    def _page(
        self, window: Sequence[model.Affected], offset: int, more: bool, pick: Pick
    ) -> AffectedConnection:
        edges = [
            Edge(cursor=encode_cursor(offset + i), node=AffectedElement.of(a, self.walk))
            for i, a in enumerate(window)
        ]
        return AffectedConnection(
            edges=edges,
            page_info=PageInfo(
                has_next_page=more,
                has_previous_page=offset > 0,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            walk=self.walk,
            count=lambda answer: len(pick(answer)),
        )

    @strawberry.field(
        description=(
            "Every affected element, nearest first; filter by class. Without a filter or a "
            "cursor, the first page arrives before the walk is finished."
        )
    )
    async def elements(
        self,
        types: TypeFilter = None,
        first: int | None = None,
        after: str | None = None,
    ) -> AffectedConnection:
        if types:
            wanted = tuple(types)
            return await self._connection(lambda a: a.of_type(*wanted), first, after)
        if after:
            return await self._connection(lambda a: a.affected, first, after)
        _, size = page_bounds(first, None)
        window, more = await asyncio.to_thread(self.walk.first, size)
        return self._page(window, 0, more, lambda a: a.affected)

    @strawberry.field
    async def processes(
        self, first: int | None = None, after: str | None = None
    ) -> AffectedConnection:
        return await self._connection(lambda a: a.processes, first, after)

    @strawberry.field
    async def touchpoints(
        self, first: int | None = None, after: str | None = None
    ) -> AffectedConnection:
        return await self._connection(lambda a: a.touchpoints, first, after)

    @strawberry.field
    async def steps(self, first: int | None = None, after: str | None = None) -> AffectedConnection:
        return await self._connection(lambda a: a.steps, first, after)

    @strawberry.field
    async def journeys(
        self, first: int | None = None, after: str | None = None
    ) -> AffectedConnection:
        return await self._connection(lambda a: a.journeys, first, after)

    @strawberry.field
    async def contact_reasons(
        self, first: int | None = None, after: str | None = None
    ) -> AffectedConnection:
        return await self._connection(lambda a: a.contact_reasons, first, after)

    @strawberry.field
    async def lifecycle_stages(
        self, first: int | None = None, after: str | None = None
    ) -> AffectedConnection:
        return await self._connection(lambda a: a.lifecycle_stages, first, after)

    @strawberry.field
    async def kpis(self, first: int | None = None, after: str | None = None) -> AffectedConnection:
        return await self._connection(lambda a: a.kpis, first, after)

    @strawberry.field
    async def owners(
        self, first: int | None = None, after: str | None = None
    ) -> AffectedConnection:
        return await self._connection(lambda a: a.owners, first, after)

    @strawberry.field(description="Elements at the hop limit whose further edges were cut.")
    async def cut(self, first: int | None = None, after: str | None = None) -> Connection[CutPoint]:
        answer = await self._full()
        points = [
            CutPoint(
                element=Element.of(c.element),
                hops=c.hops,
                edges_beyond=c.edges_beyond,
                path=[strawberry.ID(i) for i in answer.shortest_path(c.element.id)],
            )
            for c in answer.cut
        ]
        return Connection[CutPoint].of(points, first, after)

    @strawberry.field(description="Every distinct path from the changed element to `to`, paged.")
    async def paths(
        self, to: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> PathConnection:
        return path_connection(await self._full(), str(to), first, after)

    @strawberry.field(
        description=(
            "When the facts in this answer were last written: the latest end time of the "
            "loads or syncs that wrote its elements (ISO 8601); null without provenance."
        )
    )
    async def data_as_of(self, info: Info[Context, None]) -> str | None:
        answer = await self._full()
        elements = [URIRef(r.iri) for r in answer.roots]
        elements += [URIRef(a.element.iri) for a in answer.affected]
        return await asyncio.to_thread(freshness.data_as_of, info.context.store, elements)

    @strawberry.field(description="Contacts, complaints, FCR, cost and KPI gaps at stake.")
    async def blast_radius(
        self, info: Info[Context, None], weights: WeightsInput | None = None
    ) -> BlastRadius:
        radius = await asyncio.to_thread(
            quantify.blast_radius,
            info.context.store,
            await self._full(),
            weights.as_dict() if weights else None,
        )
        return BlastRadius.of(radius)

    @strawberry.field(description="Owners along the impact paths, grouped by their role.")
    async def owners_to_notify(self, info: Info[Context, None]) -> list[OwnerGroup]:
        answer = await self._full()
        groups = await asyncio.to_thread(notify.owners_to_notify, info.context.store, answer)
        return [OwnerGroup.of(g) for g in groups]

    @strawberry.field(
        description=(
            "This answer drawn as a diagram: every element a node (columns by hop), every "
            "edge of its paths a link, labelled in `language`. Above `clusterAbove` elements "
            "one node per class and hop stands for them (docs/diagrams.md)."
        )
    )
    async def diagram(
        self,
        info: Info[Context, None],
        format: DiagramFormat,
        language: DiagramLanguage = DiagramLanguage.NL,
        cluster_above: int = CLUSTER_ABOVE,
    ) -> Diagram:
        answer = await self._full()
        return await store_call(
            diagram_of, info.context.store, answer, format, language, cluster_above
        )
