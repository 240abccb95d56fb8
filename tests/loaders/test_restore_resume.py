"""A restore into Neo4j that fails part of the way resumes when it is run again.

The store is not empty after the failure (the batches before it are written),
yet the same restore is not refused: it finishes, writing nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from journeykg.bootstrap import open_store
from journeykg.graph import neo4j_bulk
from journeykg.graph.audited import AuditedStore
from journeykg.graph.canonical import canonical
from journeykg.graph.neo4j_bulk import BatchWriteError
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.store import Store
from journeykg.loaders.restore import StoreNotEmptyError, restore
from journeykg.settings import Settings
from tests.graph.test_neo4j_bulk import organisation


@pytest.fixture
def audited(neo4j_settings: Settings, neo4j_store: Store, tmp_path: Path) -> Iterator[AuditedStore]:
    store = open_store(neo4j_settings.model_copy(update={"state_dir": tmp_path / "state"}))
    assert isinstance(store, AuditedStore)
    yield store
    store.close()


def test_a_restore_that_failed_at_a_batch_resumes_there(
    audited: AuditedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(neo4j_bulk, "BATCH_SUBJECTS", 2)
    inner = audited.inner
    assert isinstance(inner, Neo4jStore)
    inner.driver.execute_query(
        "CREATE CONSTRAINT restore_test_label IF NOT EXISTS "
        "FOR (n:Process) REQUIRE n.`rdfs_label@nl` IS UNIQUE",
        database_=inner.database,
    )
    try:
        with pytest.raises(BatchWriteError, match="batch 3 of 5"):
            restore(audited, organisation(), "backup.nt", key="restore-test")
    finally:
        inner.driver.execute_query(
            "DROP CONSTRAINT restore_test_label IF EXISTS", database_=inner.database
        )
    assert len(audited.export()) > 0  # batches 1 and 2
    # Another restore (another file) into the part-written store is refused ...
    with pytest.raises(StoreNotEmptyError):
        restore(audited, Graph(), "other.nt", key="restore-other")
    # ... the same one resumes and finishes.
    assert restore(audited, organisation(), "backup.nt", key="restore-test") == len(organisation())
    assert canonical(audited.export()) == canonical(organisation())
