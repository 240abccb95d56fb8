"""``journeykg mine RECIPE``: mine an event log against its designed journey (docs/mining.md)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from journeykg.cli.common import StoreDir, err, fail, out, settings_for, store_for
from journeykg.graph.audit_context import os_user

if TYPE_CHECKING:
    from journeykg.mining.journey import JourneyMining
    from journeykg.services.mining_runs import MiningOutcome

# The readers, the mining and the gate import rdflib and pydantic: imported when the
# command runs, so that --help starts without them.


def mine_command(
    recipe: Annotated[Path, typer.Argument(help="Mining recipe (YAML), docs/mining.md.")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Mine and show; write no measurements.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="The results as JSON.")] = False,
    store_dir: StoreDir = None,
) -> None:
    """Mine RECIPE's event log against its designed journey and store the measurements.

    Customer and case identifiers are pseudonymised as they are read (JOURNEYKG_MINING_KEY);
    paths followed by fewer than JOURNEYKG_MINING_MIN_CUSTOMERS customers are not shown.
    Mining a period again replaces its measurements. Progress goes to standard error.
    """
    from journeykg.graph.errors import StoreError
    from journeykg.services.mining_runs import run_mining
    from journeykg.validation.problems import LoadError

    settings = settings_for(store_dir)

    def progress(stage: str, count: int) -> None:
        if stage == "read":
            if count:
                err.print(f"read {count:,} events", highlight=False)
        elif stage == "mine":
            err.print(f"mining {count:,} mapped events", highlight=False)
        else:
            err.print(f"writing {count:,} measurements", highlight=False)

    with store_for(store_dir) as store:
        try:
            outcome = run_mining(
                store, recipe, settings, actor=os_user(), dry_run=dry_run, progress=progress
            )
        except LoadError as exc:
            raise fail(exc, 1) from exc
        except StoreError as exc:
            raise fail(exc, 3) from exc
    if as_json:
        sys.stdout.write(json.dumps(outcome_json(outcome), indent=2, ensure_ascii=False) + "\n")
        return
    _print(outcome)


def outcome_json(outcome: MiningOutcome) -> dict[str, Any]:
    """The outcome as the --json output gives it."""
    return {
        "recipe": outcome.recipe,
        "journey": outcome.journey,
        "events": outcome.events,
        "measurements": outcome.measurements,
        "dryRun": outcome.dry_run,
        "periods": [_period_json(p) for p in outcome.periods],
    }


def _period_json(mined: JourneyMining) -> dict[str, Any]:
    return {
        "period": mined.period,
        "cases": mined.cases,
        "customers": mined.customers,
        "fitness": round(mined.fitness, 4),
        "completed": mined.completed,
        "dropOff": [
            {"step": d.step, "reached": d.reached, "stopped": d.stopped, "rate": round(d.rate, 4)}
            for d in mined.drop_off
            if d.customers >= mined.k
        ],
        "deviations": [
            {"kind": d.kind, "step": d.step, "cases": d.cases} for d in mined.deviations
        ],
        "variants": [{"steps": list(v.steps), "cases": v.cases} for v in mined.variants],
        "variantsHidden": mined.variants_hidden,
        "repeatContacts": [
            {
                "reason": r.reason,
                "contacts": r.contacts,
                "repeated": r.repeated,
                "firstContactResolution": round(r.first_contact_resolution, 4),
            }
            for r in mined.repeats
        ],
    }


def _print(outcome: MiningOutcome) -> None:
    verb = "would write" if outcome.dry_run else "wrote"
    out.print(
        f"mined {outcome.events:,} events of {outcome.journey} ({outcome.recipe}); "
        f"{verb} {outcome.measurements} measurements",
        highlight=False,
    )
    for mined in outcome.periods:
        out.print(
            f"\n{mined.period}: {mined.cases:,} cases of {mined.customers:,} customers, "
            f"fitness {mined.fitness:.3f}, completed {mined.completed:,}",
            highlight=False,
        )
        if mined.customers < mined.k:
            out.print(f"  fewer than k = {mined.k} customers: nothing shown", highlight=False)
            continue
        table = Table(title="Drop-off per step", title_justify="left")
        for column in ("step", "reached", "stopped", "drop-off"):
            table.add_column(column)
        for d in mined.drop_off:
            if d.customers >= mined.k:
                table.add_row(d.step, f"{d.reached:,}", f"{d.stopped:,}", f"{d.rate:.1%}")
        out.print(table)
        deviations = Table(title="Deviations (cases)", title_justify="left")
        for column in ("kind", "step", "cases"):
            deviations.add_column(column)
        for dev in mined.deviations:
            deviations.add_row(dev.kind, dev.step or "(any)", f"{dev.cases:,}")
        out.print(deviations)
