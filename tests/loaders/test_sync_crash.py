"""A sync killed (SIGKILL) in the middle of a write leaves every batch whole or absent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from rdflib import URIRef

from journeykg.graph.store import Store
from journeykg.loaders.source import MappedRecord
from journeykg.loaders.sync import sync
from journeykg.namespaces import RDF
from tests.loaders.crash_child import SOURCE, batches, open_backend
from tests.loaders.sync_sources import ListSource

ROOT = Path(__file__).resolve().parents[2]
#: The child has Neo4j write 100 rows per statement: a batch of 300 is three
#: statements in one transaction, and the child is killed between two of them.
COUNT, SIZE = 3, 300


def _iri(record: MappedRecord) -> URIRef:
    (subject,) = set(record.graph.subjects())
    assert isinstance(subject, URIRef)
    return subject


def _kill_during_write(command: list[str], marker: str, delay: float) -> list[str]:
    """Run the child, SIGKILL it ``delay`` s after it prints ``marker``; its output lines."""
    child = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    lines: list[str] = []
    deadline = time.monotonic() + 240
    assert child.stdout is not None
    try:
        for line in child.stdout:
            lines.append(line.strip())
            if line.strip() == marker:
                time.sleep(delay)
                os.kill(child.pid, signal.SIGKILL)
                break
            assert time.monotonic() < deadline, "the child never reached the write"
        rest, errors = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    lines += rest.split()
    assert child.returncode == -signal.SIGKILL, (lines, errors)
    return lines


def _check_whole_or_absent(store: Store) -> list[int]:
    """Per batch, how many of its records are stored: all or none, never some."""
    found = []
    for batch in batches(COUNT, SIZE):
        iris = [_iri(r) for r in batch]  # type: ignore[arg-type]
        stored = store.describe(iris)
        present = sum(1 for i in iris if (i, RDF.type, None) in stored)
        assert present in (0, SIZE), f"a half-written batch: {present} of {SIZE} records"
        found.append(present)
    return found


def _rerun_completes(store: Store) -> None:
    report = sync(store, ListSource(SOURCE, batches(COUNT, SIZE)))  # type: ignore[arg-type]
    assert report.status == "ok"
    assert _check_whole_or_absent(store) == [SIZE] * COUNT


def test_killed_embedded_sync_leaves_whole_batches(tmp_path: Path) -> None:
    directory = tmp_path / "store"
    command = [sys.executable, "-m", "tests.loaders.crash_child", "embedded", str(directory)]
    lines = _kill_during_write([*command, str(COUNT), str(SIZE)], "writing 2", 0.05)
    assert "written 1" in lines
    with open_backend("embedded", str(directory)) as store:
        found = _check_whole_or_absent(store)
        assert found[0] == SIZE
        assert found[2] == 0
        _rerun_completes(store)


def test_killed_neo4j_sync_leaves_whole_batches(neo4j_store: Store) -> None:
    uri = os.environ["JOURNEYKG_NEO4J_URI"]
    command = [sys.executable, "-m", "tests.loaders.crash_child", "neo4j", uri]
    lines = _kill_during_write([*command, str(COUNT), str(SIZE)], "inside 2", 0.0)
    assert "written 1" in lines
    assert "written 2" not in lines  # killed inside the open transaction of batch 2
    found = _check_whole_or_absent(neo4j_store)
    assert found == [SIZE, 0, 0]
    _rerun_completes(neo4j_store)
