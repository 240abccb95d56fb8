"""GraphQL output types over the store layer's answers."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.types import Info

from journeykg.api.context import Context
from journeykg.api.pagination import Connection, page_bounds
from journeykg.graph import freshness, model, paths, quantify
from journeykg.graph.relations import Direction, Relation

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
    answer: strawberry.Private[model.ImpactAnswer]

    @classmethod
    def of(cls, affected: model.Affected, answer: model.ImpactAnswer) -> AffectedElement:
        return cls(
            element=Element.of(affected.element),
            hops=affected.hops,
            relation=Relation[affected.relation] if affected.relation else None,
            parent=strawberry.ID(affected.parent) if affected.parent else None,
            answer=answer,
        )

    @strawberry.field(description="One shortest path from the changed element to this one.")
    def shortest_path(self) -> list[strawberry.ID]:
        return [strawberry.ID(i) for i in self.answer.shortest_path(str(self.element.id))]

    @strawberry.field(description="Every distinct path within the hop limit, paged.")
    def paths(self, first: int | None = None, after: str | None = None) -> PathConnection:
        return path_connection(self.answer, str(self.element.id), first, after)


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
    gap: float = strawberry.field(description="Share of the target not reached; 0 when on target.")


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
    score: float
    kpis: list[KpiStatus]
    lifecycle_stages: list[strawberry.ID]

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
            score=f.score,
            kpis=[
                KpiStatus(
                    kpi=Element.of(k.kpi),
                    kpi_type=strawberry.ID(k.kpi_type) if k.kpi_type else None,
                    measures=strawberry.ID(k.measures),
                    baseline=k.baseline,
                    target=k.target,
                    gap=k.gap,
                )
                for k in f.kpis
            ],
            lifecycle_stages=[strawberry.ID(s) for s in f.stage_ids],
        )


@strawberry.input(description="Weights of the impact score; each defaults to 1.")
class WeightsInput:
    contacts: float = 1.0
    complaints: float = 1.0
    cost: float = 1.0
    kpi_gap: float = 1.0

    def as_dict(self) -> dict[str, float]:
        return {
            "contacts": self.contacts,
            "complaints": self.complaints,
            "cost": self.cost,
            "kpiGap": self.kpi_gap,
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


TypeFilter = Annotated[
    list[str] | None,
    strawberry.argument(description='Only elements of these classes, e.g. ["Journey"].'),
]


@strawberry.type(
    description="What a change to an element affects (or, upstream, what it needs), and why."
)
class Impact:
    of: Element
    direction: Direction
    max_hops: int | None
    via: list[Relation] | None
    is_complete: bool = strawberry.field(
        description="False when maxHops cut the traversal: more would be reached without it."
    )
    truncated_at_hop: int | None = strawberry.field(
        description="The hop limit that cut the traversal, when it did."
    )
    answer: strawberry.Private[model.ImpactAnswer]

    @classmethod
    def of_answer(cls, answer: model.ImpactAnswer) -> Impact:
        return cls(
            of=Element.of(answer.of),
            direction=Direction(answer.direction),
            max_hops=answer.max_hops,
            via=[Relation[v] for v in answer.via] if answer.via is not None else None,
            is_complete=answer.is_complete,
            truncated_at_hop=answer.truncated_at_hop,
            answer=answer,
        )

    def _connection(
        self, items: tuple[model.Affected, ...], first: int | None, after: str | None
    ) -> Connection[AffectedElement]:
        offset, size = page_bounds(first, after)
        window = [AffectedElement.of(a, self.answer) for a in items[offset : offset + size]]
        return Connection[AffectedElement].window(window, offset, len(items))

    @strawberry.field(description="Every affected element, nearest first; filter by class.")
    def elements(
        self,
        types: TypeFilter = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AffectedElement]:
        items = self.answer.of_type(*types) if types else self.answer.affected
        return self._connection(items, first, after)

    @strawberry.field
    def processes(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[AffectedElement]:
        return self._connection(self.answer.processes, first, after)

    @strawberry.field
    def touchpoints(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[AffectedElement]:
        return self._connection(self.answer.touchpoints, first, after)

    @strawberry.field
    def steps(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[AffectedElement]:
        return self._connection(self.answer.steps, first, after)

    @strawberry.field
    def journeys(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[AffectedElement]:
        return self._connection(self.answer.journeys, first, after)

    @strawberry.field
    def contact_reasons(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[AffectedElement]:
        return self._connection(self.answer.contact_reasons, first, after)

    @strawberry.field
    def lifecycle_stages(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[AffectedElement]:
        return self._connection(self.answer.lifecycle_stages, first, after)

    @strawberry.field
    def kpis(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[AffectedElement]:
        return self._connection(self.answer.kpis, first, after)

    @strawberry.field
    def owners(
        self, first: int | None = None, after: str | None = None
    ) -> Connection[AffectedElement]:
        return self._connection(self.answer.owners, first, after)

    @strawberry.field(description="Elements at the hop limit whose further edges were cut.")
    def cut(self, first: int | None = None, after: str | None = None) -> Connection[CutPoint]:
        points = [
            CutPoint(
                element=Element.of(c.element),
                hops=c.hops,
                edges_beyond=c.edges_beyond,
                path=[strawberry.ID(i) for i in self.answer.shortest_path(c.element.id)],
            )
            for c in self.answer.cut
        ]
        return Connection[CutPoint].of(points, first, after)

    @strawberry.field(description="Every distinct path from the changed element to `to`, paged.")
    def paths(
        self, to: strawberry.ID, first: int | None = None, after: str | None = None
    ) -> PathConnection:
        return path_connection(self.answer, str(to), first, after)

    @strawberry.field(
        description=(
            "When the facts in this answer were last written: the latest end time of the "
            "loads or syncs that wrote its elements (ISO 8601); null without provenance."
        )
    )
    async def data_as_of(self, info: Info[Context, None]) -> str | None:
        import asyncio

        from rdflib import URIRef

        elements = [URIRef(r.iri) for r in self.answer.roots]
        elements += [URIRef(a.element.iri) for a in self.answer.affected]
        return await asyncio.to_thread(freshness.data_as_of, info.context.store, elements)

    @strawberry.field(description="Contacts, complaints, FCR, cost and KPI gaps at stake.")
    async def blast_radius(
        self, info: Info[Context, None], weights: WeightsInput | None = None
    ) -> BlastRadius:
        import asyncio

        radius = await asyncio.to_thread(
            quantify.blast_radius,
            info.context.store,
            self.answer,
            weights.as_dict() if weights else None,
        )
        return BlastRadius.of(radius)

    @strawberry.field(description="Owners along the impact paths, grouped by their role.")
    async def owners_to_notify(self, info: Info[Context, None]) -> list[OwnerGroup]:
        groups: dict[str | None, tuple[Element | None, list[OwnerToNotify]]] = {}
        for affected in self.answer.owners:
            roles: list[model.ElementRef | None] = [
                *await info.context.owner_roles.load(affected.element.iri)
            ] or [None]
            for role in roles:
                key = role.id if role else None
                entry = groups.setdefault(key, (Element.of(role) if role else None, []))
                entry[1].append(
                    OwnerToNotify(
                        owner=Element.of(affected.element),
                        reason=[
                            strawberry.ID(i) for i in self.answer.shortest_path(affected.element.id)
                        ],
                    )
                )
        return [
            OwnerGroup(role=r, owners=o)
            for _, (r, o) in sorted(groups.items(), key=lambda kv: kv[0] or "")
        ]
