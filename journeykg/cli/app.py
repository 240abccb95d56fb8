"""The ``journeykg`` command line: load, validate, impact, serve, demo, token."""

from __future__ import annotations

import atexit
import gc
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from journeykg import bootstrap
from journeykg.api.queries import query
from journeykg.cli import serving
from journeykg.cli import sync as cli_sync
from journeykg.cli.audit import audit_command
from journeykg.cli.common import (
    StoreDir,
    err,
    fail,
    out,
    reading_store,
    settings_for,
    store_for,
    valid_ids,
)
from journeykg.cli.diagrams import lifecycle_command, report_command
from journeykg.cli.glossary import glossary_app
from journeykg.cli.governance import governance_app
from journeykg.cli.insights import insights_app
from journeykg.cli.mine import mine_command
from journeykg.cli.propose import Propose, ProposeBy, print_proposals, proposer_for
from journeykg.cli.server_marker import announced
from journeykg.cli.token import token_app
from journeykg.graph.audit_context import audit_context, os_user
from journeykg.graph.errors import StoreError
from journeykg.validation.problems import LoadError

if TYPE_CHECKING:
    from journeykg.graph.governed_steps import Proposer
    from journeykg.graph.neo4j_offline_import import Neo4jHome
    from journeykg.graph.store import Store
    from journeykg.loaders.pipeline import LoadReport
    from journeykg.services.demo import DemoOutcome
    from journeykg.settings import Settings

# ``journeykg --help`` imports this module and every command group: what a
# command needs beyond typer and rich (rdflib, pySHACL, strawberry, FastAPI,
# uvicorn) it imports when it runs, so that help and small commands start fast.

app = typer.Typer(
    help="journeykg: a governed knowledge graph for customer-journey management.",
    no_args_is_help=True,
    add_completion=False,
)
app.add_typer(governance_app, name="governance")
app.add_typer(token_app, name="token")
app.add_typer(glossary_app, name="glossary")
app.add_typer(insights_app, name="insights")


@app.callback()
def _attribute(ctx: typer.Context) -> None:
    # Every store write a command makes is recorded in the audit trail as
    # the OS user running ``cli:<command>``; groups refine the action.
    ctx.with_resource(
        audit_context(actor=os_user(), role=None, action=f"cli:{ctx.invoked_subcommand}")
    )


Format = Annotated[
    str | None,
    typer.Option(
        "--format", help="RDF format (turtle, nt, json-ld, xml, trig); guessed from the name."
    ),
]


OfflineImport = Annotated[
    bool,
    typer.Option(
        "--offline-import",
        help="Into an empty Neo4j database: write it with Neo4j's import tool, the server "
        "stopped and started around it (JOURNEYKG_NEO4J_HOME names the installation; "
        "docs/neo4j-bulk.md).",
    ),
]


def _load_with_progress(
    store: Store,
    file: Path,
    rdf_format: str | None,
    proposer: Proposer | None = None,
    offline_import: Neo4jHome | None = None,
) -> LoadReport:
    from journeykg.loaders.pipeline import load_file

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
            store,
            file,
            rdf_format=rdf_format,
            on_stage=on_stage,
            progress=on_progress,
            proposer=proposer,
            offline_import=offline_import,
        )
        bar.update(task, completed=3)
    return report


@app.command()
def load(
    file: Annotated[Path, typer.Argument(help="RDF file in journeykg ontology terms.")],
    rdf_format: Format = None,
    propose: Propose = False,
    by: ProposeBy = None,
    offline_import: OfflineImport = False,
    store_dir: StoreDir = None,
) -> None:
    """Validate FILE against the shapes and write it to the store, all or nothing.

    A file that would change governed data (the lifecycle framework, the
    glossary) is refused; with --propose --by POST its changed texts become
    change proposals and the rest is loaded.
    """
    from journeykg.loaders.collector_pause import collector_paused

    home = _neo4j_home(store_dir) if offline_import else None
    # Paused for the whole command, and left paused: a load builds millions of objects,
    # some of them in reference cycles (an rdflib graph and what points back at it),
    # which the collector would walk and free after the load, ~11 s at 1M nodes
    # (docs/benchmarks.md, "Offline import"), for a process that is about to end.
    with collector_paused():
        with store_for(store_dir) as store:
            try:
                proposer = proposer_for(store, propose, by, f"load of {file.name}")
                report = _load_with_progress(store, file, rdf_format, proposer, home)
            except LoadError as exc:
                raise fail(exc, 1) from exc
            except StoreError as exc:
                raise fail(exc, 3) from exc
            out.print(
                f"loaded {report.triples} triples about {report.subjects} elements from {file} "
                f"(parse {report.parse_seconds:.2f} s, validate {report.validate_seconds:.2f} s, "
                f"write {report.write_seconds:.2f} s; {report.warnings} warning(s))"
            )
            print_proposals(report.proposals)
        _end_without_teardown()  # inside the pause: the collector never runs again


#: Set by :func:`main` (the console script): the process ends when its command does.
_CONSOLE = False


def _end_without_teardown() -> None:
    """End the console script's process now, its output flushed, without freeing its heap.

    After a large load the interpreter's teardown frees every object the load made,
    one by one (seconds at 1M nodes); the command has closed its store and journal.
    Under a test's in-process runner (``_CONSOLE`` unset) it returns, as any command.
    """
    if not _CONSOLE:
        return
    import logging
    import os

    sys.stdout.flush()  # the consoles' files (rich writes to them and flushes too)
    sys.stderr.flush()
    logging.shutdown()
    os._exit(0)


def _neo4j_home(store_dir: Path | None) -> Neo4jHome:
    from journeykg.graph.neo4j_offline_import import Neo4jHome

    home = settings_for(store_dir).neo4j_home
    if home is None:
        raise fail(
            ValueError(
                "--offline-import needs the Neo4j installation's directory: set "
                "JOURNEYKG_NEO4J_HOME (it holds bin/neo4j and bin/neo4j-admin)"
            ),
            2,
        )
    return Neo4jHome(home)


@app.command()
def export(
    file: Annotated[Path, typer.Argument(help="Where to write the graph (refused if it exists).")],
    rdf_format: Annotated[
        str, typer.Option("--format", help="nt (N-Triples, the default) or turtle.")
    ] = "nt",
    store_dir: StoreDir = None,
) -> None:
    """Write every stored triple to FILE: a backup that `journeykg restore` reads back.

    The same graph always gives the same bytes, on either backend (README: Backups).
    """
    from journeykg.graph.export import EXPORT_FORMATS, export_bytes

    if rdf_format not in EXPORT_FORMATS:
        raise fail(ValueError(f"--format {rdf_format!r}: use nt or turtle"), 2)
    if file.exists():
        raise fail(FileExistsError(f"{file} exists; export never overwrites a file"), 2)
    with reading_store(store_dir) as store:
        try:
            data, triples = export_bytes(store, rdf_format)
        except StoreError as exc:
            raise fail(exc, 3) from exc
    partial = file.with_name(file.name + ".partial")
    partial.write_bytes(data)
    partial.rename(file)  # a crash mid-write leaves no half file under the real name
    out.print(f"exported {triples} triples to {file}")


@app.command()
def restore(
    file: Annotated[Path, typer.Argument(help="A file written by `journeykg export`.")],
    rdf_format: Format = None,
    offline_import: OfflineImport = False,
    store_dir: StoreDir = None,
) -> None:
    """Write an export back, exactly as it was, into an EMPTY store (one transaction).

    Unlike `load`, nothing is added (no load run, no provenance of its own): the
    restored graph is the exported one, triple for triple.
    """
    from journeykg.graph.neo4j_bulk import file_key
    from journeykg.loaders.collector_pause import collector_paused
    from journeykg.loaders.rdf_fast_read import read_large_rdf
    from journeykg.loaders.restore import StoreNotEmptyError
    from journeykg.loaders.restore import restore as restore_graph

    # As `load`: the collector paused to the end and no teardown of the parsed graph.
    with collector_paused():
        # Oxigraph's parser, as `load` reads: rdflib's reads ~35,000 triples a second, two
        # minutes for the export of a million-node organisation. A file it refuses is read
        # again by rdflib, so that the error names the file and the line as a load's does.
        try:
            graph = read_large_rdf(file, rdf_format or "nt")
        except LoadError as exc:
            raise fail(exc, 1) from exc
        home = _neo4j_home(store_dir) if offline_import else None
        with store_for(store_dir) as store:
            try:
                written = restore_graph(
                    store, graph, str(file), key=file_key("restore", file), offline_import=home
                )
            except StoreNotEmptyError as exc:
                raise fail(exc, 2) from exc
            except LoadError as exc:
                raise fail(exc, 1) from exc
            except StoreError as exc:
                raise fail(exc, 3) from exc
        out.print(f"restored {written} triples from {file}")
        _end_without_teardown()


@app.command()
def validate(
    file: Annotated[Path | None, typer.Argument(help="RDF file to check.")] = None,
    rdf_format: Format = None,
    against_store: Annotated[
        bool, typer.Option("--against-store", help="Also use what the store already holds.")
    ] = False,
    whole_store: Annotated[
        bool, typer.Option("--all", help="Validate the whole stored graph instead of a file.")
    ] = False,
    store_dir: StoreDir = None,
) -> None:
    """Check FILE (or, with --all, the whole store) against the SHACL shapes; write nothing."""
    from journeykg.loaders.pipeline import validate_file

    if whole_store or file is None:
        if file is not None or not whole_store:
            raise typer.BadParameter("give a FILE, or --all for the whole store")
        cli_sync.validate_all(store_dir)
        return
    try:
        if against_store:
            with reading_store(store_dir) as store:
                result = validate_file(file, store, rdf_format=rdf_format)
        else:
            ids = bootstrap.identifiers(settings_for(store_dir))
            result = validate_file(file, None, ids=ids, rdf_format=rdf_format)
    except LoadError as exc:
        raise fail(exc, 1) from exc
    for problem in result.problems:
        (err if problem.severity == "Violation" else out).print(str(problem), markup=False)
    if result.violations:
        err.print(f"[red]{file}: {len(result.violations)} violation(s)[/red]")
        raise typer.Exit(1)
    out.print(f"{file}: conforms")


@app.command()
def impact(
    element: Annotated[
        str,
        typer.Argument(help="Key (process/facturatie) or IRI of an element.", callback=valid_ids),
    ],
    max_hops: Annotated[int | None, typer.Option("--max-hops", min=0)] = None,
    upstream: Annotated[
        bool, typer.Option("--upstream", help="What ELEMENT depends on, not what it affects.")
    ] = False,
    via: Annotated[
        list[str] | None,
        typer.Option("--via", help="Follow only these relations (DEPENDS_ON, SUPPORTED_BY, ...)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the answer of api/queries/impact.graphql.")
    ] = False,
    diagram_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="Draw the answer instead: svg, png, dot or mermaid (docs/diagrams.md).",
        ),
    ] = None,
    language: Annotated[
        str, typer.Option("--lang", help="Language of a diagram's labels: nl or en.")
    ] = "nl",
    cluster_above: Annotated[
        int,
        typer.Option("--cluster-above", min=1, help="Cluster a diagram per class and hop above."),
    ] = 150,
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write the diagram to this file.")
    ] = None,
    store_dir: StoreDir = None,
) -> None:
    """What a change to ELEMENT affects downstream (or needs, --upstream), and along which paths."""
    from journeykg.cli.ask import CliQueryError, ask_graphql
    from journeykg.cli.diagrams import (
        DIAGRAM_FORMATS,
        check_language,
        emit,
        impact_diagram_bytes,
    )

    if diagram_format is not None and diagram_format not in DIAGRAM_FORMATS:
        raise typer.BadParameter(
            f"{diagram_format!r} is not one of {', '.join(DIAGRAM_FORMATS)}",
            param_hint="--format",
        )
    check_language(language)
    variables: dict[str, Any] = {
        "of": element,
        "maxHops": max_hops,
        "direction": "UPSTREAM" if upstream else "DOWNSTREAM",
        "via": [v.upper() for v in via] if via else None,
    }
    with reading_store(store_dir) as store:
        try:
            if diagram_format is not None:
                drawn = impact_diagram_bytes(
                    store, variables, diagram_format, language, cluster_above
                )
            else:
                data = ask_graphql(store, query("impact"), variables)["impact"]
        except CliQueryError as exc:
            raise fail(exc, exc.exit_code) from exc
    if diagram_format is not None:
        emit(drawn, out_file, f"the impact diagram of {element} ({diagram_format})")
    elif as_json:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    else:
        _print_impact(data)


def _print_impact(data: dict[str, Any]) -> None:
    of = data["of"]
    verb = "needs" if data["direction"] == "UPSTREAM" else "affects"
    out.print(f"[bold]What {of['label'] or of['id']} ({of['id']}) {verb}[/bold]")
    if not data["isComplete"]:
        out.print(
            f"[yellow]cut at {data['truncatedAtHop']} hops: "
            f"{data['cut']['totalCount']} element(s) have edges beyond the limit[/yellow]"
        )
    by_type: dict[str, list[dict[str, Any]]] = {}
    for edge in data["elements"]["edges"]:
        by_type.setdefault(edge["node"]["element"]["type"], []).append(edge["node"])
    for kind, nodes in by_type.items():
        table = Table(title=f"{kind} ({len(nodes)})", title_justify="left")
        for column in ("hops", "id", "label"):
            table.add_column(column, justify="right" if column == "hops" else "left")
        for node in nodes:
            table.add_row(str(node["hops"]), node["element"]["id"], node["element"]["label"] or "")
        out.print(table)
    radius = data["blastRadius"]
    out.print(
        f"[bold]At stake:[/bold] {radius['contacts']:,} contacts and {radius['complaints']:,} "
        f"complaints a year, EUR {radius['costEur']:,.0f} annual cost"
    )
    for edge in data["journeys"]["edges"]:
        node = edge["node"]
        out.print(f"[bold]{node['element']['label']}[/bold] is reached along:")
        for path in node["paths"]["edges"]:
            out.print("   " + " → ".join(path["node"]["elements"]), highlight=False)


@app.command()
def priorities(
    stage: Annotated[
        str | None, typer.Option(help="Only journeys in this lifecycle stage.", callback=valid_ids)
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    store_dir: StoreDir = None,
) -> None:
    """Journeys ranked for improvement: volume, complaints, cost and KPI gap (docs/impact.md)."""
    from journeykg.cli.ask import CliQueryError, ask_graphql

    document = (
        "query($stage: ID) { priorities(stage: $stage, first: 500) { edges { node { "
        "journey { id label } contacts complaints costEur kpiGap score lifecycleStages } } } }"
    )
    with reading_store(store_dir) as store:
        try:
            data = ask_graphql(store, document, {"stage": stage})["priorities"]
        except CliQueryError as exc:
            raise fail(exc, exc.exit_code) from exc
    rows = [edge["node"] for edge in data["edges"]]
    if as_json:
        sys.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        return
    table = Table(title="Journeys to improve first", title_justify="left")
    for column in ("score", "journey", "contacts", "complaints", "cost EUR", "KPI gap"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            f"{row['score']:.2f}",
            row["journey"]["label"] or row["journey"]["id"],
            f"{row['contacts']:,}",
            f"{row['complaints']:,}",
            f"{row['costEur']:,.0f}",
            f"{row['kpiGap']:.2f}",
        )
    out.print(table)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address [env JOURNEYKG_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [env JOURNEYKG_PORT].")] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            min=1,
            help="Processes to answer with [env JOURNEYKG_WORKERS]; more than one needs a "
            "store they share (Neo4j).",
        ),
    ] = None,
    store_dir: StoreDir = None,
) -> None:
    """Serve the GraphQL API (GraphiQL at /graphql); requests need an API token."""
    settings = settings_for(store_dir)
    workers = workers or settings.workers
    if workers > 1:
        serving.serve_workers(settings, store_dir, host, port, workers)
        return
    with store_for(store_dir) as store:
        _serve(store, settings, host, port)


@app.command()
def demo(
    host: Annotated[str | None, typer.Option(help="Bind address [env JOURNEYKG_HOST].")] = None,
    port: Annotated[int | None, typer.Option(help="Port [env JOURNEYKG_PORT].")] = None,
    no_serve: Annotated[
        bool, typer.Option("--no-serve", help="Load and ask, do not serve.")
    ] = False,
    reset: Annotated[
        bool,
        typer.Option(
            "--reset",
            help="Empty the graph first: governance history and saved scenarios go "
            "(into the audit trail); tokens and the trail stay.",
        ),
    ] = False,
    store_dir: StoreDir = None,
) -> None:
    """Load the demo organisation (Polder Telecom), show one impact answer, serve.

    A re-run keeps everything the store holds (governance history, saved
    scenarios, tokens, the audit trail) and adds only demo elements that are
    missing; --reset starts the demo organisation afresh.
    """
    from journeykg.cli.ask import ask_graphql
    from journeykg.graph.audited import AuditedStore
    from journeykg.services import demo as demo_service

    settings = settings_for(store_dir)
    with store_for(store_dir) as store:
        state = store.state if isinstance(store, AuditedStore) else None
        tokens = bootstrap.token_store(state) if state is not None else None
        try:
            done = demo_service.prepare(store, tokens, reset=reset)
        except LoadError as exc:
            raise fail(exc, 1) from exc
        except StoreError as exc:
            raise fail(exc, 3) from exc
        _print_demo(done, store.name)
        _print_impact(ask_graphql(store, query("impact"), {"of": DEMO_QUESTION})["impact"])
        if not no_serve:
            # The demo is for exploring: GraphiQL, the introspection it needs, and
            # reading without a token are on; changing anything still needs a token.
            explore = {"graphql_ide": True, "graphql_introspection": True, "anonymous_read": True}
            _serve(store, settings.model_copy(update=explore), host, port)


def _print_demo(done: DemoOutcome, backend: str) -> None:
    if done.reset:
        out.print(f"reset: removed {done.removed_triples} triples from the {backend} store")
    for what, report in (
        ("the demo organisation", done.organisation),
        ("the journeykg glossary", done.glossary),
    ):
        written = report.written
        if written is None:
            out.print(f"{what} is in the store already: kept its {report.kept} elements as is")
        elif report.kept:
            out.print(
                f"loaded {what}: {written.triples} triples of the elements the store lacked; "
                f"kept the other {report.kept} as they are"
            )
        else:
            out.print(f"loaded {what}: {written.triples} triples into the {backend} store")
    k = done.kept
    out.print(
        f"kept: {k.governance_steps} governance step(s), {k.versions} version(s), "
        f"{k.change_proposals} change proposal(s), {k.scenarios} saved scenario(s), "
        f"{k.tokens} active token(s), {k.audit_entries} audit entries"
        + ("" if done.reset else " (`journeykg demo --reset` starts afresh)")
    )


#: The impact question the demo asks first: a change to credit checks.
DEMO_QUESTION = "process/kredietcheck"


def _serve(store: Store, settings: Settings, host: str | None, port: int | None) -> None:
    import uvicorn

    from journeykg.api.app import create_app
    from journeykg.api.serving import uvicorn_options
    from journeykg.graph.audited import AuditedStore

    host, port = serving.announce(settings, host, port)
    app = create_app(store, settings=settings, warm=True)
    options = uvicorn_options(settings)
    state = store.state if isinstance(store, AuditedStore) else None
    if store.name != "embedded" or state is None:
        uvicorn.run(app, host=host, port=port, log_level="info", **options)
        return
    out.print(
        "Beside it, the CLI reads this store (impact, priorities, governance show/history, "
        "audit, export); changes go through this server's API with a token."
    )
    # A command that cannot open the store names this server and how to reach it.
    with announced(state.path, f"http://{host}:{port}/graphql"):
        uvicorn.run(app, host=host, port=port, log_level="info", **options)


@app.command()
def coverage(
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    store_dir: StoreDir = None,
) -> None:
    """Gaps in the whole graph: stages, contact reasons, journeys, touchpoints, definitions."""
    from journeykg.graph.coverage import coverage_report, print_coverage

    with reading_store(store_dir) as store:
        try:
            report = coverage_report(store)
        except StoreError as exc:
            raise fail(exc, 3) from exc
    if as_json:
        sys.stdout.write(json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        print_coverage(report, out)


app.command(name="sync")(cli_sync.sync_command)
app.command(name="sync-keys")(cli_sync.keys_command)
app.command(name="audit")(audit_command)
app.command(name="mine")(mine_command)
app.command(name="lifecycle")(lifecycle_command)
app.command(name="report")(report_command)


def main() -> None:
    """The console script: run the command line, then leave without a last garbage collection."""
    # At exit the interpreter collects garbage over every object the imports made
    # (rdflib's, strawberry's): ~0.2 s after an impact question, a quarter of its wall
    # time. The command has closed what it opened (stores, journals, the token
    # database) and the standard streams are flushed after the handlers run, so the
    # process can end with those objects frozen, unvisited.
    global _CONSOLE
    atexit.register(gc.freeze)
    _CONSOLE = True
    app()
