"""GraphQL: where does this number come from? The source, record and run behind an element.

The answer is :func:`journeykg.graph.provenance.provenance_of`'s; this maps it to types.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from journeykg.api.context import Context
from journeykg.api.errors import store_call
from journeykg.api.types import Element
from journeykg.graph import provenance


@strawberry.type(description="A load or sync run: a prov:Activity that wrote facts.")
class Activity:
    id: strawberry.ID
    label: str | None
    source: str | None = strawberry.field(description="The file or source name it read.")
    started_at: str | None
    ended_at: str | None
    status: str | None = strawberry.field(
        description="Sync runs: running (never finished), ok, rejected, retirement refused."
    )

    @classmethod
    def of(cls, run: provenance.Run) -> Activity:
        return cls(
            id=strawberry.ID(run.id),
            label=run.label,
            source=run.source,
            started_at=run.started_at,
            ended_at=run.ended_at,
            status=run.status,
        )


@strawberry.type(description="Where an element's facts come from, and how fresh they are.")
class Provenance:
    element: Element
    source: str | None = strawberry.field(
        description="The sync source that owns the element (none for loaded files)."
    )
    external_id: str | None = strawberry.field(
        description="The element's record id in that source: with `source`, its upsert key."
    )
    generated_by: Activity | None = strawberry.field(
        description="The load or sync run that last changed the element."
    )
    last_seen: str | None = strawberry.field(
        description=(
            "When the source last delivered the element: the end of the source's last "
            "completed full sync, or of the run that wrote it if that is later."
        )
    )


@strawberry.type
class ProvenanceQuery:
    @strawberry.field(
        description=(
            "Where an element (a key such as volume/crm/..., or an IRI) comes from: the sync "
            "source and record id that own it, the run that last changed it, and when its "
            "source last delivered it. An unknown id is an error (NOT_FOUND)."
        )
    )
    async def provenance(self, info: Info[Context, None], of: strawberry.ID) -> Provenance:
        found = await store_call(provenance.provenance_of, info.context.store, str(of))
        return Provenance(
            element=Element.of(found.element),
            source=found.source,
            external_id=found.external_id,
            generated_by=Activity.of(found.generated_by) if found.generated_by else None,
            last_seen=found.last_seen,
        )
