"""Diagrams from the command line: an impact answer (``impact --format``) and ``lifecycle``.

Light at import (``journeykg --help`` imports it): the diagram code, and
with it Graphviz's package and rdflib, is imported when a command runs.
"""

from __future__ import annotations

import base64
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from journeykg.cli.common import StoreDir, err, fail, reading_store, valid_ids

#: The diagram formats (``json`` and the table stay the impact command's own).
DIAGRAM_FORMATS = ("svg", "png", "dot", "mermaid")

OutFile = Annotated[
    Path | None,
    typer.Option("--out", help="Write the diagram to this file instead of standard output."),
]

_IMPACT_DIAGRAM = (
    "query($of: ID!, $direction: Direction, $maxHops: Int, $via: [Relation!], "
    "$format: DiagramFormat!, $language: DiagramLanguage!, $clusterAbove: Int!) {"
    " impact(of: $of, direction: $direction, maxHops: $maxHops, via: $via) {"
    " diagram(format: $format, language: $language, clusterAbove: $clusterAbove) {"
    " encoding content } } }"
)


def check_language(value: str) -> str:
    """``value`` if it is nl or en, else a usage error naming the option."""
    if value not in ("nl", "en"):
        raise typer.BadParameter(f"{value!r} is not one of nl, en", param_hint="--lang")
    return value


def impact_diagram_bytes(
    store: Any, variables: dict[str, Any], fmt: str, language: str, cluster_above: int
) -> bytes:
    """The impact diagram as GraphQL's ``impact { diagram }`` gives it, decoded to bytes."""
    from journeykg.cli.ask import ask_graphql

    asked = {
        **variables,
        "format": fmt.upper(),
        "language": language.upper(),
        "clusterAbove": cluster_above,
    }
    drawn = ask_graphql(store, _IMPACT_DIAGRAM, asked)["impact"]["diagram"]
    if drawn["encoding"] == "base64":
        return base64.b64decode(drawn["content"])
    return str(drawn["content"]).encode()


def emit(content: bytes, out_file: Path | None, what: str) -> None:
    """Write ``content`` to ``out_file``, or to standard output (binary only when redirected)."""
    if out_file is not None:
        out_file.write_bytes(content)
        err.print(f"wrote {what} to {out_file} ({len(content):,} bytes)", highlight=False)
        return
    if content.startswith(b"\x89PNG") and sys.stdout.isatty():
        raise typer.BadParameter("a PNG is not shown on a terminal: give --out FILE or redirect")
    sys.stdout.buffer.write(content)
    sys.stdout.flush()


def lifecycle_command(
    fmt: Annotated[str, typer.Option("--format", help="svg, png, dot or mermaid.")] = "svg",
    language: Annotated[
        str, typer.Option("--lang", help="Language of the labels: nl or en.")
    ] = "nl",
    out_file: OutFile = None,
    store_dir: StoreDir = None,
) -> None:
    """The lifecycle picture (stages, phases, contact reasons, journeys) as a diagram."""
    from journeykg.graph.errors import StoreError
    from journeykg.services.diagrams.drawing import draw_lifecycle
    from journeykg.services.diagrams.formats import DiagramFormat

    if fmt not in DIAGRAM_FORMATS:
        raise typer.BadParameter(
            f"{fmt!r} is not one of {', '.join(DIAGRAM_FORMATS)}", param_hint="--format"
        )
    check_language(language)
    with reading_store(store_dir) as store:
        try:
            drawing = draw_lifecycle(store, DiagramFormat(fmt), language)
        except StoreError as exc:
            raise fail(exc, 3) from exc
    emit(drawing.content, out_file, f"the lifecycle picture ({fmt})")


def report_command(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for board-pack.html and .pdf.")],
    language: Annotated[str, typer.Option("--lang", help="Language of the pack: nl or en.")] = "nl",
    impact_of: Annotated[
        str | None,
        typer.Option(
            "--impact",
            help="An element whose impact answer (and diagram) to include.",
            callback=valid_ids,
        ),
    ] = None,
    scenarios: Annotated[
        list[str] | None,
        typer.Option("--scenario", help="Two saved scenarios to compare (give it twice)."),
    ] = None,
    store_dir: StoreDir = None,
) -> None:
    """The board pack: one HTML and one PDF document (lifecycle, priorities, gaps, governance)."""
    from journeykg.graph.errors import StoreError, UnknownElementError
    from journeykg.services.board_pack.writing import write_board_pack

    check_language(language)
    if scenarios is not None and len(scenarios) != 2:
        raise typer.BadParameter(
            f"give two scenarios to compare, not {len(scenarios)}", param_hint="--scenario"
        )
    with reading_store(store_dir) as store:
        try:
            written = write_board_pack(
                store,
                out_dir,
                language,
                impact_of=impact_of,
                scenarios=(scenarios[0], scenarios[1]) if scenarios else None,
            )
        except UnknownElementError as exc:
            raise fail(exc, 2) from exc
        except ValueError as exc:  # an element impact cannot start from
            raise fail(exc, 2) from exc
        except StoreError as exc:
            raise fail(exc, 3) from exc
    err.print(f"wrote {written.html} and {written.pdf}", highlight=False)
