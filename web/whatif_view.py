"""The what-if page's forms: a change from its fields, a change set carried between requests,
and a refusal placed next to the field it concerns, in the page's language.

What a change set would do is :func:`journeykg.graph.scenario.evaluate`'s and
keeping it is :func:`journeykg.services.scenarios.save`'s, the functions
GraphQL's ``whatIf`` and ``saveScenario`` call; this module only turns form
fields into their arguments and their refusals into form fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from journeykg.graph.errors import UnknownElementError
from journeykg.graph.scenario import Change, ScenarioError, parse_changes
from journeykg.web.explorer_words import CLASS_WORDS
from journeykg.web.i18n import Texts

#: A form's fields by name.
Form = Mapping[str, str]

#: The operations a change may make, as graph/scenario.py names them.
OPERATIONS = ("retire", "moveTouchpoints", "setCost", "addDependency", "removeDependency")

#: The fields each operation takes, in the order the form shows them.
OPERATION_FIELDS: dict[str, tuple[str, ...]] = {
    "retire": ("element",),
    "moveTouchpoints": ("fromProcess", "toProcess"),
    "setCost": ("element", "amountEur", "period"),
    "addDependency": ("process", "dependsOn"),
    "removeDependency": ("process", "dependsOn"),
}

#: Every field of the change form.
CHANGE_FIELDS = (
    "element",
    "fromProcess",
    "toProcess",
    "process",
    "dependsOn",
    "amountEur",
    "period",
)

#: How many changes one change set may hold on the page (GraphQL's cost limit is of the same order).
MAX_CHANGES = 20


def field_operations() -> dict[str, list[str]]:
    """Per field of the change form, the operations that take it (the form says so beside it)."""
    return {
        name: [op for op in OPERATIONS if name in OPERATION_FIELDS[op]] for name in CHANGE_FIELDS
    }


@dataclass(frozen=True)
class Refusal:
    """Why a change or a save was refused, and the form field it concerns."""

    field: str
    """A field of the change form, ``name`` (saving), or ``changes`` for the set as a whole."""
    message: str
    """In the page's language, with the service's own words after it."""
    detail: str
    """The service's message (English), as GraphQL gives it."""


def new_change(form: Form) -> dict[str, Any]:
    """The change the form's fields describe (blank fields left out), as JSON-like data."""
    op = form.get("op", "").strip()
    wanted = OPERATION_FIELDS.get(op, CHANGE_FIELDS)
    change: dict[str, Any] = {"op": op}
    for name in wanted:
        value = form.get(name, "").strip()
        if value:
            change[name] = value
    return change


def change_set(raw: str) -> list[dict[str, Any]]:
    """The change set a form carries (a JSON list); :class:`ScenarioError` if it is not one."""
    if not raw.strip():
        return []
    try:
        found = json.loads(raw)
    except ValueError as exc:
        raise ScenarioError(f"change set: not JSON: {exc}") from exc
    if not isinstance(found, list) or not all(isinstance(c, dict) for c in found):
        raise ScenarioError("change set: a list of changes is needed")
    if len(found) > MAX_CHANGES:
        raise ScenarioError(f"change set: at most {MAX_CHANGES} changes")
    return found


def dump(changes: Sequence[Change]) -> str:
    """A change set as the form carries it (and as services/scenarios.py stores it)."""
    return json.dumps(
        [c.model_dump(mode="json", by_alias=True) for c in changes], ensure_ascii=False
    )


def parsed(raw: Sequence[Mapping[str, Any]]) -> list[Change]:
    """Checked changes (:func:`journeykg.graph.scenario.parse_changes`)."""
    return parse_changes(raw)


_FIELD_IN_MESSAGE = re.compile(r"^change (?:set: )?(\d+)[.:]\s*(?:[a-zA-Z]+\.)?([a-zA-Z]+)?:?")
_WRONG_TYPE = re.compile(r"'([^']*)' is a (\w+), not a (\w+)")


def refusal_of(exc: ScenarioError, t: Texts) -> Refusal:
    """Where ``exc`` belongs on the form, and what it says in ``t``'s language."""
    detail = str(exc)
    found = _FIELD_IN_MESSAGE.match(detail)
    field = "changes"
    if found and found.group(2) in (*CHANGE_FIELDS, "op"):
        field = found.group(2)
    elif detail.startswith("name:"):
        field = "name"
    classes = CLASS_WORDS[t.language]
    cause = exc.__cause__
    wrong = _WRONG_TYPE.search(detail)
    if isinstance(cause, UnknownElementError):
        lead = t("wi_unknown_element").format(ident=cause.ident)
    elif wrong:
        ident, is_, wanted = wrong.groups()
        lead = t("wi_wrong_class").format(
            ident=ident, is_=classes.get(is_, is_), wanted=classes.get(wanted, wanted)
        )
    elif "Field required" in detail:
        lead = t("wi_required")
    elif field in CHANGE_FIELDS or field == "op":
        lead = t("wi_bad_value")
    elif field == "name":
        lead = t("wi_needs_name")
    else:
        lead = t("wi_not_possible")
    return Refusal(field, lead, detail)
