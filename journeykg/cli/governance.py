"""``journeykg governance ...``: the glossary workflow on the command line.

propose, propose-change, submit, approve, reject, deprecate, migrate, delete,
show, history; each calls one function of
:mod:`journeykg.services.governance.service`, as the GraphQL mutations do.
Decisions need ``--role steward``. The command line works on the store
directly, so whoever runs it can write anything and the option is trusted as
given; over the API a steward's token is required (docs/security.md). A
refusal prints what was refused and why, exits non-zero and writes nothing.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer
from rich.table import Table

from journeykg.cli.common import err, out, reading_store, store_for, valid_ids
from journeykg.graph.audit_context import audit_context, os_user
from journeykg.graph.errors import StoreError, UnknownElementError
from journeykg.services.governance.errors import (
    GovernanceError,
    GovernanceValidationError,
    StillReferencedError,
)

if TYPE_CHECKING:
    from journeykg.graph.store import Store
    from journeykg.services.governance.model import Concept, Outcome, Texts, Version

# The service, the workflow beneath it and the glossary reads import rdflib (and
# the gate pySHACL): each command imports what it runs, so that --help starts
# without them.

#: services.governance.glossary.GLOSSARY_SCHEME, written out so that the help needs
#: no rdflib (tests/cli/test_startup.py holds them equal).
GLOSSARY_SCHEME = "scheme/glossary"

T = TypeVar("T")

governance_app = typer.Typer(
    help="Govern the glossary and the lifecycle framework: propose, decide, look back.",
    no_args_is_help=True,
    add_completion=False,
)


@governance_app.callback()
def _attribute(ctx: typer.Context) -> None:
    # The audit trail records the step, not just "governance".
    ctx.with_resource(
        audit_context(actor=os_user(), role=None, action=f"cli:governance {ctx.invoked_subcommand}")
    )


StoreDir = Annotated[
    Path | None,
    typer.Option("--store-dir", help="Embedded store directory [env JOURNEYKG_STORE_DIR]."),
]
By = Annotated[
    str,
    typer.Option(
        "--by", help="The post taking the step (owner/lead-cx-office).", callback=valid_ids
    ),
]
#: A concept (or change proposal) named by key or IRI.
ConceptArg = Annotated[str, typer.Argument(callback=valid_ids)]
Role = Annotated[
    str | None,
    typer.Option(
        "--role", help="Your governance role; decisions need 'steward' (recorded as given)."
    ),
]
Reason = Annotated[str, typer.Option("--reason", help="Why (recorded with the decision).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ExpectedVersion = Annotated[
    int | None,
    typer.Option(
        "--expected-version",
        help="The concept's version you read (`show`); refused as STALE if it changed since.",
    ),
]
Texts_ = Annotated[
    list[str] | None,
    typer.Option(help="LANG=TEXT, repeatable (nl=..., en=...)."),
]


def _run(fn: Callable[[], T]) -> T:
    """Run a step; a refusal is printed (what, why, each problem) and ends the command."""
    try:
        return fn()
    except UnknownElementError as exc:
        # The code GraphQL refuses an unknown id with; exit 2, as every command's unknown id.
        err.print(f"refused (NOT_FOUND): {exc}", highlight=False, markup=False)
        raise typer.Exit(2) from exc
    except GovernanceError as exc:
        err.print(f"refused ({exc.code}): ", end="", highlight=False, markup=False)
        err.print(
            exc.summary if isinstance(exc, GovernanceValidationError) else str(exc),
            highlight=False,
            markup=False,
        )
        if isinstance(exc, GovernanceValidationError):
            for problem in exc.problems:
                err.print(f"  - {problem}", highlight=False, markup=False)
        if isinstance(exc, StillReferencedError):
            for ref in exc.references:
                err.print(f"  - {ref.subject} {ref.predicate} {ref.object}", highlight=False)
        raise typer.Exit(1) from exc
    except StoreError as exc:
        err.print(f"error: {exc}", highlight=False, markup=False)
        raise typer.Exit(3) from exc


def _texts(pairs: list[str] | None, option: str, *, removable: bool = False) -> Texts:
    """``LANG=TEXT`` pairs by language; with ``removable``, ``LANG=`` (removes it) too."""
    texts: Texts = {}
    for pair in pairs or []:
        lang, sep, text = pair.partition("=")
        if not sep or not (text.strip() or removable):
            example = "nl=Klantreis, or en= to remove a language" if removable else "nl=Klantreis"
            raise typer.BadParameter(
                f"{pair!r}: write LANG=TEXT, e.g. {example}", param_hint=option
            )
        texts[lang.strip()] = text.strip()
    return texts


def _version(concept: Concept) -> str:
    if concept.version is None:
        return "not versioned yet (it has not been through the workflow)"
    return f"version {concept.version}"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    raise TypeError(type(value))


def _print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(_data(value), indent=2, ensure_ascii=False, default=_plain) + "\n")


def _data(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_data(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return value


def _done(outcome: Outcome, as_json: bool) -> None:
    if as_json:
        _print_json(outcome)
        return
    step, concept = outcome.activity, outcome.concept
    about = outcome.proposal.id if outcome.proposal else concept.id
    out.print(
        f"{step.kind.lower()} of {about} recorded as {step.id} "
        f"(by {step.by} as {step.role}, {step.at:%Y-%m-%d %H:%M:%S} UTC)",
        highlight=False,
    )
    out.print(f"{concept.id} is {concept.status}, {_version(concept)}", highlight=False)


def _step(store_dir: Path | None, as_json: bool, take: Callable[[Store], Outcome]) -> None:
    """Open the store, take one governance step on it, print the outcome.

    A refusal is printed by :func:`_run` and ends the command before anything is shown.
    """
    with store_for(store_dir) as store:
        outcome = _run(lambda: take(store))
    _done(outcome, as_json)


@governance_app.command()
def propose(
    concept: Annotated[
        str, typer.Argument(help="Key of the concept (concept/fcr, or fcr).", callback=valid_ids)
    ],
    by: By,
    label: Texts_ = None,
    definition: Texts_ = None,
    scope_note: Texts_ = None,
    source: Annotated[
        list[str] | None, typer.Option(help="Where the definition comes from.")
    ] = None,
    broader: Annotated[
        list[str] | None, typer.Option(help="A broader concept's key.", callback=valid_ids)
    ] = None,
    explains: Annotated[
        list[str] | None,
        typer.Option(help="A model element it defines (jkg:FCR).", callback=valid_ids),
    ] = None,
    scheme: Annotated[
        str, typer.Option(help="The concept scheme.", callback=valid_ids)
    ] = GLOSSARY_SCHEME,
    draft: Annotated[bool, typer.Option("--draft", help="Start as a draft.")] = False,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    role: Role = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Propose a new concept (a change to an existing one is `propose-change`)."""
    from journeykg.services.governance import service
    from journeykg.services.governance.model import ConceptText
    from journeykg.services.governance.service import Caller
    from journeykg.services.governance.workflow import NewConcept

    new = NewConcept(
        key=concept,
        text=ConceptText(
            _texts(label, "--label"),
            _texts(definition, "--definition"),
            _texts(scope_note, "--scope-note"),
        ),
        scheme=scheme,
        sources=tuple(source or ()),
        broader=tuple(broader or ()),
        explains=tuple(explains or ()),
    )
    _step(
        store_dir,
        as_json,
        lambda store: service.propose(store, new, Caller(by, role), draft=draft, rationale=reason),
    )


@governance_app.command(name="propose-change")
def propose_change(
    concept: Annotated[
        str, typer.Argument(help="An approved concept (concept/fcr, or fcr).", callback=valid_ids)
    ],
    by: By,
    label: Texts_ = None,
    definition: Texts_ = None,
    scope_note: Texts_ = None,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    role: Role = None,
    expected_version: ExpectedVersion = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Propose a new text for an approved concept; the approved text stays in force until
    the change is approved. Languages and fields left out stay as approved; LANG= removes
    a language."""
    from journeykg.services.governance import service
    from journeykg.services.governance.model import ConceptText
    from journeykg.services.governance.service import Caller

    change = ConceptText(
        _texts(label, "--label", removable=True),
        _texts(definition, "--definition", removable=True),
        _texts(scope_note, "--scope-note", removable=True),
    )
    _step(
        store_dir,
        as_json,
        lambda store: service.propose_change(
            store,
            concept,
            change,
            Caller(by, role),
            rationale=reason,
            expected_version=expected_version,
        ),
    )


@governance_app.command()
def submit(
    concept: ConceptArg,
    by: By,
    reason: Annotated[str | None, typer.Option("--reason")] = None,
    role: Role = None,
    expected_version: ExpectedVersion = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Put a draft to the board (draft -> proposed)."""
    from journeykg.services.governance import service
    from journeykg.services.governance.service import Caller

    _step(
        store_dir,
        as_json,
        lambda store: service.submit(
            store,
            concept,
            Caller(by, role),
            rationale=reason,
            expected_version=expected_version,
        ),
    )


@governance_app.command()
def approve(
    item: Annotated[
        str, typer.Argument(help="A proposed concept or change proposal.", callback=valid_ids)
    ],
    by: By,
    reason: Reason,
    role: Role = None,
    expected_version: ExpectedVersion = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Approve a proposed concept or change proposal (steward)."""
    from journeykg.services.governance import service
    from journeykg.services.governance.service import Caller

    _step(
        store_dir,
        as_json,
        lambda store: service.approve(
            store,
            item,
            Caller(by, role),
            rationale=reason,
            expected_version=expected_version,
        ),
    )


@governance_app.command()
def reject(
    item: Annotated[
        str, typer.Argument(help="A proposed concept or change proposal.", callback=valid_ids)
    ],
    by: By,
    reason: Reason,
    role: Role = None,
    expected_version: ExpectedVersion = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Reject a proposed concept or change proposal (steward)."""
    from journeykg.services.governance import service
    from journeykg.services.governance.service import Caller

    _step(
        store_dir,
        as_json,
        lambda store: service.reject(
            store,
            item,
            Caller(by, role),
            rationale=reason,
            expected_version=expected_version,
        ),
    )


@governance_app.command()
def deprecate(
    concept: ConceptArg,
    by: By,
    reason: Reason,
    replacement: Annotated[
        str | None,
        typer.Option(help="Supersede by this element; without it: retire.", callback=valid_ids),
    ] = None,
    role: Role = None,
    expected_version: ExpectedVersion = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Supersede an approved element by a replacement, or retire it (steward)."""
    from journeykg.services.governance import service
    from journeykg.services.governance.service import Caller

    _step(
        store_dir,
        as_json,
        lambda store: service.deprecate(
            store,
            concept,
            Caller(by, role),
            rationale=reason,
            replacement=replacement,
            expected_version=expected_version,
        ),
    )


@governance_app.command()
def migrate(
    concept: ConceptArg,
    by: By,
    reason: Reason,
    role: Role = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Move every reference from a superseded element to its replacement, at once (steward)."""
    from journeykg.services.governance import service
    from journeykg.services.governance.service import Caller

    with store_for(store_dir) as store:
        done = _run(lambda: service.migrate(store, concept, Caller(by, role), rationale=reason))
    if as_json:
        _print_json(done)
        return
    out.print(f"moved {len(done.moved)} reference(s) to {done.replacement}:", highlight=False)
    for ref in done.moved:
        out.print(f"  {ref.subject} {ref.predicate} {ref.object}", highlight=False)


@governance_app.command()
def delete(
    concept: ConceptArg,
    by: By,
    reason: Reason,
    role: Role = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Delete a draft or rejected concept nothing refers to, with its record (steward).

    What it held stays in the audit trail, with who deleted it and why.
    """
    from journeykg.services.governance import service
    from journeykg.services.governance.service import Caller

    with store_for(store_dir) as store:
        deleted = _run(lambda: service.delete(store, concept, Caller(by, role), rationale=reason))
    if as_json:
        _print_json({"deleted": deleted})
        return
    out.print(f"deleted {', '.join(deleted)}", highlight=False)


def _print_concept(concept: Concept) -> None:
    out.print(f"[bold]{concept.label or concept.id}[/bold] ({concept.id})", highlight=False)
    out.print(f"status: {concept.status}; {_version(concept)}", highlight=False)
    for name, texts in (
        ("label", concept.text.pref_labels),
        ("definition", concept.text.definitions),
        ("scope note", concept.text.scope_notes),
    ):
        for lang, text in sorted(texts.items()):
            out.print(f"{name} @{lang or '-'}: {text}", highlight=False)
    details = concept.details
    for name, values in (
        ("alternative label", details.alt_labels),
        ("hidden label", details.hidden_labels),
        ("example", details.examples),
        ("note", details.notes),
        ("editorial note", details.editorial_notes),
        ("change note", details.change_notes),
        ("history note", details.history_notes),
    ):
        for lang, text in values:
            out.print(f"{name} @{lang or '-'}: {text}", highlight=False)
    for name, keys in (
        ("notation", details.notations),
        ("sources", concept.sources),
        ("scheme", (concept.scheme,) if concept.scheme else ()),
        ("top concept of", details.top_concept_of),
        ("broader", concept.broader),
        ("narrower", details.narrower),
        ("related", details.related),
        ("exact match", details.exact_match),
        ("close match", details.close_match),
        ("broad match", details.broad_match),
        ("narrow match", details.narrow_match),
        ("related match", details.related_match),
    ):
        if keys:
            out.print(f"{name}: {', '.join(keys)}", highlight=False)
    if concept.explains:
        out.print(f"explains: {', '.join(concept.explains)}", highlight=False)
    if concept.replaced_by:
        out.print(f"replaced by: {concept.replaced_by}", highlight=False)


@governance_app.command()
def show(
    concept: ConceptArg,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="A date or date-time: the version then.")
    ] = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """A concept as it stands now, or (--as-of) the version that held at a moment."""
    from journeykg.services.governance import service
    from journeykg.services.governance.model import Concept

    with reading_store(store_dir) as store:
        if as_of is None:
            found: Concept | Version | None = _run(lambda: service.show(store, concept))
        else:
            found = _run(lambda: service.as_of(store, concept, as_of))
    if found is None:
        err.print(f"{concept} had no version yet on {as_of}", highlight=False)
        raise typer.Exit(1)
    if as_json:
        _print_json(found)
    elif isinstance(found, Concept):
        _print_concept(found)
    else:
        _print_version(found)


def _print_version(version: Version) -> None:
    until = f"{version.valid_until:%Y-%m-%d %H:%M:%S}" if version.valid_until else "now"
    out.print(
        f"[bold]{version.id}[/bold]: {version.status}, "
        f"{version.valid_from:%Y-%m-%d %H:%M:%S} - {until}",
        highlight=False,
    )
    for lang, text in sorted(version.text.definitions.items()):
        out.print(f"  definition @{lang or '-'}: {text}", highlight=False)


@governance_app.command(name="history")
def history_(
    concept: ConceptArg,
    diff: Annotated[
        tuple[int, int] | None, typer.Option("--diff", help="Compare two version numbers.")
    ] = None,
    as_json: AsJson = False,
    store_dir: StoreDir = None,
) -> None:
    """Every version and workflow step of a concept, or (--diff A B) what changed between two."""
    from journeykg.services.governance import service

    with reading_store(store_dir) as store:
        if diff is not None:
            changes = _run(lambda: service.diff(store, concept, diff[0], diff[1]))
            if as_json:
                _print_json(changes)
                return
            table = Table(title=f"{concept}: version {diff[0]} -> {diff[1]}", title_justify="left")
            for column in ("field", "lang", "before", "after"):
                table.add_column(column)
            for c in changes:
                table.add_row(c.field, c.language, c.before or "", c.after or "")
            out.print(table)
            return
        told = _run(lambda: service.history(store, concept))
    if as_json:
        _print_json(told)
        return
    for version in told.versions:
        _print_version(version)
    for proposal in told.proposals:
        out.print(f"change proposal {proposal.id}: {proposal.status}", highlight=False)
    table = Table(title=f"{concept}: workflow steps", title_justify="left")
    for column in ("when (UTC)", "step", "by", "role", "status", "why"):
        table.add_column(column)
    for s in told.activities:
        before = s.from_status.value if s.from_status else ""
        change = f"{before} -> {s.to_status.value if s.to_status else ''}"
        table.add_row(f"{s.at:%Y-%m-%d %H:%M:%S}", s.kind, s.by, s.role, change, s.rationale or "")
    out.print(table)


__all__ = ["governance_app"]
