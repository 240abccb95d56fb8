"""Schemathesis fuzzes the REST API (from its OpenAPI spec) and GraphQL (from its schema).

In process (ASGI, no network), on the demo organisation in the embedded
store, with a bounded and reproducible number of examples. Any 5xx fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from rdflib import Graph
from schemathesis.checks import not_a_server_error

from journeykg.api import create_app
from journeykg.graph.embedded import EmbeddedStore
from journeykg.resources import DEMO_DATASET
from journeykg.settings import Settings
from tests.conftest import BASE

#: Sent with every fuzzed request: the role that may do everything, so that the
#: fuzzer reaches past permission refusals. Token authentication replaces this
#: header by its Bearer header here.
HEADERS: dict[str, str] = {"X-JourneyKG-Role": "steward"}

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@pytest.fixture(scope="module")
def demo_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    """The API over the demo organisation, introspection on (the GraphQL fuzzer reads it)."""
    store = EmbeddedStore(Path(tmp_path_factory.mktemp("fuzz")) / "store", BASE)
    store.upsert(Graph().parse(DEMO_DATASET, format="turtle"))
    yield create_app(store, settings=Settings(graphql_introspection=True))
    store.close()


@pytest.fixture(scope="module")
def openapi_schema(demo_app: FastAPI) -> Any:
    return schemathesis.openapi.from_asgi("/openapi.json", demo_app)


@pytest.fixture(scope="module")
def graphql_schema(demo_app: FastAPI) -> Any:
    return schemathesis.graphql.from_asgi("/graphql", demo_app)


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


def fuzz(schema: Any, check: Callable[[Any, Any], None]) -> list[str]:
    """Run every operation of ``schema`` on FUZZ examples; the operations it covered."""
    covered = []
    for result in schema.get_all_operations():
        operation = result.ok()

        # schemathesis's own pytest loader for fixtures (schemathesis.pytest.from_fixture)
        # breaks on pytest 9 (it sets Function._nodeid), so each operation runs as a
        # plain Hypothesis test over the operation's strategy.
        @FUZZ
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            check(case, case.call(headers=HEADERS))

        run()
        covered.append(operation.label)
    return covered


def test_rest_never_answers_5xx(openapi_schema: Any) -> None:
    covered = fuzz(openapi_schema, rest_check)
    assert {"POST /sync/{source}", "GET /health/ready"} <= set(covered)


def test_graphql_never_answers_5xx(graphql_schema: Any) -> None:
    covered = fuzz(graphql_schema, graphql_check)
    assert {"Query.impact", "Query.whatIf", "Mutation.saveScenario"} <= set(covered)
