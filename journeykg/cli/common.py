"""What every command group shares: the two consoles, the store option, opening a store, failing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from journeykg.graph.errors import StoreError
from journeykg.graph.factory import open_store
from journeykg.graph.store import Store
from journeykg.settings import Settings

#: Results go to standard output, everything else (errors, progress, warnings) to standard error.
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

StoreDir = Annotated[
    Path | None,
    typer.Option("--store-dir", help="Embedded store directory [env JOURNEYKG_STORE_DIR]."),
]


def settings_for(store_dir: Path | None) -> Settings:
    """The settings from the environment, with ``--store-dir`` taking precedence."""
    settings = Settings()
    if store_dir is not None:
        settings = settings.model_copy(update={"store_dir": store_dir})
    return settings


def open_or_exit(store_dir: Path | None) -> Store:
    """The configured store, opened; a store that cannot be opened ends the command (exit 3)."""
    try:
        return open_store(settings_for(store_dir))
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


def fail(exc: Exception, code: int) -> typer.Exit:
    """Print ``exc`` as an error (its text verbatim, no markup) and return the exit to raise."""
    err.print("[red]error:[/red] ", end="")
    err.print(str(exc), highlight=False, markup=False)
    return typer.Exit(code)
