"""GraphQL output types, one-to-one with the store layer's answers."""

from __future__ import annotations

import strawberry

from journeykg.graph import model


@strawberry.type(description="An element of the graph: its key, IRI, class and label.")
class Element:
    id: strawberry.ID
    iri: str
    type: str
    label: str | None

    @classmethod
    def of(cls, ref: model.ElementRef) -> Element:
        return cls(id=strawberry.ID(ref.id), iri=ref.iri, type=ref.type, label=ref.label)


@strawberry.type(
    description="An affected element and its shortest distance, in hops, from the change."
)
class AffectedElement:
    element: Element
    hops: int

    @classmethod
    def of(cls, affected: model.Affected) -> AffectedElement:
        return cls(element=Element.of(affected.element), hops=affected.hops)


@strawberry.type(
    description="The paths (element ids, from the change) that bring a change into a journey."
)
class JourneyPaths:
    journey: Element
    paths: list[list[str]]


@strawberry.type(description="What a change to an element affects downstream, and why.")
class Impact:
    of: Element
    max_hops: int | None
    is_complete: bool = strawberry.field(
        description="False when maxHops cut the traversal: more would be affected without it."
    )
    processes: list[AffectedElement]
    touchpoints: list[AffectedElement]
    steps: list[AffectedElement]
    journeys: list[AffectedElement]
    contact_reasons: list[AffectedElement]
    phases: list[AffectedElement]
    lifecycle_stages: list[AffectedElement]
    owners: list[AffectedElement]
    paths: list[JourneyPaths]

    @classmethod
    def of_answer(cls, answer: model.ImpactAnswer) -> Impact:
        def many(items: tuple[model.Affected, ...]) -> list[AffectedElement]:
            return [AffectedElement.of(a) for a in items]

        return cls(
            of=Element.of(answer.of),
            max_hops=answer.max_hops,
            is_complete=answer.is_complete,
            processes=many(answer.processes),
            touchpoints=many(answer.touchpoints),
            steps=many(answer.steps),
            journeys=many(answer.journeys),
            contact_reasons=many(answer.contact_reasons),
            phases=many(answer.phases),
            lifecycle_stages=many(answer.lifecycle_stages),
            owners=many(answer.owners),
            paths=[
                JourneyPaths(journey=Element.of(p.journey), paths=[list(x) for x in p.paths])
                for p in answer.paths
            ],
        )
