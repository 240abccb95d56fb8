"""``--propose --by POST``: the option pair of ``load``, ``sync`` and ``glossary import``.

Without it, input that would change governed data is refused; with it, the
changed texts become change proposals (services/governance/proposals.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated

import typer

from journeykg.cli.common import out

if TYPE_CHECKING:
    from journeykg.graph.governed_steps import Proposer
    from journeykg.graph.store import Store

Propose = Annotated[
    bool,
    typer.Option(
        "--propose",
        help="Turn changes to governed texts (labels, definitions, scope notes) into change "
        "proposals for the board, instead of refusing the input.",
    ),
]
ProposeBy = Annotated[
    str | None,
    typer.Option("--by", help="With --propose: the post that proposes (owner/manager-...)."),
]


def proposer_for(store: Store, propose: bool, by: str | None, source: str) -> Proposer | None:
    """The proposer ``--propose --by`` asks for, or None; a lone ``--by`` or ``--propose`` is
    a usage error."""
    if not propose:
        if by is not None:
            raise typer.BadParameter("--by goes with --propose", param_hint="--by")
        return None
    if not by:
        raise typer.BadParameter(
            "--propose needs --by POST: the post that proposes the changes (owner/...)",
            param_hint="--by",
        )
    from journeykg.services.governance.proposals import proposer
    from journeykg.services.governance.service import Caller

    return proposer(store, Caller(by), source=source)


def print_proposals(keys: Iterable[str]) -> None:
    """One line per change proposal made, with the step that decides it."""
    for key in keys:
        out.print(
            f"proposed {key}: the approved text stays in force until a steward approves it "
            f"(journeykg governance approve {key} --role steward ...)",
            highlight=False,
        )
