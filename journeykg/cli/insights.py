"""``journeykg insights``: insights, initiatives and the closed loop (docs/insights.md).

Each command calls the service the GraphQL fields call (:mod:`journeykg.services.insights`),
inside an audit context naming the command, so both entry points give the same answers
and refusals. Refusals print ``refused (CODE): record: field: message [rule: ...]``
and exit 1; an unknown id exits 2, as everywhere.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, is_dataclass
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from journeykg.cli.common import StoreDir, err, out, store_for, valid_ids
from journeykg.graph.audit_context import audit_context, os_user
from journeykg.graph.errors import StoreError

if TYPE_CHECKING:
    from journeykg.services.insights.loop import LoopReport

T = TypeVar("T")

insights_app = typer.Typer(
    help="Insights, improvement initiatives and the signals that close the loop.",
    no_args_is_help=True,
    add_completion=False,
)

AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Reason = Annotated[str | None, typer.Option("--reason", help="Why (recorded in the audit trail).")]
Ident = Annotated[str, typer.Argument(callback=valid_ids, help="Key or IRI.")]


@insights_app.callback()
def _attribute(ctx: typer.Context) -> None:
    ctx.with_resource(
        audit_context(actor=os_user(), role=None, action=f"cli:insights {ctx.invoked_subcommand}")
    )


def _run(fn: Callable[[], T]) -> T:
    from journeykg.graph.errors import UnknownElementError, UnsupportedElementError
    from journeykg.graph.signals import RuleNotApplicableError
    from journeykg.services.insights.errors import InsightError, InsightValidationError

    try:
        return fn()
    except (UnknownElementError, UnsupportedElementError) as exc:
        err.print(f"refused (NOT_FOUND): {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from exc
    except InsightError as exc:
        err.print(f"refused ({exc.code}): {exc}", highlight=False, markup=False)
        if isinstance(exc, InsightValidationError):
            for problem in exc.problems:
                err.print(f"  - {problem}", highlight=False, markup=False)
        raise typer.Exit(1) from exc
    except RuleNotApplicableError as exc:
        err.print(f"refused (RULE): {exc}", highlight=False, markup=False)
        raise typer.Exit(1) from exc
    except StoreError as exc:
        err.print(f"error: {exc}", highlight=False, markup=False)
        raise typer.Exit(3) from exc


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _show(value: Any, as_json: bool, text: Callable[[], None]) -> None:
    if as_json:
        out.print_json(json.dumps(_plain(value), ensure_ascii=False))
    else:
        text()


def print_loop(report: LoopReport) -> None:
    """What the loop did after a sync, one line each (stderr: --json output stays clean)."""
    for ident in report.drafted:
        err.print(f"signal: drafted {ident}", highlight=False, markup=False)
    for ident in report.updated:
        err.print(f"signal: new evidence for {ident}", highlight=False, markup=False)
    for key in report.unowned:
        err.print(f"signal: {key}: nobody owns it, no draft", highlight=False, markup=False)
    for why in report.refused:
        err.print(f"signal refused: {why}", highlight=False, markup=False)


@insights_app.command("list")
def list_(
    owner: Annotated[str | None, typer.Option("--owner", help="Only this owner's.")] = None,
    concerning: Annotated[
        str | None, typer.Option("--concerning", help="Only those about this element.")
    ] = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """The insights, by id: status, owner, what they concern, statement."""
    from journeykg.services.insights.records import insights

    with store_for(store_dir) as store:
        found = _run(lambda: insights(store))
        owner_id = store.ids.key(str(store.ids.iri(owner))) if owner else None
        about = store.ids.key(str(store.ids.iri(concerning))) if concerning else None
    found = [
        i
        for i in found
        if (owner_id is None or i.owner == owner_id) and (about is None or about in i.concerns)
    ]

    def text() -> None:
        for i in found:
            out.print(
                f"{i.id}  [{i.status}]  {i.owner}  {', '.join(i.concerns)}\n  {i.statement}",
                highlight=False,
                markup=False,
            )

    _show(found, as_json, text)


@insights_app.command()
def add(
    statement: Annotated[str, typer.Argument(help="What customers experience, in one sentence.")],
    owner: Annotated[str, typer.Option("--owner", help="The insight owner (a post).")],
    concerns: Annotated[
        list[str], typer.Option("--concerns", help="Step, touchpoint, reason, journey or KPI.")
    ],
    evidence: Annotated[
        list[str] | None, typer.Option("--evidence", help="A KPI value, volume, signal.")
    ] = None,
    confidence: Annotated[float | None, typer.Option("--confidence", help="0..1.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="The statement's language.")] = "en",
    reason: Reason = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Record an insight (status new)."""
    from journeykg.services.insights.insights import create_insight

    with store_for(store_dir) as store:
        made = _run(
            lambda: create_insight(
                store,
                statement,
                owner=owner,
                concerns=concerns,
                evidence=evidence or [],
                confidence=confidence,
                lang=lang,
                why=reason,
            )
        )
    _show(made, as_json, lambda: out.print(f"{made.id}: {made.status}", highlight=False))


@insights_app.command()
def status(
    insight: Ident,
    to: Annotated[str, typer.Argument(help="validated, addressed, closed or rejected.")],
    reason: Reason = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Move an insight one step along its lifecycle."""
    from journeykg.services.insights.insights import set_insight_status

    with store_for(store_dir) as store:
        moved = _run(lambda: set_insight_status(store, insight, to, why=reason))
    _show(moved, as_json, lambda: out.print(f"{moved.id}: {moved.status}", highlight=False))


@insights_app.command()
def signals(as_json: AsJson = False, store_dir: StoreDir = None) -> None:
    """Run the signal rules now, as after a sync: draft or update an insight per cause."""
    from journeykg.services.insights.loop import close_loop

    with store_for(store_dir) as store:
        report = _run(lambda: close_loop(store))
    _show(report, as_json, lambda: print_loop(report))


@insights_app.command()
def plan(
    name: Annotated[str, typer.Argument(help="The initiative's name.")],
    owner: Annotated[str, typer.Option("--owner", help="The post that owns it.")],
    addresses: Annotated[list[str], typer.Option("--addresses", help="A validated insight.")],
    cost: Annotated[float | None, typer.Option("--cost", help="Euros.")] = None,
    target_date: Annotated[str | None, typer.Option("--target-date", help="YYYY-MM-DD.")] = None,
    changes: Annotated[
        list[str] | None, typer.Option("--changes", help="A process or IT system it changes.")
    ] = None,
    expect: Annotated[
        list[str] | None, typer.Option("--expect", help="KPI=CHANGE, e.g. kpi/x-nps=+5.")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="The name's language.")] = "en",
    reason: Reason = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Propose an initiative (status idea) that addresses validated insights."""
    from journeykg.services.insights.initiatives import PlannedEffect, create_initiative

    effects = []
    for pair in expect or []:
        kpi, _, change = pair.partition("=")
        try:
            effects.append(PlannedEffect(kpi, float(change)))
        except ValueError as exc:
            raise typer.BadParameter(f"--expect {pair!r}: KPI=CHANGE, a number") from exc
    with store_for(store_dir) as store:
        made = _run(
            lambda: create_initiative(
                store,
                name,
                owner=owner,
                addresses=addresses,
                cost=cost,
                target_date=target_date,
                changes=changes or [],
                effects=effects,
                lang=lang,
                why=reason,
            )
        )
    _show(made, as_json, lambda: out.print(f"{made.id}: {made.status}", highlight=False))


@insights_app.command()
def progress(
    initiative: Ident,
    to: Annotated[str, typer.Argument(help="planned, in-progress, done or dropped.")],
    done_on: Annotated[
        str | None, typer.Option("--done-on", help="With done: the day (YYYY-MM-DD).")
    ] = None,
    reason: Reason = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Move an initiative one step (planning it marks its insights addressed)."""
    from journeykg.services.insights.initiatives import set_initiative_status

    with store_for(store_dir) as store:
        moved = _run(
            lambda: set_initiative_status(store, initiative, to, done_on=done_on, why=reason)
        )
    _show(moved, as_json, lambda: out.print(f"{moved.id}: {moved.status}", highlight=False))


@insights_app.command()
def impact(initiative: Ident, store_dir: StoreDir = None) -> None:
    """What the processes and systems an initiative changes reach, and what is at stake."""
    from journeykg.services.insights.initiatives import initiative_impact

    with store_for(store_dir) as store:
        shown = _run(lambda: initiative_impact(store, initiative))
    if shown.radius is None:
        out.print(f"{shown.initiative} names nothing it changes: no impact to show")
        return
    r = shown.radius
    out.print(
        f"{shown.initiative}: {len(r.journeys)} journey(s), {r.contacts:,} contacts, "
        f"{r.complaints:,} complaints, EUR {r.cost_eur:,.0f} a year at stake",
        highlight=False,
    )
    for j in r.journeys:
        out.print(f"  {j.journey.id}  contacts {j.contacts:,}  complaints {j.complaints:,}")


@insights_app.command()
def measure(initiative: Ident, as_json: AsJson = False, store_dir: StoreDir = None) -> None:
    """Its KPIs before and after the day it was done, with Welch's t-test."""
    from journeykg.services.insights.initiatives import measure as measured

    with store_for(store_dir) as store:
        found = _run(lambda: measured(store, initiative))

    def text() -> None:
        for m in found:
            if m.why_not is not None:
                out.print(f"{m.kpi}: no test: {m.why_not}", highlight=False, markup=False)
                continue
            verdict = "beyond noise" if m.beyond_noise else "within noise"
            out.print(
                f"{m.kpi}: {m.before.mean:.2f} over {len(m.before.periods)} period(s) before, "
                f"{m.after.mean:.2f} over {len(m.after.periods)} after {m.day}: "
                f"{m.difference:+.2f}, p = {m.p_value:.4f} ({m.test}): {verdict}",
                highlight=False,
                markup=False,
            )

    _show(found, as_json, text)


@insights_app.command()
def rank(
    weight: Annotated[
        list[str] | None,
        typer.Option("--weight", help="FACTOR=W: contacts, complaints, cost, kpiGap (default 1)."),
    ] = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Open initiatives by expected effect on customers per euro, with the weights used."""
    from journeykg.graph.initiative_ranking import rank_initiatives

    weights = {}
    for pair in weight or []:
        name, _, value = pair.partition("=")
        try:
            weights[name] = float(value)
        except ValueError as exc:
            raise typer.BadParameter(f"--weight {pair!r}: FACTOR=NUMBER") from exc
    with store_for(store_dir) as store:
        try:
            ranking = rank_initiatives(store, weights)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc

    def text() -> None:
        shown = ", ".join(f"{k} {v:g}" for k, v in ranking.weights.items())
        out.print(f"weights: {shown}", highlight=False)
        for r in ranking.initiatives:
            per = f"{r.per_euro * 10000:.4f} per EUR 10,000" if r.per_euro else r.note
            out.print(
                f"{r.id}  effect {r.effect:.3f}  {per}  (contacts {r.contacts:,}, "
                f"complaints {r.complaints:,}, KPI gap closed {r.kpi_gap_closed:.2f})",
                highlight=False,
                markup=False,
            )

    _show(ranking, as_json, text)
