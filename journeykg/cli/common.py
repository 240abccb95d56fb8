"""What every command group shares: the two consoles, the store option, opening a store, failing.

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
from journeykg.graph.errors import StoreError

if TYPE_CHECKING:
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


def open_or_exit(store_dir: Path | None) -> Store:
    """The configured store, opened; a store that cannot be opened ends the command (exit 3)."""
    try:
        return bootstrap.open_store(settings_for(store_dir))
    except StoreError as exc:
        raise fail(exc, 3) from exc


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


def fail(exc: Exception, code: int) -> typer.Exit:
    """Print ``exc`` as an error (its text verbatim, no markup) and return the exit to raise."""
    err.print("[red]error:[/red] ", end="")
    err.print(str(exc), highlight=False, markup=False)
    return typer.Exit(code)
