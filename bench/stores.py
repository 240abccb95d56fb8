"""The stores the benchmarks time, opened as the application opens them (journeykg.bootstrap).

Without the audit trail: a benchmark times a backend on its own
(bench/audit_overhead.py adds the trail on purpose, to time it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.synthetic import BASE
from journeykg.bootstrap import load_settings, open_store
from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.neo4j_store import Neo4jStore
from journeykg.graph.store import Store


def open_bench_store(backend: str, directory: Path | None = None, base_iri: str = BASE) -> Store:
    """``embedded`` in ``directory``, or ``neo4j`` at JOURNEYKG_NEO4J_URI (and its credentials)."""
    overrides: dict[str, Any] = {"backend": backend, "base_iri": base_iri}
    if backend == "embedded":
        # A Neo4j URI in the environment would choose Neo4j over the backend asked for.
        overrides["neo4j_uri"] = None
    if directory is not None:
        overrides["store_dir"] = directory
    return open_store(load_settings(**overrides), audited=False)


def open_embedded(directory: Path, base_iri: str = BASE) -> EmbeddedStore:
    """The embedded store in ``directory``, for benchmarks that build its indexes or count it."""
    store = open_bench_store("embedded", directory, base_iri)
    assert isinstance(store, EmbeddedStore)
    return store


def open_neo4j(base_iri: str = BASE) -> Neo4jStore:
    """The Neo4j server of JOURNEYKG_NEO4J_URI, for benchmarks that use its own methods."""
    store = open_bench_store("neo4j", base_iri=base_iri)
    assert isinstance(store, Neo4jStore)
    return store
