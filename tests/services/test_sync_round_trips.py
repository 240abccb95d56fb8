"""How many times a demo sync step on Neo4j waits for the server (issue 20: the demo on Neo4j no
slower than on the embedded store).

Counted in the driver as bench/demo_backends.py counts them (instrumentation: every call
goes through to the real server unchanged): Cypher statements, committed transactions,
and the flushes of messages to the server, each of which waits for an answer. The figures
are pinned: a change that adds a round trip to the demo's syncs fails here, and says so;
one that removes some updates them (docs/benchmarks.md, "The demo on both backends").
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import URIRef

from bench.neo4j_round_trips import Flushes
from bench.sync_incremental import RoundTrips
from journeykg.graph.audit_journal import AuditJournal
from journeykg.graph.audited import AuditedStore
from journeykg.graph.series import VOLUMES
from journeykg.graph.store import Store
from journeykg.namespaces import JKG
from journeykg.services.demo import prepare
from journeykg.services.sync_runs import Requester, recipe_at, run_recipe
from tests.conftest import BASE

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

#: (statements, commits, flushes) of each step, after the demo organisation is loaded.
PINNED = {
    # Every read in one wait (Neo4jStore._read, issue 20's fifth round): 49 and 32 before.
    # The first batch of a write takes the change log's read of its nodes: 33 and 22 before.
    # The loop knows what the sync touched from its batches (series.touched_in): 23 and 15.
    "complaint-spike": (21, 2, 29),
    "nps-survey": (13, 1, 19),
}


@pytest.fixture
def demo(neo4j_store: Store, tmp_path: Path) -> Iterator[Store]:
    """The demo organisation in the emptied test server, through an audited store."""
    store = AuditedStore(neo4j_store, AuditJournal(tmp_path / "audit.sqlite"))
    prepare(store, None)
    # Asked once per store (the plugin's procedures): not a cost of the step.
    assert store.capabilities
    store.newest_points(VOLUMES, [(URIRef(f"{BASE}reason/none"), None)], (JKG.contacts,), 1)
    yield store
    store.journal.close()


def _counted(store: Store, example: str) -> tuple[int, int, int]:
    trips = RoundTrips()
    with trips.counting(), Flushes() as flushes:
        report = run_recipe(
            store, recipe_at(EXAMPLES / example / "recipe.yaml"), Requester("test", None, "cli")
        )
    assert report.status == "ok", report
    return trips.statements, trips.commits, flushes.count


def test_the_demo_syncs_wait_for_the_server_no_more_often_than_pinned(demo: Store) -> None:
    counted = {example: _counted(demo, example) for example in PINNED}
    assert counted == PINNED, (
        f"(statements, commits, flushes) per demo sync on Neo4j changed: {counted} against {PINNED}"
    )
