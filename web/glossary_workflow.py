"""The glossary's workflow steps as web forms submit them, through the governance service.

Each step is one call of :mod:`journeykg.services.governance.service`, the
functions the CLI and GraphQL call: the same validation, refusals,
expected-version check and records. This module only turns a form's fields
into that call's arguments, and a refusal into the form field it concerns.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from journeykg.access.roles import Permission
from journeykg.graph.errors import UnknownElementError
from journeykg.graph.store import Store
from journeykg.ids import InvalidIdentifierError
from journeykg.services.governance import service
from journeykg.services.governance.errors import (
    GovernanceError,
    GovernanceValidationError,
    StaleVersionError,
)
from journeykg.services.governance.model import ConceptText, Outcome, Texts
from journeykg.services.governance.service import Caller
from journeykg.services.governance.workflow import NewConcept
from journeykg.web.refusal_texts import refusal_texts

#: A form's fields by name.
Form = Mapping[str, str]

#: The permission each step needs, as the API's table has it (api/permissions.py).
STEPS: dict[str, Permission] = {
    "propose": Permission.PROPOSE,
    "propose_change": Permission.PROPOSE,
    "submit": Permission.PROPOSE,
    "approve": Permission.DECIDE,
    "reject": Permission.DECIDE,
    "deprecate": Permission.DECIDE,
}

#: The languages a form has a text field for.
FORM_LANGUAGES = ("nl", "en")

#: The form field for each text field of a concept (prefLabel_nl, ...).
_TEXT_FIELDS = {"prefLabel": "label", "definition": "definition", "scopeNote": "scope"}

#: The form field a shape's property is about, by the property's local name.
_PROPERTY_FIELDS = {
    **_TEXT_FIELDS,
    "rationale": "rationale",
    "wasAssociatedWith": "by",
    "broader": "broader",
    "source": "sources",
    "explains": "explains",
    "isReplacedBy": "replacement",
}

#: HTTP status of a refusal by its code, as the API's REST errors map them.
REFUSAL_STATUS = {
    "STALE": 409,
    "ILLEGAL_TRANSITION": 409,
    "REFERENCED": 409,
    "FORBIDDEN": 403,
    "BAD_REQUEST": 400,
    "INVALID": 422,
    "BUSY": 503,
    "NOT_FOUND": 404,
}


@dataclass(frozen=True)
class Refusal:
    """A refused step: its code, the service's message, and the form field it concerns."""

    step: str
    code: str
    message: str
    """The service's message (English), as the API gives it."""
    field: str
    """A visible field's name, or ``step`` for the form as a whole."""
    target: str
    """The id the step was about (a concept, or a change proposal)."""
    messages: Mapping[str, str] = dataclasses.field(default_factory=dict)
    """The message per language of the workspace (:mod:`.refusal_texts`)."""

    @property
    def status(self) -> int:
        return REFUSAL_STATUS.get(self.code, 400)

    def message_in(self, language: str) -> str:
        """The message in ``language``, else the service's."""
        return self.messages.get(language, self.message)


def texts_of(form: Form, name: str) -> Texts:
    """One text field's value per language, as the form gave it (blank languages left out)."""
    found = {lang: form.get(f"{name}_{lang}", "").strip() for lang in FORM_LANGUAGES}
    return {lang: text for lang, text in found.items() if text}


def keys_of(form: Form, name: str) -> tuple[str, ...]:
    """A field of keys separated by commas or white space."""
    return tuple(k for k in re.split(r"[\s,]+", form.get(name, "")) if k)


def _version(form: Form) -> int | None:
    raw = form.get("expected_version", "").strip()
    return int(raw) if raw.isdigit() else None


def _text(form: Form, *, keep_blank: bool) -> ConceptText:
    """The text a form gives; ``keep_blank`` keeps an emptied language (a change removes it)."""

    def field(name: str) -> Texts:
        if not keep_blank:
            return texts_of(form, name)
        return {
            lang: form[f"{name}_{lang}"].strip()
            for lang in FORM_LANGUAGES
            if f"{name}_{lang}" in form
        }

    return ConceptText(
        pref_labels=field("label"), definitions=field("definition"), scope_notes=field("scope")
    )


def _reason(form: Form) -> str:
    return form.get("rationale", "").strip()


def take_step(store: Store, step: str, target: str, form: Form, role: str | None) -> Outcome:
    """Take ``step`` on ``target`` with ``form``'s fields, by the form's post in ``role``.

    Raises what the service raises (GovernanceError, UnknownElementError); nothing is written then.
    """
    caller = Caller(by=form.get("by", "").strip(), role=role)
    expected = _version(form)
    calls: dict[str, Callable[[], Outcome]] = {
        "propose": lambda: service.propose(
            store,
            NewConcept(
                key=form.get("key", "").strip(),
                text=_text(form, keep_blank=False),
                sources=keys_of(form, "sources"),
                broader=keys_of(form, "broader"),
                explains=keys_of(form, "explains"),
            ),
            caller,
            draft=form.get("draft") == "on",
            rationale=_reason(form) or None,
        ),
        "propose_change": lambda: service.propose_change(
            store,
            target,
            _changed_text(store, target, form),
            caller,
            rationale=_reason(form) or None,
            expected_version=expected,
        ),
        "submit": lambda: service.submit(
            store, target, caller, rationale=_reason(form) or None, expected_version=expected
        ),
        "approve": lambda: service.approve(
            store, target, caller, rationale=_reason(form), expected_version=expected
        ),
        "reject": lambda: service.reject(
            store, target, caller, rationale=_reason(form), expected_version=expected
        ),
        "deprecate": lambda: service.deprecate(
            store,
            target,
            caller,
            rationale=_reason(form),
            replacement=form.get("replacement", "").strip() or None,
            expected_version=expected,
        ),
    }
    return calls[step]()


def _changed_text(store: Store, target: str, form: Form) -> ConceptText:
    """Only what the form changes: the change form is filled with the current text."""
    current = service.show(store, target).text
    given = _text(form, keep_blank=True)
    return ConceptText(
        pref_labels=_only_changed(current.pref_labels, given.pref_labels),
        definitions=_only_changed(current.definitions, given.definitions),
        scope_notes=_only_changed(current.scope_notes, given.scope_notes),
    )


def _only_changed(current: Texts, given: Texts) -> Texts:
    return {lang: text for lang, text in given.items() if current.get(lang, "") != text}


#: What a step may be refused with: the service's refusals, an unknown id, an id that cannot be one.
REFUSALS = (GovernanceError, UnknownElementError, InvalidIdentifierError)


def refusal(step: str, target: str, exc: Exception, form: Form) -> Refusal:
    """``exc`` (a service refusal) as a :class:`Refusal` next to the field it concerns."""
    code = (
        exc.code
        if isinstance(exc, GovernanceError)
        else "BAD_REQUEST"
        if isinstance(exc, InvalidIdentifierError)
        else "NOT_FOUND"
    )
    messages = refusal_texts(exc)
    return Refusal(step, code, messages["en"], _field(exc, form), target, messages)


def _field(exc: Exception, form: Form) -> str:
    """The visible field a refusal concerns; ``step`` when it concerns the step as a whole."""
    if isinstance(exc, StaleVersionError):
        return "step"  # the version read is a hidden field: the step itself came too late
    if isinstance(exc, GovernanceValidationError):
        for problem in exc.problems:
            # The property a shape names (``skos:prefLabel``, ``(prov:wasAssociatedWith
            # org:postIn)``): its first known local name says which field it is about.
            for name in re.findall(r"[A-Za-z]+:([A-Za-z]+)", problem.property or ""):
                if name in _PROPERTY_FIELDS:
                    return _PROPERTY_FIELDS[name]
        return "step"
    if isinstance(exc, InvalidIdentifierError):
        for name in ("key", "by", "replacement", "broader", "explains", "sources"):
            if form.get(name, "").strip() == exc.ident or exc.ident in keys_of(form, name):
                return name
    message = str(exc)
    for name in ("key", "replacement", "broader", "explains", "sources", "by"):
        if any(k in message for k in keys_of(form, name)):
            return name
    if "reason" in message.lower() or "rationale" in message.lower():
        return "rationale"
    return "step"
