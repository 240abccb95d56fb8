"""``journeykg glossary ...``: bring glossaries in (the governance workflow adds its own)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from journeykg.cli.common import StoreDir, err, fail, out, store_for
from journeykg.cli.propose import Propose, ProposeBy, print_proposals, proposer_for
from journeykg.graph.audit_context import audit_context, os_user
from journeykg.graph.errors import StoreError
from journeykg.validation.problems import LoadError

#: The keys of loaders.skos_glossary.IMPORT_STATUSES, written out so that the help
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
    propose: Propose = False,
    by: ProposeBy = None,
    store_dir: StoreDir = None,
) -> None:
    """Import FILE as proposed definitions: normalised with warnings, or refused whole.

    A concept the store holds already is governed: changing it refuses the
    import, unless --propose --by POST makes change proposals of its texts.
    """
    from journeykg.loaders.skos_glossary import import_glossary

    with store_for(store_dir) as store:
        try:
            proposer = proposer_for(store, propose, by, f"glossary import of {file.name}")
            report = import_glossary(
                store,
                file,
                rdf_format=rdf_format,
                language=language,
                status=status,
                proposer=proposer,
            )
        except LoadError as exc:
            raise fail(exc, 1) from exc
        except StoreError as exc:
            raise fail(exc, 3) from exc
    for warning in report.warnings:
        err.print(f"warning: {warning}", markup=False, highlight=False)
    out.print(
        f"imported {report.concepts} concept(s) ({report.triples} triples) from {file} "
        f"as {report.status}; {len(report.warnings)} warning(s)"
    )
    print_proposals(report.proposals)
