"""A small query stays fast while large requests arrive at once: a bounded load test.

On a real uvicorn (tests/api/served.py). Three clients keep sending what once
stalled the event loop (a query carrying 5 MB, 106 KB of whatIf changes as
variables, ever new 30 KB query texts under the limit) for a few seconds,
while a fourth asks a small question over and over. Before the limits, parsing
one 5 MB query held the event loop for about a second: every small question
waited behind it.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections import Counter
from collections.abc import Callable

from journeykg.access.roles import Role
from journeykg.api.app import create_app
from journeykg.graph.store import Store
from journeykg.settings import Settings
from tests.api.conftest import Bearer
from tests.api.served import served
from tests.conftest import read_fixture

SECONDS = 3.0
#: Requests a large-request client sends at most (the run is bounded in count and time).
MAX_REQUESTS = 40
SMALL = json.dumps({"query": '{ element(id: "process/x") { id } }'})


def big_string(i: int) -> str:
    return json.dumps({"query": '{ element(id: "' + "x" * 5_000_000 + f'{i}") {{ id }} }}'})


def big_variables(i: int) -> str:
    change = {"op": "SET_COST", "element": "process/x", "amountEur": i, "period": "2024"}
    query = "query($c: [ChangeInput!]!) { whatIf(changes: $c) { touched { id } } }"
    return json.dumps({"query": query, "variables": {"c": [change] * 1400}})


def new_texts(i: int) -> str:
    # Under the 32 KiB limit, and new each time: parsed every time, off the loop.
    return json.dumps({"query": f"# {i} " + "x" * 30_000 + "\n{ __typename }"})


def post(port: int, headers: dict[str, str], body: str) -> tuple[int, float]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    started = time.monotonic()
    try:
        connection.request("POST", "/graphql", body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.monotonic() - started
    finally:
        connection.close()


def test_a_small_query_stays_fast_while_large_ones_are_refused(
    embedded_store: Store, api_settings: Settings, bearer: Bearer
) -> None:
    embedded_store.upsert(read_fixture("impact_small.ttl"))
    headers = {**bearer(Role.READER), "Content-Type": "application/json"}
    statuses: dict[str, Counter[int]] = {}
    stop = time.monotonic() + SECONDS

    def flood(name: str, body: Callable[[int], str]) -> None:
        seen: Counter[int] = Counter()
        for i in range(MAX_REQUESTS):
            if time.monotonic() > stop:
                break
            seen[post(port, headers, body(i))[0]] += 1
        statuses[name] = seen

    with served(create_app(embedded_store, settings=api_settings), api_settings) as port:
        post(port, headers, SMALL)  # warm: the small question's document is cached
        floods = [
            threading.Thread(target=flood, args=(name, body))
            for name, body in (
                ("5 MB string", big_string),
                ("106 KB variables", big_variables),
                ("new 30 KB texts", new_texts),
            )
        ]
        for thread in floods:
            thread.start()
        latencies = []
        while time.monotonic() < stop:
            status, seconds = post(port, headers, SMALL)
            assert status == 200
            latencies.append(seconds)
        for thread in floods:
            thread.join()

    assert set(statuses["5 MB string"]) == {413}
    assert set(statuses["106 KB variables"]) == {413}
    assert set(statuses["new 30 KB texts"]) == {200}
    latencies.sort()
    assert len(latencies) >= 10
    # Before the limits every small question waited ~1 s behind a 5 MB parse, so
    # the median and the 90th percentile both exceeded a second. The slowest
    # single answer is not asserted: on a busy 2-core machine one scheduling
    # hiccup took 0.57 s (CI, load ~6) without the event loop being held.
    assert latencies[len(latencies) // 2] < 0.1, latencies
    assert latencies[len(latencies) * 9 // 10] < 0.5, latencies
