"""Schemathesis from outside: the OpenAPI and the GraphQL schema fuzzed against a served instance.

tests/api/test_fuzz.py fuzzes the app in process; this one fuzzes what
users reach: a real ``journeykg serve`` (uvicorn) in a child process on a
free port of 127.0.0.1, over the demo organisation, with a real token of a
role that may run each operation. Bounded: FUZZ_EXAMPLES examples per
operation and FUZZ_SECONDS for the whole run (operations left when the time
is up are sent nothing, and the test says how many). Fails on any 5xx and on
any GraphQL error coded INTERNAL (a masked bug) or a resolver error without a
code. The tally of answers is printed (run with ``-s`` to see it).

    JOURNEYKG_FUZZ_EXAMPLES=300 JOURNEYKG_FUZZ_SECONDS=1800 \\
        .venv/bin/pytest -s tests/api/test_fuzz_served.py        # a longer hunt
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.state import TOKENS_FILE
from journeykg.loaders.pipeline import load_file
from journeykg.resources import DEMO_DATASET, GLOSSARY_DATASET
from tests.api.test_fuzz import rest_check, role_for
from tests.conftest import BASE
from tests.served import served
from tests.sync_salesforce import recipes_dir

FUZZ_EXAMPLES = int(os.environ.get("JOURNEYKG_FUZZ_EXAMPLES", "12"))
FUZZ_SECONDS = float(os.environ.get("JOURNEYKG_FUZZ_SECONDS", "40"))

#: Findings that belong to open work elsewhere (issue 15 point 3: "an identifier
#: that cannot be an IRI is BAD_REQUEST everywhere"), by the root field that
#: answers INTERNAL: counted and printed, not failed. Remove an entry once
#: its fix is on main; the tally shows whether it still occurs.
KNOWN_INTERNAL: dict[str, str] = {}

FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@dataclass
class Tally:
    """What the fuzzer sent and what came back, for the report."""

    deadline: float
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    codes: Counter[str] = field(default_factory=Counter)
    skipped: list[str] = field(default_factory=list)
    known: Counter[str] = field(default_factory=Counter)

    def record(self, response: Any) -> None:
        """Count one answer: its status, and each GraphQL error's code."""
        self.requests += 1
        self.statuses[response.status_code] += 1
        # schemathesis keeps every header as a list of values
        if any("json" in v for v in response.headers.get("content-type", [])):
            body = response.json()
            errors = body.get("errors") if isinstance(body, dict) else None
            for error in errors or ():
                self.codes[str((error.get("extensions") or {}).get("code"))] += 1

    def __str__(self) -> str:
        return (
            f"{self.requests} requests; statuses {dict(sorted(self.statuses.items()))}; "
            f"GraphQL error codes {dict(self.codes.most_common())}; "
            f"known findings {dict(self.known)}; "
            f"operations not reached in time: {len(self.skipped)}"
        )


def graphql_checker(tally: Tally) -> Callable[[Any, Any], None]:
    """No 5xx; no error coded INTERNAL (but KNOWN_INTERNAL's); every resolver error coded."""

    def check(case: Any, response: Any) -> None:
        assert response.status_code < 500, response.text
        for error in response.json().get("errors") or ():
            code = (error.get("extensions") or {}).get("code")
            root = (error.get("path") or [None])[0]
            if code == "INTERNAL" and root in KNOWN_INTERNAL:
                tally.known[f"{root}: {KNOWN_INTERNAL[root]}"] += 1
                continue
            assert code != "INTERNAL", (case.body, error)
            if "path" in error:  # raised by a resolver (validation errors carry no path)
                assert code is not None, (case.body, error)

    return check


@pytest.fixture(scope="module")
def instance(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[Role, Any]]]:
    """A served demo organisation (embedded, introspection on) and a token header per role."""
    root = Path(tmp_path_factory.mktemp("fuzz-served"))
    store = EmbeddedStore(root / "kg", BASE)
    try:
        load_file(store, DEMO_DATASET)
        load_file(store, GLOSSARY_DATASET)
    finally:
        store.close()
    env = {
        "JOURNEYKG_BACKEND": "embedded",
        "JOURNEYKG_NEO4J_URI": "",  # the embedded store, whatever Neo4j the tests are given
        "JOURNEYKG_STORE_DIR": str(root / "kg"),
        "JOURNEYKG_STATE_DIR": str(root / "state"),
        "JOURNEYKG_RECIPES_DIR": str(recipes_dir(root / "recipes")),
        "JOURNEYKG_BASE_IRI": BASE,
        "JOURNEYKG_GRAPHQL_INTROSPECTION": "true",
    }
    tokens = TokenStore(root / "state" / TOKENS_FILE)
    headers = {
        role: {
            "Authorization": f"Bearer {tokens.create(role.value, role, timedelta(hours=1)).token}"
        }
        for role in Role
    }
    with served(env, root / "server.log") as url:
        yield url, headers


@pytest.fixture(scope="module")
def tally() -> Iterator[Tally]:
    """One tally for both schemas, within one time budget; printed at the end."""
    counted = Tally(deadline=time.monotonic() + FUZZ_SECONDS)
    yield counted
    print(f"\nschemathesis from outside: {counted}")


def sending(
    operation: Any, sent: dict[str, str], check: Callable[[Any, Any], None], tally: Tally
) -> Callable[[], None]:
    """A Hypothesis test sending ``operation``'s cases with ``sent`` headers until the deadline."""

    @FUZZ
    @given(case=operation.as_strategy())
    def run(case: Any) -> None:
        if time.monotonic() > tally.deadline:
            return
        response = case.call(headers=sent, timeout=60)
        tally.record(response)
        check(case, response)

    return run


def fuzz(
    schema: Any,
    check: Callable[[Any, Any], None],
    headers: dict[Role, dict[str, str]],
    tally: Tally,
) -> list[str]:
    """Every operation of ``schema``, FUZZ examples each, while the time lasts; those sent."""
    covered = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if time.monotonic() > tally.deadline:
            tally.skipped.append(operation.label)
            continue
        sending(operation, headers[role_for(operation.label)], check, tally)()
        covered.append(operation.label)
    return covered


def test_rest_from_outside_never_answers_5xx(
    instance: tuple[str, dict[Role, dict[str, str]]], tally: Tally
) -> None:
    url, headers = instance
    schema = schemathesis.openapi.from_url(f"{url}/openapi.json")
    covered = fuzz(schema, rest_check, headers, tally)
    assert {"POST /sync/{source}", "GET /health/ready"} <= set(covered)


def test_graphql_from_outside_never_answers_5xx_or_internal(
    instance: tuple[str, dict[Role, dict[str, str]]], tally: Tally
) -> None:
    url, headers = instance
    schema = schemathesis.graphql.from_url(f"{url}/graphql", headers=headers[Role.READER])
    covered = fuzz(schema, graphql_checker(tally), headers, tally)
    assert {"Query.impact", "Query.whatIf", "Mutation.saveScenario"} <= set(covered)
