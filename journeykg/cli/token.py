"""``journeykg token ...``: create, list and revoke API tokens.

Whoever can run this can write the token database in the store's state
directory (graph/state.py), which is what makes them an administrator: the
command line asks for no token of its own. The embedded store itself is
not opened, so this works while a server holds it. Creating and revoking
are recorded in the store's audit trail, with the reason given.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from journeykg import bootstrap
from journeykg.access.roles import Role
from journeykg.access.tokens import TokenStore, TokenStoreUnavailableError
from journeykg.cli.common import StoreDir, err, fail, out, settings_for, state_or_exit
from journeykg.graph.audit_context import audit_context, os_user
from journeykg.graph.errors import StoreError
from journeykg.services import tokens as token_service
from journeykg.services.tokens import ListedToken, TokenAdmin, TokenError

token_app = typer.Typer(
    help="API tokens: create (shown once), list, revoke (docs/security.md).",
    no_args_is_help=True,
    add_completion=False,
)


@token_app.callback()
def _attribute(ctx: typer.Context) -> None:
    ctx.with_resource(
        audit_context(actor=os_user(), role=None, action=f"cli:token {ctx.invoked_subcommand}")
    )


Reason = Annotated[str, typer.Option("--reason", help="Why (recorded in the audit trail).")]


@contextmanager
def _admin(store_dir: Path | None) -> Iterator[TokenAdmin]:
    settings = settings_for(store_dir)
    state = state_or_exit(settings)
    tokens = bootstrap.token_store(state)
    with token_service.administering(tokens, state, bootstrap.identifiers(settings)) as admin:
        yield admin


def _tokens(store_dir: Path | None) -> TokenStore:
    return bootstrap.token_store(state_or_exit(settings_for(store_dir)))


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


@token_app.command()
def create(
    role: Annotated[
        str, typer.Option("--role", help=f"One of {', '.join(r.value for r in Role)}.")
    ],
    name: Annotated[
        str, typer.Option("--name", help="Who or what uses it (recorded as the actor).")
    ],
    reason: Reason,
    expires_in: Annotated[
        str | None,
        typer.Option(
            "--expires-in",
            help="12h, 30d, 2w, ... [default: JOURNEYKG_TOKEN_EXPIRY_DAYS, 90 days].",
        ),
    ] = None,
    store_dir: StoreDir = None,
) -> None:
    """Create a token for ROLE and print it; it is shown this once and never again."""
    try:
        with _admin(store_dir) as admin:
            issued = token_service.create(
                admin,
                name=name,
                role=role,
                expires_in=expires_in,
                default_days=settings_for(store_dir).token_expiry_days,
                reason=reason,
            )
    except TokenError as exc:
        raise fail(exc, 2) from exc
    # A full disk or an unwritable state directory, for the tokens or the trail.
    except (TokenStoreUnavailableError, StoreError) as exc:
        raise fail(exc, 3) from exc
    info = issued.info
    err.print(
        f"created token {info.id} '{info.name}' ({info.role.value}), "
        f"expires {_when(info.expires_at)}"
    )
    err.print(
        "[yellow]Copy it now: it is not stored and will not be shown again.[/yellow] "
        "Send it as 'Authorization: Bearer <token>'."
    )
    # The token alone on stdout, so that a script can capture it.
    sys.stdout.write(issued.token + "\n")


def _as_json(info: ListedToken) -> dict[str, str | None]:
    return {
        "id": info.id,
        "name": info.name,
        "role": info.role.value,
        "status": info.status,
        "createdAt": info.created_at.isoformat(),
        "expiresAt": info.expires_at.isoformat(),
        "revokedAt": info.revoked_at.isoformat() if info.revoked_at else None,
        "lastUsed": info.last_used.isoformat() if info.last_used else None,
    }


@token_app.command(name="list")
def list_tokens(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store_dir: StoreDir = None,
) -> None:
    """Every token with its role, status and dates (never a secret: none is kept)."""
    try:
        found = token_service.listed(_tokens(store_dir))
    except TokenStoreUnavailableError as exc:
        raise fail(exc, 3) from exc
    if as_json:
        rows = [_as_json(info) for info in found]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return
    table = Table(title=f"API tokens ({len(found)})", title_justify="left")
    # The id is what `token revoke` takes: never shortened, however narrow the terminal.
    table.add_column("id", no_wrap=True, min_width=12)
    for column in ("name", "role", "status", "created", "expires", "last used"):
        table.add_column(column)
    for info in found:
        table.add_row(
            info.id,
            info.name,
            info.role.value,
            info.status,
            _when(info.created_at),
            _when(info.expires_at),
            _when(info.last_used),
        )
    out.print(table)


@token_app.command()
def revoke(
    token_id: Annotated[str, typer.Argument(metavar="ID", help="The id `token list` shows.")],
    reason: Reason,
    store_dir: StoreDir = None,
) -> None:
    """Revoke a token: every request with it is refused from now on."""
    try:
        with _admin(store_dir) as admin:
            info = token_service.revoke(admin, token_id, reason=reason)
    except TokenError as exc:
        raise fail(exc, 2) from exc
    except (TokenStoreUnavailableError, StoreError) as exc:
        raise fail(exc, 3) from exc
    out.print(f"revoked token {info.id} '{info.name}' ({info.role.value})")
