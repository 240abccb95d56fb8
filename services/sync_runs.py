"""A run of a sync recipe: what ``journeykg sync`` and ``POST /sync/{source}`` both do.

An entry point finds the recipe (the command line by its file, the API by
its name in the recipes directory) and hands it to :func:`run_recipe`, which
opens the recipe's source (its files, or a payload sent over HTTP), records
the run's writes as the caller's in the audit trail, and runs the sync
engine: the source's sync lease, batch by batch validation and writing, the
quarantine of refused records, and the report.

Refusals are the engine's and the recipe reader's own exceptions, the same
for both entry points: :class:`~journeykg.validation.problems.LoadError` (a
recipe or input that cannot be read), :class:`UnknownSourceError` (no recipe
of that name), :class:`~journeykg.loaders.sync.SyncBusyError` (a sync of the
source is running) and :class:`~journeykg.loaders.sync.SyncFailedError` (the
store failed mid-run; it carries the report of what was written).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from journeykg.graph.audit_context import audit_context
from journeykg.graph.store import Store
from journeykg.loaders.collector_pause import collector_paused
from journeykg.loaders.sync import SyncHooks, SyncReport, sync
from journeykg.loaders.sync_recipes import (
    Recipe,
    UnknownSourceError,
    find_recipe,
    load_recipe,
    open_source,
    options_for,
    recipe_with_encoding,
)
from journeykg.services.governance.proposals import proposer
from journeykg.services.governance.service import Caller
from journeykg.services.insights.loop import LoopReport, close_loop

__all__ = [
    "LocatedRecipe",
    "Requester",
    "RunFlags",
    "UnknownSourceError",
    "recipe_at",
    "recipe_named",
    "run_recipe",
    "with_encoding",
]


@dataclass(frozen=True)
class LocatedRecipe:
    """A recipe and the directory its relative input paths start from."""

    recipe: Recipe
    directory: Path

    @property
    def name(self) -> str:
        """The source's name: what the recipe syncs, and what ``POST /sync/{source}`` names."""
        return self.recipe.name


@dataclass(frozen=True)
class RunFlags:
    """How to run this once: the CLI's flags and the REST query parameters."""

    dry_run: bool = False
    strict: bool = False
    force: bool = False
    quarantine: Path | None = None
    """Where refused records go (JSON Lines); the command line's ``--quarantine``."""
    propose_by: str | None = None
    """``--propose --by POST``: records that only change governed texts become change
    proposals by this post instead of being refused."""


@dataclass(frozen=True)
class Requester:
    """Who asks for the run, as the audit trail records its writes."""

    name: str
    """A token's name, or the OS user of the command line."""
    role: str | None
    via: Literal["cli", "rest"]
    """The entry point: the writes are recorded as ``<via>:sync:<source>``."""
    request_id: str | None = None


def recipe_at(path: Path) -> LocatedRecipe:
    """The recipe in the file ``path``; LoadError (file, key, line, rule) if it cannot be used."""
    return LocatedRecipe(load_recipe(path), path.resolve().parent)


def with_encoding(located: LocatedRecipe, encoding: str) -> LocatedRecipe:
    """The recipe with its CSV input read in ``encoding`` for one run (``--encoding``)."""
    return LocatedRecipe(recipe_with_encoding(located.recipe, encoding), located.directory)


def recipe_named(recipes_dir: Path, source: str) -> LocatedRecipe:
    """The recipe named ``source`` in ``recipes_dir``; UnknownSourceError if none is."""
    recipe, path = find_recipe(recipes_dir, source)
    return LocatedRecipe(recipe, path.parent)


def run_recipe(
    store: Store,
    located: LocatedRecipe,
    requester: Requester,
    flags: RunFlags | None = None,
    *,
    payload: bytes | None = None,
    hooks: SyncHooks | None = None,
    loop: Callable[[LoopReport], None] | None = None,
) -> SyncReport:
    """Sync the recipe's source into ``store``, from its files or from ``payload``.

    The report says what was written, refused (and quarantined) and retired;
    its ``exit_code`` is what the command line exits with. A run that wrote or
    retired something then closes the loop (:func:`close_loop`: the signal
    rules, draft insights for their owners), recorded as the same caller's;
    ``loop`` is handed what that did.
    """
    flags = flags or RunFlags()
    source = open_source(located.recipe, store.ids, payload=payload, recipe_dir=located.directory)
    options = options_for(
        located.recipe,
        dry_run=flags.dry_run,
        strict=flags.strict,
        force=flags.force,
        quarantine=flags.quarantine,
    )
    if flags.propose_by is not None:
        options.proposer = proposer(
            store, Caller(flags.propose_by, requester.role), source=f"sync of {located.name}"
        )
    with audit_context(
        actor=requester.name,
        role=requester.role,
        action=f"{requester.via}:sync:{located.name}",
        request_id=requester.request_id,
    ):
        report = sync(store, source, options, hooks)
        if not flags.dry_run and (report.written or report.retired):
            with collector_paused():  # as the sync's batches are (loaders/sync/engine.py)
                closed = close_loop(store, touched=report.touched)
            if loop is not None:
                loop(closed)
        return report
