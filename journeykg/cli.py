"""The ``journeykg`` command line: load, validate, impact, serve, demo."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from journeykg.graph import (
    Store,
    StoreError,
    UnknownElementError,
    UnsupportedElementError,
    open_store,
)
from journeykg.graph.model import Affected, ImpactAnswer
from journeykg.loaders import LoadError, LoadReport, load_file, validate_file
from journeykg.resources import DEMO_DATASET
from journeykg.settings import Settings

app = typer.Typer(
    help="journeykg: a governed knowledge graph for customer-journey management.",
    no_args_is_help=True,
    add_completion=False,
)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

StoreDir = Annotated[
    Path | None,
    typer.Option("--store-dir", help="Embedded store directory [env JOURNEYKG_STORE_DIR]."),
]
Format = Annotated[
    str | None,
    typer.Option(
        "--format", help="RDF format (turtle, nt, json-ld, xml, trig); guessed from the name."
    ),
]


def _settings(store_dir: Path | None) -> Settings:
    settings = Settings()
    if store_dir is not None:
        settings = settings.model_copy(update={"store_dir": store_dir})
    return settings


@contextmanager
def _store(store_dir: Path | None) -> Iterator[Store]:
    try:
        store = open_store(_settings(store_dir))
    except StoreError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(3) from exc
    try:
        yield store
    finally:
        store.close()


def _fail(exc: Exception, code: int) -> typer.Exit:
    err.print("[red]error:[/red] ", end="")
    err.print(str(exc), highlight=False, markup=False)
    return typer.Exit(code)


def _load_with_progress(store: Store, file: Path, rdf_format: str | None) -> LoadReport:
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(f"loading {file.name}", total=3)
        stages = {"parse": 0, "validate": 1, "write": 2}

        def on_stage(name: str) -> None:
            bar.update(task, completed=stages[name], description=f"{name} {file.name}")

        def on_progress(done: int, total: int) -> None:
            bar.update(task, completed=2 + done / max(total, 1))

        report = load_file(
            store, file, rdf_format=rdf_format, on_stage=on_stage, progress=on_progress
        )
        bar.update(task, completed=3)
    return report


@app.command()
def load(
    file: Annotated[Path, typer.Argument(help="RDF file in journeykg ontology terms.")],
    rdf_format: Format = None,
    store_dir: StoreDir = None,
) -> None:
    """Validate FILE against the shapes and write it to the store, all or nothing."""
    with _store(store_dir) as store:
        try:
            report = _load_with_progress(store, file, rdf_format)
        except LoadError as exc:
            raise _fail(exc, 1) from exc
        except StoreError as exc:
            raise _fail(exc, 3) from exc
    out.print(
        f"loaded {report.triples} triples about {report.subjects} elements from {file} "
        f"(parse {report.parse_seconds:.2f} s, validate {report.validate_seconds:.2f} s, "
        f"write {report.write_seconds:.2f} s; {report.warnings} warning(s))"
    )


@app.command()
def validate(
    file: Annotated[Path, typer.Argument(help="RDF file to check.")],
    rdf_format: Format = None,
    against_store: Annotated[
        bool, typer.Option("--against-store", help="Also use what the store already holds.")
    ] = False,
    store_dir: StoreDir = None,
) -> None:
    """Check FILE against the SHACL shapes without writing anything."""
    try:
        if against_store:
            with _store(store_dir) as store:
                result = validate_file(file, store, rdf_format=rdf_format)
        else:
            result = validate_file(file, None, rdf_format=rdf_format)
    except LoadError as exc:
        raise _fail(exc, 1) from exc
    for problem in result.problems:
        (err if problem.severity == "Violation" else out).print(str(problem), markup=False)
    if result.violations:
        err.print(f"[red]{file}: {len(result.violations)} violation(s)[/red]")
        raise typer.Exit(1)
    out.print(f"{file}: conforms")


@app.command()
def impact(
    element: Annotated[str, typer.Argument(help="Key (process/facturatie) or IRI of a process.")],
    max_hops: Annotated[int | None, typer.Option("--max-hops", min=0)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the GraphQL-shaped JSON.")] = False,
    store_dir: StoreDir = None,
) -> None:
    """What a change to a back-office process affects downstream, and along which paths."""
    with _store(store_dir) as store:
        try:
            answer = store.impact(element, max_hops=max_hops)
        except (UnknownElementError, UnsupportedElementError, ValueError) as exc:
            raise _fail(exc, 2) from exc
        except StoreError as exc:
            raise _fail(exc, 3) from exc
    if as_json:
        sys.stdout.write(json.dumps(answer.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        _print_impact(answer)


def _print_impact(answer: ImpactAnswer) -> None:
    out.print(f"[bold]Impact of {answer.of.label or answer.of.id}[/bold] ({answer.of.id})")
    if not answer.is_complete:
        out.print(f"[yellow]cut at --max-hops {answer.max_hops}: more is affected[/yellow]")
    sections: list[tuple[str, tuple[Affected, ...]]] = [
        ("Processes that depend on it", answer.processes),
        ("Journeys", answer.journeys),
        ("Touchpoints", answer.touchpoints),
        ("Lifecycle stages", answer.lifecycle_stages),
        ("Owners", answer.owners),
    ]
    for title, items in sections:
        table = Table(title=f"{title} ({len(items)})", title_justify="left")
        table.add_column("hops", justify="right")
        table.add_column("id")
        table.add_column("label")
        for item in items:
            table.add_row(str(item.hops), item.element.id, item.element.label or "")
        out.print(table)
    for journey in answer.paths:
        out.print(f"[bold]{journey.journey.label}[/bold] is reached along:")
        for path in journey.paths:
            out.print("   " + " → ".join(path), highlight=False)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address [env JOURNEYKG_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [env JOURNEYKG_PORT].")] = None,
    store_dir: StoreDir = None,
) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql)."""
    settings = _settings(store_dir)
    with _store(store_dir) as store:
        _serve(store, host or settings.host, port or settings.port)


@app.command()
def demo(
    host: Annotated[str | None, typer.Option(help="Bind address [env JOURNEYKG_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [env JOURNEYKG_PORT].")] = None,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Load and ask, do not serve.")
    ] = False,
    store_dir: StoreDir = None,
) -> None:
    """Load the bundled demo organisation (Polder Telecom), show one impact answer, serve."""
    settings = _settings(store_dir)
    with _store(store_dir) as store:
        store.clear()
        try:
            report = _load_with_progress(store, DEMO_DATASET, None)
        except LoadError as exc:
            raise _fail(exc, 1) from exc
        out.print(
            f"loaded the demo organisation: {report.triples} triples into the {store.name} store"
        )
        _print_impact(store.impact(DEMO_QUESTION))
        if not no_serve:
            _serve(store, host or settings.host, port or settings.port)


#: The impact question the demo asks first: a change to credit checks.
DEMO_QUESTION = "process/kredietcheck"


def _serve(store: Store, host: str, port: int) -> None:
    import uvicorn

    from journeykg.api import create_app

    out.print(f"GraphiQL: http://{host}:{port}/graphql   (Ctrl+C stops)")
    uvicorn.run(create_app(store), host=host, port=port, log_level="info")
