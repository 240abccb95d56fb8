"""Where a store's own state lives: its audit trail and its API tokens.

The state belongs to the store it describes, not to the working directory
of whoever opens it: every process that opens the same store finds the
same trail and the same tokens, and two stores never share one.

- The embedded store: beside its directory, ``<store_dir>-state`` (for the
  default ``.journeykg`` that is ``.journeykg-state``, where the state has
  always been), so that the two move and are backed up together.
- Neo4j: a directory keyed by the database's identity (the id Neo4j gives
  a database when it is created, ``CALL db.info()``; after an offline import,
  whose tool gives the files a new id, the identity of the database it
  replaced, kept in a ``:JourneykgIdentity`` node), under the user's state
  directory (``$XDG_STATE_HOME/journeykg/neo4j/``, by default
  ``~/.local/state/journeykg/neo4j/``). Not inside the database: Neo4j
  Community has no triggers, so a trail stored there could be rewritten by
  any client that can write the graph, and ``clear()`` would wipe it;
  the SQLite journal refuses UPDATE and DELETE itself (docs/audit.md).

``JOURNEYKG_STATE_DIR`` overrides the place. Such a directory is bound to
the first store that uses it (``store.json`` names it): another store is
refused, so that the writes of two stores are never logged alike.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from journeykg.graph.audit_journal import FILE_NAME
from journeykg.graph.errors import StoreError
from journeykg.private_files import private_directory, private_file

if TYPE_CHECKING:
    from journeykg.graph.neo4j_store import Neo4jStore
    from journeykg.graph.store import Store

JOURNAL_FILE = FILE_NAME
TOKENS_FILE = "tokens.sqlite3"
#: The file in a state directory that names the store it belongs to.
OWNER_FILE = "store.json"
#: Where every store's state was kept before it moved to the store: the working directory.
LEGACY_DIR = Path(".journeykg-state")


class StateOwnerError(StoreError):
    """A state directory that belongs to another store than the one opened."""


@dataclass(frozen=True)
class StoreIdentity:
    """What makes a store this store, whoever opens it and from wherever."""

    backend: str
    key: str
    """The embedded store's absolute directory; a Neo4j database's id."""
    where: str
    """The store as a person would name it, for messages."""


@dataclass(frozen=True)
class StateDir:
    """The state directory of one store."""

    path: Path
    identity: StoreIdentity
    explicit: bool
    """Named by the settings (``JOURNEYKG_STATE_DIR``) rather than found from the store."""

    @property
    def journal_file(self) -> Path:
        """The audit trail (graph/audit_journal.py)."""
        return self.path / JOURNAL_FILE

    @property
    def tokens_file(self) -> Path:
        """The API tokens, hashed (access/tokens.py)."""
        return self.path / TOKENS_FILE


def embedded_identity(directory: Path) -> StoreIdentity:
    """The identity of the embedded store in ``directory``: where it is (it need not exist yet)."""
    where = directory.resolve()
    return StoreIdentity(backend="embedded", key=str(where), where=str(where))


#: The node that keeps a database's identity across an offline import (not a :Resource:
#: ``clear`` leaves it, and no export, count or question sees it).
_IDENTITY_LABEL = "JourneykgIdentity"


def neo4j_identity(store: Neo4jStore) -> StoreIdentity:
    """The identity of the database ``store`` talks to: the id Neo4j gave it at creation, or
    the identity an offline import carried over (:func:`carry_neo4j_identity`)."""
    from neo4j.exceptions import DriverError, Neo4jError

    from journeykg.graph.neo4j_store import QUIET_NOTIFICATIONS

    try:
        # A database no offline import wrote has no such label: quiet, as the store's own.
        with store.driver.session(
            database=store.database, notifications_disabled_classifications=QUIET_NOTIFICATIONS
        ) as session:
            records = list(
                session.run(
                    "CALL db.info() YIELD id, name "
                    f"OPTIONAL MATCH (carried:{_IDENTITY_LABEL} {{id: 'database'}}) "
                    "RETURN id, name, carried.key AS carried"
                )
            )
    except (DriverError, Neo4jError) as exc:
        raise StoreError(f"cannot ask Neo4j at {store.uri} which database it is: {exc}") from exc
    ident, name = str(records[0]["id"]), str(records[0]["name"])
    carried = records[0]["carried"]
    key = str(carried) if carried else f"{name}-{ident.lower()}"
    return StoreIdentity(backend="neo4j", key=key, where=f"the {name} database at {store.uri}")


def carry_neo4j_identity(store: Neo4jStore, identity: StoreIdentity) -> None:
    """Give the database ``store`` talks to the ``identity`` of the one it replaced.

    An offline import puts files made by Neo4j's import tool in place of the
    database's, and the tool gives them a new id: without this, the state the
    database had (its audit trail, with the import's own entry, and its API
    tokens) would be keyed by an id that no longer exists, and the next process
    would find none of it.
    """
    from neo4j.exceptions import DriverError, Neo4jError

    try:
        store.driver.execute_query(
            f"MERGE (carried:{_IDENTITY_LABEL} {{id: 'database'}}) SET carried.key = $key",
            key=identity.key,
            database_=store.database,
        )
    except (DriverError, Neo4jError) as exc:
        raise StoreError(f"cannot give Neo4j at {store.uri} its identity back: {exc}") from exc


def identity_of(store: Store) -> StoreIdentity:
    """The identity of an opened backend (not an audited wrapper: it has the inner store's)."""
    from journeykg.graph.embedded import EmbeddedStore

    if isinstance(store, EmbeddedStore):
        if store.directory is None:  # tests only: it lives as long as the process
            return StoreIdentity(
                backend="memory", key=f"memory-{id(store)}", where="a store in memory"
            )
        return embedded_identity(store.directory)
    if store.name == "neo4j":
        from journeykg.graph.neo4j_store import Neo4jStore

        assert isinstance(store, Neo4jStore)
        return neo4j_identity(store)
    raise StoreError(f"a {store.name} store has no place of its own for its audit trail")


def locate(identity: StoreIdentity, explicit: Path | None = None) -> StateDir:
    """Where the state of the store ``identity`` names lives (nothing is created or checked)."""
    if explicit is not None:
        return StateDir(explicit.resolve(), identity, explicit=True)
    if identity.backend == "memory":
        raise StoreError("a store in memory has no place of its own: name a state directory")
    if identity.backend == "embedded":
        directory = Path(identity.key)
        return StateDir(directory.with_name(f"{directory.name}-state"), identity, explicit=False)
    return StateDir(_state_home() / "journeykg" / identity.backend / identity.key, identity, False)


def claim(state: StateDir) -> StateDir:
    """Create ``state`` if needed and make sure it belongs to its store; StateOwnerError if not.

    A directory found from the store is the store's by construction: its
    owner file is rewritten when the store has moved (with it). A directory
    the settings name belongs to the first store that used it.
    """
    private_directory(state.path)
    owner_file = state.path / OWNER_FILE
    owner = _owner(owner_file)
    if owner is not None and owner.get("key") == state.identity.key:
        return state
    if owner is not None and state.explicit:
        raise StateOwnerError(
            f"the state directory {state.path} (JOURNEYKG_STATE_DIR) holds the audit trail and "
            f"tokens of {owner.get('where', 'another store')}, not of {state.identity.where}: "
            "one directory never serves two stores. Unset JOURNEYKG_STATE_DIR to keep the state "
            f"with the store, or name another directory (if the store has moved, edit {OWNER_FILE} "
            "there)"
        )
    identity = state.identity
    record = {"backend": identity.backend, "key": identity.key, "where": identity.where}
    private_file(owner_file).write_text(json.dumps(record, indent=2) + "\n")
    return state


def legacy_hint(state: StateDir, cwd: Path | None = None) -> str | None:
    """What to do about a state directory left in the working directory by an older journeykg.

    None when there is none, when it is the one in use, or when it already
    belongs to a store (only directories from before the state moved have
    no owner file). It is never moved automatically: it may hold the writes
    of several stores, and only its user knows which.
    """
    legacy = (cwd or Path.cwd()) / LEGACY_DIR
    if not legacy.is_dir() or legacy.resolve() == state.path:
        return None
    if (legacy / OWNER_FILE).exists():
        return None
    if not any((legacy / name).exists() for name in (JOURNAL_FILE, TOKENS_FILE)):
        return None
    return (
        f"{legacy} holds an audit trail and API tokens from before they moved to the store they "
        f"describe; this store's are in {state.path}. If they are this store's, set "
        f"JOURNEYKG_STATE_DIR={legacy.resolve()} to go on using them (the directory then belongs "
        f"to {state.identity.where}); if not, move {legacy} out of the working directory "
        "(docs/audit.md, 'Where the trail is')"
    )


def _owner(path: Path) -> dict[str, str] | None:
    if not path.exists():
        return None
    try:
        found = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise StateOwnerError(
            f"{path} is unreadable ({exc}); it names the store it belongs to"
        ) from exc
    return found if isinstance(found, dict) else None


def _state_home() -> Path:
    """The user's directory for state (XDG Base Directory): $XDG_STATE_HOME or ~/.local/state."""
    named = os.environ.get("XDG_STATE_HOME")
    return Path(named) if named and Path(named).is_absolute() else Path.home() / ".local" / "state"
