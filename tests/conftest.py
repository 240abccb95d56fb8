"""Fixtures shared by the whole suite: stores of both backends.

Neo4j tests run against the server at ``JOURNEYKG_NEO4J_URI``. ``make test``
starts a real one and sets ``JOURNEYKG_REQUIRE_NEO4J=1``, so that in CI a
missing server fails the run. Only a developer running a subset by hand,
without that variable, sees those tests skipped.

``JOURNEYKG_TEST_WORKERS=2 make test`` runs the suite in pytest-xdist
workers (tools/run-tests.sh), each with a Neo4j server of its own: the
servers' URIs, one per worker in worker order, are in
``JOURNEYKG_NEO4J_URIS``, and :func:`pytest_configure` gives each worker its
own as ``JOURNEYKG_NEO4J_URI``. Run without ``-n``, the suite is one process
and uses ``JOURNEYKG_NEO4J_URI`` as before.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph

from journeykg.graph.embedded import EmbeddedStore
from journeykg.graph.store import Store
from journeykg.settings import Settings

BASE = "https://id.journeykg.example/"
NEO4J_URIS = "JOURNEYKG_NEO4J_URIS"
"""The variable that holds one Neo4j URI per xdist worker (space-separated, gw0 first)."""
FIXTURES = Path(__file__).parent / "fixtures"
BACKENDS = ["embedded", "neo4j"]


def pytest_configure(config: pytest.Config) -> None:
    """Give each xdist worker a Neo4j server of its own; refuse workers that would share one.

    Every Neo4j test empties the database it runs on (``neo4j_store``), and
    Neo4j Community holds one user database per server: two workers on one
    server would empty each other's data in the middle of a test.
    """
    uris = os.environ.get(NEO4J_URIS, "").split()
    worker = os.environ.get("PYTEST_XDIST_WORKER")  # gw0, gw1, ... in a worker only
    if worker is not None:
        if uris:
            index = int(worker.removeprefix("gw"))
            os.environ["JOURNEYKG_NEO4J_URI"] = uris[index]
        return
    workers = _xdist_workers(config)
    neo4j = os.environ.get("JOURNEYKG_NEO4J_URI") or uris
    if workers > 1 and neo4j and len(uris) < workers:
        raise pytest.UsageError(
            f"{workers} xdist workers need {workers} Neo4j servers, one each: set {NEO4J_URIS} "
            f"to their URIs (tools/run-tests.sh starts them), or run without -n"
        )


def _xdist_workers(config: pytest.Config) -> int:
    """How many workers pytest-xdist starts in this run (0 without ``-n`` or without xdist)."""
    if getattr(config.option, "dist", "no") == "no":
        return 0
    count = getattr(config.option, "numprocesses", None)
    return count if isinstance(count, int) else 0


def read_fixture(name: str) -> Graph:
    """A Turtle fixture from tests/fixtures."""
    return Graph().parse(FIXTURES / name, format="turtle")


@pytest.fixture(autouse=True)
def state_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every store's state (audit journal, tokens) in the test's own directory, never the user's.

    The state lives with its store (graph/state.py): an embedded store's
    beside its directory, which tests keep in ``tmp_path``; a Neo4j
    database's under ``$XDG_STATE_HOME``, which this points into ``tmp_path``.
    """
    monkeypatch.delenv("JOURNEYKG_STATE_DIR", raising=False)
    # A command that names no store would use ./.journeykg, and its state beside it:
    # in the test's directory too, never the repository's.
    monkeypatch.setenv("JOURNEYKG_STORE_DIR", str(tmp_path / "default-store"))
    home = tmp_path / "xdg-state"
    monkeypatch.setenv("XDG_STATE_HOME", str(home))
    return home


def state_beside(store_dir: Path) -> Path:
    """Where the state of the embedded store in ``store_dir`` lives."""
    return store_dir.resolve().with_name(f"{store_dir.name}-state")


@pytest.fixture(scope="session")
def neo4j_settings() -> Settings:
    """Settings that point at the test Neo4j server."""
    uri = os.environ.get("JOURNEYKG_NEO4J_URI")
    if not uri:
        if os.environ.get("JOURNEYKG_REQUIRE_NEO4J") or os.environ.get("CI"):
            pytest.fail("JOURNEYKG_NEO4J_URI is not set but Neo4j tests are required (make test)")
        pytest.skip("no Neo4j: set JOURNEYKG_NEO4J_URI or run `make test` (hand-run subsets only)")
    return Settings(backend="neo4j", neo4j_uri=uri, base_iri=BASE)


@pytest.fixture(scope="session")
def neo4j_session_store(neo4j_settings: Settings) -> Iterator[Store]:
    from journeykg.bootstrap import open_store

    store = open_store(neo4j_settings, audited=False)
    yield store
    store.close()


@pytest.fixture
def neo4j_store(neo4j_session_store: Store) -> Store:
    """An empty Neo4j store (the server is shared; every test starts from nothing)."""
    neo4j_session_store.clear()
    return neo4j_session_store


@pytest.fixture
def embedded_store(tmp_path: Path) -> Iterator[Store]:
    """An empty embedded store in a temporary directory."""
    store = EmbeddedStore(tmp_path / "store", BASE)
    yield store
    store.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Store:
    """Each backend in turn: the conformance suite runs every case on both."""
    backend: Store = request.getfixturevalue(f"{request.param}_store")
    return backend


@pytest.fixture
def collector_enabled() -> Iterator[None]:
    """Python's cyclic collector running during the test (as it is by default), whatever
    the test runner set; as it was after."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()
