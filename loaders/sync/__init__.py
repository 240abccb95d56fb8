"""The sync engine: source batches -> governance check -> SHACL gate -> one transaction each.

For every batch a :class:`~journeykg.loaders.source.Source` yields, the engine

1. refuses records that would overwrite governed data (approved definitions,
   the lifecycle framework) or an element another source owns;
2. skips records the store already holds exactly (so a re-run writes nothing);
3. validates the changed records against the shapes, on the store as it
   would be after the write, and only around what the batch touches;
4. writes the records that conform, their provenance and the source's
   bookmark with ONE :meth:`Store.apply`: all of it, or (on any failure)
   nothing, so the bookmark can never run ahead of the data;
5. quarantines the refused records (JSON Lines, see :mod:`..quarantine`).

A full sync then retires the elements the source owns but no longer
delivered, unless that is more than ``retire_max_share`` of them (then only
``force`` does it). ``strict`` makes the whole run one transaction that is
written only when no record is refused; ``dry_run`` writes nothing at all.
Guarantees, formats and the report: docs/sync.md.

One module per role, composed by :mod:`.engine` in this order: :mod:`.plan`
(with the rules of :mod:`.governance`), :mod:`.gate`, :mod:`.write`,
:mod:`.retire`, :mod:`.bookmark`; :mod:`.report`, :mod:`.options`,
:mod:`.errors` and :mod:`.lock` around them. Callers import the names below
from ``journeykg.loaders.sync``; the gate's own functions (``check_records``,
``check_store``) from :mod:`journeykg.loaders.sync.gate`.
"""

from journeykg.loaders.sync.bookmark import read_bookmark, source_iri
from journeykg.loaders.sync.engine import SyncEngine, sync
from journeykg.loaders.sync.errors import SyncBusyError, SyncFailedError
from journeykg.loaders.sync.lock import exclusive
from journeykg.loaders.sync.options import SyncHooks, SyncOptions
from journeykg.loaders.sync.report import ProblemOut, RejectedRecord, SyncReport

__all__ = [
    "ProblemOut",
    "RejectedRecord",
    "SyncBusyError",
    "SyncEngine",
    "SyncFailedError",
    "SyncHooks",
    "SyncOptions",
    "SyncReport",
    "exclusive",
    "read_bookmark",
    "source_iri",
    "sync",
]
