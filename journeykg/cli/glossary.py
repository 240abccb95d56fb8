"""``journeykg glossary ...``: bring glossaries in (the governance workflow adds its own)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from journeykg.cli.common import StoreDir, err, fail, out, store_for
from journeykg.cli.propose import Propose, ProposeBy, print_proposals
from journeykg.graph.audit_context import audit_context, os_user
from journeykg.graph.errors import StoreError
from journeykg.validation.problems import LoadError

if TYPE_CHECKING:
    from journeykg.loaders.skos_glossary import GlossaryImport

#: The keys of loaders.glossary_file.IMPORT_STATUSES, written out so that the help
#: needs no rdflib (tests/cli/test_startup.py holds them equal).
IMPORT_STATUSES = ("proposed", "draft")

glossary_app = typer.Typer(help="The governed glossary.", no_args_is_help=True)


@glossary_app.callback()
def _attribute(ctx: typer.Context) -> None:
    # The audit trail records the command, not just "glossary".
    ctx.with_resource(
        audit_context(actor=os_user(), role=None, action=f"cli:glossary {ctx.invoked_subcommand}")
    )


@glossary_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="A SKOS / NL-SBB glossary in Turtle or JSON-LD.")],
    rdf_format: Annotated[
        str | None, typer.Option("--format", help="turtle or json-ld; guessed from the name.")
    ] = None,
    language: Annotated[
        str, typer.Option(help="Language of texts that carry no language tag.")
    ] = "nl",
    status: Annotated[
        str,
        typer.Option(help=f"Status of the imported concepts: {' or '.join(IMPORT_STATUSES)}."),
    ] = "proposed",
    skip_invalid: Annotated[
        bool,
        typer.Option(
            "--skip-invalid",
            help="Leave out the concepts that have problems (each reported) and import the rest.",
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Check and report what would happen; write nothing."),
    ] = False,
    propose: Propose = False,
    by: ProposeBy = None,
    store_dir: StoreDir = None,
) -> None:
    """Import FILE as proposed definitions, each with its first version; or refuse it whole.

    A concept with a problem refuses the import (nothing is written), unless
    --skip-invalid leaves it out. A concept the store holds already is
    governed: a file that changes it (a new release) is refused, unless
    --propose --by POST makes change proposals of its changed texts; its
    other changed fields are then left as stored, with a warning.
    """
    from journeykg.services.governance.imports import import_glossary_file

    if by is not None and not propose:
        raise typer.BadParameter("--by goes with --propose", param_hint="--by")
    if propose and not by:
        raise typer.BadParameter(
            "--propose needs --by POST: the post that proposes the changes (owner/...)",
            param_hint="--by",
        )
    with store_for(store_dir) as store:
        try:
            report = import_glossary_file(
                store,
                file,
                by=by,
                propose=propose,
                rdf_format=rdf_format,
                language=language,
                status=status,
                skip_invalid=skip_invalid,
                dry_run=dry_run,
            )
        except LoadError as exc:
            raise fail(exc, 1) from exc
        except StoreError as exc:
            raise fail(exc, 3) from exc
    _print_report(report, file)


def _print_report(report: GlossaryImport, file: Path) -> None:
    for warning in report.warnings:
        err.print(f"warning: {warning}", markup=False, highlight=False)
    for problem in report.problems:
        err.print(f"left out: {problem}", markup=False, highlight=False)
    verb = "would import" if report.dry_run else "imported"
    out.print(
        f"{verb} {report.concepts} concept(s) ({report.triples} triples) from {file} "
        f"as {report.status}; {len(report.warnings)} warning(s)",
        highlight=False,
    )
    if report.left_out:
        out.print(
            f"left out {len(report.left_out)} concept(s) with problems: "
            + ", ".join(report.left_out),
            highlight=False,
        )
    if report.unchanged:
        out.print(f"{report.unchanged} stored concept(s) unchanged", highlight=False)
    if report.dry_run:
        for key in report.to_propose:
            out.print(f"would propose a change to {key}", highlight=False)
        out.print("dry run: nothing was written", highlight=False)
        return
    print_proposals(report.proposals)
