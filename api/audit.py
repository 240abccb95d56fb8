"""GraphQL for the audit trail: who changed what, when, with the old and new values.

The trail is read-only here: there is a query and no mutation. Every
mutation is attributed by :class:`AuditExtension` to the caller (the
request's principal) and to the root field it runs (``graphql:approve``),
so that the store's audit journal records it.

Permission: reading the trail needs ``Permission.AUDIT`` (stewards and
admins). When the per-root-field permission table lands, ``auditTrail``
belongs there with ``Permission.AUDIT``; until then the resolver checks it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime

import strawberry
from graphql import FieldNode, GraphQLError, OperationDefinitionNode, OperationType
from starlette.requests import Request
from strawberry.extensions import SchemaExtension
from strawberry.types import Info

from journeykg.access.roles import Permission
from journeykg.api.context import Context
from journeykg.api.errors import store_call
from journeykg.api.pagination import Connection, page_bounds
from journeykg.graph.audit_context import audit_context
from journeykg.services import audit

#: The header a client may send to tie its request to the trail (else one is made up).
REQUEST_ID_HEADER = "x-request-id"


def request_id(request: Request | None) -> str:
    """The caller's X-Request-ID if it sent one (cut to 100 characters), else a new id."""
    sent = request.headers.get(REQUEST_ID_HEADER) if request is not None else None
    return sent.strip()[:100] if sent and sent.strip() else uuid.uuid4().hex


class AuditExtension(SchemaExtension):
    """Runs a mutation inside an audit context: the principal, ``graphql:<root fields>``."""

    def on_execute(self) -> Iterator[None]:
        execution = self.execution_context
        operation = _operation(execution.graphql_document, execution.operation_name)
        context = execution.context
        if operation is None or operation.operation != OperationType.MUTATION:
            yield
            return
        fields = [
            s.name.value for s in operation.selection_set.selections if isinstance(s, FieldNode)
        ]
        principal = context.principal if isinstance(context, Context) else None
        request = getattr(context, "request", None)
        with audit_context(
            actor=principal.name if principal else "anonymous",
            role=principal.role.value if principal and principal.role else None,
            action="graphql:" + ",".join(fields),
            request_id=request_id(request if isinstance(request, Request) else None),
        ):
            yield


def _operation(document: object, name: str | None) -> OperationDefinitionNode | None:
    definitions = getattr(document, "definitions", ())
    operations = [d for d in definitions if isinstance(d, OperationDefinitionNode)]
    for op in operations:
        if name is None or (op.name is not None and op.name.value == name):
            return op
    return None


@strawberry.type(
    description="One write to the graph: who, when, what was asked, old and new values."
)
class AuditTrailEntry:
    id: strawberry.ID
    at: datetime
    actor: str = strawberry.field(description="The principal's name (the OS user for the CLI).")
    role: str | None
    action: str = strawberry.field(
        description="What was asked: graphql:<mutation>, rest:sync:<source>, cli:<command>."
    )
    request_id: str | None
    backend: str
    by: str | None = strawberry.field(
        description="The post a governance step was taken for (owner/lead-cx-office)."
    )
    reason: str | None = strawberry.field(
        description="Why, as the caller gave it: a decision's rationale, a deletion's reason."
    )
    note: str | None = strawberry.field(
        description="What a change beside the graph did (a token created or revoked)."
    )
    elements: list[strawberry.ID] = strawberry.field(
        description="Keys (or IRIs) of the elements whose statements changed; token/<id>."
    )
    element_count: int = strawberry.field(
        description="How many elements the write touched (a large load's: hundreds of thousands)."
    )
    removed_count: int
    added_count: int
    removed: str = strawberry.field(description="Old values: the removed triples, N-Triples.")
    added: str = strawberry.field(description="New values: the added triples, N-Triples.")


@strawberry.type
class AuditQuery:
    @strawberry.field(
        description=(
            "The audit trail, newest first: every write to the graph (mutations, syncs, "
            "loads, CLI commands). Filter by `actor`, by `element` (key or IRI: writes that "
            "changed its statements) and by time (`since` inclusive, `until` exclusive). "
            "Needs the AUDIT permission (steward, admin). Read-only: no mutation changes it."
        )
    )
    async def audit_trail(
        self,
        info: Info[Context, None],
        actor: str | None = None,
        element: strawberry.ID | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[AuditTrailEntry]:
        if not info.context.principal.may(Permission.AUDIT):
            raise GraphQLError(
                "reading the audit trail needs the audit permission (steward or admin)",
                extensions={"code": "FORBIDDEN"},
            )
        offset, size = page_bounds(first, after)
        asked = _selected_names(info)
        try:
            page = await store_call(
                audit.trail,
                info.context.store,
                actor=actor,
                element=str(element) if element is not None else None,
                since=since,
                until=until,
                offset=offset,
                limit=size,
                # Only what the query selects: a large load's one entry holds ~620 MB of
                # values and 805,093 elements, read for nothing by a query of counts.
                texts=bool({"removed", "added"} & asked),
                elements=None if "elements" in asked else 0,
            )
        except audit.NoAuditTrailError as exc:
            raise GraphQLError(
                "this server keeps no audit trail (its store is not audited)",
                extensions={"code": "BAD_REQUEST"},
            ) from exc
        entries = [_entry(e) for e in page.entries]
        return Connection[AuditTrailEntry].window(entries, offset, page.total)


def _selected_names(info: Info[Context, None]) -> set[str]:
    """Every field name selected under the field being resolved, fragments included."""
    names: set[str] = set()

    def walk(selections: Iterable[object]) -> None:
        # Fields, fragment spreads and inline fragments: each has its own selections.
        for selection in selections:
            name = getattr(selection, "name", None)
            if isinstance(name, str):
                names.add(name)
            walk(getattr(selection, "selections", None) or ())

    for field in info.selected_fields:
        walk(field.selections)
    return names


def _entry(e: audit.TrailEntry) -> AuditTrailEntry:
    return AuditTrailEntry(
        id=strawberry.ID(e.id),
        at=e.at,
        actor=e.actor,
        role=e.role,
        action=e.action,
        request_id=e.request_id,
        backend=e.backend,
        by=e.by,
        reason=e.reason,
        note=e.note,
        elements=[strawberry.ID(k) for k in e.elements],
        element_count=e.element_count,
        removed_count=e.removed_count,
        added_count=e.added_count,
        removed=e.removed,
        added=e.added,
    )


__all__ = ["AuditExtension", "AuditQuery", "request_id"]
