"""What every command group shares: the two consoles, the store option, opening a store, failing.

A command that writes opens the store with :func:`store_for`; one that only
reads opens it with :func:`reading_store`, which also works while a server
holds the embedded store (it reads it read-only beside the server). A write
the server's lock refuses says which server holds the store and how to make
the change through it.

Light on purpose: every command module imports it, and ``journeykg --help``
imports every command module. Settings and stores come from
:mod:`journeykg.bootstrap`, which imports pydantic-settings and rdflib only
when a command reads the settings or opens a store.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer
from rich.console import Console

from journeykg import bootstrap
from journeykg.cli.server_marker import running
from journeykg.graph.errors import StoreError, StoreLockedError

if TYPE_CHECKING:
    from journeykg.graph.audited import AuditedStore
    from journeykg.graph.state import StateDir
    from journeykg.graph.store import Store
    from journeykg.settings import Settings

#: What an id parameter holds: one id, maybe none, or a list of them.
Ids = TypeVar("Ids", str, str | None, list[str] | None)

#: Results go to standard output, everything else (errors, progress, warnings) to standard error.
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

StoreDir = Annotated[
    Path | None,
    typer.Option("--store-dir", help="Embedded store directory [env JOURNEYKG_STORE_DIR]."),
]


def settings_for(store_dir: Path | None) -> Settings:
    """The settings from the environment, with ``--store-dir`` taking precedence."""
    if store_dir is None:
        return bootstrap.load_settings()
    return bootstrap.load_settings(store_dir=store_dir)


def state_or_exit(settings: Settings) -> StateDir:
    """The state directory of the configured store (not opened); exit 3 if it cannot be had."""
    try:
        state = bootstrap.open_state(settings)
    except StoreError as exc:
        raise fail(exc, 3) from exc
    _warn_of_legacy_state(state)
    return state


def open_or_exit(store_dir: Path | None) -> Store:
    """The configured store, opened to write; a store that cannot be opened ends the command."""
    settings = settings_for(store_dir)
    try:
        store = bootstrap.open_store(settings)
    except StoreLockedError as exc:
        raise fail(StoreError(held_message(settings, exc)), 3) from exc
    except StoreError as exc:
        raise fail(exc, 3) from exc
    _warn_of_legacy_state(_state_dir(store))
    return store


@contextmanager
def store_for(store_dir: Path | None) -> Iterator[Store]:
    """:func:`open_or_exit`, closed when the block ends."""
    store = open_or_exit(store_dir)
    try:
        yield store
    finally:
        store.close()


def valid_ids(value: Ids) -> Ids:
    """A parameter callback: each id given must be able to name an element (journeykg/ids.py).

    One that cannot is a usage error (exit 2) naming the parameter and the rule.
    """
    from journeykg.ids import ID_RULE, id_problem  # imports rdflib: not for --help

    given: list[str] = [value] if isinstance(value, str) else list(value or [])
    for ident in given:
        problem = id_problem(ident)
        if problem is not None:
            raise typer.BadParameter(f"{ident!r} is not a valid id: {problem} ({ID_RULE})")
    return value


@contextmanager
def reading_store(store_dir: Path | None) -> Iterator[AuditedStore]:
    """The configured store, to read; beside a server that holds it, opened read-only.

    A read-only store is the store as it was when the command opened it; a
    write to it is refused. Its audit trail is the one the server writes.
    """
    from journeykg.graph.audited import AuditedStore

    settings = settings_for(store_dir)
    missing = bootstrap.missing_store(settings)
    if missing is not None:
        raise fail(StoreError(missing), 3)
    try:
        store = bootstrap.open_store(settings)
    except StoreLockedError as exc:
        store = _read_only(settings, exc)
    except StoreError as exc:
        raise fail(exc, 3) from exc
    assert isinstance(store, AuditedStore)
    _warn_of_legacy_state(store.state)
    try:
        yield store
    finally:
        store.close()


def _read_only(settings: Settings, held: StoreLockedError) -> AuditedStore:
    from journeykg.graph.audit_journal import AuditJournal
    from journeykg.graph.audited import AuditedStore
    from journeykg.graph.embedded import EmbeddedStore

    try:
        state = bootstrap.open_state(settings)
        backend = EmbeddedStore(settings.store_dir, settings.base_iri, read_only=True)
    except StoreError as exc:
        failed = StoreError(f"{held_message(settings, held)}\n(reading it failed too: {exc})")
        raise fail(failed, 3) from exc
    server = running(state.path)
    holder = f"the server at {server.url}" if server else "another journeykg process"
    err.print(f"[dim]{holder} holds the store: reading it read-only, as it is now[/dim]")
    return AuditedStore(backend, AuditJournal(state.journal_file), state)


def held_message(settings: Settings, exc: StoreLockedError) -> str:
    """Why a write cannot be made to a store another process holds, and how to make it."""
    where = exc.directory
    server = running(bootstrap.open_state(settings).path)
    if server is None:
        return (
            f"the embedded store in {where} is held by another journeykg process (a server, a "
            "sync, another command): wait until it ends or stop it, then run this again. "
            "Reading works beside it (impact, priorities, governance show/history, audit, export)"
        )
    return (
        f"the embedded store in {where} is held by the journeykg server at {server.url} (pid "
        f"{server.pid}), and this command writes. Make the change through that server with a "
        "token: governance steps and scenarios are GraphQL mutations (a steward's or architect's "
        "token), a sync is POST /sync/<source> (an integrator's); create one with `journeykg "
        "token create --role steward --name you --reason ...` (docs/security.md). Or stop the "
        "server (Ctrl+C where it runs) and run this again; loads, restores and imports need "
        "that. Reading works beside it (impact, priorities, governance show/history, audit, "
        "export)"
    )


def _state_dir(store: Store) -> StateDir | None:
    from journeykg.graph.audited import AuditedStore

    return store.state if isinstance(store, AuditedStore) else None


def _warn_of_legacy_state(state: StateDir | None) -> None:
    from journeykg.graph.state import legacy_hint

    hint = legacy_hint(state) if state is not None else None
    if hint:
        err.print(f"[yellow]note:[/yellow] {hint}", highlight=False)


def fail(exc: Exception, code: int) -> typer.Exit:
    """Print ``exc`` as an error (its text verbatim, no markup) and return the exit to raise."""
    err.print("[red]error:[/red] ", end="")
    err.print(str(exc), highlight=False, markup=False)
    return typer.Exit(code)
