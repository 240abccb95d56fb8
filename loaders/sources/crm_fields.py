"""The recipe's fields checked against the export before any case is counted.

A field the recipe names that the export does not have would count nothing, or count
wrong: a misspelt ``escalation.field`` gives 0 escalations, a missing ``closed`` field a
first-contact resolution of 0, and a missing reason field makes every aggregate of the
source vanish (and a full sync retire them all). So a CRM source looks at the fields the
export has (a CSV's header, the records of the first page of JSON) and refuses the whole
input, before anything is written, naming each missing field, the recipe's file and line
of the setting, the closest field the export has and the fields it has.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from journeykg.loaders.recipe_model import Recipe
from journeykg.loaders.sources._common import SourceError
from journeykg.loaders.sources.crm_cases import CaseBuilder
from journeykg.validation.problems import Problem

RULE = "recipe field exists in the export"

#: At most this many of the export's fields are listed in a problem.
LISTED = 60


def needed_fields(recipe: Recipe, builder: CaseBuilder) -> list[tuple[str, str, bool]]:
    """(key path in the recipe, field, whether the recipe names it) of every field the read
    needs: the ones the recipe names, and the vendor's defaults it relies on (the case id,
    its creation time, reason and channel; the modification time for an incremental read;
    the closing time for a first-contact rule on closing)."""
    config = builder.config
    needed: dict[str, str] = {path: name for path, name in config.named_fields()}
    needed.setdefault("fields.id", builder.id_field)
    needed.setdefault("fields.created", builder.created_field)
    needed.setdefault("reason_field", builder.reason_field)
    needed.setdefault("channel_field", builder.channel_field)
    if recipe.mode == "incremental":
        needed.setdefault("fields.modified", builder.modified_field)
    fcr = config.first_contact_resolution
    if fcr is not None and fcr.rule != "field" and builder.closed_field:
        needed.setdefault("fields.closed", builder.closed_field)
    named = {path for path, _ in config.named_fields()}
    return sorted(
        ((path, name, path in named) for path, name in needed.items()),
        key=lambda item: (recipe.line_of(f"crm.{item[0]}") or 0, item[0]),
    )


def check_fields(
    recipe: Recipe, builder: CaseBuilder, present: Collection[str], export: str
) -> None:
    """Raise SourceError naming every field the read needs that ``present`` (the fields of
    ``export``) lacks. A dotted Salesforce name (``Owner.Name``) is there when its related
    record is (a null relationship has no fields of its own)."""
    have = set(present)
    missing = [
        (path, name, named)
        for path, name, named in needed_fields(recipe, builder)
        if name not in have and name.partition(".")[0] not in have
    ]
    problems = [_problem(recipe, *field, have, export) for field in missing]
    fcr = builder.config.first_contact_resolution
    if fcr is not None and fcr.rule != "field" and not builder.closed_field:
        # Without a closing time no case is ever resolved on first contact: a rate of 0
        # that looks like a figure.
        problems.append(
            Problem(
                recipe.file,
                RULE,
                f"rule {fcr.rule!r} needs each case's closing time, and {recipe.kind} has no "
                "default field for it: name one in crm.fields.closed",
                line=recipe.line_of("crm.first_contact_resolution.rule"),
                property="crm.fields.closed",
            )
        )
    if not problems:
        return
    raise SourceError(
        f"recipe {recipe.file} names {len(problems)} field(s) that {export} does not have; "
        "nothing was read or written",
        problems,
    )


def _problem(
    recipe: Recipe, path: str, name: str, named: bool, have: set[str], export: str
) -> Problem:
    setting = f"crm.{path}"
    line = recipe.line_of(setting)
    said = (
        f"{name!r} is not a field of {export}"
        if named
        else f"the recipe does not set {setting}, and its default {name!r} is not a field "
        f"of {export}"
    )
    close = closest(name, have)
    hint = f" (did you mean {close!r}?)" if close else ""
    listed = sorted(have, key=str.lower)
    shown = ", ".join(listed[:LISTED]) + (
        f" and {len(listed) - LISTED} more" if len(listed) > LISTED else ""
    )
    return Problem(
        recipe.file,
        RULE,
        f"{said}{hint}; the export has: {shown}",
        line=line,
        property=setting,
        value=name,
    )


def closest(name: str, have: Iterable[str]) -> str | None:
    """The field of ``have`` most like ``name`` (case does not count), if any is close."""
    by_folded: dict[str, str] = {}
    for field in sorted(have):
        by_folded.setdefault(field.lower(), field)
    found = difflib.get_close_matches(name.lower(), list(by_folded), n=1, cutoff=0.6)
    return by_folded[found[0]] if found else None


def first_records_fields(
    records: Iterable[Any],
    fields_of: Callable[[Mapping[str, Any]], Iterable[str]],
    limit: int = 1_000,
) -> set[str] | None:
    """The fields of the first ``limit`` records (objects) of a page, as ``fields_of`` reads
    one; None when the page has no record to look at."""
    found: set[str] | None = None
    for count, record in enumerate(records):
        if count >= limit:
            break
        if isinstance(record, Mapping):
            found = (found or set()) | set(fields_of(record))
    return found
