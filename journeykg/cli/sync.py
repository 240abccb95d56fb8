"""``journeykg sync RECIPE``: run a recipe's source through the sync engine, with a report."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from journeykg.cli.common import err, open_or_exit, out, reading_store
from journeykg.cli.insights import print_loop
from journeykg.cli.propose import Propose, ProposeBy, print_proposals
from journeykg.graph.audit_context import os_user
from journeykg.validation.problems import LoadError

if TYPE_CHECKING:
    from journeykg.graph.store import Store
    from journeykg.loaders.sync import SyncReport
    from journeykg.services.sync_runs import LocatedRecipe, RunFlags

# The sync engine, the recipes and the gate import rdflib, pydantic and pySHACL:
# each command imports them when it runs, so that --help starts without them.

#: Rejections printed under the summary; the quarantine file and --json have them all.
SHOWN = 20


def sync_command(
    recipe_file: Annotated[Path, typer.Argument(help="Recipe (YAML) naming the source.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Validate and count; write and retire nothing.")
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="All or nothing: one refused record stops the run.")
    ] = False,
    force: Annotated[
        bool,
        typer.Option("--force", help="Retire even more than the recipe's retire_max_share."),
    ] = False,
    quarantine: Annotated[
        Path | None,
        typer.Option("--quarantine", help="Write refused records here (JSON Lines)."),
    ] = None,
    propose: Propose = False,
    by: ProposeBy = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as JSON (on failure too).")
    ] = False,
    encoding: Annotated[
        str | None,
        typer.Option(
            "--encoding",
            help="Text encoding of CSV input (latin-1, cp1252, ...) for this run; default "
            "the recipe's input.encoding, else UTF-8 with or without a byte order mark.",
        ),
    ] = None,
    store_dir: Annotated[
        Path | None,
        typer.Option("--store-dir", help="Embedded store directory [env JOURNEYKG_STORE_DIR]."),
    ] = None,
) -> None:
    """Sync the source of RECIPE_FILE: validate each batch, write what conforms, report.

    Exit code 0: all written; 1: records refused (see --quarantine); 2: the
    retirement guard refused (use --force); 3: the store or the source failed.
    Records that would change governed data or an element the source did not
    create are refused; with --propose --by POST, records that only change
    governed texts become change proposals instead.
    """
    if propose != (by is not None):
        raise typer.BadParameter("--propose and --by POST go together", param_hint="--by")
    from journeykg.loaders.sync import SyncBusyError, SyncFailedError
    from journeykg.services import sync_runs
    from journeykg.services.sync_runs import RunFlags

    try:
        located = sync_runs.recipe_at(recipe_file)
        if encoding is not None:
            located = sync_runs.with_encoding(located, encoding)
    except LoadError as exc:
        _fail(exc, None, as_json)
    flags = RunFlags(
        dry_run=dry_run, strict=strict, force=force, quarantine=quarantine, propose_by=by
    )
    store = open_or_exit(store_dir)
    try:
        report = _run(store, located, flags)
    except (LoadError, SyncBusyError) as exc:
        _fail(exc, located.name, as_json)
    except SyncFailedError as exc:
        report = exc.report
    finally:
        store.close()
    if as_json:
        sys.stdout.write(report.model_dump_json(indent=2) + "\n")
    else:
        print_report(report)
    raise typer.Exit(report.exit_code)


def _fail(exc: Exception, source: str | None, as_json: bool) -> NoReturn:
    """Say why the run could not start or read its source, and exit 3: as JSON with
    ``--json`` (status ``failed``, the error and its problems), else on standard error."""
    if as_json:
        from journeykg.loaders.sync.report import ProblemOut

        problems = exc.problems if isinstance(exc, LoadError) else []
        summary = exc.summary if isinstance(exc, LoadError) else str(exc)
        failure = {
            "source": source,
            "status": "failed",
            "error": summary,
            "problems": [ProblemOut.of(p).model_dump() for p in problems],
        }
        sys.stdout.write(json.dumps(failure, indent=2, ensure_ascii=False) + "\n")
    else:
        err.print("[red]error:[/red] ", end="")
        err.print(str(exc), highlight=False, markup=False)
    raise typer.Exit(3) from exc


def _run(store: Store, located: LocatedRecipe, flags: RunFlags) -> SyncReport:
    """The run, with a progress bar on standard error while it lasts."""
    from journeykg.loaders.sync import SyncHooks
    from journeykg.services import sync_runs
    from journeykg.services.sync_runs import Requester

    name = located.name
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(f"sync {name}", total=None, counts="")

        def batch_done(report: SyncReport) -> None:
            bar.update(
                task,
                description=f"sync {name}: batch {report.batches}",
                counts=(
                    f"read {report.read:,}  written {report.written:,}  "
                    f"rejected {report.rejected:,}"
                ),
            )

        def write_progress(done: int, total: int) -> None:
            bar.update(task, total=total, completed=done)

        return sync_runs.run_recipe(
            store,
            located,
            Requester(name=os_user(), role=None, via="cli"),
            flags,
            hooks=SyncHooks(batch_done=batch_done, write_progress=write_progress),
            loop=print_loop,
        )


def print_report(report: SyncReport) -> None:
    """The summary table, the refused records and the retirement decision."""
    what = "dry run of " if report.dry_run else ""
    table = Table(
        title=f"{what}sync of {report.source} ({report.mode}): {report.status}",
        title_justify="left",
    )
    for column in ("read", "records", "written", "unchanged", "rejected", "retired", "unmapped"):
        table.add_column(column, justify="right")
    table.add_row(
        f"{report.read:,}",
        f"{report.records:,}",
        f"{report.written:,}",
        f"{report.unchanged:,}",
        f"{report.rejected:,}",
        f"{report.retired:,}",
        f"{sum(report.unmapped.values()):,}",
    )
    out.print(table)
    for value, count in list(report.unmapped.items())[:SHOWN]:
        out.print(f"unmapped: {value} ({count:,}x)", highlight=False, markup=False)
    for rejection in report.rejections[:SHOWN]:
        for problem in rejection.problems:
            err.print(
                f"rejected {rejection.external_id or '(no key)'} from {rejection.origin}: "
                f"{problem.node or ''} {problem.property or ''}: {problem.message} "
                f"[{problem.rule}]",
                highlight=False,
                markup=False,
            )
    for warning in report.warnings[:SHOWN]:
        # A source's notice (severity Info) says how it dealt with its input;
        # a warning asks the user to look.
        if warning.severity == "Info":
            text = f"note: {warning.file}: {warning.message}"
        else:
            text = (
                f"warning from {warning.file}: {warning.node or ''} {warning.property or ''}: "
                f"{warning.message} [{warning.rule}]"
            )
        err.print(text, highlight=False, markup=False)
    if report.proposed:
        what = "would become" if report.dry_run else "became"
        out.print(f"{report.proposed:,} record(s) {what} change proposals", highlight=False)
    print_proposals(report.proposals[:SHOWN])
    if report.rejected > SHOWN:
        err.print(f"... and {report.rejected - SHOWN} more rejected record(s)")
    if report.quarantine and report.rejected:
        err.print(f"refused records are in {report.quarantine}", highlight=False, markup=False)
    print_retirement(report)
    for kept in report.kept[:SHOWN]:
        out.print(f"kept {kept.node}: {kept.message}", highlight=False, markup=False)
    if report.error:
        err.print(f"[red]error:[/red] {report.error}", highlight=False)
    if report.run:
        out.print(f"run {report.run}; bookmark {report.bookmark_after or '-'}", highlight=False)


def print_retirement(report: SyncReport) -> None:
    """What a full sync retired (a dry run: would retire), or why not and which candidates."""
    if report.retire_refused:
        err.print(f"[yellow]not retired:[/yellow] {report.retire_refused}", highlight=False)
        _print_ids("the candidates", report.retire_candidates, report.retire_candidate_ids)
    elif report.retired:
        what = "would retire" if report.dry_run else "retired"
        _print_ids(what, report.retired, report.retired_ids)


def _print_ids(what: str, count: int, ids: list[str]) -> None:
    more = f" ... and {count - SHOWN:,} more" if count > SHOWN else ""
    listed = ", ".join(ids[:SHOWN])
    out.print(f"{what} ({count:,}): {listed}{more}", highlight=False, markup=False)


def validate_all(store_dir: Path | None) -> None:
    """Validate the whole stored graph; exit 1 on violations."""
    from journeykg.loaders.sync.gate import check_store

    with reading_store(store_dir) as store:
        result = check_store(store)
    for problem in result.problems:
        (err if problem.severity == "Violation" else out).print(str(problem), markup=False)
    if result.violations:
        err.print(f"[red]the store: {len(result.violations)} violation(s)[/red]")
        raise typer.Exit(1)
    out.print("the store conforms to the shapes")


def keys_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the keys as JSON.")] = False,
    store_dir: Annotated[
        Path | None,
        typer.Option("--store-dir", help="Embedded store directory [env JOURNEYKG_STORE_DIR]."),
    ] = None,
) -> None:
    """List the contact reason and channel keys a CRM recipe may map its values to
    (crm.reasons, crm.channels), with their labels, as the store holds them."""
    from journeykg.loaders.mapping_keys import mappable_keys

    with reading_store(store_dir) as store:
        keys = mappable_keys(store)
    if as_json:
        shown = {
            section: [{"key": k.key, "label": k.label} for k in found]
            for section, found in keys.items()
        }
        sys.stdout.write(json.dumps(shown, indent=2, ensure_ascii=False) + "\n")
        return
    for section, found in keys.items():
        table = Table(title=f"crm.{section}: {len(found)} key(s)", title_justify="left")
        table.add_column("key")
        table.add_column("label")
        for key in found:
            table.add_row(key.key, key.label or "")
        out.print(table)
