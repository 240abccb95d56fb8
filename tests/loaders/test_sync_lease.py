"""Two syncs of one source from two processes: the second is refused at once, never interleaved.

A real second process holds the store: on Neo4j it holds the source's sync
lease; the embedded store's directory cannot be opened twice at all.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.errors import StoreError
from journeykg.graph.store import Store
from journeykg.loaders.sync import SyncBusyError, sync
from tests.conftest import BASE
from tests.loaders.sync_sources import ListSource, entity

CRM = "crm-test"

_HOLD_LEASE = """
import sys
from journeykg.graph.store import LeaseScope
from journeykg.bootstrap import open_store
from journeykg.settings import Settings
store = open_store(Settings(backend="neo4j", neo4j_uri=sys.argv[1], base_iri=sys.argv[2]),
                   audited=False)
with store.lease(LeaseScope.SYNC, sys.argv[3]):
    print("held", flush=True)
    sys.stdin.readline()
store.close()
"""

_HOLD_DIRECTORY = """
import sys
from pathlib import Path
from journeykg.graph.embedded import EmbeddedStore
store = EmbeddedStore(Path(sys.argv[1]), sys.argv[2])
print("held", flush=True)
sys.stdin.readline()
store.close()
"""


@contextmanager
def other_process(script: str, *args: str) -> Iterator[None]:
    """A second Python process running ``script`` until the block ends."""
    child = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdin is not None
        assert child.stdout.readline().strip() == "held"
        yield
        child.stdin.write("\n")
        child.stdin.flush()
        assert child.wait(timeout=60) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


@pytest.mark.neo4j
def test_a_sync_is_refused_while_another_process_syncs_the_source(
    neo4j_store: Store, neo4j_settings: object
) -> None:
    uri = getattr(neo4j_settings, "neo4j_uri", None)
    assert isinstance(uri, str)
    with other_process(_HOLD_LEASE, uri, BASE, CRM):
        with pytest.raises(SyncBusyError, match="in another process"):
            sync(neo4j_store, ListSource(CRM, [[entity(CRM, "a")]]))
        # Another source is not held up.
        assert sync(neo4j_store, ListSource("other", [[entity("other", "b")]])).written == 1
    # Released: the next sync runs, and the lease goes with it.
    assert sync(neo4j_store, ListSource(CRM, [[entity(CRM, "a")]])).written == 1


@pytest.mark.neo4j
def test_a_process_killed_mid_sync_leaves_no_lease_behind(
    neo4j_store: Store, neo4j_settings: object
) -> None:
    uri = getattr(neo4j_settings, "neo4j_uri", None)
    assert isinstance(uri, str)
    child = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LEASE, uri, BASE, CRM],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "held"
    child.kill()
    child.wait()
    # The server rolled the holder's transaction back when its connection dropped.
    assert sync(neo4j_store, ListSource(CRM, [[entity(CRM, "a")]])).written == 1


def test_a_held_embedded_store_cannot_be_opened_by_a_second_process(tmp_path: Path) -> None:
    directory = tmp_path / "kg"
    EmbeddedStore(directory, BASE).close()
    with (
        other_process(_HOLD_DIRECTORY, str(directory), BASE),
        pytest.raises(StoreError, match="another journeykg process"),
    ):
        EmbeddedStore(directory, BASE)
    EmbeddedStore(directory, BASE).close()
