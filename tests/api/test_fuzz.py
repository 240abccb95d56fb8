"""Schemathesis fuzzes the REST API (from its OpenAPI spec) and GraphQL (from its schema).

In process (ASGI, no network), on the demo organisation in the embedded
store, with a bounded and reproducible number of examples. Any 5xx fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from rdflib import Graph
from schemathesis.checks import not_a_server_error

from journeykg.access.roles import GRANTS, Permission, Role
from journeykg.access.tokens import TokenStore
from journeykg.api.app import create_app
from journeykg.api.permissions import ROOT_PERMISSIONS
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.state import TOKENS_FILE
from journeykg.resources import DEMO_DATASET
from journeykg.settings import Settings
from tests.conftest import BASE

#: The role each fuzzed operation is sent as: one that may run it, so that the
#: fuzzer reaches past permission refusals into the resolvers and routes.
REST_ROLES = {
    "POST /sync/{source}": Role.INTEGRATOR,
    "GET /tokens": Role.ADMIN,
    "GET /health/worker": Role.ADMIN,
}


def role_for(label: str) -> Role:
    """A role holding the permission that ``label`` (Query.x, Mutation.y, VERB /path) needs."""
    if label in REST_ROLES or label.startswith("DELETE /tokens"):
        return REST_ROLES.get(label, Role.ADMIN)
    root, _, field = label.partition(".")
    needed = ROOT_PERMISSIONS.get(root, {}).get(field, Permission.READ)
    return next(role for role in Role if needed in GRANTS[role])


FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(tmp_path_factory.mktemp("fuzz"))


@pytest.fixture(scope="module")
def headers(fuzz_dir: Path) -> dict[Role, dict[str, str]]:
    """A real token per role, in the fuzzed app's token database."""
    tokens = TokenStore(fuzz_dir / "state" / TOKENS_FILE)
    return {
        role: {
            "Authorization": f"Bearer {tokens.create(role.value, role, timedelta(days=1)).token}"
        }
        for role in Role
    }


@pytest.fixture(scope="module")
def demo_app(fuzz_dir: Path, headers: dict[Role, dict[str, str]]) -> Iterator[FastAPI]:
    """The API over the demo organisation, introspection on (the GraphQL fuzzer reads it)."""
    store = EmbeddedStore(fuzz_dir / "store", BASE)
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    settings = Settings(state_dir=fuzz_dir / "state", graphql_introspection=True)
    yield create_app(store, settings=settings)
    store.close()


@pytest.fixture(scope="module")
def openapi_schema(demo_app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", demo_app)


@pytest.fixture(scope="module")
def graphql_schema(demo_app: FastAPI, headers: dict[Role, dict[str, str]]) -> Any:
    # Introspection is a read: any token may ask it, once it is switched on.
    return schemathesis.graphql.from_asgi("/graphql", demo_app, headers=headers[Role.READER])


def rest_check(case: Any, response: Any) -> None:
    case.validate_response(response, checks=[not_a_server_error])


def graphql_check(case: Any, response: Any) -> None:
    """No 5xx, and every error raised while executing is an expected one, with its code.

    schemathesis's own GraphQL check counts any resolver error as a server error,
    NOT_FOUND for an id it made up included; here the failures are the ones a
    client cannot act on: a 5xx, or a masked INTERNAL error (a bug).
    """
    assert response.status_code < 500, response.text
    for error in response.json().get("errors") or ():
        if "path" in error:  # raised by a resolver (validation errors carry no path)
            code = (error.get("extensions") or {}).get("code")
            assert code not in (None, "INTERNAL"), error


def run_as(
    sent: dict[str, str], operation: Any, check: Callable[[Any, Any], None]
) -> Callable[[], None]:
    """A Hypothesis test sending ``operation``'s generated cases with ``sent`` headers.

    schemathesis's own pytest loader for fixtures (``schemathesis.pytest.from_fixture``)
    breaks on pytest 9 (it sets ``Function._nodeid``), so each operation runs as a
    plain Hypothesis test over the operation's strategy.
    """

    @FUZZ
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        check(case, case.call(headers=sent))

    return run


def fuzz(
    schema: Any, check: Callable[[Any, Any], None], headers: dict[Role, dict[str, str]]
) -> list[str]:
    """Run every operation of ``schema`` on FUZZ examples; the operations it covered."""
    covered = []
    for result in schema.get_all_operations():
        operation = result.ok()

        # schemathesis's own pytest loader for fixtures (schemathesis.pytest.from_fixture)
        # breaks on pytest 9 (it sets Function._nodeid), so each operation runs as a
        # plain Hypothesis test over the operation's strategy.
        run_as(headers[role_for(operation.label)], operation, check)()
        covered.append(operation.label)
    return covered


def test_rest_never_answers_5xx(openapi_schema: Any, headers: dict[Role, dict[str, str]]) -> None:
    covered = fuzz(openapi_schema, rest_check, headers)
    assert {"POST /sync/{source}", "GET /health/ready"} <= set(covered)


def test_graphql_never_answers_5xx(
    graphql_schema: Any, headers: dict[Role, dict[str, str]]
) -> None:
    covered = fuzz(graphql_schema, graphql_check, headers)
    assert {"Query.impact", "Query.whatIf", "Mutation.saveScenario"} <= set(covered)
