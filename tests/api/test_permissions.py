"""The role matrix: every principal against every GraphQL root field and REST route.

Each cell is a real request (a tiny valid document per root field, generated
from the schema), expected to pass exactly when GRANTS gives the caller the
permission api/permissions.py names. Auth does not depend on the backend, so
the matrix runs on the embedded store only.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    Undefined,
    get_named_type,
    is_leaf_type,
)

from journeykg.access.roles import GRANTS, Permission, Role
from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.api.permissions import ROOT_PERMISSIONS
from journeykg.api.schema import build_schema
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.state import TOKENS_FILE
from journeykg.settings import Settings
from tests.conftest import BASE

SCHEMA = build_schema()._schema
ROOTS: dict[str, GraphQLObjectType] = {
    "Query": SCHEMA.query_type,  # type: ignore[dict-item]
    "Mutation": SCHEMA.mutation_type,  # type: ignore[dict-item]
}
ROOT_FIELDS = [(root, name) for root, kind in ROOTS.items() for name in kind.fields]

#: Every REST route and the permission it needs (None: open to all).
ROUTES: dict[tuple[str, str], Permission | None] = {
    ("GET", "/health"): None,
    ("GET", "/health/ready"): None,
    ("GET", "/health/worker"): Permission.ADMINISTER,
    ("POST", "/sync/{source}"): Permission.SYNC,
    ("GET", "/tokens"): Permission.ADMINISTER,
    ("DELETE", "/tokens/{token_id}"): Permission.ADMINISTER,
    ("GET", "/impact/{element}.{fmt}"): Permission.READ,
    ("GET", "/lifecycle.{fmt}"): Permission.READ,
}

#: Who is asking: a token of each role, and no token with anonymous read on and off.
CALLERS = [*(r.value for r in Role), "anonymous (read on)", "anonymous (off)"]


def literal(kind: GraphQLInputType) -> str:
    """A valid GraphQL literal of ``kind``: required input fields filled, lists empty."""
    if isinstance(kind, GraphQLNonNull):
        return literal(kind.of_type)
    if isinstance(kind, GraphQLList):
        return "[]"
    if isinstance(kind, GraphQLEnumType):
        return str(next(iter(kind.values)))
    if isinstance(kind, GraphQLInputObjectType):
        required = [
            f"{name}: {literal(field.type)}"
            for name, field in kind.fields.items()
            if isinstance(field.type, GraphQLNonNull) and field.default_value is Undefined
        ]
        return "{" + ", ".join(required) + "}"
    assert isinstance(kind, GraphQLScalarType), kind
    return {"Int": "1", "Float": "1.0", "Boolean": "false"}.get(kind.name, '"matrix"')


def document(root: str, name: str) -> str:
    """The smallest valid operation that calls root field ``name``."""
    field = ROOTS[root].fields[name]
    args = [
        f"{arg_name}: {literal(arg.type)}"
        for arg_name, arg in field.args.items()
        if isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
    ]
    call = f"{name}({', '.join(args)})" if args else name
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    return f"{root.lower()} {{ {call}{selection} }}"


def allowed(caller: str, permission: Permission | None) -> bool:
    """What GRANTS says: the expectation of each cell."""
    if permission is None:
        return True
    if caller == "anonymous (off)":
        return False
    if caller == "anonymous (read on)":
        return permission is Permission.READ
    return permission in GRANTS[Role(caller)]


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, TestClient]]:
    """A client per caller, all on one embedded store and one token database."""
    tmp = Path(tmp_path_factory.mktemp("matrix"))
    settings = Settings(state_dir=tmp / "state", recipes_dir=tmp / "recipes")
    tokens = TokenStore(tmp / "state" / TOKENS_FILE)
    with EmbeddedStore(tmp / "store", BASE) as store:
        closed = create_app(store, settings=settings, tokens=tokens)
        demo = create_app(
            store, settings=settings.model_copy(update={"anonymous_read": True}), tokens=tokens
        )
        found = {"anonymous (read on)": TestClient(demo), "anonymous (off)": TestClient(closed)}
        for role in Role:
            token = tokens.create(role.value, role, timedelta(hours=1)).token
            found[role.value] = TestClient(closed, headers={"Authorization": f"Bearer {token}"})
        yield found


def test_every_root_field_has_a_permission() -> None:
    """A new root field fails here until api/permissions.py says who may call it."""
    in_schema = {root: set(kind.fields) for root, kind in ROOTS.items()}
    in_table = {root: set(fields) for root, fields in ROOT_PERMISSIONS.items()}
    assert in_table == in_schema


def test_every_rest_route_is_in_the_matrix(clients: dict[str, TestClient]) -> None:
    """A new route fails here until the matrix (and its dependency) says who may call it."""
    spec = clients["reader"].get("/openapi.json").json()
    routes = {
        (method.upper(), path)
        for path, operations in spec["paths"].items()
        if path != "/graphql"  # GraphQL: the root fields above
        for method in operations
    }
    assert routes == set(ROUTES)


def test_the_table_matches_the_roles_of_the_issue() -> None:
    """Written out by hand from issue 6, so that a wrong entry in either table shows."""
    calls = {
        role: {name for root, name in ROOT_FIELDS if allowed(role.value, permission_of(root, name))}
        for role in Role
    }
    audit = {"auditTrail"}
    queries = {name for root, name in ROOT_FIELDS if root == "Query"} - audit
    proposing = {"proposeConcept", "submitConcept", "proposeChange"}
    deciding = {"approve", "reject", "deprecate", "migrateReferences", "deleteConcept"}
    # Issue 18: architects record insights and propose initiatives; stewards also steer them.
    recording = {"recordInsight", "proposeInitiative", "runSignals"}
    steering = {"setInsightStatus", "setInitiativeStatus"}
    assert calls == {
        Role.READER: queries,
        Role.ARCHITECT: queries | proposing | recording | {"saveScenario", "discardScenario"},
        Role.STEWARD: queries | proposing | deciding | audit | recording | steering,
        Role.INTEGRATOR: set(),
        Role.ADMIN: queries | audit,
    }


def permission_of(root: str, name: str) -> Permission | None:
    return ROOT_PERMISSIONS.get(root, {}).get(name)


def codes(body: dict[str, Any]) -> set[str | None]:
    return {(e.get("extensions") or {}).get("code") for e in body.get("errors", [])}


@pytest.mark.parametrize(("root", "name"), ROOT_FIELDS)
@pytest.mark.parametrize("caller", CALLERS)
def test_graphql_cell(clients: dict[str, TestClient], caller: str, root: str, name: str) -> None:
    response = clients[caller].post("/graphql", json={"query": document(root, name)})
    permission = permission_of(root, name)
    if caller == "anonymous (off)":
        assert response.status_code == 401
        return
    assert response.status_code == 200, response.text
    body = response.json()
    # Every error comes from running the field: the document itself is valid.
    assert all("path" in e for e in body.get("errors", [])), body
    if allowed(caller, permission):
        assert not codes(body) & {"FORBIDDEN", "UNAUTHENTICATED"}, body
    else:
        [error] = body["errors"]
        code = "UNAUTHENTICATED" if caller.startswith("anonymous") else "FORBIDDEN"
        assert error["extensions"] == {"code": code, "permission": str(permission)}
        assert error["path"] == [name]


@pytest.mark.parametrize(("method", "path"), list(ROUTES))
@pytest.mark.parametrize("caller", CALLERS)
def test_rest_cell(clients: dict[str, TestClient], caller: str, method: str, path: str) -> None:
    url = path.replace("{source}", "matrix").replace("{token_id}", "matrix")
    url = url.replace("{element}", "process/matrix").replace("{fmt}", "dot")
    response = clients[caller].request(method, url)
    if allowed(caller, ROUTES[(method, path)]):
        assert response.status_code not in (401, 403), response.text
    else:
        expected = 401 if caller.startswith("anonymous") else 403
        assert response.status_code == expected, response.text
