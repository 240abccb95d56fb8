"""The permission each GraphQL root field needs, and the one place it is enforced.

Every Query and Mutation root field is listed here; ``guard`` puts a check in
front of each when the schema is built. A root field missing from the table
is refused to everyone (fail closed), and tests/api/test_permissions.py fails
until it is listed, so a new field cannot slip through unguarded. Nested
fields need no check of their own: they are only reached through a root field.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import FieldExtension
from strawberry.types import Info
from strawberry.types.base import get_object_definition
from strawberry.types.field import StrawberryField
from strawberry.utils.str_converters import to_camel_case

from journeykg.access.roles import Permission

ROOT_PERMISSIONS: Mapping[str, Mapping[str, Permission]] = {
    "Query": {
        "impact": Permission.READ,
        "element": Permission.READ,
        "priorities": Permission.READ,
        "concept": Permission.READ,
        "concepts": Permission.READ,
        "provenance": Permission.READ,
        "journeyMining": Permission.READ,
        # Asking what a change set would do writes nothing, so any reader may (the demo's
        # examples ask it anonymously); keeping or discarding a scenario needs SCENARIO.
        "whatIf": Permission.READ,
        "scenarios": Permission.READ,
        "compareScenarios": Permission.READ,
        "auditTrail": Permission.AUDIT,
        "insights": Permission.READ,
        "initiatives": Permission.READ,
        "initiativeImpact": Permission.READ,
        "measureInitiative": Permission.READ,
        "initiativeRanking": Permission.READ,
    },
    "Mutation": {
        "saveScenario": Permission.SCENARIO,
        "discardScenario": Permission.SCENARIO,
        "proposeConcept": Permission.PROPOSE,
        "submitConcept": Permission.PROPOSE,
        "proposeChange": Permission.PROPOSE,
        "approve": Permission.DECIDE,
        "reject": Permission.DECIDE,
        "deprecate": Permission.DECIDE,
        "migrateReferences": Permission.DECIDE,
        "deleteConcept": Permission.DECIDE,
        # Insights and initiatives (docs/insights.md): an architect or steward records an
        # insight and proposes an initiative; the steward (the board) validates, plans, closes.
        "recordInsight": Permission.INSIGHT,
        "proposeInitiative": Permission.INSIGHT,
        "runSignals": Permission.INSIGHT,
        "setInsightStatus": Permission.STEER,
        "setInitiativeStatus": Permission.STEER,
    },
}


class RequiresPermission(FieldExtension):
    """Refuses a root field unless the request's principal holds ``permission``.

    ``permission`` None means the field is missing from ROOT_PERMISSIONS: refused to all.
    A strawberry PermissionExtension cannot choose its error per request (UNAUTHENTICATED
    for anonymous, FORBIDDEN for a token), so this small extension raises its own.
    """

    def __init__(self, root: str, permission: Permission | None) -> None:
        self.root = root
        self.permission = permission

    def check(self, info: Info[Any, Any]) -> None:
        """Raise the GraphQL error that refuses this field, unless the caller may call it."""
        principal = info.context.principal
        if self.permission is None:
            raise GraphQLError(
                f"{self.root} has no permission in api/permissions.py, so nobody may call it",
                extensions={"code": "FORBIDDEN"},
            )
        if principal.may(self.permission):
            return
        if principal.role is None:
            raise GraphQLError(
                f"{self.root} needs the {self.permission} permission: send a token that holds it",
                extensions={"code": "UNAUTHENTICATED", "permission": self.permission.value},
            )
        raise GraphQLError(
            f"token {principal.name!r} ({principal.role}) may not call {self.root}: "
            f"it needs the {self.permission} permission",
            extensions={"code": "FORBIDDEN", "permission": self.permission.value},
        )

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: Info[Any, Any], **kwargs: Any
    ) -> Any:
        self.check(info)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self,
        next_: Callable[..., Awaitable[Any]],
        source: Any,
        info: Info[Any, Any],
        **kwargs: Any,
    ) -> Any:
        self.check(info)
        return await next_(source, info, **kwargs)


def graphql_name(field: StrawberryField) -> str:
    """A field's name in the schema (strawberry's default camelCase conversion)."""
    return field.graphql_name or to_camel_case(field.python_name)


def guard(root_type: type, type_name: str) -> type:
    """``root_type`` with the check of ROOT_PERMISSIONS in front of every field."""
    table = ROOT_PERMISSIONS.get(type_name, {})
    definition = get_object_definition(root_type, strict=True)
    for field in definition.fields:
        name = graphql_name(field)
        if not any(isinstance(e, RequiresPermission) for e in field.extensions):
            field.extensions.append(RequiresPermission(f"{type_name}.{name}", table.get(name)))
    return root_type
