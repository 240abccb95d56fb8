"""``journeykg audit``: the store's audit trail, filtered by element, actor and period.

It reads what the GraphQL ``auditTrail`` query reads, through the same
service (:func:`journeykg.services.audit.trail`), so both give the same
entries; ``--json`` prints them with the GraphQL field names. It only
reads, so it works while a server holds the embedded store.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import typer

from journeykg.cli.common import StoreDir, fail, out, reading_store
from journeykg.graph.errors import StoreError

if TYPE_CHECKING:
    from journeykg.services.audit import TrailEntry

#: How many of an entry's elements the listing names (the rest are counted).
SHOWN_ELEMENTS = 5


def _moment(text: str | None) -> datetime | None:
    # The service brings rdflib along: imported when the command runs, not for --help.
    from journeykg.services import audit

    if text is None:
        return None
    try:
        return audit.parse_moment(text)
    except audit.BadMomentError as exc:
        raise typer.BadParameter(str(exc)) from exc


def audit_command(
    element: Annotated[
        str | None,
        typer.Option("--element", help="Only writes that changed it (key or IRI; token/<id>)."),
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Only this actor (a token's name, an OS user).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this date or date-time on (UTC if naive).")
    ] = None,
    until: Annotated[
        str | None, typer.Option("--until", help="Before this date or date-time (exclusive).")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=0, help="At most this many entries, newest first; 0: all.")
    ] = 50,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON, with the fields of GraphQL auditTrail.")
    ] = False,
    store_dir: StoreDir = None,
) -> None:
    """Who changed what and when, newest first: the store's audit trail (docs/audit.md)."""
    from journeykg.services import audit

    start, end = _moment(since), _moment(until)
    with reading_store(store_dir) as store:
        try:
            # The listing shows counts and five elements: the values are read for --json only.
            page = audit.trail(
                store,
                actor=actor,
                element=element,
                since=start,
                until=end,
                limit=limit or None,
                texts=as_json,
                elements=None if as_json else SHOWN_ELEMENTS,
            )
        except (StoreError, ValueError) as exc:
            raise fail(exc, 3 if isinstance(exc, StoreError) else 2) from exc
    if as_json:
        answer = {"totalCount": page.total, "entries": [e.as_json() for e in page.entries]}
        sys.stdout.write(json.dumps(answer, indent=2, ensure_ascii=False) + "\n")
        return
    _print(page.entries, page.total)


def _print(entries: list[TrailEntry], total: int) -> None:
    # One block per entry rather than a table: reasons and notes are sentences.
    for e in entries:
        who = f"{e.actor} ({e.role})" if e.role else e.actor
        by = f"  for {e.by}" if e.by else ""
        out.print(
            f"[bold]{e.at:%Y-%m-%d %H:%M:%S} UTC[/bold]  {who}  {e.action}{by}", highlight=False
        )
        if e.reason:
            out.print(f"  why: {e.reason}", highlight=False)
        if e.note:
            out.print(f"  {e.note}", highlight=False)
        shown = ", ".join(e.elements[:SHOWN_ELEMENTS])
        hidden = e.element_count - len(e.elements[:SHOWN_ELEMENTS])
        more = f" (+{hidden} more)" if hidden > 0 else ""
        if e.elements:
            out.print(f"  elements: {shown}{more}", highlight=False)
        if e.removed_count or e.added_count:
            out.print(
                f"  {e.removed_count} statement(s) removed, {e.added_count} added", highlight=False
            )
    older = total - len(entries)
    out.print(
        f"{len(entries)} of {total} entries"
        + (f"; {older} older not shown (--limit, or narrow the filters)" if older else ""),
        highlight=False,
    )
