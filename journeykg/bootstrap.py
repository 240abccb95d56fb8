"""Wiring: the one place that reads the settings and opens what an entry point needs.

The command line, the API's app factory and the benchmarks take their
settings, their store (wrapped in the audit trail) and their token database
from here, so that each opens them the same way. The audit trail and the
tokens are the store's own: they are found from the store, in its state
directory (:mod:`journeykg.graph.state`), never from the working directory.
Importing this module does nothing: no settings are read, no database is
connected, no file is opened.
The heavy libraries (pydantic-settings, rdflib, the Neo4j driver) are imported
by the function that needs them, so that a command that opens no store, or
asks only for help, starts without them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journeykg.access.tokens import TokenStore

if TYPE_CHECKING:
    from rdflib import Graph

    from journeykg.graph.audited import AuditedStore
    from journeykg.graph.state import StateDir
    from journeykg.graph.store import Store
    from journeykg.ids import Identifiers
    from journeykg.settings import Settings


def load_settings(**overrides: Any) -> Settings:
    """The configuration: ``overrides`` first, then the environment, ``.env`` and journeykg.toml."""
    from journeykg.settings import Settings

    return Settings(**overrides)


def open_store(settings: Settings, ontology: Graph | None = None, *, audited: bool = True) -> Store:
    """Open the store the settings name: Neo4j when a URI is set or asked for, else embedded.

    Every write to it is recorded in the audit journal in the store's state
    directory (see :mod:`journeykg.graph.audited`); ``audited=False`` is for tests and
    benchmarks that measure or exercise a backend on its own. ``ontology``
    maps Neo4j's labels (the packaged ontology when omitted).
    """
    backend = _open_backend(settings, ontology)
    if not audited:
        return backend
    try:
        return with_audit_trail(backend, settings)
    except Exception:
        backend.close()
        raise


def with_audit_trail(backend: Store, settings: Settings) -> AuditedStore:
    """``backend`` with every write recorded in the audit journal in its state directory."""
    from journeykg.graph.audit_journal import AuditJournal
    from journeykg.graph.audited import AuditedStore

    state = state_of(backend, settings)
    return AuditedStore(backend, AuditJournal(state.journal_file), state)


def state_of(store: Store, settings: Settings) -> StateDir:
    """The state directory of an opened store (an audited one knows its own)."""
    from journeykg.graph.audited import AuditedStore
    from journeykg.graph.state import claim, identity_of, locate

    if isinstance(store, AuditedStore) and store.state is not None:
        return store.state
    backend = store.inner if isinstance(store, AuditedStore) else store
    return claim(locate(identity_of(backend), settings.state_dir))


def open_state(settings: Settings) -> StateDir:
    """The state directory of the store the settings name, for work that needs no store.

    The embedded store's is found from its directory without opening it (a
    server may hold it); a Neo4j database is asked for its identity.
    """
    from journeykg.graph.state import claim, embedded_identity, locate

    if settings.backend == "neo4j" or settings.neo4j_uri:
        backend = _open_backend(settings, None)
        try:
            return state_of(backend, settings)
        finally:
            backend.close()
    return claim(locate(embedded_identity(settings.store_dir), settings.state_dir))


def identifiers(settings: Settings) -> Identifiers:
    """The identifiers minted from the configured base IRI, for work that opens no store."""
    from journeykg.ids import Identifiers

    return Identifiers(settings.base_iri)


def token_store(state: StateDir) -> TokenStore:
    """The API tokens of the store whose state ``state`` is (the database is made on first use)."""
    return TokenStore(state.tokens_file)


def missing_store(settings: Settings) -> str | None:
    """Why there is no store to read where the settings point, or None when there may be one.

    Opening an embedded store creates it; a command that only reads must not,
    or a mistyped ``--store-dir`` answers "nothing" from a new empty store
    (and leaves it behind, even inside another store's files). Neo4j's
    database is the server's: whether it holds anything is the server's answer.
    """
    if settings.backend == "neo4j" or settings.neo4j_uri:
        return None
    if settings.store_dir.is_dir():
        return None
    return (
        f"no journeykg store at {settings.store_dir}: nothing was written there yet "
        "(journeykg demo, load or sync make one); point --store-dir or "
        "JOURNEYKG_STORE_DIR at an existing store"
    )


def _open_backend(settings: Settings, ontology: Graph | None) -> Store:
    # Each backend's module is imported only when it is the one opened: the
    # embedded store needs no Neo4j driver, and the reverse.
    if settings.backend == "neo4j" or settings.neo4j_uri:
        from journeykg.graph.neo4j_store import Neo4jStore
        from journeykg.graph.property_graph import PropertyGraphMapping
        from journeykg.ontology_graph import load_ontology

        if not settings.neo4j_uri:
            raise ValueError(
                "backend 'neo4j' needs JOURNEYKG_NEO4J_URI (e.g. bolt://127.0.0.1:7687)"
            )
        auth = None
        if settings.neo4j_user:
            password = settings.neo4j_password.get_secret_value() if settings.neo4j_password else ""
            auth = (settings.neo4j_user, password)
        return Neo4jStore(
            settings.neo4j_uri,
            settings.base_iri,
            PropertyGraphMapping.from_ontology(ontology or load_ontology()),
            auth=auth,
            database=settings.neo4j_database,
        )
    from journeykg.graph.embedded import EmbeddedStore

    return EmbeddedStore(settings.store_dir, settings.base_iri)
