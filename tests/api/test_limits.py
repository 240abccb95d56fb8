"""The GraphQL request limits (api/limits.py), over HTTP, on the embedded store."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from journeykg.api.queries import query
from journeykg.graph.store import Store
from journeykg.settings import Settings
from tests.api.conftest import MakeClient
from tests.conftest import read_fixture

TOO_COMPLEX = "QUERY_TOO_COMPLEX"


@pytest.fixture
def loaded(embedded_store: Store) -> Store:
    embedded_store.upsert(read_fixture("impact_small.ttl"))
    return embedded_store


@pytest.fixture
def client(make_client: MakeClient) -> MakeClient:
    """An app over a store with the given limits, asked as an architect."""
    return make_client


def ask(client: TestClient, document: str, **variables: Any) -> dict[str, Any]:
    response = client.post("/graphql", json={"query": document, "variables": variables})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def codes(body: dict[str, Any]) -> list[str | None]:
    return [(e.get("extensions") or {}).get("code") for e in body.get("errors", [])]


def test_the_bundled_queries_pass_the_default_limits(loaded: Store, client: MakeClient) -> None:
    api = client(loaded)
    assert "errors" not in ask(api, query("impact"), of="process/x")
    for operation in ("ImpactOfCreditCheck", "WhatMovingDependsOn", "Priorities"):
        body = api.post(
            "/graphql", json={"query": query("examples"), "operationName": operation}
        ).json()
        assert TOO_COMPLEX not in codes(body), body


def test_depth_beyond_the_limit_is_refused(loaded: Store, client: MakeClient) -> None:
    # The bundled impact query nests 8 fields deep (impact.journeys.edges.node.paths...).
    body = ask(client(loaded, max_query_depth=7), query("impact"), of="process/x")
    assert codes(body) == [TOO_COMPLEX]
    assert "depth 8 exceeds the limit of 7" in body["errors"][0]["message"]
    assert "errors" not in ask(client(loaded, max_query_depth=8), query("impact"), of="process/x")


def test_depth_counts_what_fragments_bring_in(loaded: Store, client: MakeClient) -> None:
    document = """{ ...A }
        fragment A on Query { impact(of: "process/x") { ...B } }
        fragment B on Impact { elements { edges { node { element { id } } } } }"""
    assert "errors" not in ask(client(loaded, max_query_depth=6), document)
    body = ask(client(loaded, max_query_depth=5), document)
    assert "depth 6 exceeds the limit of 5" in body["errors"][0]["message"]


def test_too_many_tokens_are_refused_while_parsing(loaded: Store, client: MakeClient) -> None:
    body = ask(client(loaded, max_query_tokens=50), query("impact"), of="process/x")
    assert body["data"] is None
    assert "more than 50 tokens" in body["errors"][0]["message"]


def test_too_many_aliases_are_refused(loaded: Store, client: MakeClient) -> None:
    fields = " ".join(f'a{i}: element(id: "process/x") {{ id }}' for i in range(4))
    assert "errors" not in ask(client(loaded, max_aliases=4), f"{{ {fields} }}")
    body = ask(client(loaded, max_aliases=3), f"{{ {fields} }}")
    assert codes(body) == [TOO_COMPLEX]
    assert "aliases 4 exceeds the limit of 3" in body["errors"][0]["message"]


def test_aliases_hidden_in_fragment_spreads_are_counted_at_every_spread(
    loaded: Store, client: MakeClient
) -> None:
    # Two aliases in a fragment spread three times are six aliases, not two.
    document = """{ ...F ...F ...F }
        fragment F on Query { a: element(id: "process/x") { id } b: __typename }"""
    body = ask(client(loaded, max_aliases=5), document)
    assert "aliases 6 exceeds the limit of 5" in body["errors"][0]["message"]
    assert "errors" not in ask(client(loaded, max_aliases=6), document)


def fragment_chain(levels: int) -> str:
    """An alias bomb: each fragment spreads the next one twice; the last holds one alias."""
    chain = [f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(levels)]
    return "{ ...F0 }\n" + "\n".join(chain) + f"\nfragment F{levels} on Query {{ x: __typename }}"


def test_an_alias_bomb_in_nested_fragments_is_refused_quickly(
    loaded: Store, client: MakeClient
) -> None:
    api = client(loaded)
    body = ask(api, fragment_chain(10))
    assert f"aliases {2**10} exceeds the limit of 30" in body["errors"][0]["message"]
    # Each fragment is measured once: 60 levels (2**60 aliases) validate at once,
    # where a walk per spread (strawberry's MaxAliasesLimiter) would never finish.
    started = time.process_time()
    body = ask(api, fragment_chain(60))
    assert time.process_time() - started < 2.0
    assert f"aliases {2**60} exceeds" in body["errors"][0]["message"]


def test_cost_follows_the_documented_formula(loaded: Store, client: MakeClient) -> None:
    # hops: 1; node: 1 + 1*1; edges (a connection's list): 1 + 1*2;
    # elements(first: 10): 1 + 10*3; impact: 1 + 1*31 = 32.
    document = '{ impact(of: "process/x") { elements(first: 10) { edges { node { hops } } } } }'
    assert "errors" not in ask(client(loaded, max_query_cost=32), document)
    body = ask(client(loaded, max_query_cost=31), document)
    assert codes(body) == [TOO_COMPLEX]
    assert "estimated cost 32 exceeds the limit of 31" in body["errors"][0]["message"]


def test_a_variable_page_size_is_costed_at_its_default_or_at_the_cap(
    loaded: Store, client: MakeClient
) -> None:
    paged = "elements(first: $n) { edges { node { hops } } }"
    with_default = f'query($n: Int = 10) {{ impact(of: "process/x") {{ {paged} }} }}'
    without = f'query($n: Int) {{ impact(of: "process/x") {{ {paged} }} }}'
    api = client(loaded, max_query_cost=32, max_page_size=500)
    assert "errors" not in ask(api, with_default)
    assert "estimated cost 1502 exceeds" in ask(api, without, n=10)["errors"][0]["message"]


def test_nested_pages_multiply(loaded: Store, client: MakeClient) -> None:
    document = """{ impact(of: "process/x") { journeys(first: 500) { edges { node {
        paths(first: 500) { edges { node { elements } } } } } } } }"""
    body = ask(client(loaded), document)
    assert codes(body) == [TOO_COMPLEX], body


def test_a_literal_page_beyond_the_cap_is_refused_before_running(
    loaded: Store, client: MakeClient
) -> None:
    body = ask(client(loaded, max_page_size=5), "{ priorities(first: 6) { totalCount } }")
    assert codes(body) == ["BAD_REQUEST"]
    assert "first must be between 0 and 5, got 6" in body["errors"][0]["message"]


def test_a_variable_page_beyond_the_cap_is_refused_while_running(
    loaded: Store, client: MakeClient
) -> None:
    document = 'query($n: Int) { impact(of: "process/x") { elements(first: $n) { totalCount } } }'
    api = client(loaded, max_page_size=5)
    body = ask(api, document, n=6)
    assert codes(body) == ["BAD_REQUEST"]
    assert "first must be between 0 and 5, got 6" in body["errors"][0]["message"]
    assert ask(api, document, n=5)["data"]["impact"]["elements"]["totalCount"] == 15


def test_introspection_is_off_unless_enabled(loaded: Store, client: MakeClient) -> None:
    document = "{ __schema { queryType { name } } }"
    body = ask(client(loaded), document)
    assert "introspection" in body["errors"][0]["message"].lower()
    assert ask(client(loaded), "{ __typename }")["data"] == {"__typename": "Query"}
    enabled = ask(client(loaded, graphql_introspection=True), document)
    assert enabled["data"]["__schema"]["queryType"]["name"] == "Query"


def test_a_document_asked_again_is_neither_parsed_nor_validated_again(
    loaded: Store, client: MakeClient, api_settings: Settings
) -> None:
    from journeykg.api.limits import QueryLimits, document_cache

    cache = document_cache(QueryLimits.of(api_settings))
    api = client(loaded)
    document = query("impact") + "\n# asked twice by this test only"
    misses = cache.misses
    assert "errors" not in ask(api, document, of="process/x")
    assert cache.misses == misses + 1
    hits = cache.hits
    assert "errors" not in ask(api, document, of="process/x")
    assert (cache.hits, cache.misses) == (hits + 1, misses + 1)


WHAT_IF = "query($c: [ChangeInput!]!) {{ whatIf(changes: $c) {{ {selection} }} }}"
CHANGE = {"op": "SET_COST", "element": "process/x", "amountEur": 1, "period": "2024"}
LITERAL_CHANGE = '{op: SET_COST, element: "process/x", amountEur: 1, period: "2024"}'


def test_a_what_if_costs_its_selection_once_per_change(loaded: Store, client: MakeClient) -> None:
    # touched (a list): 1 + 10 x 1 = 11; whatIf: 1 + changes x 11.
    api = client(loaded, max_query_cost=56)
    literal = "{{ whatIf(changes: [{}]) {{ touched {{ id }} }} }}"
    assert "errors" not in ask(api, literal.format(", ".join([LITERAL_CHANGE] * 5)))
    body = ask(api, literal.format(", ".join([LITERAL_CHANGE] * 6)))
    assert codes(body) == [TOO_COMPLEX]
    assert "estimated cost 67 exceeds the limit of 56" in body["errors"][0]["message"]


def test_changes_given_as_variables_count_towards_the_cost(
    loaded: Store, client: MakeClient
) -> None:
    # The attack: a change list in the variables was costed as one change,
    # whatever its length. Now the variables' lengths count before anything runs.
    api = client(loaded, max_query_cost=56)
    document = WHAT_IF.format(selection="touched { id }")
    assert "errors" not in ask(api, document, c=[CHANGE] * 5)
    body = ask(api, document, c=[CHANGE] * 6)
    assert body["data"] is None
    assert codes(body) == [TOO_COMPLEX]
    assert "estimated cost 67 exceeds the limit of 56" in body["errors"][0]["message"]
    assert "JOURNEYKG_MAX_QUERY_COST" in body["errors"][0]["message"]


def test_at_the_default_limits_a_rich_what_if_is_bounded_by_its_changes(
    loaded: Store, client: MakeClient
) -> None:
    # today: 1 + elements (1 + 500 x 4) = 2002 per change: 99 changes fit 200,000, 100 do not.
    selection = "today { elements(first: 500) { edges { node { element { id } } } } }"
    api = client(loaded)
    document = WHAT_IF.format(selection=selection)
    assert "errors" not in ask(api, document, c=[CHANGE] * 99)
    body = ask(api, document, c=[CHANGE] * 100)
    assert codes(body) == [TOO_COMPLEX]
    assert "estimated cost 200201 exceeds" in body["errors"][0]["message"]


def test_a_literal_list_longer_than_the_limit_is_refused_before_running(
    loaded: Store, client: MakeClient
) -> None:
    api = client(loaded, max_list_items=3)
    document = "{{ whatIf(changes: [{}]) {{ touched {{ id }} }} }}"
    assert "errors" not in ask(api, document.format(", ".join([LITERAL_CHANGE] * 3)))
    body = ask(api, document.format(", ".join([LITERAL_CHANGE] * 4)))
    assert codes(body) == [TOO_COMPLEX]
    assert body["errors"][0]["extensions"]["limit"] == 3
    assert (
        "a list of 4 items is more than the limit of 3 (JOURNEYKG_MAX_LIST_ITEMS)"
        in (body["errors"][0]["message"])
    )


def dense(i: int) -> str:
    """A query text of 1,800 tokens: about 0.9 MB of AST for 9 KB of text."""
    return "{ " + " ".join(f"a{n}: __typename" for n in range(600)) + f" }}\n# text {i}"


def test_the_document_cache_is_bounded_in_bytes(
    loaded: Store, client: MakeClient, api_settings: Settings
) -> None:
    from journeykg.api.limits import QueryLimits, document_cache

    # 256 entries of this size held 230 MB; the budget holds what it says.
    budget = 3 * 1024 * 1024
    api = client(loaded, document_cache_bytes=budget)
    cache = document_cache(
        QueryLimits.of(api_settings.model_copy(update={"document_cache_bytes": budget}))
    )
    for i in range(12):
        assert codes(ask(api, dense(i))) == [TOO_COMPLEX]  # 600 aliases: cached all the same
    assert 0 < cache.bytes <= budget
    assert 2 <= len(cache) <= 3
    assert cache.get(dense(11)) is not None  # the most recent stays
    assert cache.get(dense(0)) is None  # the oldest went first


def test_the_estimated_size_of_a_document_is_not_below_its_memory() -> None:
    import tracemalloc

    from graphql import parse

    from journeykg.api.documents import NODE_BYTES, node_count

    for text in (dense(0), "{ a(x: [" + ", ".join(["{}"] * 900) + "]) }", query("impact")):
        tracemalloc.start()
        document = parse(text)
        held, _ = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert held <= NODE_BYTES * node_count(document) + 2 * len(text), text[:40]


def test_documents_are_parsed_and_validated_off_the_event_loop(
    loaded: Store, client: MakeClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from journeykg.api import documents

    threads: list[str] = []
    checked = documents.check_document

    def recording(*args: Any) -> documents.Checked:
        threads.append(threading.current_thread().name)
        return checked(*args)

    monkeypatch.setattr(documents, "check_document", recording)
    ask(client(loaded), "{ __typename }\n# parsed off the loop")
    assert len(threads) == 1
    assert threads[0].startswith("journeykg-graphql")
